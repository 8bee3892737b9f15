"""Fixtures shared by the whole suite: the repository root, throw-away copies of the project, and
the browser set (a static HTTP server of a built folder, headless Debian chromium)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
# what `wfscc prepare` writes into report/ for a plain `quarto render` (never copied)
GENERATED = ("figures", "profiles")
# the offline Quarto bundle beside the clone (see its README); CI installs it (.ci/run)
QUARTO_BUNDLE = REPO.parent / "shared" / "quarto"
QUARTO_INSTALL = (
    "install Quarto (https://quarto.org/docs/get-started/) and put `quarto` on PATH, or "
    "`bash ../shared/quarto/setup.sh ~/.cache/q && export PATH=~/.cache/q/bin:$PATH`"
)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def copy_project(target: Path, *, data: bool = True) -> Path:
    """A copy of the project (book config, narrative, notebooks, and optionally the data)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("_quarto.yml", "_quarto-summary.yml", "index.qmd"):
        shutil.copyfile(REPO / name, target / name)
    shutil.copytree(REPO / "_filters", target / "_filters")
    shutil.copytree(REPO / "report", target / "report", ignore=shutil.ignore_patterns(*GENERATED))
    shutil.copytree(REPO / "notebooks", target / "notebooks")
    if data:
        shutil.copytree(REPO / "data", target / "data")
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def require_tool(name: str) -> str:
    """Skip when a system tool is missing, except in CI where it must be present."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("WFSCC_REQUIRE_BROWSER"):
            pytest.fail(f"{name} is required here (WFSCC_REQUIRE_BROWSER is set) but not on PATH")
        pytest.skip(f"{name} not installed (apt-get install it; .ci/run does)")
    return path


@pytest.fixture(name="require_tool", scope="session")
def require_tool_fixture():
    """:func:`require_tool` as a fixture: ``require_tool("pdftoppm")`` gives the tool's path."""
    return require_tool


# --- the browser set: a built folder served on 127.0.0.1, opened in headless chromium ----------

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


def is_local(url: str) -> bool:
    """True for a request that stays on this machine (127.0.0.1, file:, data:, ...)."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws") and parts.hostname in LOCAL_HOSTS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        return None


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """*folder* served over HTTP on 127.0.0.1 (search and scripts need HTTP; file:// cannot
    fetch) for the ``with`` block: yields its base URL, ``http://127.0.0.1:PORT``."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def chromium_context(*, block_outside: bool = False, **options) -> Iterator:
    """Headless Debian chromium with a throw-away profile, as a Playwright browser context
    (skipped without chromium, failing where WFSCC_REQUIRE_BROWSER is set). *options* go to
    ``launch_persistent_context`` (``viewport=``, ``service_workers=``); with *block_outside*
    every request off the machine is aborted. Playwright's sync API allows one instance per
    thread at a time: start one per module, not per session."""
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="wfscc-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            locale="en-GB", **options,
        )
        if block_outside:
            context.route(
                "**/*",
                lambda route: route.continue_()
                if is_local(route.request.url) else route.abort("blockedbyclient"),
            )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def static_server():
    """``with static_server(folder) as base_url:``: *folder* served on 127.0.0.1."""
    return serve_folder


@pytest.fixture(scope="session")
def headless_chromium():
    """``with headless_chromium(viewport=..., block_outside=True) as context:``: a chromium
    browser context (see :func:`chromium_context`)."""
    return chromium_context


def run_build(project: Path, out: Path | None = None, **options):
    """Build a project copy with its own data; returns the BuildResult."""
    from wfscc import Config
    from wfscc.build import build

    config = Config(
        project_dir=project,
        data_dir=options.pop("data_dir", project / "data"),
        out_dir=out or project / "_book",
        engine=options.pop("engine", "pandoc"),
        jobs=options.pop("jobs", 2),
        **options,
    )
    return build(config)


@pytest.fixture(scope="session")
def make_project():
    """A function that copies the project (and its data) to a folder: ``make_project(path)``."""
    return copy_project


@pytest.fixture(scope="session")
def build_project():
    """A function that builds a project copy: ``build_project(project, **config_options)``."""
    return run_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full build of the shipped data, shared by the tests that only read its output."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    run_build(project)
    return project / "_book"


def quarto_cli() -> str:
    """The Quarto CLI for the Quarto tests: `quarto` on PATH, else $WFSCC_QUARTO_PREFIX/bin.

    Without it the test is skipped with how to install it, except where WFSCC_REQUIRE_QUARTO is
    set (CI), where it fails.
    """
    prefix = Path(os.environ.get("WFSCC_QUARTO_PREFIX") or "/nonexistent")
    found = shutil.which("quarto") or shutil.which("quarto", path=str(prefix / "bin"))
    if found is None:
        if os.environ.get("WFSCC_REQUIRE_QUARTO"):
            pytest.fail(f"Quarto is required here (WFSCC_REQUIRE_QUARTO is set): {QUARTO_INSTALL}")
        pytest.skip(f"Quarto CLI not found: {QUARTO_INSTALL}")
    return found


@pytest.fixture(scope="session")
def quarto_path(tmp_path_factory):
    """PATH with the Quarto CLI and this Python's scripts first (Quarto's Jupyter and the
    project's `wfscc prepare` run from it)."""
    quarto = quarto_cli()
    return os.pathsep.join([str(Path(quarto).parent), str(Path(sys.executable).parent),
                            os.environ.get("PATH", "")])


@pytest.fixture(scope="session")
def quarto_site(tmp_path_factory, quarto_path) -> Path:
    """One `wfscc build --engine quarto` of the shipped data, shared by the Quarto tests."""
    project = copy_project(tmp_path_factory.mktemp("quarto") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", quarto_path)
        run_build(project, engine="quarto")
    return project / "_book"
