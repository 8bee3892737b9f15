"""The warm-kernel executor as a Papermill engine: `papermill --engine wfscc` on the command line
gives the very notebook the build made, and pyproject.toml declares the entry point.

The command-line test does not reinstall the package (the shared venv's editable install points
at another checkout): it writes a throwaway ``wfscc-*.dist-info`` whose ``entry_points.txt`` is
made from this tree's ``pyproject.toml``, and puts it and ``src/`` first on ``PYTHONPATH``, which
is all that Papermill's entry-point discovery reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.engines import Engine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import raise_for_execution_errors

from wfscc.execute import NotebookRun, run_notebooks
from wfscc.execute._papermill import _errors_only

from .helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def _engine_entry_points() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project.get("entry-points", {}).get("papermill.engine", {})


def test_pyproject_declares_the_wfscc_engine_and_it_is_a_papermill_engine():
    entry = _engine_entry_points()
    assert set(entry) == {"wfscc"}
    module, _, name = entry["wfscc"].partition(":")
    engine = getattr(import_module(module), name)
    assert issubclass(engine, Engine)
    assert papermill_engines.get_engine("wfscc") is engine  # registered at import, for the build


def _dist_info(root: Path) -> Path:
    """A minimal installed-package record of this tree, carrying its entry points."""
    info = root / "wfscc-0+probe.dist-info"
    info.mkdir(parents=True)
    info.joinpath("METADATA").write_text("Metadata-Version: 2.1\nName: wfscc\nVersion: 0+probe\n")
    lines = ["[papermill.engine]"] + [f"{k} = {v}" for k, v in _engine_entry_points().items()]
    info.joinpath("entry_points.txt").write_text("\n".join(lines) + "\n")
    return root


def _papermill_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(_dist_info(tmp_path / "site")), str(ROOT / "src"), env.get("PYTHONPATH", "")]
    )
    cli = [sys.executable, "-c", "from papermill.cli import papermill; papermill()"]
    return subprocess.run(cli + list(args), env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_papermill_cli_with_the_wfscc_engine_gives_the_notebook_the_build_made(
    built_site: Path, tmp_path: Path
):
    cache = built_site.parent / ".wfscc-cache"
    built = [built_site / "notebooks" / "P01.ipynb"]  # as the build ran it (and keeps it)
    parameters = json.loads(built[0].read_text(encoding="utf-8"))["metadata"]["papermill"][
        "parameters"
    ]
    assert parameters["la_code"] == "P01"
    args = [f"{x}" for name, value in parameters.items() for x in ("-p", name, str(value))]
    out = tmp_path / "P01.ipynb"  # the build's run key is the file's name, as here
    done = _papermill_cli(
        tmp_path,
        "--engine",
        "wfscc",
        "--cwd",
        str(cache),
        str(built_site.parent / "notebooks" / "la_profile.ipynb"),
        str(out),
        *args,
    )
    assert done.returncode == 0, done.stderr
    made, expected = out.read_text(encoding="utf-8"), built[0].read_text(encoding="utf-8")
    # Papermill's writer leaves out the final newline that nbformat.write adds; all else is equal
    assert made.rstrip("\n") == expected.rstrip("\n")
    assert json.loads(made)["cells"][1]["id"] == "P01-1"


@pytest.mark.slow
def test_papermill_api_with_the_wfscc_engine_matches_the_pool_and_reports_failures(tmp_path: Path):
    pooled = run_notebooks(
        FIXTURES / "probe.ipynb",
        [NotebookRun("A", {"label": "a"})],
        out_dir=tmp_path / "pool",
        staging_dir=tmp_path / "s",
        jobs=1,
        cwd=FIXTURES,
    )
    os.chdir(FIXTURES)
    try:
        nb = papermill.execute_notebook(
            str(FIXTURES / "probe.ipynb"),
            None,
            parameters={"label": "a"},
            engine_name="wfscc",
            key="A",
            progress_bar=False,
        )
    finally:
        os.chdir(ROOT)
    assert nbformat.writes(nb) == nbformat.writes(
        nbformat.read(pooled.succeeded["A"], as_version=4)
    )
    failing = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise ValueError(f'bad x {x}')"),
        ]
    )
    failing.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(failing, tmp_path / "failing.ipynb")
    with pytest.raises(papermill.PapermillExecutionError, match="bad x 2"):
        papermill.execute_notebook(
            str(tmp_path / "failing.ipynb"),
            str(tmp_path / "B.ipynb"),
            parameters={"x": 2},
            engine_name="wfscc",
            progress_bar=False,
        )
    kept = nbformat.read(tmp_path / "B.ipynb", as_version=4)  # Papermill keeps the failed run
    assert [c.id for c in kept.cells if c.cell_type == "code"] == ["B-0", "B-1", "B-2"]


def test_papermill_marking_an_error_in_what_the_build_gives_back_leaves_the_outcome_alone():
    """The build takes the executed notebook from the outcome and gives Papermill a copy with
    only the error outputs (``_errors_only``): Papermill still finds the error, and marking it
    changes nothing of the executed notebook."""
    v4 = nbformat.v4
    svg = v4.new_output("display_data", data={"image/svg+xml": "<svg/>", "text/plain": "c"})
    error = v4.new_output("error", ename="ValueError", evalue="bad", traceback=["bad"])
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Title"),
            v4.new_code_cell("chart()", outputs=[svg], execution_count=1),
            v4.new_code_cell("fail()", outputs=[svg, error], execution_count=2),
        ]
    )
    before = nbformat.writes(nb)
    light = _errors_only(nb)
    assert [c.get("outputs") for c in light.cells] == [None, [], [error]]
    with pytest.raises(PapermillExecutionError, match="bad"):
        raise_for_execution_errors(light, None)
    assert len(light.cells) == 5  # Papermill marked the error in the copy
    assert nbformat.writes(nb) == before
