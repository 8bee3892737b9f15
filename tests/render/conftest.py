"""Fixtures for the render tests: the small fixture book, copied or rendered once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from render_support import FIXTURE, PROVENANCE, TIMESTAMP


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A private copy of the fixture book that a test may edit."""
    target = tmp_path / "book"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    """The fixture book rendered once with the pandoc engine: (out_dir, RenderResult)."""
    from wfscc.render import render_book

    out = tmp_path_factory.mktemp("site")
    result = render_book(FIXTURE, out, timestamp=TIMESTAMP, provenance=PROVENANCE)
    return out, result
