"""A render that fails says which page and why in the user's terms, never by an internal path."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from wfscc.errors import BuildError
from wfscc.render import RenderError, render_book
from wfscc.render._typst import PAGE_MARK, compile_failure

FIXTURE = Path(__file__).resolve().parent.parent / "render" / "fixtures" / "book"
TIMESTAMP = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    target = tmp_path / "book"
    shutil.copytree(FIXTURE, target)
    return target


def _render(book: Path, tmp_path: Path) -> str:
    with pytest.raises(RenderError) as info:
        render_book(book, tmp_path / "out", timestamp=TIMESTAMP, provenance={})
    return str(info.value)


def _no_internal_paths(message: str, *folders: Path) -> None:
    assert "wfscc-render-" not in message, message
    assert "/build/" not in message, message
    for folder in folders:
        assert str(folder) not in message, message


def test_typst_failure_names_the_page_and_the_error(book, tmp_path):
    path = book / "report" / "02-findings.qmd"
    path.write_text(path.read_text() + "\n```{=typst}\n#let broken = (\n```\n\nAfter.\n")
    message = _render(book, tmp_path)
    assert "report.pdf: Typst could not compile the PDF" in message
    assert "on report/02-findings.qmd (page 02-findings.html): error: unclosed delimiter" in message
    _no_internal_paths(message, book, tmp_path)


def test_problem_in_a_profile_notebook_names_the_la(book, tmp_path):
    path = book / "report" / "profiles" / "P01.ipynb"
    nb = json.loads(path.read_text())
    nb.setdefault("metadata", {})["papermill"] = {
        "parameters": {"la_code": "P01", "store_dir": "store"}
    }
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "See @fig-nowhere."})
    path.write_text(json.dumps(nb))
    message = _render(book, tmp_path)
    assert (
        "the profile of LA P01 (page profiles/P01.html, made from the rows with la_code P01; "
        "the text it takes from the data is la_name in that row of areas): "
        "cross-reference '@fig-nowhere' has no #fig-nowhere"
    ) in message
    _no_internal_paths(message, book, tmp_path)


def test_compile_failure_keeps_the_first_error_and_finds_its_page():
    source = "\n".join(
        ["= Title", PAGE_MARK + "01-a.html", "text", PAGE_MARK + "profiles/P02.html", "#let x = ("]
    )
    detail = (
        "error: unclosed delimiter\n   ┌─ ../../tmp/wfscc-render-ab12/build/report.typ:5:9\n"
        "  │\n5 │ #let x = (\n\nerror: expected comma\n   ┌─ /tmp/x/report.typ:5:10\n"
    )
    message = compile_failure("report.pdf", "report.typ", source, detail)
    assert message.splitlines()[1] == "on page profiles/P02.html: error: unclosed delimiter"
    assert "report.typ:5:9" in message and "/tmp" not in message and "wfscc-render" not in message
    assert message.endswith("(and 1 more error)")


@pytest.mark.slow
def test_data_that_breaks_a_page_in_a_build_is_named_without_staging_paths(
    tmp_path, make_project, build_project
):
    """A notebook that shows the LA's name as Markdown unescaped (as a user's own notebook
    might) and a name that cites a figure: the build fails at render time and says which LA's
    page and why, and nothing half-built is published."""
    project = make_project(tmp_path / "project")
    areas = pd.read_csv(project / "data" / "areas.csv", dtype=str, keep_default_na=False)
    areas.loc[areas["la_code"] == "P02", "la_name"] = "Area @fig-nowhere"
    areas.to_csv(project / "data" / "areas.csv", index=False)
    path = project / "notebooks" / "la_profile.ipynb"
    # the user's notebook writes the page's heading itself, from the raw name
    old = "show_markdown(prose.introduction(f))"
    path.write_text(
        path.read_text(encoding="utf-8").replace(old, 'show_markdown(f\\"# {f.name}\\")'),
        encoding="utf-8",
    )
    assert 'show_markdown(f\\"# {f.name}\\")' in path.read_text(encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_project(project, engine="pandoc")
    message = str(info.value)
    assert "the profile of LA P02 (page profiles/P02.html" in message, message
    assert "la_name in that row of areas" in message  # the table, row and column it came from
    assert "cross-reference '@fig-nowhere'" in message
    assert ".wfscc-cache" not in message and "staging" not in message, message
    _no_internal_paths(message, project)
    assert not (project / "_book").exists()
