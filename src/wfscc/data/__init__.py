"""The input data: schemas, loaders, validation and the synthetic generator.

Public API: ``load_dataset(data_dir) -> Dataset``, ``Dataset``, ``TABLES`` (the table stems) and
``synth.generate(seed, out_dir, ...)``.
"""

from __future__ import annotations

from . import synth
from ._spec import TABLES
from .load import Dataset, load_dataset

__all__ = ["TABLES", "Dataset", "load_dataset", "synth"]
