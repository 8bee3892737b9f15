"""Small seeded frames following docs/contracts.md."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from .fakedata import make_dataset  # noqa: E402


@pytest.fixture(scope="session")
def dataset():
    return make_dataset()
