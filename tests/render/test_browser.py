"""The site in a real browser: axe finds no violations; search works over HTTP and explains
itself from file://. Needs Debian's chromium (skipped without it)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium"),
]
PAGES = ["index.html", "01-introduction.html", "02-findings.html", "profiles/P01.html",
         "annex-b-technical.html", "summary.html"]


@pytest.fixture(scope="module")
def server(rendered):
    out, _ = rendered
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        yield browser.new_page()
        browser.close()


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(server, page, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{server}/{name}")
    page.wait_for_selector(".pagefind-ui__search-input")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_search_over_http(server, page):
    page.goto(f"{server}/index.html")
    page.fill(".pagefind-ui__search-input", "included sentence")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    assert any(link.endswith("01-introduction.html") for link in links)


def test_file_url_explains_search(rendered, page):
    out, _ = rendered
    page.goto((out / "01-introduction.html").as_uri())
    assert "served over HTTP" in page.inner_text("#search")
    assert page.eval_on_selector("img", "img => img.naturalWidth") > 0
