"""The publication in DWP research report form (issue 16), read from the full build of the shipped
data: the title page and its verso, the front and back matter, the lists of tables and figures,
build information on the site only, the authors on every page and the Research Summary first in
the navigation. Each test names the defect whose return it catches.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]

REPO = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
PUB = CONFIG["wfscc"]["publication"]
BOOK = CONFIG["book"]
LABEL = re.compile(r"^(Table|Figure) [A-Z0-9]+\.\d+:")
# typographic quotes and non-breaking spaces as a reader sees them, made plain for comparison
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u2060": ""})


def _plain(text: str) -> str:
    return " ".join(text.translate(PLAIN).split())


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of *pdf* (poppler's pdftotext), spaces collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [_plain(page) for page in out.split("\f")]


def main_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("main")


@pytest.fixture(scope="module")
def report_pages(site: Path) -> list[str]:
    return pdf_pages(site / "report.pdf")


def test_the_title_page_and_verso_carry_the_publication_particulars(report_pages):
    """Defect: no title verso (report number, ISBN, disclaimer, copyright, licence)."""
    title, verso = report_pages[0], report_pages[1]
    assert _plain(BOOK["title"]) in title
    assert all(author in title for author in BOOK["author"])
    assert f"No {PUB['number']}" in title and BOOK["date"] in title
    for item in (f"ISBN {PUB['isbn']}", PUB["copyright"], PUB["licence"],
                 f"First published {BOOK['date']}", f"{PUB['series']} No {PUB['number']}"):
        assert item in verso, item
    assert "not necessarily" in verso and PUB["publisher"] in verso  # the disclaimer


def test_the_pdfs_carry_one_line_of_provenance_and_nothing_else_of_the_build(site, report_pages):
    """Defect: build material in the publication (changes since the previous build, the claims
    check, the table of facts by module, the QA log)."""
    text = " ".join(report_pages)
    for words in ("Changes since the previous build", "No claims were checked", "Claims check",
                  "Quality assurance log", "Number check", "How this build was checked",
                  "no previous build"):
        assert words not in text, words
    summary = " ".join(pdf_pages(site / "summary.pdf"))
    assert "Claims check" not in summary and "Changes since the previous build" not in summary
    # the provenance: on the verso only, one line of it
    with_commit = [i for i, page in enumerate(report_pages) if "Git commit:" in page]
    assert with_commit == [1]
    bbox = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(site / "report.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    start = next(i for i, (_, w) in enumerate(words) if w == "Package")
    lines = {round(float(y)) for y, _ in words[start:]}
    assert len(lines) == 1, f"the provenance takes {len(lines)} lines"


def test_the_build_information_is_on_the_site(site):
    """The QA log, the changes and the number check moved to "About this build" on the site."""
    nav = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    parts = [_plain(p.get_text()) for p in nav.select("nav.book-nav .nav-part")]
    assert parts[-1] == "About this build"
    about = nav.select("nav.book-nav > ul > li")[-1]
    assert [a["href"] for a in about.select("ul a")] == [
        "about-build.html", "changes.html", "number-check.html"]
    log = _plain(main_of(site / "about-build.html").get_text(" "))
    assert "Claims check" in log and "Data validation" in log
    annex_b = _plain(main_of(site / "annex-b-technical.html").get_text(" "))
    assert "Claims check" not in annex_b and "Data validation" not in annex_b


def test_front_and_back_matter_are_in_the_report_in_order(report_pages):
    """Defect: no contents, lists, acknowledgements, authors, abbreviations, glossary, summary
    chapter or references."""
    starts = {}
    wanted = ["Contents", "Tables and figures", "Acknowledgements", "The authors",
              "Abbreviations", "Glossary", "Summary", "1 Introduction", "References",
              "Annex A: Local authority profiles"]
    for i, page in enumerate(report_pages):
        for heading in wanted:
            if heading not in starts and page.startswith(heading):
                starts[heading] = i
    assert list(starts) == wanted, f"front matter found in this order: {list(starts)}"
    abbreviations = report_pages[starts["Abbreviations"]]
    for short in ("LA", "MI", "PA", "JCP", "IES", "DiD"):
        assert re.search(rf"\b{short}\b", abbreviations), short
    glossary = " ".join(report_pages[starts["Glossary"]:starts["Summary"]]).lower()
    for term in ("non-traditional customer", "potential second earner", "better-off calculation",
                 "bedding in"):
        assert term in glossary, term
    references = report_pages[starts["References"]]
    assert "Interim Report" in references and "Baseline Report" in references
    annex_a = report_pages[starts["Annex A: Local authority profiles"]]
    assert len(annex_a.split()) > 40, "the Annex A divider page is empty"


def _numbered_captions(site: Path, pages: list[str]) -> list[str]:
    found = []
    for name in pages:
        main = main_of(site / name)
        for cap in main.select("figcaption, caption"):
            text = _plain(cap.get_text(" "))
            if LABEL.match(text):
                found.append(text.split(":")[0])
    return found


def test_the_lists_of_tables_and_figures_list_every_numbered_caption(site, report_pages):
    """Defect: no lists of tables and figures; every numbered table and figure is listed, on the
    site and in the PDF."""
    lists = main_of(site / "lists.html")
    headings = [_plain(h.get_text()) for h in lists.find_all("h2")]
    assert headings == ["List of tables", "List of figures"]
    listed = [_plain(a.get_text()).split(":")[0] for a in lists.select("li a")]
    in_book = [a["href"].split("#")[0] for a in BeautifulSoup(
        (site / "index.html").read_text(encoding="utf-8"), "html.parser").select("nav a")]
    pages = [p for p in in_book if p not in ("summary.html", "lists.html")]
    captions = _numbered_captions(site, pages)
    assert captions, "no numbered captions found"
    assert sorted(listed) == sorted(captions)
    assert any(x.startswith("Table") for x in listed) and any(
        x.startswith("Figure") for x in listed)
    start = next(i for i, p in enumerate(report_pages) if p.startswith("Tables and figures"))
    pdf_lists = " ".join(report_pages[start:start + 3])
    body = " ".join(report_pages[start + 3:])
    pdf_captions = sorted(set(re.findall(r"(?:Table|Figure) [A-Z0-9]+\.\d+(?=:)", body)))
    assert pdf_captions, "no numbered captions in the PDF"
    missing = [c for c in pdf_captions if c + ":" not in pdf_lists]
    assert not missing, f"not in the PDF's lists: {missing}"


def test_the_site_names_the_authors_and_the_report_on_every_page(site):
    """Defect: the HTML never names the authors."""
    for name in ("index.html", "01-introduction.html", "profiles/P01.html"):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        byline = _plain(soup.select_one("header .site-byline").get_text())
        assert all(a in byline for a in BOOK["author"]), name
        assert f"No {PUB['number']}" in byline
        footer = _plain(soup.select_one("footer").get_text(" "))
        assert f"ISBN {PUB['isbn']}" in footer and PUB["licence"] in footer
    authors = _plain(main_of(site / "authors.html").get_text(" "))
    assert all(a in authors for a in BOOK["author"])


def test_the_research_summary_comes_first_in_the_navigation(site):
    """Defect: the Research Summary was last in the navigation, while the preface says to start
    there."""
    preface = _plain(main_of(site / "index.html").get_text(" "))
    assert "Start there" in preface
    for name in ("index.html", "05-engagement.html"):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        first = soup.select_one("nav.book-nav a")
        assert first["href"].endswith("summary.html") and "00-" not in first["href"], name
        assert _plain(first.get_text()) == "Research summary"


def test_the_number_check_still_finds_the_report_pdf_pages(site):
    """The front matter, the part page and the site-only build part must not throw the Number
    check's PDF page finding out of step with the PDF's bookmarks."""
    with (site / "data" / "number-check.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "cited fact"]
    in_chapters = [r for r in rows if "03-adviser-role.html" in r["pages"].split()]
    assert in_chapters and all("report p" in r["pdf_pages"] for r in in_chapters)
    # pages before the Annex A part page and after it (Annex B follows the part's profiles)
    for page in ("00-summary.html", "annex-b-technical.html"):
        cited = [r for r in rows if page in r["pages"].split()]
        assert cited and all("report p" in r["pdf_pages"] for r in cited), page
