"""Fixtures of the guard's tests; the helpers and planted identifiers are in guard_support.py
(a module with a name of its own: ``from conftest import`` finds whichever folder's conftest
pytest loaded last)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from guard_support import build_clean_site


@pytest.fixture(scope="session")
def clean_site(tmp_path_factory) -> Path:
    return build_clean_site(tmp_path_factory.mktemp("clean") / "_book")


@pytest.fixture
def site(clean_site: Path, tmp_path: Path) -> Path:
    """A fresh copy of the clean site to plant a leak in."""
    return Path(shutil.copytree(clean_site, tmp_path / "_book"))
