"""The Quarto engine's site, served on 127.0.0.1 and opened in Debian's chromium: axe-core finds
no WCAG 2.2 A/AA violation on any page (with every "Show the data" panel open)."""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
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
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        return None


def test_axe_finds_nothing_on_the_quarto_site(quarto_site: Path, pytestconfig):
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    chromium = root.require_tool("chromium")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    pages = sorted(
        p.relative_to(quarto_site).as_posix()
        for p in quarto_site.rglob("*.html")
        if not p.relative_to(quarto_site).as_posix().startswith(("pagefind/", "site_libs/"))
    )
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(quarto_site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    problems = []
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True, args=ARGS, locale="en-GB"
            )
            page = context.new_page()
            for name in pages:
                page.goto(f"{base}/{name}")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                for v in result.response["violations"]:
                    for node in v["nodes"]:
                        problems.append(f"{name}: {v['id']} at {node['target']}: {v['help']}")
            context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert pages and not problems, f"axe: {len(problems)} violation(s):\n" + "\n".join(problems)
