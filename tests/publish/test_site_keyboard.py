"""The site with a keyboard only: Tab from the top of the home page reaches the search box, and
on a chapter page every link and control can be reached by Tab, each shown on screen when it
has focus."""

from __future__ import annotations

import pytest
from _site import chapter_pages, wait_for_search

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("built_site")]

FOCUSABLE = ("a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, "
             "iframe, [tabindex]:not([tabindex='-1']), [contenteditable='true']")

# Give every focusable element a number, so that what Tab focuses can be named.
MARK = """selector => {
  const visible = el => {
    if (el.closest('details:not([open]) > :not(summary)')) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return el.getClientRects().length > 0;
  };
  const out = [];
  document.querySelectorAll(selector).forEach((el, i) => {
    if (el.disabled || !visible(el)) return;
    el.dataset.kbd = String(i);
    out.push({id: String(i), tag: el.tagName.toLowerCase(),
              text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim()
                      .slice(0, 60),
              href: el.getAttribute('href') || ''});
  });
  return out;
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  return {id: el.dataset.kbd || null, tag: el.tagName.toLowerCase(),
          cls: el.className || '', search: el.matches('.pagefind-ui__search-input'),
          onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
                    r.top < innerHeight && r.left < innerWidth};
}"""


def _tab_through(page, limit: int, until=None) -> list[dict | None]:
    """Press Tab from the top of the page until focus comes back round, *until* (a test on the
    focused element) holds, or *limit* presses."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    seen: list[dict | None] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if seen and active is not None and active["id"] is not None and \
                active["id"] == next((s["id"] for s in seen if s), None):
            break  # wrapped round to the first element
        seen.append(active)
        if until is not None and active is not None and until(active):
            break
    return seen


def test_tab_from_top_of_home_page_reaches_search_box(server, page, offline):
    page.goto(f"{server}/index.html")
    wait_for_search(page)
    presses = _tab_through(page, limit=15, until=lambda active: active["search"])
    steps = [s for s in presses if s is not None]
    where = next((i for i, s in enumerate(steps) if s["search"]), None)
    assert where is not None, f"Tab never reached the search box; focused: {steps}"
    assert where <= 5, f"the search box is Tab stop {where + 1}; before it: {steps[:where]}"
    assert steps[0]["cls"] == "skip-link" and steps[0]["onScreen"], steps[0]
    page.keyboard.type("lone parents")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("pagefind-ui__")
    assert offline.outside == []


def test_skip_link_moves_focus_to_main(server, page):
    page.goto(f"{server}/index.html")
    wait_for_search(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _busiest_chapter(site) -> str:
    """The chapter page with the most links and controls (charts with data panels, tables)."""
    def weight(name: str) -> tuple[int, str]:
        text = (site / name).read_text(encoding="utf-8")
        return (text.count("<a ") + text.count("<summary") + text.count('tabindex="0"'), name)

    return max(chapter_pages(site), key=weight)


def test_every_link_on_a_chapter_page_is_reachable_by_tab(site, server, page, offline):
    name = _busiest_chapter(site)
    page.goto(f"{server}/{name}")
    wait_for_search(page)
    # A reader opens the "Show the data" panels with the keyboard: open them all first, so the
    # CSV links and the data tables inside count too.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    targets = page.evaluate(MARK, FOCUSABLE)
    assert len([t for t in targets if t["tag"] == "a"]) >= 20, targets
    assert any(t["tag"] == "summary" for t in targets), f"{name} has no data panel"
    presses = _tab_through(page, limit=len(targets) + 40)
    reached = {s["id"] for s in presses if s and s["id"]}
    missed = [t for t in targets if t["id"] not in reached]
    assert not missed, f"{name}: not reachable by Tab: {missed}"
    hidden = [s for s in presses if s and not s["onScreen"]]
    assert not hidden, f"{name}: focused but off screen: {hidden}"
    assert offline.outside == []
