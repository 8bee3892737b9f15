"""Fast grouping of a frame's rows: what ``frame.groupby(by, sort=True, observed=True)`` gives,
without pandas' per-call overhead.

The analysis estimates shares for a handful of cells at a time, once per LA, so pandas' fixed
cost per ``groupby`` (and per column insert) used to dominate. :func:`group_rows` numbers the
groups once; the :class:`Groups` it returns then counts, sums and takes medians with NumPy.

Semantics follow ``DataFrame.groupby(by, sort=True, observed=True, dropna=True)``:

* a row with a missing value in any ``by`` column belongs to no group (its id is ``-1``);
* groups are numbered in sorted key order (categories in category order), and only observed
  combinations of keys count as groups;
* :attr:`Groups.keys` holds one value per group for each ``by`` column, with the column's dtype
  (categorical, string, integer, ...) as pandas' grouped result would have it;
* with no ``by`` every row is in the one group ``0``, even when there are no rows.

Why not ``groupby`` itself: measured on the shipped data, ``frame.groupby(by).ngroup()`` with its
keys costs about 2.0 ms a call against 0.5 ms here, and one run of the analysis makes 85 such
calls (``benchmarks/bench_analysis.py``, whose goal is 1 s for all of it). The tests check this
module against ``DataFrame.groupby`` itself.

Float sums go through pandas' own grouped sum (compensated summation), so they equal the
``groupby(...).sum()`` results to the last bit; counts and integer sums use ``np.bincount``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Groups", "dense_codes", "group_rows", "repeat_labels"]

#: Combined key codes beyond this would overflow int64: renumber the observed ones first.
_CODE_LIMIT = 2**62


@dataclass(frozen=True)
class Groups:
    """Group numbers of a frame's rows, as made by :func:`group_rows`.

    ``ids``: each row's group (``0 .. n - 1``) or ``-1`` if a key is missing; ``n``: the number
    of groups; ``keys``: for each ``by`` column, an Index with one key value per group.
    """

    ids: np.ndarray
    n: int
    keys: dict[str, pd.Index]

    @property
    def _valid(self) -> np.ndarray | slice:
        return slice(None) if not len(self.ids) or self.ids.min() >= 0 else self.ids >= 0

    def key_columns(self, cells: np.ndarray | None = None) -> dict[str, pd.Index]:
        """The key columns of a result with a row per group, or with a row per entry of
        ``cells`` (group numbers) when given: e.g. ``np.tile(np.arange(n), 3)`` for a long
        table of three measures, each over every group."""
        if cells is None:
            return dict(self.keys)
        return {col: idx.take(cells) for col, idx in self.keys.items()}

    def tiled(self, times: int) -> np.ndarray:
        """Every group number, in order, ``times`` times over (the cells of a long table)."""
        return np.tile(np.arange(self.n), times)

    def size(self) -> np.ndarray:
        """Rows in each group (int64)."""
        return np.bincount(self.ids[self._valid], minlength=self.n).astype(np.int64)

    def count(self, flag: np.ndarray) -> np.ndarray:
        """Rows in each group where the boolean array ``flag`` is true (int64)."""
        valid = self._valid
        ids = self.ids[valid]
        return np.bincount(ids[flag[valid]], minlength=self.n).astype(np.int64)

    def sums(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Sum of each float array in ``columns`` by group: an ``(n, len(columns))`` array.

        Missing values are skipped. The sums are pandas' grouped sums (Kahan-compensated), or
        with no ``by`` NumPy's pairwise sums as ``DataFrame.sum`` gives, so results are
        bit-for-bit those of the pandas code they replace.
        """
        columns = [np.asarray(c, dtype=float) for c in columns]
        if not self.keys:
            return np.array([[np.where(np.isnan(c), 0.0, c).sum() for c in columns]])
        if self.n == 0:
            return np.zeros((0, len(columns)))
        valid = self._valid
        matrix = np.column_stack(columns)[valid]
        return pd.DataFrame(matrix).groupby(self.ids[valid], sort=True).sum().to_numpy()

    def median(self, values: np.ndarray) -> np.ndarray:
        """Median of the float array ``values`` in each group, skipping NaN (NaN if none)."""
        values = np.asarray(values, dtype=float)
        if not self.keys:  # one group: NumPy's median is the same middle value(s), and faster
            present = values[~np.isnan(values)]
            return np.array([np.median(present) if len(present) else np.nan])
        ids = self.ids
        keep = ~np.isnan(values) & (ids >= 0)
        ids, values = ids[keep], values[keep]
        order = np.lexsort((values, ids))
        ordered = values[order]
        counts = np.bincount(ids, minlength=self.n)
        starts = np.cumsum(counts) - counts
        out = np.full(self.n, np.nan)
        has = counts > 0
        lo = starts[has] + (counts[has] - 1) // 2
        hi = starts[has] + counts[has] // 2
        out[has] = (ordered[lo] + ordered[hi]) / 2
        return out


