"""'Show where numbers come from': on several pages, the keyboard switches the panels on, opens a
cited number's panel and finds the fact's name, what it shows, base and source as `facts.json`
has them; axe finds nothing with the panels off or on; the choice is remembered."""

from __future__ import annotations

import json

import pytest
from test_site_accessibility import _axe_report, _run_axe

pytestmark = pytest.mark.slow
PAGES = ("01-introduction.html", "07-outcomes.html", "summary.html")


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching *selector* has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


@pytest.mark.parametrize("name", PAGES)
def test_keyboard_opens_a_panel_matching_facts_json(site, server, page, offline, name):
    facts = json.loads((site / "facts.json").read_text(encoding="utf-8"))
    page.goto(f"{server}/{name}")
    page.evaluate("window.localStorage.clear()")
    page.reload()
    toggle = page.locator("#trace-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(".fact-trace").count() == 0  # plain text until switched on
    _tab_to(page, "#trace-toggle")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    first = page.locator("main [data-fact]").first
    fact = first.get_attribute("data-fact")
    _tab_to(page, ".fact-trace")
    button = page.locator(".fact-trace").first
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    assert panel.is_visible()
    text = panel.inner_text()
    record = facts[fact]
    assert fact in text and record["text"] in text and record["source"] in text
    if record.get("base") is not None:
        assert f"Base: {record['base']}" in text
    if record.get("suppressed"):
        assert "Base:" not in text
    # pandoc's smart typography curls the apostrophes of a fact's text on the page
    assert first.inner_text().replace("\u2019", "'") == record["text"].replace("\u2019", "'")
    href = panel.locator("a").get_attribute("href")
    assert href.endswith(f"number-check.html#fact-{fact}")
    page.reload()  # remembered per browser
    assert page.locator("#trace-toggle").get_attribute("aria-pressed") == "true"
    page.evaluate("window.localStorage.clear()")


@pytest.mark.parametrize("name", PAGES)
def test_axe_is_clean_with_the_panels_off_and_on(site, server, page, offline, name):
    page.goto(f"{server}/{name}")
    page.evaluate("window.localStorage.clear()")
    page.reload()
    problems = _axe_report(name + " (off)", _run_axe(page))
    page.locator("#trace-toggle").click()
    for button in page.locator(".fact-trace").all()[:5]:
        button.click()
    problems += _axe_report(name + " (on)", _run_axe(page))
    page.evaluate("window.localStorage.clear()")
    assert not problems, "\n".join(problems)
