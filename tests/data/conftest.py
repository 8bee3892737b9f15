"""Fixtures for the data tests: a small valid dataset, generated once and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wfscc.data import Dataset, load_dataset, synth

SMALL = {"seed": 11, "areas": 2, "scale": 0.15}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shipped() -> Dataset:
    """The shipped default dataset in data/, loaded once (tests must not change its frames)."""
    return load_dataset(REPO / "data")


@pytest.fixture(scope="session")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid dataset (two pilot LAs, three comparison LAs), generated once."""
    out = tmp_path_factory.mktemp("small")
    synth.generate(SMALL["seed"], out, areas=SMALL["areas"], scale=SMALL["scale"])
    return out


@pytest.fixture
def small(small_source: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small dataset that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(small_source, target)
    return target
