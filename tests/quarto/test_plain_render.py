"""`quarto render` in the project folder builds the same book as `wfscc build --engine quarto`:
its pre-render step (`wfscc prepare`) writes what the pages cite, its post-render step (`wfscc
finish`) adds the summary, downloads and search and runs the privacy guard."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

# one worker builds the Quarto site once for all of these (make test: --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]


def _files(site: Path, folder: str = "") -> list[str]:
    root = site / folder if folder else site
    return sorted(
        p.relative_to(site).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not p.relative_to(site).as_posix().startswith(("site_libs/", "pagefind/"))
    )


def _fact_rows(site: Path) -> list[list[str]]:
    """The Number check's facts (kind, name, shown, base, interval, source, inputs, pages)."""
    with (site / "data" / "number-check.csv").open(encoding="utf-8", newline="") as fh:
        rows = [row[:8] for row in csv.reader(fh) if row and row[0] != "not a fact"]
    assert len(rows) > 20
    return rows


def test_quarto_render_in_the_project_builds_the_book(
    make_project, tmp_path, quarto_path, quarto_site, built_site
):
    project = make_project(tmp_path / "project")
    env = {**os.environ, "PATH": quarto_path}
    proc = subprocess.run(
        ["quarto", "render"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    site = project / "_book"
    pages = [p for p in _files(site) if p.endswith(".html")]
    assert pages == [p for p in _files(quarto_site) if p.endswith(".html")]
    for name in (
        "report.pdf",
        "summary.pdf",
        "report.docx",
        "summary.docx",
        "facts.json",
        "pagefind/pagefind.js",
        "assets/trace.js",
        "assets/trace-data.js",
    ):
        assert (site / name).is_file(), name
    # the same downloads, the Number check's data included (issue 18), with the same rows
    assert _files(site, "data") == _files(quarto_site, "data")
    assert (site / "facts.json").read_bytes() == (quarto_site / "facts.json").read_bytes()
    assert _fact_rows(site) == _fact_rows(quarto_site)
    check = (site / "report" / "number-check.html").read_text(encoding="utf-8")
    assert "Each build lists here" not in check and 'id="fact-' in check  # not the placeholder
    assert "see data/number-check.csv" not in check  # the PDF pages are filled in
    annex = (site / "report" / "annex-b-technical.html").read_text(encoding="utf-8")
    assert "This placeholder shows" not in annex  # the build's QA log, not the placeholder
    # the same letters, numbers, captions, lists and navigation as the built-in engine (and so
    # as `wfscc build --engine quarto`, which test_parity.py holds to it): the "About this
    # build" pages unlettered, the profiles' figures and tables numbered through Annex A
    from test_parity import (
        BUILD_PART,
        _pages,
        float_captions,
        labels,
        list_items,
        nav_order,
        page_headings,
    )

    plain, builtin = _pages(site), _pages(built_site)
    assert sorted(plain) == sorted(builtin)
    assert labels(plain) == labels(builtin)
    for name in sorted(builtin):
        assert float_captions(plain[name]) == float_captions(builtin[name]), name
    assert list_items(plain["lists.html"]) == list_items(builtin["lists.html"])
    for name in BUILD_PART:  # unlettered, and the generated pages' titles not shown twice
        assert page_headings(plain[name]) == page_headings(builtin[name]), name
    intro = site / "report" / "01-introduction.html"
    assert nav_order(intro, site) == nav_order(built_site / "01-introduction.html", built_site)
