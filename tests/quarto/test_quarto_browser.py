"""The Quarto site in Debian's chromium: "Show where numbers come from" works with the keyboard
as on the built-in engine's site (panel content as in `facts.json`, axe clean with the panels
on), and Quarto's own search box finds a chapter's words and links to the chapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.quarto,
    pytest.mark.browser,
    pytest.mark.xdist_group("quarto"),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ("report/01-introduction.html", "report/07-outcomes.html", "summary.html")


@pytest.fixture(scope="module")
def browse(quarto_site: Path, static_server, headless_chromium):
    """(base URL of the Quarto site served on 127.0.0.1, a chromium page)."""
    with static_server(quarto_site) as base, headless_chromium() as context:
        yield base, context.new_page()


def _tab_to(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


def _axe(page, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{name}: {v['id']} at {n['target']}: {v['help']}"
        for v in result.response["violations"]
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("name", PAGES)
def test_keyboard_opens_a_number_panel_matching_facts_json(browse, quarto_site, name):
    base, page = browse
    facts = json.loads((quarto_site / "facts.json").read_text(encoding="utf-8"))
    page.goto(f"{base}/{name}")
    page.evaluate("window.localStorage.clear()")
    page.reload()
    toggle = page.locator("#trace-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(".fact-trace").count() == 0  # plain text until switched on
    problems = _axe(page, name + " (off)")
    _tab_to(page, "#trace-toggle")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    first = page.locator("main [data-fact]").first
    fact = first.get_attribute("data-fact")
    _tab_to(page, ".fact-trace")
    button = page.locator(".fact-trace").first
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    assert panel.is_visible()
    text, record = panel.inner_text(), facts[fact]
    assert fact in text and record["text"] in text and record["source"] in text
    if record.get("base") is not None and not record.get("suppressed"):
        assert f"Base: {record['base']}" in text
    # the panel links to the fact's entry on the Number check page, which has it
    href = panel.locator("a").get_attribute("href")
    assert href.split("#")[0].endswith("report/number-check.html"), href
    check = (quarto_site / "report" / "number-check.html").read_text(encoding="utf-8")
    assert f'id="fact-{fact}"' in check
    problems += _axe(page, name + " (on)")
    page.reload()  # remembered per browser
    assert page.locator("#trace-toggle").get_attribute("aria-pressed") == "true"
    page.evaluate("window.localStorage.clear()")
    assert not problems, "\n".join(problems)


def test_quartos_search_box_finds_a_chapter(browse, quarto_site):
    """Quarto's search box (in its sidebar, over `search.json`): a word of a section title
    lists that section first among the chapter's results, and following a result opens it."""
    base, page = browse
    page.goto(f"{base}/index.html")
    assert page.locator("#quarto-search").count() == 1
    page.locator("#quarto-search .aa-Input").first.fill("outreach")
    result = page.locator(".aa-Panel a[href*='05-engagement.html']").first
    result.wait_for(timeout=15000)
    hrefs = [a.get_attribute("href") for a in page.locator(".aa-Panel a").all()]
    assert any("#outreach" in h for h in hrefs if "05-engagement.html" in h), hrefs
    result.click()
    page.wait_for_url("**/report/05-engagement.html**")
    assert "Outreach" in page.locator("main").inner_text()
