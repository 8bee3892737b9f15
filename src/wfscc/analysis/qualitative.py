"""Coded qualitative interviews: how many interviews mention each theme.

Counts are of interviews (not of people or of mentions); ``share`` is the proportion of
interviews in the cell that mention the theme. Qualitative counts describe the interviews held,
not a population: the report puts them into words ("a few advisers") rather than percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..contract import THEMES
from ._groups import repeat_labels
from ._stats import as_list, require

__all__ = ["THEMES", "theme_frequencies"]

#: Stands for a missing interview id: all missing ids are one interview.
_MISSING = object()


def _theme_counts(interviews: pd.DataFrame) -> np.ndarray:
    """Interviews mentioning each of :data:`THEMES` (in that order).

    ``themes`` lists an interview's codes separated by ``;``; each code is stripped of white
    space, and an empty or unknown code counts for nothing. An interview counts once per theme
    however often it (or another row with the same ``interview_id``) lists it; a missing
    ``themes`` cell lists none.
    """
    require(interviews, ["interview_id", "themes"], "theme_frequencies")
    counts = dict.fromkeys(THEMES, 0)
    seen = set()
    for interview, codes in zip(interviews["interview_id"].tolist(),
                                interviews["themes"].tolist(), strict=True):
        if not isinstance(codes, str):
            continue  # missing: no themes
        key = interview if isinstance(interview, str) or not pd.isna(interview) else _MISSING
        for theme in codes.split(";"):
            theme = theme.strip()
            # An interview counts once per theme.
            if theme and (key, theme) not in seen:
                seen.add((key, theme))
                if theme in counts:
                    counts[theme] += 1
    return np.fromiter(counts.values(), dtype=np.int64, count=len(THEMES))


def _theme_counts_by(interviews: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``theme``, ``by``..., ``count``, ``base``: :func:`_theme_counts` in each cell of ``by``
    (one implementation of the count), every theme for every cell, theme by theme."""
    grouped = interviews.groupby(by, sort=True)
    base = grouped.size().rename("base")
    counts = np.array([_theme_counts(cell) for _, cell in grouped], dtype=np.int64)
    cells = np.tile(np.arange(len(base)), len(THEMES))  # theme-major: each theme, all cells
    idx = pd.MultiIndex.from_arrays(
        [pd.Index(np.repeat(THEMES, len(base)), dtype=interviews["themes"].dtype),
         *(base.index.get_level_values(col).take(cells) for col in by)],
        names=["theme", *by])
    counts = counts.reshape(len(base), len(THEMES)).T.reshape(-1)
    out = pd.Series(counts, index=idx, name="count").reset_index()
    return out.merge(base.reset_index(), on=by)


def theme_frequencies(
    interviews: pd.DataFrame, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Interviews mentioning each theme, by ``by`` (e.g. ``"role"`` or ``"la_code"``).

    Long format: ``theme``, ``by``..., ``count``, ``base`` (interviews in the cell), ``share``.
    Every theme appears for every cell, with zero counts where no interview mentions it.
    """
    by = as_list(by)
    require(interviews, by, "theme_frequencies")
    if by:
        out = _theme_counts_by(interviews, by)
    else:
        count = _theme_counts(interviews)
        base = np.full(len(THEMES), len(interviews))
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({"theme": repeat_labels(THEMES, 1), "count": count, "base": base,
                                 "share": count / base})
    out["count"] = out["count"].astype(int)
    out["share"] = out["count"] / out["base"]
    return out
