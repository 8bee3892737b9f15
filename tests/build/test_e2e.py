"""End-to-end: `wfscc build` from data to a published site, cached, atomic and reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from wfscc.errors import BuildError

pytestmark = pytest.mark.slow


def _facts(site: Path) -> dict:
    return json.loads((site / "facts.json").read_text())


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _pilot_las(project: Path) -> list[str]:
    areas = pd.read_csv(project / "data" / "areas.csv")
    return sorted(areas.loc[areas["group"] == "pilot", "la_code"])


@pytest.mark.xdist_group("built_site")
def test_build_publishes_a_page_per_chapter_and_per_la_and_both_pdfs(built_site, repo_root):
    chapters = yaml.safe_load((repo_root / "_quarto.yml").read_text())["book"]["chapters"]
    html = {p.name for p in built_site.rglob("*.html")}
    for chapter in chapters:
        assert Path(chapter).with_suffix(".html").name in html, chapter
    profiles = sorted(p.stem for p in (built_site / "notebooks").glob("*.ipynb"))
    assert len(profiles) == 10
    for la in profiles:
        assert f"{la}.html" in html
    facts = _facts(built_site)
    summary = _pdf_text(built_site / "summary.pdf")
    assert facts["takeup_pilot_w2"]["text"] in summary
    assert (built_site / "report.pdf").stat().st_size > 10_000


def test_changed_data_changes_the_numbers_in_html_and_pdf(tmp_path, make_project, build_project):
    project = make_project(tmp_path / "p")
    first = build_project(project)
    before = _facts(first.out_dir)["takeup_pilot_w2"]
    assert "no previous build" in (first.out_dir / "changes.html").read_text()
    survey = pd.read_csv(project / "data" / "survey.csv", dtype=str, keep_default_na=False)
    pilot_w2 = (survey["wave"] == "2") & (survey["group"] == "pilot")
    survey.loc[pilot_w2, "uses_jcp_at_centre"] = "0"
    survey.loc[pilot_w2[pilot_w2].index[::3], "uses_jcp_at_centre"] = "1"
    survey.to_csv(project / "data" / "survey.csv", index=False)
    second = build_project(project)
    after = _facts(second.out_dir)["takeup_pilot_w2"]
    assert after["text"] != before["text"]
    # the published text keeps a number and its unit together (no-break spaces; facts.json not)
    page = (second.out_dir / "07-outcomes.html").read_text().replace("\u00a0", " ")
    summary = _pdf_text(second.out_dir / "summary.pdf").replace("\u00a0", " ")
    assert after["text"] in page and after["text"] in summary
    assert second.notebooks_run  # the LA profiles saw the change too
    changes = (second.out_dir / "changes.html").read_text()
    assert "takeup_pilot_w2" in changes.replace("\\_", "_")
    assert before["text"] in changes and after["text"] in changes


def test_noop_rebuild_then_one_la_change_reruns_only_that_la(tmp_path, make_project, build_project):
    project = make_project(tmp_path / "p")
    first = build_project(project)
    assert sorted(first.notebooks_run) == _pilot_las(project)
    published = _hashes(first.out_dir)

    started = time.perf_counter()
    again = build_project(project)
    assert again.noop and time.perf_counter() - started < 5
    assert _hashes(first.out_dir) == published

    _flip_one_la_record(project)
    third = build_project(project)
    assert third.notebooks_run == ["P03"]
    assert "P03" not in third.notebooks_cached and len(third.notebooks_cached) == 9

    # The caches (notebooks, charts, workbooks, pages, PDFs, search index, guard) change nothing:
    # the same two builds made with --force, which ignores them all, give the very same files.
    twin = make_project(tmp_path / "twin")
    build_project(twin, force=True)
    _flip_one_la_record(twin)
    forced = build_project(twin, force=True)
    assert sorted(forced.notebooks_run) == _pilot_las(twin)
    assert _hashes(forced.out_dir) == _hashes(third.out_dir)


def _flip_one_la_record(project: Path) -> None:
    """Change one field of one of P03's MI records."""
    mi = pd.read_csv(project / "data" / "mi_starts.csv", dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == "P03"][0]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(project / "data" / "mi_starts.csv", index=False)


def _plant_failure(project: Path, la_code: str) -> None:
    path = project / "notebooks" / "la_profile.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f'if la_code == "{la_code}":\n    raise RuntimeError("planted failure")'
        )
    )
    nbformat.write(nb, path)


def test_a_failing_notebook_stops_publishing_names_the_la_and_keeps_the_rest(
    tmp_path, make_project, build_project
):
    project = make_project(tmp_path / "p")
    first = build_project(project)
    published = _hashes(first.out_dir)
    _plant_failure(project, "P02")
    with pytest.raises(BuildError) as caught:
        build_project(project)
    message = str(caught.value)
    assert "P02" in message and "planted failure" in message and "cell" in message
    assert "P01" not in message.replace("P02", "")
    assert _hashes(first.out_dir) == published
    assert (project / ".wfscc-cache" / "failed" / "P02.ipynb").exists()


def test_a_killed_build_leaves_the_previous_output_exactly_as_it_was(
    tmp_path, make_project, build_project
):
    project = make_project(tmp_path / "p")
    first = build_project(project)
    published = _hashes(first.out_dir)
    (project / "report" / "01-introduction.qmd").write_text(
        (project / "report" / "01-introduction.qmd").read_text() + "\nA new closing line.\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "wfscc.cli", "build", "--quiet", "--engine", "pandoc", "--force"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for line in proc.stderr:  # kill it in the middle of its work, however fast the machine
        if "Rendering pages" in line:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _hashes(project / "_book") == published


def test_two_builds_in_different_folders_are_byte_identical(
    tmp_path, monkeypatch, make_project, build_project
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1312156800")  # 1 August 2011
    a = build_project(make_project(tmp_path / "one" / "p")).out_dir
    b = build_project(make_project(tmp_path / "two" / "deeper" / "q"), jobs=1).out_dir
    ha, hb = _hashes(a), _hashes(b)
    assert ha.keys() == hb.keys()
    differ = [name for name in ha if ha[name] != hb[name]]
    assert differ == []
