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

from ..contract import BEDDING_IN_RULE as RULE
from ..contract import PILOT_END
from ._groups import repeat_labels
from ._stats import as_datetime, equals, month_start, require

__all__ = ["bedding_in", "bedding_in_summary", "monthly_counts", "monthly_starts",
           "months_to_level", "RULE"]

def _month_numbers(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each date's calendar month as months since January 1970, and whether it has one."""
    values = as_datetime(dates)
    if not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"):
        values = month_start(values)  # e.g. time-zone aware: as the month column was made
    months = np.asarray(values.to_numpy()).astype("datetime64[M]")
    valid = ~np.isnat(months)
    return np.where(valid, months.astype(np.int64), 0), valid


def _pilot_rows(areas: pd.DataFrame) -> pd.DataFrame:
    """The pilot LAs' rows of ``areas``, sorted by ``la_code``."""
    pilot = equals(areas["group"], "pilot")
    if not isinstance(pilot, np.ndarray):
        return areas[pilot].sort_values("la_code")
    if not pilot.all():
        areas = areas[pilot]
    return areas.sort_values("la_code") if len(areas) > 1 else areas


def _pilot_series(
    events: pd.DataFrame, areas: pd.DataFrame, date_col: str, end: pd.Timestamp
) -> tuple[list, list[pd.DatetimeIndex], list[np.ndarray]]:
    """The series :func:`monthly_counts` returns, as lists: each pilot LA (by code), its months
    from its start month to ``end``, and its events in each of those months (int64)."""
    require(events, ["la_code", date_col], "monthly_counts")
    require(areas, ["la_code", "group", "pilot_start"], "monthly_counts")
    pilot = _pilot_rows(areas)
    las = list(pilot["la_code"])
    ranges = [pd.date_range(start.to_period("M").to_timestamp(), end, freq="MS")
              for start in as_datetime(pilot["pilot_start"])]
    if not ranges:
        raise ValueError("No objects to concatenate")  # no pilot LA: as pd.concat([]) raised
    lengths = np.array([len(r) for r in ranges])
    firsts = np.array([(r[0].year - 1970) * 12 + r[0].month - 1 if len(r) else 0 for r in ranges])
    # One table of counts: a row per distinct pilot LA, a column per month from the earliest
    # start to ``end``; each LA's series is a slice of its row.
    some = lengths > 0
    first = int(firsts[some].min()) if some.any() else 0
    width = int((firsts + lengths)[some].max()) - first if some.any() else 0
    slot: dict = {}
    for la in las:
        slot.setdefault(la, len(slot))
    # Each event's row of the table, -1 for none: other LAs, and missing codes (factorized as
    # -1, which picks the trailing -1), which the grouped count left out.
    codes, event_las = pd.factorize(events["la_code"])
    row = np.array([slot.get(la, -1) for la in event_las] + [-1], dtype=np.intp)[codes]
    month, valid = _month_numbers(events[date_col])
    keep = valid & (row >= 0) & (month >= first) & (month < first + width)
    table = np.bincount(row[keep] * width + (month[keep] - first),
                        minlength=len(slot) * width).reshape(len(slot), width)
    counts = [table[slot[la], f - first:f - first + n]
              for la, f, n in zip(las, firsts, lengths, strict=True)]
    return las, ranges, counts


def monthly_counts(
    events: pd.DataFrame, areas: pd.DataFrame, date_col: str, *, end: pd.Timestamp = PILOT_END
) -> pd.DataFrame:
    """Events per pilot LA and calendar month from the LA's pilot start, zero-filled.

    Columns: ``la_code``, ``month`` (first day), ``month_number`` (1 = pilot start month),
    ``count``.
    """
    las, ranges, counts = _pilot_series(events, areas, date_col, end)
    lengths = [len(r) for r in ranges]
    return pd.DataFrame({
        "la_code": repeat_labels(las, lengths),
        "month": ranges[0].append(ranges[1:]),
        "month_number": np.concatenate([np.arange(1, n + 1) for n in lengths]),
        "count": np.concatenate(counts).astype(int),
    })


def monthly_starts(mi: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Starts per pilot LA and month (see :func:`monthly_counts`); the count is ``starts``."""
    return monthly_counts(mi, areas, "start_date").rename(columns={"count": "starts"})


def _rolling_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each value and the ``window - 1`` before it (NaN until there are ``window``)."""
    if values.dtype.kind not in "iub":
        return pd.Series(values).rolling(window, min_periods=window).mean().to_numpy()
    out = np.full(len(values), np.nan)
    if len(values) >= window:
        total = np.concatenate([[0], np.cumsum(values, dtype=np.int64)])
        out[window - 1:] = (total[window:] - total[:-window]) / window  # exact, as pandas'
    return out


def _median(values: np.ndarray) -> float:
    """The median, skipping missing values (NaN if none), as ``Series.median``."""
    values = values.astype(float)
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else np.nan


def _level_row(la, months, values: np.ndarray, at_end: np.ndarray, numbers: np.ndarray, *,
               share: float, window: int) -> dict:
    """The bedding-in rule on one LA's monthly ``values``, in month order: a row of
    :func:`months_to_level`. ``at_end`` marks the final months; ``numbers`` are the months'
    ``month_number``s."""
    level = _median(values[at_end])
    rolling = _rolling_mean(values, window)
    hit = np.flatnonzero(rolling >= share * level) if level > 0 else np.array([], int)
    if hit.size:
        i = int(hit[0])
        month, n = months[i], int(numbers[i]) - 1
    else:
        month, n = pd.NaT, np.nan
    total = np.nansum(values) if values.dtype.kind == "f" else values.sum()
    return {"la_code": la, "steady_level": level, "steady_month": month,
            "months_to_steady": n, "base": int(total)}


def _final_start(end: pd.Timestamp, final_months: int) -> pd.Timestamp:
    return (end.to_period("M") - (final_months - 1)).to_timestamp()


def months_to_level(
    monthly: pd.DataFrame, value_col: str, *, share: float = 0.8, window: int = 3,
    final_months: int = 12, end: pd.Timestamp = PILOT_END,
) -> pd.DataFrame:
    """Apply the bedding-in rule (module docstring) to each LA's monthly series.

    Columns: ``la_code``, ``steady_level``, ``steady_month`` (first day of the month, or NaT if
    never reached), ``months_to_steady``, ``base`` (events counted for the LA).
    """
    ordered = monthly.sort_values(["la_code", "month"])
    codes, las = pd.factorize(ordered["la_code"], sort=True)
    by_la = np.argsort(codes, kind="stable")[np.count_nonzero(codes < 0):]
    bounds = np.cumsum(np.bincount(codes[codes >= 0], minlength=len(las)))
    values = ordered[value_col].to_numpy()
    at_end = (ordered["month"] >= _final_start(end, final_months)).to_numpy()
    months = ordered["month"].array
    numbers = ordered["month_number"].to_numpy()
    return pd.DataFrame([
        _level_row(la, months[rows], values[rows], at_end[rows], numbers[rows], share=share,
                   window=window)
        for la, rows in zip(las, np.split(by_la, bounds[:-1]), strict=True)
    ])


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

