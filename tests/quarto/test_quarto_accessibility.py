"""The Quarto engine's site, served on 127.0.0.1 and opened in Debian's chromium: axe-core finds
no WCAG 2.2 A/AA violation on any page (with every "Show the data" panel open)."""

from __future__ import annotations

from pathlib import Path

import pytest

# one worker builds the Quarto site once for all of these (make test: --dist loadgroup)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.quarto,
    pytest.mark.browser,
    pytest.mark.xdist_group("quarto"),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

def test_axe_finds_nothing_on_the_quarto_site(quarto_site: Path, static_server,
                                              headless_chromium):
    from axe_playwright_python.sync_playwright import Axe

    pages = sorted(
        p.relative_to(quarto_site).as_posix()
        for p in quarto_site.rglob("*.html")
        if not p.relative_to(quarto_site).as_posix().startswith(("pagefind/", "site_libs/"))
    )
    problems = []
    with static_server(quarto_site) as base, headless_chromium() as context:
        page = context.new_page()
        for name in pages:
            page.goto(f"{base}/{name}")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            for v in result.response["violations"]:
                for node in v["nodes"]:
                    problems.append(f"{name}: {v['id']} at {node['target']}: {v['help']}")
    assert pages and not problems, f"axe: {len(problems)} violation(s):\n" + "\n".join(problems)
