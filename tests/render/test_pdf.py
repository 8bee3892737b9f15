"""The PDFs: PDF/UA-1, metadata, bookmarks, text, and byte-identical re-renders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pypdf
import pytest

from wfscc.render import render_book

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "book"
TITLE = "Test Services in Children"


def outline(pdf: pikepdf.Pdf) -> list[str]:
    titles: list[str] = []

    def visit(items):
        for item in items:
            titles.append(item.title)
            visit(item.children)

    with pdf.open_outline() as tree:
        visit(tree.root)
    return titles


@pytest.mark.parametrize("name", ["report", "summary"])
def test_pdf_is_ua1_with_title_and_language(rendered, name):
    out, result = rendered
    assert result.pdfs[name] == out / f"{name}.pdf"
    with pikepdf.open(result.pdfs[name]) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as xmp:
            assert str(xmp.get("pdfuaid:part")) == "1"
            assert TITLE in xmp.get("dc:title")
        assert TITLE in str(pdf.docinfo["/Title"])
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20240501120000")
        box = [float(x) for x in pdf.pages[0].MediaBox]
        assert round(box[2]) == 595 and round(box[3]) == 842  # A4


def test_report_text_and_bookmarks(rendered):
    _, result = rendered
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(result.pdfs["report"]).pages)
    assert "Take-up rose from 14 per cent to 31 per cent" in text
    assert "Figure 1.1: Take-up of Jobcentre Plus services by wave" in text
    assert "Table A.1: Outcomes in pilot area 1" in text
    assert "abc1234def" in text  # the colophon carries provenance
    with pikepdf.open(result.pdfs["report"]) as pdf:
        titles = outline(pdf)
    assert titles == ["Preface", "1 Introduction", "1.1 The pilot", "1.2 The evaluation",
                      "2 Findings", "Annex A: Local authority profiles", "Pilot area 1",
                      "Annex B: Technical annex"]


def test_summary_text_and_notice(rendered):
    _, result = rendered
    reader = pypdf.PdfReader(result.pdfs["summary"])
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Research summary" in text
    assert "The pilot ran in ten local authority areas." in text
    assert text.rstrip().rsplit("\n", 1)[0].endswith("12:00 UTC.")  # the notice comes last
    with pikepdf.open(result.pdfs["summary"]) as pdf:
        assert outline(pdf) == ["Key findings", "Background"]


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_renders_are_byte_identical(rendered, tmp_path):
    from datetime import UTC, datetime

    out, _ = rendered
    again = tmp_path / "elsewhere" / "site"
    render_book(FIXTURE, again, timestamp=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
                provenance={"version": "0.1.0", "commit": "abc1234def",
                            "data_hash": "sha256:5eed"})
    first, second = _hashes(out), _hashes(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
