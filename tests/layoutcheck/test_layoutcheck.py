"""The layout checks (wfscc.layoutcheck) on tiny PDFs made with Typst for the purpose: each fault
they must find is made on purpose, and a clean document of the same shapes gives none."""

from __future__ import annotations

from pathlib import Path

import pytest
import typst

from wfscc.layoutcheck import check_pdf, page_images, read_pages
from wfscc.render._typst import font_paths

PREAMBLE = """
#set document(title: "Layout check")
#set text(lang: "en", font: ("DejaVu Sans",), size: 10pt)
#set page(paper: "a6", margin: 12mm,
  footer: context align(center, text(size: 8pt, counter(page).display("1"))))
"""
ROWS = "..range(40).map(i => ([Row #i], [#(i * 3)])).flatten()"


@pytest.fixture
def pdf(tmp_path: Path, require_tool):
    """``pdf(body)``: a tagged (PDF/UA-1) A6 PDF of the Typst *body*, bundled fonts only."""
    require_tool("pdftotext")
    require_tool("pdftoppm")

    def make(body: str, preamble: str = PREAMBLE) -> Path:
        source = tmp_path / "doc.typ"
        source.write_text(preamble + body, encoding="utf-8")
        out = tmp_path / "doc.pdf"
        typst.compile(
            str(source),
            output=str(out),
            font_paths=font_paths(),
            ignore_system_fonts=True,
            pdf_standards=["ua-1"],
        )
        return out

    return make


def kinds(pdf_path: Path) -> list[tuple[int, str]]:
    return [(f.page, f.kind) for f in check_pdf(pdf_path)]


def long_table(header: str = "table.header([Name], [Value])") -> str:
    return (
        f"#show figure: set block(breakable: true)\n= Results\nSome text.\n"
        f"#figure(table(columns: 2, {header}, {ROWS}), caption: [Forty rows])\n"
    )


def test_a_clean_document_has_no_faults(pdf):
    """Prose, a chapter ending short before a heading on a new page, and a long table that breaks
    with its header repeated: nothing to report."""
    body = (
        "= One\n" + "Words in a paragraph. " * 60 + "\n#pagebreak()\n= Two\nShort.\n" + long_table()
    )
    doc = pdf(body)
    assert len(read_pages(doc)) >= 4
    assert check_pdf(doc) == []


def test_words_printed_over_words(pdf):
    doc = pdf(
        "Some text.\n#place(top + left, dy: 20mm)[Overprinted words here]\n"
        "#place(top + left, dy: 20.5mm, dx: 1mm)[Overprinted words again]\n"
    )
    faults = check_pdf(doc)
    assert {(f.page, f.kind) for f in faults} == {(1, "words overprint")}
    assert any("Overprinted" in f.detail for f in faults)


def test_a_table_set_over_itself_past_the_page_foot(pdf):
    """The Annex B fault: a table in a figure (not breakable) taller than a page is moved whole
    to a new page, leaving the page before it nearly empty, and printed past the page's foot
    over the page number."""
    doc = pdf(
        "= Annex\n" + "A paragraph of words. " * 8 + "\n== Assumptions\nThe table:\n"
        f"#figure(table(columns: 2, table.header([Name], [Value]), {ROWS}),"
        " caption: [Forty rows])\n"
    )
    found = set(kinds(doc))
    assert (1, "nearly blank page") in found
    assert (2, "words overprint") in found or (2, "off the page") in found


def test_words_off_the_page(pdf):
    doc = pdf("Some text.\n#place(top + left, dx: 70mm, dy: 10mm)[Words that run off]\n")
    faults = check_pdf(doc)
    assert "off the page" in {f.kind for f in faults}
    assert {f.kind for f in faults} <= {"off the page", "into the margin"}
    # pdftotext keeps the part of a word on the paper: "ru" of "run", cut at the edge
    assert any("x=" in f.detail and "on a 298x420pt page" in f.detail for f in faults)


