"""A frame's rows by group, numbered once by pandas, then counted, summed and reduced with
NumPy: what ``frame.groupby(by, sort=True, observed=True, dropna=True)`` gives.

The analysis estimates several shares of the same cells at a time (three measures, three places,
four outcomes), once per LA: :func:`group_rows` asks pandas for the group of each row once
(``ngroup``), and the :class:`Groups` it returns counts and sums every measure from those
numbers, so the result is built in one go rather than one ``groupby`` and one frame per measure.

* a row with a missing value in any ``by`` column belongs to no group (its id is ``-1``);
* groups are numbered in sorted key order (categories in category order), and only observed
  combinations of keys count as groups;
* :attr:`Groups.keys` holds one value per group for each ``by`` column, as pandas' grouped
  result has it;
* with no ``by`` every row is in the one group ``0``, even when there are no rows.

Float sums go through pandas' own grouped sum (compensated summation), medians through pandas'
grouped median; counts use ``np.bincount``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Groups", "group_rows", "repeat_labels"]


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
        values = pd.Series(np.asarray(values, dtype=float))
        if not self.keys:
            return np.array([values.median()])
        valid = self._valid
        medians = values[valid].groupby(self.ids[valid]).median()
        return medians.reindex(range(self.n)).to_numpy(dtype=float)


def group_rows(frame: pd.DataFrame, by: str | Sequence[str] = ()) -> Groups:
    """Number the groups of ``frame``'s rows by the columns ``by`` (see the module docstring)."""
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        return Groups(np.zeros(len(frame), dtype=np.intp), 1, {})
    grouped = frame.groupby(by, sort=True, observed=True, dropna=True)
    ids = grouped.ngroup().to_numpy(dtype=float, na_value=np.nan)
    ids = np.where(np.isnan(ids), -1, ids).astype(np.intp)
    index = grouped.size().index
    keys = {col: index.get_level_values(col) for col in by}
    return Groups(ids, len(index), keys)


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
