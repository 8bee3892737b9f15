"""Fixtures for checking the full built site the way a person meets it: served on 127.0.0.1,
opened in Debian's chromium (through Playwright) with every request off the machine refused.

Every test here reads the one session build of the shipped data (`built_site`, tests/conftest.py).
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _site import CHROMIUM_ARGS, Offline, QuietHandler


@pytest.fixture(scope="session")
def site(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="session")
def require_tool(pytestconfig):
    """`require_tool` of tests/conftest.py: skip without the tool, fail in CI.

    Every conftest.py outside a package is the module "conftest", so it cannot be imported by
    name; pytest registers it as a plugin under its path, which is how we reach it here."""
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    return root.require_tool


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (search needs HTTP; file:// cannot fetch)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(require_tool):
    """Debian chromium, headless, with its own throw-away profile (skip locally, fail in CI).

    Module-scoped: Playwright's sync API allows one instance at a time per thread, and
    tests/render/test_browser.py starts its own."""
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="wfscc-chromium-") as profile, \
            sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, locale="en-GB",
            service_workers="block")
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def offline(browser) -> Iterator[Offline]:
    """Route every request of the browser through an `Offline` check; unroute afterwards."""
    guard = Offline()
    browser.route("**/*", guard.route)
    browser.on("request", guard.on_request)
    try:
        yield guard
    finally:
        browser.unroute("**/*", guard.route)
        browser.remove_listener("request", guard.on_request)


@pytest.fixture
def page(browser, offline):
    """A fresh tab in the offline browser."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()