def test_a_page_blank_but_for_its_footer(pdf):
    doc = pdf("= One\nSome text.\n#pagebreak()\n#pagebreak()\n= Three\nMore text.\n")
    assert kinds(doc) == [(2, "blank page")]


def test_a_short_page_before_a_heading_is_a_chapter_end_not_a_fault(pdf):
    doc = pdf(
        "= One\nSome text.\n#pagebreak()\n= Two\nMore text.\n#pagebreak()\n"
        "A page that opens with plain text after a short page.\n"
    )
    assert kinds(doc) == [(2, "nearly blank page")]


def test_a_table_continued_without_its_header(pdf):
    doc = pdf(long_table("table.header(repeat: false, [Name], [Value])"))
    faults = check_pdf(doc)
    assert {f.kind for f in faults} == {"table continues without its header"}
    assert [f.page for f in faults] == list(range(2, len(read_pages(doc)) + 1))
    assert "Name Value" in faults[0].detail


def test_a_table_continued_in_the_next_column_without_its_header(pdf):
    two_columns = PREAMBLE.replace('#set page(paper: "a6"', '#set page(paper: "a5", columns: 2')
    doc = pdf(long_table("table.header(repeat: false, [Name], [Value])"), two_columns)
    faults = check_pdf(doc)
    assert faults and {f.kind for f in faults} == {"table continues without its header"}
    assert faults[0].page == 1  # the second column of the first page
    assert check_pdf(pdf(long_table(), two_columns)) == []


def test_a_table_row_split_across_pages(pdf):
    tall = "[Tall row], [" + " #parbreak() ".join(["line"] * 40) + "]"
    doc = pdf(
        "#show figure: set block(breakable: true)\n"
        f"#figure(table(columns: 2, table.header([Name], [Value]), {tall}),"
        " caption: [One tall row])\n"
    )
    assert ("table row split across pages") in {f.kind for f in check_pdf(doc)}
    # the templates' rule keeps each row whole
    kept = pdf(
        "#set table.cell(breakable: false)\n#show figure: set block(breakable: true)\n"
        f"#figure(table(columns: 2, table.header([Name], [Value]), [Row], [1], {tall}),"
        " caption: [One tall row])\n"
    )
    assert "table row split across pages" not in {f.kind for f in check_pdf(kept)}


