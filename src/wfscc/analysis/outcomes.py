"""Outcomes recorded in the MI: job entries, training starts and referrals on.

Rates are shares of starts with 95% Wilson intervals; ``median_days`` is the median number of
days from the start to the outcome, among starts with that outcome (not defined for referrals
on, which carry no date).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._groups import group_rows, repeat_labels
from ._stats import as_list, days_between, is_present, require, share_frame

__all__ = ["OUTCOMES", "outcomes"]

#: Outcome name -> (MI column, date column or None).
OUTCOMES = {
    "job_entry": ("job_entry_date", "job_entry_date"),
    "training_start": ("training_start_date", "training_start_date"),
    "referred_on": ("referred_on", None),
}


def outcomes(mi: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Counts and rates of each outcome among starts, by ``by``.

    Long format: ``outcome``, ``by``..., ``count``, ``base``, ``estimate``, ``lower``,
    ``upper``, ``median_days``.
    """
    by = as_list(by)
    require(mi, [*by, "start_date", "job_entry_date", "training_start_date", "referred_on"],
            "outcomes")
    groups = group_rows(mi, by)
    count, median = [], []
    for col, date_col in OUTCOMES.values():
        flag = is_present(mi[col]) if date_col else mi[col].astype(bool).to_numpy()
        count.append(groups.count(flag) if by else np.array([flag.sum()]))
        if date_col:
            median.append(groups.median(days_between(mi[date_col], mi["start_date"])))
        else:
            median.append(np.full(groups.n, np.nan))
    base = groups.size() if by else np.array([len(mi)])
    n = len(OUTCOMES)
    long_keys = groups.key_columns(groups.tiled(n))
    return share_frame({"outcome": repeat_labels(list(OUTCOMES), groups.n), **long_keys},
                       np.concatenate(count), np.tile(base, n),
                       median_days=np.concatenate(median))
