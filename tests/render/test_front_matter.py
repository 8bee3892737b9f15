"""The report's form in the built-in engine (issue 16): Quarto part pages (`part: file.qmd`), the
site-only build part (`wfscc.build-part`), the lists of tables and figures, and the title page
and verso from `wfscc.publication`."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from render_support import PROVENANCE, TIMESTAMP

from wfscc.render import render_book
from wfscc.render._project import RenderError, load_book

PUBLICATION = """
wfscc:
  build-part: "About this build"
  publication:
    series: DWP Research Report
    number: 999
    isbn: 978 0 000000 00 0
    publisher: Department for Testing
    copyright: © Crown copyright 2011
    licence: Open Government Licence
    licence-url: https://www.nationalarchives.gov.uk/doc/open-government-licence/
"""


def _form(book: Path) -> Path:
    """The fixture book with a part page for Annex A, a build part, lists and particulars."""
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('    - part: "Annex A: Local authority profiles"\n',
                        "    - part: report/annex-a.qmd\n")
    text = text.replace("    - report/02-findings.qmd\n",
                        "    - report/02-findings.qmd\n    - report/lists.qmd\n")
    text = text.replace("    - report/annex-b-technical.qmd\n",
                        "    - report/annex-b-technical.qmd\n"
                        '    - part: "About this build"\n      chapters:\n'
                        "        - report/build-log.qmd\n")
    config.write_text(text + PUBLICATION, encoding="utf-8")
    (book / "report" / "annex-a.qmd").write_text(
        "# Annex A: Local authority profiles {#profiles}\n\nOne profile for each pilot area.\n",
        encoding="utf-8")
    (book / "report" / "lists.qmd").write_text(
        "# Tables and figures {.unnumbered}\n\n## List of tables {#list-of-tables}\n\n"
        "## List of figures {#list-of-figures}\n", encoding="utf-8")
    (book / "report" / "build-log.qmd").write_text(
        "# Build log\n\nEvery check the build ran passed.\n", encoding="utf-8")
    return book


def test_a_part_page_heads_its_part_and_gives_it_its_title(book):
    loaded = load_book(_form(book))
    by_page = {str(c.html): c for c in loaded.chapters}
    part = by_page["annex-a.html"]
    assert part.part_page and part.appendix
    assert part.part == "Annex A: Local authority profiles" == by_page["profiles/P01.html"].part
    assert loaded.parts[0] == "Annex A: Local authority profiles"
    assert [c.html.name for c in loaded.chapters].index("annex-a.html") < [
        c.html.name for c in loaded.chapters].index("P01.html")
    assert by_page["build-log.html"].site_only
    assert not any(c.site_only for c in loaded.chapters if c.html.name != "build-log.html")
    assert loaded.publication["number"] == "999"  # a YAML number, read as text


def test_a_missing_part_page_is_named(book):
    _form(book)
    (book / "report" / "annex-a.qmd").unlink()
    with pytest.raises(RenderError, match=r"part page 'report/annex-a.qmd' does not exist"):
        load_book(book)


@pytest.mark.slow
def test_the_report_has_its_form_and_the_build_part_is_on_the_site_only(book, tmp_path):
    out = tmp_path / "site"
    render_book(_form(book), out, timestamp=TIMESTAMP, provenance=PROVENANCE)
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out / "report.pdf").pages]
    text = " ".join(pages)
    # title page and verso
    assert "DWP Research Report No 999" in pages[0] and "Ada Example and Ben Sample" in pages[0]
    assert "ISBN 978 0 000000 00 0" in pages[1] and "© Crown copyright 2011" in pages[1]
    assert "Open Government Licence" in pages[1] and "not necessarily" in pages[1]
    assert "Git commit: abc1234def" in pages[1]
    assert not any("abc1234def" in page for i, page in enumerate(pages) if i != 1)
    # the part page's own text, under the part's heading, once
    assert "One profile for each pilot area." in text
    assert text.count("Annex A: Local authority profiles") == 2  # contents and the page
    # the build part: on the site, not in the PDF
    assert "Every check the build ran passed." not in text and "Build log" not in text
    assert "Every check the build ran passed." in (out / "build-log.html").read_text()
    # the lists, in the PDF (Typst's outline, with page numbers) and on the site (links)
    lists = next(p for p in pages if p.startswith("Tables and figures"))
    for label in ("Table 1.1: Pilot starts by wave", "Table B.1: Survey weights",
                  "Figure 1.1: Take-up of Jobcentre Plus services by wave", "Figure 2.1:"):
        assert label in lists, label
    site = (out / "lists.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">((?:Table|Figure) [^<]+)</a>', site)
    assert ("01-introduction.html#tbl-starts", "Table 1.1: Pilot starts by wave") in links
    # every numbered table and figure, the profile's too (Annex A), in book order
    assert [t.split(":")[0] for _, t in links] == [
        "Table 1.1", "Table A.1", "Table B.1", "Figure 1.1", "Figure 2.1", "Figure A.1"]
    assert "#fig-sum" not in site  # the Research Summary's own figure is not the report's
    # the navigation: the summary first, the part's title links to its page
    nav = re.search(r'<nav class="book-nav".*?</nav>', (out / "index.html").read_text(), re.S)
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert links[0] == "summary.html"
    assert '<a class="nav-part" href="annex-a.html">Annex A: Local authority profiles</a>' in \
        nav.group(0)
    assert "By Ada Example and Ben Sample" in (out / "index.html").read_text()


def test_quarto_pages_get_the_same_lists(book):
    """On the site Quarto rendered, the lists are filled from its pages' numbered floats."""
    from wfscc.render._lists import fill_quarto_lists

    _form(book)
    out = book / "_book"
    (out / "report").mkdir(parents=True)
    float_ = ('<div id="{id}" class="quarto-float quarto-figure anchored">\n<figure>\n'
              '<figcaption class="quarto-float-caption" id="{id}-caption-1">\n'
              "{label}&nbsp;{n}: <span data-fact=\"x\">Take-up</span> by wave\n</figcaption>\n")
    (out / "report" / "01-introduction.html").write_text(
        float_.format(id="tbl-starts", label="Table", n="1.1")
        + float_.format(id="fig-takeup", label="Figure", n="1.1"), encoding="utf-8")
    lists = out / "report" / "lists.html"
    lists.write_text('<section id="list-of-tables" class="level2">\n<h2 class="anchored" '
                     'data-anchor-id="list-of-tables">List of tables</h2>\n</section>\n'
                     '<section id="list-of-figures" class="level2">\n<h2 class="anchored" '
                     'data-anchor-id="list-of-figures">List of figures</h2>\n</section>\n',
                     encoding="utf-8")
    fill_quarto_lists(book, out)
    text = lists.read_text(encoding="utf-8")
    tables, figures = text.split("List of figures")
    assert '<a href="01-introduction.html#tbl-starts">Table 1.1: Take-up by wave</a>' in tables
    assert '<a href="01-introduction.html#fig-takeup">Figure 1.1: Take-up by wave</a>' in figures
    assert "fig-takeup" not in tables
    fill_quarto_lists(book, out)  # a second run adds nothing
    assert lists.read_text(encoding="utf-8") == text
