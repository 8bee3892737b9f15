"""Fixtures for the visual checks: the session build of the shipped data (`built_site`), the
folder the pictures are kept in for a reader (`<repo>/_build/screenshots/`, git-ignored), and
Debian's chromium serving the built site on 127.0.0.1 with every request off the machine refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shots(repo_root: Path) -> Path:
    """`_build/screenshots/` of the repository: the page images and screenshots of the last
    visual test run, for a person to look at (never committed, never published)."""
    folder = repo_root / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(built_site: Path, static_server) -> Iterator[str]:
    with static_server(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(headless_chromium):
    """Headless Debian chromium with a throw-away profile; requests off the machine aborted."""
    with headless_chromium(viewport={"width": 1280, "height": 900}, service_workers="block",
                           block_outside=True) as context:
        yield context