def test_page_images_have_stable_names(pdf, tmp_path):
    doc = pdf("= One\nText.\n#pagebreak()\n= Two\nText.\n")
    folder = tmp_path / "shots"
    (folder).mkdir()
    (folder / "doc-p009.png").write_bytes(b"stale")
    made = page_images(doc, folder, "doc", dpi=30)
    assert [p.name for p in made] == ["doc-p001.png", "doc-p002.png"]
    assert sorted(p.name for p in folder.iterdir()) == ["doc-p001.png", "doc-p002.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in made)


def test_page_images_and_ink_rows_share_one_renderer(pdf, monkeypatch):
    """Both read pages from `_rendered_pages` (one pdftoppm call each): one image per page, in
    page order, in either format; replacing it changes what both see."""
    from wfscc import layoutcheck
    from wfscc.layoutcheck import _pages

    doc = pdf("= One\nText.\n#pagebreak()\n= Two\nText.\n#pagebreak()\n= Three\n")
    for fmt, magic in (("png", b"\x89PNG"), ("gray", b"P5")):
        with _pages._rendered_pages(doc, 20, fmt) as images:
            assert [int(p.stem[2:]) for p in images] == [1, 2, 3]
            assert all(p.read_bytes().startswith(magic) for p in images)
    assert len(layoutcheck.ink_rows(doc)) == 3
    calls = []
    real = _pages._rendered_pages

    def counting(pdf_path, dpi, fmt):
        calls.append(fmt)
        return real(pdf_path, dpi, fmt)

    monkeypatch.setattr(_pages, "_rendered_pages", counting)
    monkeypatch.setattr(layoutcheck, "_rendered_pages", counting)
    layoutcheck.ink_rows(doc)
    layoutcheck.page_images(doc, doc.parent / "shots", "doc", dpi=20)
    assert calls == ["gray", "png"]


NARROW = (
    "#figure(table(columns: (40%, 10%, 10%, 40%), align: (left, center, center, left), "
    "table.header([Area], [Baseline (2009)], [Respondents], [Wave two (2011)]), "
    "[Pilot areas], [three per cent], [620], [14 per cent]), caption: [Narrow columns], "
    "kind: table)\n"
)
TABLE_STYLE = '#show table.cell.where(y: 0): set text(weight: "bold")\n'


def test_a_word_too_wide_for_its_column_runs_into_the_next_cell(pdf):
    """Table 7.1's fault: a header word wider than its fixed column printed into (or over) the
    next cell."""
    faults = check_pdf(pdf(TABLE_STYLE + NARROW, PREAMBLE.replace('"a6"', '"a5"')))
    assert faults
    assert {f.kind for f in faults} <= {"table cells run together", "words overprint"}
    assert any("Respondents" in f.detail or "Baseline" in f.detail for f in faults)


def test_the_templates_wfscc_table_keeps_every_word_in_its_cell(pdf, repo_root):
    """The templates' `wfscc-table` (the engine writes every table through it) sets the same
    table, and a claims-like table of long code words, with no fault; the table of 40 rows still
    breaks across pages with its header repeated."""
    tables = (repo_root / "src/wfscc/render/templates/tables.typ").read_text(encoding="utf-8")
    claims = (
        "#figure(table(columns: 3, table.header([Claim], [Facts], [Rule]), "
        "[`att_aspiration_did_significance`], [`att_aspiration_did`, `wfscc.analysis.survey`], "
        "[significance]), caption: [Claims], kind: table)\n"
    )
    body = (NARROW + claims + long_table()).replace("#figure(table(", "#figure(wfscc-table(")
    doc = pdf(tables + TABLE_STYLE + body, PREAMBLE.replace('"a6"', '"a5"'))
    assert len(read_pages(doc)) >= 2
    assert check_pdf(doc) == []


def test_words_in_the_right_margin(pdf):
    doc = pdf(
        "A line of text from margin to margin, long enough to wrap once over.\n"
        "#place(top + left, dx: 74mm, dy: 30mm)[Margin]\n"
    )
    assert kinds(doc) == [(1, "into the margin")]


def test_dots_of_a_leader_may_touch_but_not_words(pdf):
    doc = pdf(
        "#place(top + left, dy: 10mm)[. . .]\n#place(top + left, dy: 10mm, dx: 0.3mm)[. . .]\n"
        "#place(top + left, dy: 30mm)[Text]\n#place(top + left, dy: 30mm, dx: 0.3mm)[. . .]\n"
    )
    faults = check_pdf(doc)
    assert faults and {f.kind for f in faults} == {"words overprint"}
    assert all("Text" in f.detail for f in faults)


FIGURE = '#figure(rect(width: 60mm, height: 100mm), alt: "A box", caption: [A tall chart])\n'
NOTES = "Note: what the bars show.\n\nBase: all starts.\n\nSource: management information.\n"


def test_a_note_parted_from_its_figure_is_found(pdf):
    """A figure filling the page pushes its Base and Source lines to the next page."""
    doc = pdf("= One\n" + "Words. " * 40 + "\n" + FIGURE + NOTES)
    parted = [f for f in check_pdf(doc) if f.kind == "note parted from its table or figure"]
    assert len(parted) == 1 and parted[0].page >= 2
    assert any(f"'{start}" in parted[0].detail for start in ("Note:", "Base:", "Source:"))


def test_notes_kept_with_their_figure_are_no_fault(pdf):
    doc = pdf("= One\n" + "Words. " * 40 + "\n#block(breakable: false)[\n" + FIGURE + NOTES
              + "]\n")
    assert "note parted from its table or figure" not in {f.kind for f in check_pdf(doc)}
