"""Fixtures for checking the full built site the way a person meets it: served on 127.0.0.1,
opened in Debian's chromium (through Playwright) with every request off the machine refused.

Every test here reads the one session build of the shipped data (`built_site`, tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _site import Offline


@pytest.fixture(scope="session")
def site(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="module")
def server(site: Path, static_server) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (tests/conftest.py's `static_server`)."""
    with static_server(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(headless_chromium):
    """Debian chromium, headless, with its own throw-away profile (skip locally, fail in CI);
    tests/conftest.py's `headless_chromium`. Module-scoped: Playwright's sync API allows one
    instance at a time per thread, and tests/render/test_browser.py starts its own."""
    with headless_chromium(viewport={"width": 1280, "height": 900},
                           service_workers="block") as context:
        yield context


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
