"""`render_book(..., html_only=True)`: the pages of a full render, byte for byte, and nothing
else (no PDFs, no search index). `wfscc preview` shows a chapter edit this way first."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfscc.render import render_book

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "book"
TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0", "commit": "abc1234def", "data_hash": "sha256:5eed"}


def tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_html_only_gives_the_full_renders_pages_and_no_pdf_or_index(tmp_path: Path):
    cache = tmp_path / "cache"
    full = render_book(
        FIXTURE, tmp_path / "full", timestamp=TIMESTAMP, provenance=PROVENANCE, cache_dir=cache
    )
    pages = render_book(
        FIXTURE,
        tmp_path / "pages",
        timestamp=TIMESTAMP,
        provenance=PROVENANCE,
        cache_dir=cache,
        html_only=True,
    )
    assert pages.pdfs == {} and full.pdfs
    assert [p.relative_to(tmp_path / "pages") for p in pages.html_pages] == [
        p.relative_to(tmp_path / "full") for p in full.html_pages
    ]
    whole, only = tree(tmp_path / "full"), tree(tmp_path / "pages")
    later = (".pdf", ".docx")  # the PDFs and the review copy follow the pages
    assert not [name for name in only if name.startswith("pagefind/") or name.endswith(later)]
    assert only == {
        name: digest
        for name, digest in whole.items()
        if not name.startswith("pagefind/") and not name.endswith(later)
    }


def test_html_only_is_for_the_builtin_engine(tmp_path: Path, monkeypatch):
    import wfscc.render as render

    monkeypatch.setattr(render, "select_engine", lambda engine: "quarto")
    with pytest.raises(ValueError, match="built-in"):
        render_book(
            FIXTURE,
            tmp_path / "out",
            engine="quarto",
            timestamp=TIMESTAMP,
            provenance=PROVENANCE,
            html_only=True,
        )
