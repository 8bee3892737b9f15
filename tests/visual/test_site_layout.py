"""Every page of the built site at 1280 px (a desktop) and 375 px (a phone) in Debian's chromium:
nothing scrolls sideways or reaches past the window (a table may scroll inside its own
.table-wrap), and no two blocks of text or pictures overlap. Full-page screenshots are kept in
`_build/screenshots/` (site-desktop-index.png, site-phone-profiles-P01.png …)."""

from __future__ import annotations

import pytest
from _sitelayout import LAYOUT_JS, WIDTHS, shot_name, site_pages

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad layout</title>
<style>body{margin:0;font:16px sans-serif} .wide{width:1400px}
.up{margin-top:-2.2em} .wrap{overflow-x:auto} .wrap table{width:1400px}</style></head><body>
<main><p>A first paragraph of words on the page.</p><p class="up">A paragraph set over it.</p>
<div class="wrap"><table>CAPTION<tr><td>a table that scrolls in its own box</td></tr></table></div>
<p>LONGWORD</p>
<div class="wide">A block wider than a phone.</div></main></body></html>"""
GOOD_PAGE = (
    BAD_PAGE.replace('class="up"', "")
    .replace('class="wide"', "")
    .replace("LONGWORD", "a word")
    .replace("CAPTION", "<caption style='max-width: 90vw'>Table 1: " + "words " * 60 + "</caption>")
)
BAD_PAGE = BAD_PAGE.replace("LONGWORD", "a" + "very" * 60 + "longwordthatcannotwrap").replace(
    "CAPTION", "<caption>Table 1: " + "words " * 60 + "</caption>"
)


@pytest.mark.parametrize("width", WIDTHS.values())
def test_the_check_finds_overflow_and_overlap(browser, width):
    """The measuring script finds what it must, on a page made to fail, and nothing on the same
    page made right (the table that scrolls in its own box is allowed)."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    try:
        page.set_content(BAD_PAGE)
        found = page.evaluate(LAYOUT_JS)
        assert found["scroll"] > 0
        assert any("div.wide" in w for w in found["wide"])
        assert any("averyveryvery" in w for w in found["wide"])
        assert not any("td" in w or "table" in w for w in found["wide"])
        assert any("A first paragraph" in o and "set over it" in o for o in found["overlaps"])
        assert any("Table 1: words" in c for c in found["clipped"])
        page.set_content(GOOD_PAGE)
        assert page.evaluate(LAYOUT_JS) == {"scroll": 0, "wide": [], "overlaps": [], "clipped": []}
    finally:
        page.close()


def _problems(where: str, found: dict) -> list[str]:
    problems = []
    if found["scroll"] > 0:
        problems.append(f"{where}: the page scrolls sideways by {found['scroll']}px")
    problems += [f"{where}: past the window: {w}" for w in found["wide"]]
    problems += [f"{where}: {o}" for o in found["overlaps"]]
    return problems + [f"{where}: caption cut off: {c}" for c in found["clipped"]]


TRACE_ON = """() => {
  const toggle = document.getElementById('trace-toggle');
  if (!toggle) return false;
  if (toggle.getAttribute('aria-pressed') !== 'true') toggle.click();
  document.querySelectorAll('.fact-trace').forEach(b => b.click());
  return true;
}"""
TRACE_OFF = """() => {
  const toggle = document.getElementById('trace-toggle');
  if (toggle && toggle.getAttribute('aria-pressed') === 'true') toggle.click();
}"""


@pytest.mark.xdist_group("built_site")
@pytest.mark.parametrize("label", WIDTHS)
def test_no_page_overflows_or_overlaps(built_site, server, browser, shots, label):
    """Each page as it opens (its "Show the data" panels open, as a reader opens them), and again
    with "Show where numbers come from" on and every number's source panel open."""
    width = WIDTHS[label]
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    names = site_pages(built_site)
    traced = 0
    try:
        for name in names:
            page.goto(f"{server}/{name}", wait_until="load")
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            problems += _problems(name, page.evaluate(LAYOUT_JS))
            page.screenshot(path=str(shots / shot_name(name, label)), full_page=True)
            if page.evaluate(TRACE_ON):
                traced += 1
                problems += _problems(f"{name} (sources shown)", page.evaluate(LAYOUT_JS))
                page.evaluate(TRACE_OFF)
    finally:
        page.close()
    assert len(names) >= 20 and traced >= 10
    assert not problems, f"{label} ({width}px), screenshots in {shots}:\n" + "\n".join(problems)
