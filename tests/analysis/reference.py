"""The plain pandas implementations that the fast analysis code replaced, kept verbatim as the
reference the tests compare it with (results must match exactly, dtypes included).

Only what one test still needs: an LA listed twice in the areas table (a quirk the independent
oracles in test_fast_paths.py do not define); issue 14 asks for an oracle there too. They
use the unchanged ``month_start``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfscc.analysis._stats import month_start
from wfscc.contract import PILOT_END


def monthly_counts(events, areas, date_col, *, end=PILOT_END):
    pilot = areas[areas["group"] == "pilot"].sort_values("la_code")
    counts = (
        events.assign(month=month_start(events[date_col]))
        .groupby(["la_code", "month"]).size()
    )
    frames = []
    for la, start in zip(pilot["la_code"], pd.to_datetime(pilot["pilot_start"]), strict=True):
        months = pd.date_range(start.to_period("M").to_timestamp(), end, freq="MS")
        c = counts.get(la, pd.Series(dtype=int)).reindex(months, fill_value=0)
        frames.append(pd.DataFrame({"la_code": la, "month": months,
                                    "month_number": np.arange(1, len(months) + 1),
                                    "count": c.to_numpy().astype(int)}))
    return pd.concat(frames, ignore_index=True)


def months_to_level(monthly, value_col, *, share=0.8, window=3, final_months=12, end=PILOT_END):
    final_start = (end.to_period("M") - (final_months - 1)).to_timestamp()
    rows = []
    for la, sub in monthly.sort_values(["la_code", "month"]).groupby("la_code", sort=True):
        level = float(sub.loc[sub["month"] >= final_start, value_col].median())
        rolling = sub[value_col].rolling(window, min_periods=window).mean().to_numpy()
        hit = np.flatnonzero(rolling >= share * level) if level > 0 else np.array([], int)
        if hit.size:
            i = int(hit[0])
            month, n = sub["month"].iloc[i], int(sub["month_number"].iloc[i]) - 1
        else:
            month, n = pd.NaT, np.nan
        rows.append({"la_code": la, "steady_level": level, "steady_month": month,
                     "months_to_steady": n, "base": int(sub[value_col].sum())})
    return pd.DataFrame(rows)


def bedding_in(mi, areas):
    monthly = monthly_counts(mi, areas, "start_date").rename(columns={"count": "starts"})
    out = months_to_level(monthly, "starts")
    starts = areas.set_index("la_code")["pilot_start"]
    out.insert(1, "pilot_start", out["la_code"].map(starts))
    return out


def referral_flows(referrals, areas):
    return months_to_level(monthly_counts(referrals, areas, "date"), "count")


__all__ = ["bedding_in", "monthly_counts", "months_to_level", "referral_flows"]
