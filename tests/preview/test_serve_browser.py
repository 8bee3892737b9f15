"""`wfscc serve` of a built site, read in Debian's chromium: the pages come as they are on disk
and the site search (Pagefind, which needs HTTP) finds a chapter's words and opens the page."""

from __future__ import annotations

import signal
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("built_site")]


@pytest.fixture(scope="module")
def served(built_site: Path, serve_command):
    with serve_command(built_site) as (url, proc):
        yield url, proc


@pytest.fixture(scope="module")
def browser(headless_chromium):
    with headless_chromium() as context:
        yield context


def test_serve_hands_out_the_built_files_unchanged(served, built_site: Path):
    url, _ = served
    for name in ("index.html", "03-adviser-role.html", "report.pdf", "pagefind/pagefind.js"):
        with urllib.request.urlopen(url + name, timeout=30) as response:
            assert response.status == 200
            assert response.read() == (built_site / name).read_bytes(), name


def test_search_finds_a_chapter_and_opens_it(served, browser):
    url, _ = served
    tab = browser.new_page()
    try:
        tab.goto(url + "index.html")
        tab.wait_for_selector(".pagefind-ui__search-input", timeout=30_000)
        tab.fill(".pagefind-ui__search-input", "lone parents")
        link = tab.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        title = link.inner_text().strip()
        assert title
        link.click()
        tab.wait_for_load_state()
        assert tab.url.startswith(url) and tab.url != url + "index.html"
        assert "lone parent" in tab.inner_text("main").lower()
    finally:
        tab.close()


def test_ctrl_c_stops_serve(served):
    _, proc = served
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=30)
    out = proc.stdout.read()
    assert (code, "Stopped." in out) == (0, True), out
