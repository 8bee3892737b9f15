"""The published PDFs (report.pdf, summary.pdf) of the full build, read the way assistive
technology reads them: a tagged PDF/UA-1 file with a title shown in the window, language
en-GB, bookmarks, and alt text on every figure of its structure tree."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pikepdf
import pytest
from _site import placeholder_alt, site_pages

from wfscc.render._project import load_book

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]

PDFS = ["report", "summary"]
# Typst writes bookmarks with straight quotes where the page shows typographic ones.
STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _plain(text: str) -> str:
    return " ".join(text.split()).translate(STRAIGHT)


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, bool]]:
    """(depth, title, has a destination) for every bookmark, in order."""
    items: list[tuple[int, str, bool]] = []

    def visit(nodes, depth):
        for node in nodes:
            items.append((depth, _plain(node.title),
                          node.destination is not None or node.action is not None))
            visit(node.children, depth + 1)

    with pdf.open_outline() as tree:
        visit(tree.root, 0)
    return items


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element under /StructTreeRoot, depth first."""
    out: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            if "/S" in node and node.get("/Type", pikepdf.Name.StructElem) == "/StructElem":
                out.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.get("/K"))
    return out


class _Page(html.parser.HTMLParser):
    """The <h1> and heading texts and the image alt texts of a site page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.alts: list[str] = []
        self._in: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4"):
            self._in, self._text = int(tag[1]), []
        elif tag == "img":
            self.alts.append(" ".join((dict(attrs).get("alt") or "").split()))

    def handle_data(self, data):
        if self._in is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._in is not None and tag == f"h{self._in}":
            self.headings.append(_plain("".join(self._text)))
            self._in = None


def _read_page(site: Path, name: str) -> _Page:
    parser = _Page()
    parser.feed((site / name).read_text(encoding="utf-8"))
    return parser


def _report_pages(site: Path) -> list[str]:
    """The site pages that are chapters of the report: all but the summary and the site-only
    pages (the "About this build" part, `wfscc.build-part` of _quarto.yml, and the Number check,
    which `wfscc-site-only` keeps out of the PDF)."""
    book = load_book(Path(__file__).resolve().parents[2])
    site_only = {str(c.html) for c in book.chapters if c.site_only} | {"number-check.html"}
    assert "changes.html" in site_only and "about-build.html" in site_only
    return [p for p in site_pages(site) if p != "summary.html" and p not in site_only]


@pytest.mark.parametrize("name", PDFS)
def test_pdf_is_tagged_pdf_ua_with_title_and_language(site, name):
    with pikepdf.open(site / f"{name}.pdf") as pdf:
        root = pdf.Root
        assert "/MarkInfo" in root and bool(root.MarkInfo.get("/Marked")) is True
        assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
        assert str(root.get("/Lang")) == "en-GB"
        assert bool(root.ViewerPreferences.get("/DisplayDocTitle")) is True
        with pdf.open_metadata() as xmp:
            assert str(xmp.get("pdfuaid:part")) == "1", "no PDF/UA-1 identification in XMP"
            xmp_title = str(xmp.get("dc:title") or "")
            assert "en-GB" in set(xmp.get("dc:language") or ())
        info_title = str(pdf.docinfo.get("/Title", ""))
        assert len(xmp_title.split()) >= 3 and xmp_title == info_title, (xmp_title, info_title)
        assert outline(pdf), "no bookmarks"


@pytest.mark.parametrize("name", PDFS)
def test_every_pdf_figure_has_the_sites_alt_text(site, name):
    """Each /Figure element has a real /Alt, and the PDF's figures carry the same alt texts as
    the site's images: no figure dropped, untagged or described differently."""
    with pikepdf.open(site / f"{name}.pdf") as pdf:
        figures = [el for el in structure(pdf) if el.S == "/Figure"]
        alts = [" ".join(str(el.get("/Alt", "")).split()) for el in figures]
    missing = [i for i, alt in enumerate(alts, 1) if not alt]
    assert not missing, f"{name}.pdf: figures without /Alt (by order): {missing}"
    placeholders = [why for alt in alts if (why := placeholder_alt(alt))]
    assert not placeholders, f"{name}.pdf: {placeholders}"
    pages = ["summary.html"] if name == "summary" else _report_pages(site)
    on_site = [alt for page in pages for alt in _read_page(site, page).alts]
    assert sorted(alts) == sorted(on_site)
    assert alts, f"{name}.pdf has no figures"


def test_report_has_a_bookmark_for_every_chapter(site):
    with pikepdf.open(site / "report.pdf") as pdf:
        marks = outline(pdf)
    titles = [title for _, title, _ in marks]
    chapters = {page: _read_page(site, page).headings[0] for page in _report_pages(site)}
    missing = {page: h1 for page, h1 in chapters.items() if h1 not in titles}
    assert not missing, f"chapters without a bookmark: {missing}; bookmarks: {titles}"
    assert len(chapters) >= 20
    top = [title for depth, title, _ in marks if depth == 0]
    assert len(top) >= 11, top  # preface, eight chapters and the annexes
    assert all(has_target for *_, has_target in marks), "bookmarks that lead nowhere"


def test_summary_bookmarks_are_its_headings(site):
    with pikepdf.open(site / "summary.pdf") as pdf:
        marks = outline(pdf)
    headings = set(_read_page(site, "summary.html").headings)
    assert len(marks) >= 3
    assert [t for _, t, _ in marks if t not in headings] == []
    assert all(has_target for *_, has_target in marks)
