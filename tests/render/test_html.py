"""The HTML site rendered from the fixture book."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.slow

PAGES = ["index.html", "01-introduction.html", "02-findings.html", "profiles/P01.html",
         "annex-b-technical.html", "summary.html"]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(text: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


def read(rendered, page: str) -> str:
    return (rendered[0] / page).read_text(encoding="utf-8")


def test_one_page_per_chapter(rendered):
    out, result = rendered
    assert sorted(p.relative_to(out).as_posix() for p in result.html_pages) == sorted(PAGES)
    assert result.warnings == []


@pytest.mark.parametrize("page", PAGES)
def test_landmarks_and_accessibility_basics(rendered, page):
    text = read(rendered, page)
    found = tags(text)
    names = [t for t, _ in found]
    assert '<html lang="en-GB">' in text
    assert re.search(r"<title>[^<]+</title>", text)
    for landmark in ("header", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    assert ("main", {"id": "main", "tabindex": "-1", "data-pagefind-body": None}) in found
    assert 'class="skip-link" href="#main"' in text
    navs = [a for t, a in found if t == "nav"]
    assert all(a.get("aria-label") for a in navs) and len(navs) == 2
    assert ("div", {"id": "search"}) in found
    assert ("div", {"class": "search-box", "role": "search",
                    "aria-labelledby": "search-label"}) in found
    for tag, attrs in found:
        if tag == "img":
            assert attrs.get("alt", "").strip(), attrs
        if tag in ("script", "img", "link"):
            url = attrs.get("src") or attrs.get("href") or ""
            assert not re.match(r"(https?:)?//", url), url  # no requests to the internet
    assert "mathjax" not in text.lower()


def test_nav_marks_the_current_page(rendered):
    text = read(rendered, "profiles/P01.html")
    assert '<a href="../profiles/P01.html" aria-current="page">Pilot area 1</a>' in text
    assert text.count('aria-current="page"') == 1
    assert '<span class="nav-part">Annex A: Local authority profiles</span>' in text
    assert 'href="../assets/wfscc.css"' in text


def test_footer_shows_provenance(rendered):
    text = read(rendered, "02-findings.html")
    footer = text[text.index("<footer"):]
    for value in ("0.1.0", "abc1234def", "sha256:5eed", "2024-05-01 12:00 UTC"):
        assert value in footer
    assert "<dt>Git commit</dt>" in footer


def test_variables_and_includes_are_substituted(rendered):
    text = read(rendered, "01-introduction.html")
    # each cited fact is marked with its name (issue 18)
    assert ('Take-up rose from <span data-fact="takeup_wave1_pilot_pct">14 per cent</span> to '
            '<span data-fact="takeup_wave2_pilot_pct">31 per cent</span>') in text
    assert ('An included sentence says take-up reached '
            '<span data-fact="takeup_wave2_pilot_pct">31 per cent</span>.') in text
    assert "{{<" not in text


def test_numbering_and_cross_references(rendered):
    intro = read(rendered, "01-introduction.html")
    assert '<span class="chapter-number">1</span> Introduction</h1>' in intro
    assert '<span class="header-section-number">1.2</span> The evaluation' in intro
    assert '<a href="#fig-takeup" class="xref">Figure 1.1</a>' in intro
    assert '<span class="figure-label">Table 1.1:</span> Pilot starts by wave' in intro
    assert '<a href="profiles/P01.html#tbl-p01" class="xref">Table A.1</a>' in intro
    assert '<a href="02-findings.html">the findings</a>' in intro
    findings = read(rendered, "02-findings.html")
    assert '<a href="01-introduction.html#fig-takeup" class="xref">Figure 1.1</a>' in findings
    assert '<span class="figure-label">Figure 2.1:</span>' in findings
    assert "Annex B: Technical annex" in read(rendered, "annex-b-technical.html")
    assert "Table B.1" in read(rendered, "annex-b-technical.html")
    assert '<a href="#fig-sum" class="xref">Figure 1</a>' in read(rendered, "summary.html")


def test_callouts_and_page_breaks(rendered):
    intro = read(rendered, "01-introduction.html")
    assert '<div class="callout callout-note" role="note">' in intro
    assert '<p class="callout-title">About the data</p>' in intro
    assert '<div class="page-break" aria-hidden="true"></div>' in intro
    assert '<p class="callout-title">Reading the charts</p>' in read(rendered, "02-findings.html")


def test_notebook_chart_has_data_and_table(rendered):
    out, _ = rendered
    text = read(rendered, "profiles/P01.html")
    img = [a for t, a in tags(text) if t == "img"]
    assert img[0]["alt"].startswith("Line chart of starts by month")
    assert re.fullmatch(r"\.\./assets/img-[0-9a-f]{16}\.png", img[0]["src"])
    assert "<summary>Show the data" in text
    csv = re.search(r'href="\.\./(assets/data-[0-9a-f]{16}\.csv)" download', text).group(1)
    assert (out / csv).read_text().startswith("month,starts")
    assert '<table id="tbl-p01">' in text and "Job entries" in text
    assert '<th scope="col">Measure</th>' in text
    assert 'class="table-wrap" role="region" tabindex="0"' in text


def test_assets_and_search_bundle(rendered):
    out, _ = rendered
    for name in ("assets/wfscc.css", "assets/search.js", "pagefind/pagefind-ui.js",
                 "pagefind/pagefind-ui.css", "pagefind/pagefind-entry.json"):
        assert (out / name).is_file(), name
    css = (out / "assets/wfscc.css").read_text()
    assert "@media print" in css and "@import" not in css and "url(" not in css
