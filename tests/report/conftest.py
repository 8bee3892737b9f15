"""Fixtures for the narrative tests: the facts, computed when the library can make them."""

from __future__ import annotations

from pathlib import Path

import pytest
from _narrative import REPO


def _dataset_dir(tmp_root: Path) -> Path | None:
    """The shipped data if present, else a freshly generated synthetic dataset, else None."""
    shipped = REPO / "data"
    if shipped.is_dir() and any(shipped.glob("areas.*")):
        return shipped
    try:
        from wfscc.data import synth
    except ImportError:
        return None
    out = tmp_root / "synth"
    synth.generate(seed=772, out_dir=out)
    return out


@pytest.fixture(scope="session")
def facts(tmp_path_factory) -> dict:
    """``name -> Fact`` computed from the shipped (or a generated) dataset; skips until possible."""
    try:
        from wfscc.data import load_dataset
        from wfscc.outputs.figures import report_facts
    except ImportError as exc:
        pytest.skip(f"wfscc.facts / wfscc.data.load_dataset not available yet ({exc})")
    data_dir = _dataset_dir(tmp_path_factory.mktemp("facts-data"))
    if data_dir is None:
        pytest.skip("no shipped data in data/ and wfscc.data.synth is not available yet")
    computed = report_facts(load_dataset(data_dir))
    if isinstance(computed, dict):
        return dict(computed)
    return {f.name: f for f in computed}
