"""Outcomes recorded in the MI: job entries, training starts and referrals on.

Rates are shares of starts with 95% Wilson intervals; ``median_days`` is the median number of
days from the start to the outcome, among starts with that outcome (not defined for referrals
on, which carry no date).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._stats import as_list, require, share

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
    out = []
    for name, (col, date_col) in OUTCOMES.items():
        flag = mi[col].notna() if date_col else mi[col].astype(bool)
        est = share(mi, flag, by)
        if date_col:
            days = (pd.to_datetime(mi[date_col]) - pd.to_datetime(mi["start_date"])).dt.days
            frame = mi[by].assign(_d=days)
            if by:
                med = frame.groupby(by, sort=True)["_d"].median().rename("median_days")
                est = est.merge(med.reset_index(), on=by, how="left")
            else:
                est["median_days"] = float(days.median()) if days.notna().any() else np.nan
        else:
            est["median_days"] = np.nan
        est.insert(0, "outcome", name)
        out.append(est)
    return pd.concat(out, ignore_index=True)
