"""The Number check's PDF pages (`wfscc.pdfpages`): only the pages of the chapters that cite a
fact are read, and each fact is found on the same pages as when the whole PDF is read."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import typst

from wfscc import pdfpages
from wfscc.pdfpages import fact_pdf_pages, page_texts, spans, texts_of

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

#: The text of each page (from 1): the chapters a.html (pages 1-2), a profile (3-4, citing no
#: fact) and b.html (5-6); "41,200" is on pages 2, 3 and 6, "17 per cent" on pages 4 and 5.
PAGES = [
    "Intro text",
    "Starts reached 41,200 in all",
    "Profile: 41,200 here too",
    "Profile: 17 per cent",
    "Wave two: 17 per cent",
    "Again 41,200 at the end",
]
RANGES = {"a.html": range(1, 3), "profiles/P01.html": range(3, 5), "b.html": range(5, 7)}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdfpages")
    source = folder / "report.typ"
    source.write_text("\n#pagebreak()\n".join(PAGES) + "\n", encoding="utf-8")
    typst.compile(str(source), output=str(folder / "report.pdf"))
    return folder / "report.pdf"


def test_runs_of_pages():
    assert spans({5, 2, 3, 9, 10, 11}) == [(2, 3), (5, 5), (9, 11)]
    assert spans(set()) == []


def test_the_pages_read_are_the_pages_of_the_whole_pdf(pdf):
    whole = page_texts(pdf)
    assert len(whole) == len(PAGES) and "41,200" in whole[1]
    assert texts_of(pdf, {2, 3, 6}) == {2: whole[1], 3: whole[2], 6: whole[5]}
    assert texts_of(pdf, set()) == {}


def test_only_the_citing_chapters_pages_are_read(pdf, monkeypatch):
    read: list[tuple] = []
    real = pdfpages.page_texts

    def spy(path, first=None, last=None):
        read.append((Path(path).name, first, last))
        return real(path, first, last)

    monkeypatch.setattr(pdfpages, "page_texts", spy)
    monkeypatch.setattr(pdfpages, "chapter_ranges", lambda *args: RANGES)
    book = SimpleNamespace(summary=None)
    uses = {"starts": ["a.html", "b.html"], "share": ["b.html"], "none": ["a.html"]}
    texts = {"starts": "41,200", "share": "17 per cent", "none": "not in the PDF"}
    found = fact_pdf_pages(book, set(), uses, texts, pdf, None)
    # the profile's pages (3 and 4) hold both texts but cite no fact: not read, not listed
    assert found == {"starts": "report pp. 2, 6", "share": "report p. 5", "none": ""}
    assert read == [("report.pdf", 1, 2), ("report.pdf", 5, 6)]


def test_no_chapter_citing_a_fact_reads_no_page(pdf, monkeypatch):
    monkeypatch.setattr(pdfpages, "page_texts", lambda *a, **k: pytest.fail("read a page"))
    assert fact_pdf_pages(SimpleNamespace(summary=None), set(), {}, {}, pdf, None) == {}
