"""Partnership working: referrals between Jobcentre Plus and children's-centre services.

* :func:`referrals_by_quarter`: referrals by direction and calendar quarter.
* :func:`referral_growth`: referrals in the first 12 months of the pilot period (January to
  December 2009) against the final 12 months (April 2010 to March 2011), by direction and in
  total; ``growth`` is ``last / first - 1``.
* :func:`referral_growth_from_start`: each LA's referrals in its own first months (from its own
  start month) against the same number of months at the end of the pilot; the meaning the
  evaluation used, which calendar years (:func:`referral_growth`) blur for LAs that started late.
* :func:`referral_flows`: months each LA took to establish referral flows, by the bedding-in
  rule applied to monthly referrals in both directions together: the first month whose 3-month
  rolling mean reaches 80 per cent of the LA's median monthly referrals over the final 12 months,
  counted in whole months from the LA's start month (see :mod:`.bedding_in`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import DIRECTIONS, FIRST_YEAR, GROWTH_WINDOW, LAST_YEAR, PILOT_END, PILOT_START
from ._stats import as_datetime, quarter_label, require
from .bedding_in import RULE, monthly_counts, months_to_level

__all__ = ["DIRECTIONS", "GROWTH_WINDOW", "referral_flows", "referral_growth",
           "referral_growth_from_start", "referrals_by_quarter", "referrals_by_service"]



def referrals_by_quarter(referrals: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Referrals per calendar quarter and direction (zero-filled), optionally by ``by``.

    Columns: [``by``], ``quarter``, ``direction``, ``referrals``.
    """
    require(referrals, ["date", "direction"], "referrals_by_quarter")
    data = referrals.assign(quarter=quarter_label(referrals["date"]))
    quarters = quarter_label(pd.Series(pd.date_range(PILOT_START, PILOT_END, freq="QS")))
    keys = ["quarter", "direction"] if by is None else [by, "quarter", "direction"]
    counts = data.groupby(keys).size()
    levels = [list(quarters), list(DIRECTIONS)]
    if by is not None:
        levels.insert(0, sorted(data[by].unique()))
    idx = pd.MultiIndex.from_product(levels, names=keys)
    return counts.reindex(idx, fill_value=0).rename("referrals").reset_index()


def referrals_by_service(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals by service and direction. Columns: ``service``, ``direction``, ``referrals``."""
    require(referrals, ["service", "direction"], "referrals_by_service")
    counts = referrals.groupby(["service", "direction"]).size()
    idx = pd.MultiIndex.from_product([sorted(referrals["service"].unique()), list(DIRECTIONS)],
                                     names=["service", "direction"])
    return counts.reindex(idx, fill_value=0).rename("referrals").reset_index()


def _within(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Whether each date lies from ``start`` to ``end`` inclusive (False if missing)."""
    if isinstance(dates.dtype, np.dtype):
        values = dates.to_numpy()
        return (values >= start.to_datetime64()) & (values <= end.to_datetime64())
    return ((dates >= start) & (dates <= end)).to_numpy()


def referral_growth(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals in the first and last 12 months, by direction and in total.

    Columns: ``direction`` (``all`` for the total), ``first_year``, ``last_year``, ``growth``
    (proportional increase), ``ratio``.
    """
    require(referrals, ["date", "direction"], "referral_growth")
    d = as_datetime(referrals["date"])
    first, last = (_within(d, *period) for period in (FIRST_YEAR, LAST_YEAR))
    direction_codes, directions = pd.factorize(referrals["direction"])
    rows = []
    for direction in (*DIRECTIONS, "all"):
        if direction == "all":
            a, b = int(first.sum()), int(last.sum())
        else:
            code = directions.get_loc(direction) if direction in directions else -2  # no match
            same = direction_codes == code
            a, b = int((first & same).sum()), int((last & same).sum())
        rows.append({"direction": direction, "first_year": a, "last_year": b,
                     "growth": b / a - 1 if a else np.nan, "ratio": b / a if a else np.nan})
    return pd.DataFrame(rows)


def referral_flows(referrals: pd.DataFrame, areas: pd.DataFrame, **rule) -> pd.DataFrame:
    """Months each pilot LA took to establish referral flows (rule in module docstring).

    Columns: ``la_code``, ``steady_level``, ``steady_month``, ``months_to_steady``, ``base``
    (referrals counted for the LA).
    """
    monthly = monthly_counts(referrals, areas, "date")
    return months_to_level(monthly, "count", **{**RULE, **rule})


def referral_growth_from_start(referrals: pd.DataFrame, areas: pd.DataFrame,
                               window: int = GROWTH_WINDOW) -> pd.DataFrame:
    """Each pilot LA's referrals in its first ``window`` months, counted from its own start
    month, against its referrals in the pilot's final ``window`` months; and the total.

    Columns: ``la_code`` (``all`` for the total), ``first``, ``last``, ``ratio`` (NaN when
    ``first`` is zero), ``overlap`` (True when the two periods share a month: the LA started
    too late to compare them).
    """
    require(referrals, ["date", "la_code"], "referral_growth_from_start")
    require(areas, ["la_code", "group", "pilot_start"], "referral_growth_from_start")
    pilot = areas[areas["group"] == "pilot"]
    dates = as_datetime(referrals["date"])
    month = dates.dt.year * 12 + dates.dt.month - 1
    end = PILOT_END.year * 12 + PILOT_END.month - 1
    last = month > end - window
    rows = []
    for la, start in zip(pilot["la_code"], pd.to_datetime(pilot["pilot_start"]), strict=True):
        s = start.year * 12 + start.month - 1
        mine = (referrals["la_code"] == la).to_numpy()
        first_n = int((mine & (month >= s).to_numpy() & (month < s + window).to_numpy()).sum())
        last_n = int((mine & last.to_numpy()).sum())
        rows.append({"la_code": la, "first": first_n, "last": last_n,
                     "ratio": last_n / first_n if first_n else np.nan,
                     "overlap": bool(s + window > end - window + 1)})
    out = pd.DataFrame(rows, columns=["la_code", "first", "last", "ratio", "overlap"])
    a, b = int(out["first"].sum()), int(out["last"].sum())
    total = {"la_code": "all", "first": a, "last": b, "ratio": b / a if a else np.nan,
             "overlap": bool(out["overlap"].any())}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
