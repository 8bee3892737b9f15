"""One table after the single-table checks (:class:`Checked`), and the duplicate-key check that
both the single-table checks (``validate``) and the cross-table checks (``_crosscheck``) use."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Problem


@dataclass
class Checked:
    """One table after the single-table checks: typed cells, raw cells and the user's rows."""

    stem: str
    file: str
    typed: pd.DataFrame  # contract columns that are present, typed; bad cells missing
    raw: pd.DataFrame  # the same rows and columns, cells as read
    rows: np.ndarray  # the user's row number of each row
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True  # False: rows of the file could not be read (reported when reading)

    def problem(self, pos: int, column: str | None, expected: str) -> Problem:
        """A problem at row position ``pos``, quoting the raw cell."""
        value = None if column is None else self.raw[column].iloc[pos]
        if isinstance(value, float) and np.isnan(value):
            value = ""
        return Problem(self.file, int(self.rows[pos]), column, value, expected)

    def report(self, mask: np.ndarray, column: str, expected: str) -> None:
        """Report every row where ``mask`` is true."""
        for pos in np.flatnonzero(mask):
            self.problems.append(self.problem(int(pos), column, expected))


def check_unique(table: Checked, keys: list[str], what: str) -> None:
    """Report repeats of ``keys`` (ignoring rows with a missing key), naming the first row."""
    frame = table.typed[keys]
    present = frame.notna().all(axis=1).to_numpy()
    dup = frame.duplicated(keep="first").to_numpy() & present
    if not dup.any():
        return
    first_pos = (
        pd.DataFrame({"pos": np.arange(len(frame))}, index=pd.MultiIndex.from_frame(frame))
        .groupby(level=list(range(len(keys))), sort=False)["pos"]
        .min()
    )
    for pos in np.flatnonzero(dup):
        key = tuple(frame.iloc[pos]) if len(keys) > 1 else (frame.iloc[pos, 0],)
        first = first_pos.loc[key if len(keys) > 1 else key[0]]
        where = f"row {table.rows[int(np.ravel(first)[0])]}"
        table.problems.append(table.problem(int(pos), keys[-1], f"{what}; already used in {where}"))
