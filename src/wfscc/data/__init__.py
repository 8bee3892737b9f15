"""The input data: schemas, loaders, validation and the synthetic generator.

Public API: ``load_dataset(data_dir) -> Dataset``, ``Dataset``, ``TABLES`` (the table stems) and
``synth.generate(seed, out_dir, ...)``.
"""

from __future__ import annotations

import importlib

from ..contract import TABLES
from .load import Dataset, load_dataset

__all__ = ["TABLES", "Dataset", "load_dataset", "synth"]


def __getattr__(name: str):
    """``synth`` is imported when first used: a build never needs the generator."""
    if name == "synth":
        return importlib.import_module(f"{__name__}.synth")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
