"""Fixtures for the visual checks: the session build of the shipped data (`built_site`), the
folder the pictures are kept in for a reader (`<repo>/_build/screenshots/`, git-ignored), and
Debian's chromium serving the built site on 127.0.0.1 with every request off the machine refused.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="session")
def require_tool(pytestconfig):
    """`require_tool` of tests/conftest.py: skip without the tool, fail where
    WFSCC_REQUIRE_BROWSER is set (CI). Reached through pytest's plugin registry, as
    tests/publish/conftest.py does (every conftest.py is the module "conftest")."""
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    return root.require_tool


@pytest.fixture(scope="session")
def shots(repo_root: Path) -> Path:
    """`_build/screenshots/` of the repository: the page images and screenshots of the last
    visual test run, for a person to look at (never committed, never published)."""
    folder = repo_root / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws") and parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="module")
def browser(require_tool):
    """Headless Debian chromium with a throw-away profile; requests off the machine aborted."""
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="wfscc-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            service_workers="block",
        )
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if _local(route.request.url) else route.abort("blockedbyclient")
            ),
        )
        try:
            yield context
        finally:
            context.close()
