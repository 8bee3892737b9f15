"""Charts drawn once from the seeded fake dataset, for the house-style checks."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from analysis.fakedata import make_dataset  # noqa: E402  (tests/ is on sys.path)


@pytest.fixture(scope="session")
def dataset():
    return make_dataset()
