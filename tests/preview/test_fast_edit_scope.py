"""The preview's fast path with its page cache: a chapter edit copied into the kept project is
rendered by redoing that page's work only, and the fast pages are the files the full render
publishes (`same_files`), the Number check's page and panel data left to the build."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfscc.preview._fast import COMPLETED_LATER, render_pages, same_files, sync_report
from wfscc.render import PageCache, render_book

pytestmark = pytest.mark.slow

BOOK = Path(__file__).parents[1] / "render" / "fixtures" / "book"
TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
RECORD = {
    "provenance": {
        "version": "0.1.0",
        "data_hash": "sha256:5eed",
        "build_timestamp": TIMESTAMP.isoformat(),
    },
    "generated": [],
}


def test_a_chapter_edit_redoes_its_page_only_and_matches_the_published_site(tmp_path: Path):
    project, kept = tmp_path / "project", tmp_path / "keep" / "current"
    shutil.copytree(BOOK, project)
    shutil.copytree(BOOK, kept / "project")
    cache = PageCache()
    render_pages(kept, RECORD, tmp_path / "pages-1", None, cache)  # as the preview primes it

    chapter = project / "report" / "02-findings.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    assert sync_report(project, kept, RECORD["generated"]) == ["02-findings.qmd"]
    pages = tmp_path / "pages-2"
    written = render_pages(kept, RECORD, pages, None, cache)
    assert [str(p) for p in cache.redone] == ["02-findings.html"]
    assert "One more line." in (pages / "02-findings.html").read_text(encoding="utf-8")
    assert pages / "02-findings.html" in written

    # the full build's render of the same project, and the panel data it writes afterwards
    site = tmp_path / "site"
    provenance = RECORD["provenance"]
    render_book(kept / "project", site, timestamp=TIMESTAMP, provenance=provenance)
    (site / "assets" / "trace-data.js").write_text("window.wfsccFacts = {};\n", "utf-8")
    assert same_files(pages, site)
    assert not [name for name in COMPLETED_LATER if (pages / name).exists()]
    assert {p.relative_to(pages).as_posix() for p in pages.rglob("*.html")} == {
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
    } - set(COMPLETED_LATER)
