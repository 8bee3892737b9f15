"""Bedding in: how long each pilot LA took to reach a steady level of starts.

**Rule.** For each pilot LA, count starts per calendar month from the month of its
``pilot_start`` to March 2011 (months with no starts count as zero). The LA's *steady level* is
the median monthly starts over the final 12 months of the pilot (April 2010 to March 2011). The
LA has *bedded in* at the first month whose 3-month rolling mean (that month and the two before,
so the third pilot month at the earliest) reaches 80 per cent of the steady level.
``months_to_steady`` is the number of whole months from the LA's start month to that month: an LA
that started in January 2009 and first reached the level in October 2009 took nine months.

The same rule, applied to monthly referrals, gives the months to established referral flows
(:mod:`wfscc.analysis.partnership`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._stats import PILOT_END, month_start, require

__all__ = ["bedding_in", "bedding_in_summary", "monthly_counts", "monthly_starts",
           "months_to_level", "RULE"]

RULE = {"share": 0.8, "window": 3, "final_months": 12}


def monthly_counts(
    events: pd.DataFrame, areas: pd.DataFrame, date_col: str, *, end: pd.Timestamp = PILOT_END
) -> pd.DataFrame:
    """Events per pilot LA and calendar month from the LA's pilot start, zero-filled.

    Columns: ``la_code``, ``month`` (first day), ``month_number`` (1 = pilot start month),
    ``count``.
    """
    require(events, ["la_code", date_col], "monthly_counts")
    require(areas, ["la_code", "group", "pilot_start"], "monthly_counts")
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


def monthly_starts(mi: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Starts per pilot LA and month (see :func:`monthly_counts`); the count is ``starts``."""
    return monthly_counts(mi, areas, "start_date").rename(columns={"count": "starts"})


def months_to_level(
    monthly: pd.DataFrame, value_col: str, *, share: float = 0.8, window: int = 3,
    final_months: int = 12, end: pd.Timestamp = PILOT_END,
) -> pd.DataFrame:
    """Apply the bedding-in rule (module docstring) to each LA's monthly series.

    Columns: ``la_code``, ``steady_level``, ``steady_month`` (first day of the month, or NaT if
    never reached), ``months_to_steady``, ``base`` (events counted for the LA).
    """
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


def bedding_in(mi: pd.DataFrame, areas: pd.DataFrame, **rule) -> pd.DataFrame:
    """Months each pilot LA took to reach a steady level of starts (rule in module docstring).

    Columns as :func:`months_to_level`, plus ``pilot_start``.
    """
    out = months_to_level(monthly_starts(mi, areas), "starts", **{**RULE, **rule})
    starts = areas.set_index("la_code")["pilot_start"]
    out.insert(1, "pilot_start", out["la_code"].map(starts))
    return out


def bedding_in_summary(per_la: pd.DataFrame, col: str = "months_to_steady") -> pd.DataFrame:
    """Minimum, median and maximum months across LAs; ``n_las`` reached, ``n_total`` LAs."""
    v = per_la[col].dropna()
    return pd.DataFrame([{"min": float(v.min()) if len(v) else np.nan,
                          "median": float(v.median()) if len(v) else np.nan,
                          "max": float(v.max()) if len(v) else np.nan,
                          "n_las": int(len(v)), "n_total": int(len(per_la))}])

