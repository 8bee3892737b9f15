"""Quarto's report.pdf in the DWP research report form, as the built-in engine's: the title page
and verso with the particulars of `_quarto.yml` (`book:` and `wfscc: publication:`), lists of
tables and figures with an entry per numbered table and figure, no page blank but for its
footer; and the visual check of both PDFs (`wfscc.layoutcheck`)."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from wfscc.layoutcheck import check_pdf

pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]

REPO = Path(__file__).resolve().parents[2]


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def require_tool(pytestconfig):
    """The suite's `require_tool` (tests/conftest.py): skip without the tool, but not in CI."""
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    return root.require_tool


@pytest.fixture(scope="module")
def report_pages(quarto_site: Path, require_tool) -> list[str]:
    require_tool("pdftotext")
    return _page_texts(quarto_site / "report.pdf")


def test_title_page_and_verso_carry_the_publication(report_pages):
    config = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    book, pub = config["book"], config["wfscc"]["publication"]
    title, verso = report_pages[0], report_pages[1]
    assert f"{pub['series']} No {pub['number']}" in title
    assert " ".join(book["title"].split()) in title.replace("’", "'")
    assert " and ".join(book["author"]) in title
    assert book["date"] in title  # "August 2011", not Quarto's ISO date
    assert pub["research-by"] in title
    for value in (f"ISBN {pub['isbn']}", pub["copyright"], pub["licence"], pub["publisher"]):
        assert value in verso, value
    assert "not necessarily shared" in verso
    # the build's one line of provenance, on the verso and nowhere after it
    assert "Build date" in verso
    assert not any("Build date" in page for page in report_pages[2:])


def test_lists_of_tables_and_figures_have_an_entry_per_item(report_pages):
    # the lists' pages run from the one headed "Tables and figures" to "Acknowledgements"; an
    # entry reads "Table 4.1 Caption . . . 24", a caption in the text "Table 4.1: Caption"
    heads = [re.sub(r"^\d+\s+", "", page) for page in report_pages]
    first = next(i for i, page in enumerate(heads) if page.startswith("Tables and figures"))
    last = next(i for i, page in enumerate(heads) if page.startswith("Acknowledgements"))
    lists = " ".join(report_pages[first:last])
    lists = lists[lists.index("List of tables") :]  # after the lists' introduction
    body = " ".join(report_pages[last:])
    for kind in ("Table", "Figure"):
        listed = re.findall(rf"\b{kind} ([A-Z0-9]+\.\d+) ", lists)
        captioned = re.findall(rf"\b{kind} ([A-Z0-9]+\.\d+):", body)
        assert captioned, f"no {kind.lower()} captions numbered like '{kind} 4.1:'"
        assert listed == captioned, (kind, listed, captioned)


def test_no_page_is_blank(quarto_site: Path, report_pages):
    blank = [i + 1 for i, page in enumerate(report_pages) if not re.sub(r"\d+", "", page).strip()]
    assert not blank, f"blank pages in Quarto's report.pdf: {blank}"


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_pdf_is_laid_out_cleanly(quarto_site: Path, require_tool, name):
    require_tool("pdftotext")
    faults = check_pdf(quarto_site / name)
    grouped = defaultdict(list)
    for fault in faults:
        grouped[(fault.page, fault.kind)].append(fault.detail)
    summary = "\n".join(
        f"p. {p}: {k} ({len(d)}x), e.g. {'; '.join(d[:2])}" for (p, k), d in sorted(grouped.items())
    )
    assert not faults, f"Quarto's {name}: layout faults:\n{summary}"


def test_build_information_is_on_the_site_only(quarto_site: Path, report_pages):
    """The `wfscc: build-part:` part (its part page and every chapter in it, the generated
    "Changes since the previous build" too) is left out of report.pdf, as in the built-in
    engine's; the site keeps it."""
    config = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    part = config["wfscc"]["build-part"]
    heads = [re.sub(r"^\d+\s+", "", page) for page in report_pages]
    assert not [h[:60] for h in heads if h.startswith(part)]
    assert not [p[:60] for p in report_pages if "previous build" in p]
    assert (quarto_site / "report" / "changes.html").is_file()