def dense_codes(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber non-negative ``codes`` (all below ``size``) 0, 1, ... in sorted order.

    Returns the new codes and the old code of each new number.
    """
    if size <= 4 * len(codes) + 1024:
        present = np.flatnonzero(np.bincount(codes, minlength=size))
        remap = np.empty(size, dtype=np.intp)
        remap[present] = np.arange(len(present))
        return remap[codes], present
    present, inverse = np.unique(codes, return_inverse=True)
    return inverse.reshape(-1), present


def group_rows(frame: pd.DataFrame, by: str | Sequence[str] = ()) -> Groups:
    """Number the groups of ``frame``'s rows by the columns ``by`` (see the module docstring)."""
    by = [by] if isinstance(by, str) else list(by)
    n_rows = len(frame)
    if not by:
        return Groups(np.zeros(n_rows, dtype=np.intp), 1, {})
    codes, uniques = [], []
    for col in by:
        c, u = pd.factorize(frame[col], sort=True)
        codes.append(np.asarray(c, dtype=np.intp))
        uniques.append(u if isinstance(u, pd.Index) else pd.Index(u))
    if len(by) == 1:
        return Groups(codes[0], len(uniques[0]), {by[0]: uniques[0]})
    valid = np.logical_and.reduce([c >= 0 for c in codes])
    rows = np.flatnonzero(valid)
    combined = codes[0][rows].astype(np.int64)
    size = len(uniques[0])
    # Mixed-radix codes keep the lexicographic order of the keys; renumber the observed
    # combinations whenever the next radix would overflow.
    for c, u in zip(codes[1:], uniques[1:], strict=True):
        if size * max(len(u), 1) >= _CODE_LIMIT:
            combined, _ = dense_codes(combined, size)
            size = int(combined.max()) + 1 if len(combined) else 0
        combined = combined * len(u) + c[rows]
        size *= len(u)
    ids_valid, _ = dense_codes(combined, size)
    n = int(ids_valid.max()) + 1 if len(ids_valid) else 0
    # Every row of a group has the same keys: take each group's keys from any one of its rows.
    row_of = np.empty(n, dtype=np.intp)
    row_of[ids_valid] = rows
    ids = np.full(n_rows, -1, dtype=np.intp)
    ids[rows] = ids_valid
    keys = {col: u.take(c[row_of]) for col, c, u in zip(by, codes, uniques, strict=True)}
    return Groups(ids, n, keys)


@functools.lru_cache(maxsize=256)
def _label_array(labels: tuple, types: tuple):
    """The labels as pandas stores them in a column (``types`` keeps 1 and 1.0 apart)."""
    return pd.Series(list(labels)).array


def repeat_labels(labels: Sequence, times, *, tile: bool = False):
    """A column holding each of ``labels`` ``times`` times in a row (``times`` may be an array,
    one count per label; ``tile``: the whole list ``times`` times over), with the dtype pandas
    gives a column set from one such label (``str`` for text), as ``frame.insert(0, "measure",
    "x")`` did before frames were concatenated."""
    try:
        values = _label_array(tuple(labels), tuple(type(x) for x in labels))
    except TypeError:  # unhashable labels
        values = pd.Series(list(labels)).array
    positions = np.arange(len(labels))
    take = np.tile(positions, times) if tile else np.repeat(positions, times)
    return values.take(take)
