"""Shared estimators: shares with Wilson intervals, Kish effective sample size, pilot calendar.

:func:`share` and :func:`weighted_share` number their cells with :func:`._groups.group_rows`
(pandas' ``groupby``) and build their result in one go (``tests/analysis/test_groups.py``
checks them against their definitions and statsmodels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..errors import WfsccError
from ._groups import group_rows

#: The 97.5th percentile of the standard normal distribution, to double precision: the value of
#: ``scipy.stats.norm.ppf(0.975)``, which every published interval used. (The standard library's
#: ``NormalDist().inv_cdf(0.975)`` is one unit in the last place lower.) A literal, so that the
#: analysis does not import SciPy.
Z95 = 1.959963984540054
#: The coverage of an interval of plus or minus ``Z95`` standard errors (0.95).
CI_LEVEL = 2 * NormalDist().cdf(Z95) - 1


def normal_two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal test statistic ``z`` (NaN if ``z`` is not finite).

    ``erfc(|z| / sqrt 2)`` is ``2 * P(Z > |z|)``; it agrees with SciPy's ``2 * norm.sf(|z|)`` to
    within 1e-15.
    """
    return math.erfc(abs(z) / math.sqrt(2)) if np.isfinite(z) else np.nan


def as_list(by: str | Sequence[str] | None) -> list[str]:
    """``None`` -> ``[]``, ``"x"`` -> ``["x"]``, sequences -> list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise a helpful error if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise WfsccError(
            f"{what}: column(s) {missing} missing; the table has {sorted(map(str, frame.columns))}."
        )


def wilson(p: np.ndarray | float, n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for a proportion ``p`` on ``n`` (which may be non-integer)."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2 = Z95**2
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2)) / denom
        lo = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
        hi = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return lo, hi


def flag_array(flag: pd.Series | np.ndarray, dtype) -> np.ndarray:
    """``flag.astype(dtype)`` (bool or float) as a NumPy array."""
    if isinstance(flag, np.ndarray):
        return flag if flag.dtype == dtype else flag.astype(dtype)
    if isinstance(flag, pd.Series) and flag.dtype == np.dtype(bool):
        values = flag.to_numpy()
        return values if dtype is bool else values.astype(dtype)
    return np.asarray(pd.Series(flag).astype(dtype).to_numpy(), dtype=dtype)


def equals(values: pd.Series, value, *, negate: bool = False) -> np.ndarray | pd.Series:
    """``values == value`` (``!=`` with ``negate``): a NumPy bool array when the column's own
    comparison gives one (NumPy and Arrow-backed columns, without the cost of a Series), else
    the pandas Series, whose missing values the caller then treats as pandas would."""
    result = values.array != value if negate else values.array == value
    if isinstance(result, np.ndarray) and result.dtype == bool:
        return result
    return values != value if negate else values == value


def share_frame(keys: dict, count: np.ndarray, base: np.ndarray, **extra) -> pd.DataFrame:
    """The result frame of :func:`share` from ``keys`` columns and ``count`` and ``base`` arrays
    (and any ``extra`` columns after them)."""
    count = count.astype(int)
    base = base.astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where(base > 0, count / base, np.nan)
    lower, upper = wilson(estimate, base)
    return pd.DataFrame({**keys, "count": count, "base": base, "estimate": estimate,
                         "lower": lower, "upper": upper, **extra})


def share(frame: pd.DataFrame, flag: pd.Series | str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Unweighted share of rows where ``flag`` is true, by ``by``, with Wilson 95% interval.

    Returns ``by`` columns, ``count``, ``base``, ``estimate``, ``lower``, ``upper``.
    """
    by = list(by)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise KeyError(f"{missing} not in index")
    flag_s = frame[flag] if isinstance(flag, str) else flag
    if len(flag_s) != len(frame):
        raise ValueError(f"Length of values ({len(flag_s)}) does not match length of index "
                         f"({len(frame)})")
    flags = flag_array(flag_s, bool)
    if not by:
        return share_frame({}, np.array([flags.sum()]), np.array([len(frame)]))
    groups = group_rows(frame, by)
    return share_frame(groups.key_columns(), groups.count(flags), groups.size())


def weighted_share_frame(keys: dict, sums: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    """The result frame of :func:`weighted_share` from ``keys`` columns, the per-cell sums of
    ``w``, ``w**2`` and ``w * flag`` (the columns of ``sums``) and the unweighted ``base``."""
    w, w2, wy = sums[:, 0], sums[:, 1], sums[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = w**2 / w2
        estimate = wy / w
    lower, upper = wilson(estimate, n_eff)
    return pd.DataFrame({**keys, "base": base.astype(int), "n_eff": n_eff, "weighted_base": w,
                         "estimate": estimate, "lower": lower, "upper": upper})


def weighted_share(
    frame: pd.DataFrame, flag: pd.Series | str, weight: str, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Weighted share with a Wilson interval on the Kish effective sample size.

    ``n_eff = (sum w)^2 / sum w^2`` within each cell; the interval is Wilson's on ``n_eff``.
    This allows for the variance the unequal weights add, but not for clustering by centre.
    Returns ``by``, ``base`` (unweighted n), ``n_eff``, ``weighted_base``, ``estimate``,
    ``lower``, ``upper``.
    """
    by = list(by)
    flag_s = frame[flag] if isinstance(flag, str) else flag
    w = frame[weight].astype(float).to_numpy()
    y = flag_array(flag_s, float)
    groups = group_rows(frame, by)
    sums = groups.sums([w, w**2, w * y])
    if not by:
        return weighted_share_frame({}, sums, np.array([len(frame)]))
    return weighted_share_frame(groups.key_columns(), sums, groups.size())


def two_proportion(p1, n1, p2, n2) -> dict[str, float]:
    """Difference ``p2 - p1`` with a two-proportion z-test (pooled) and a Wald 95% interval.

    ``n1`` and ``n2`` are effective sample sizes.
    """
    diff = p2 - p1
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = diff / se0 if se0 > 0 else np.nan
    pval = normal_two_sided_p(z)
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return {
        "estimate": float(diff),
        "lower": float(diff - Z95 * se),
        "upper": float(diff + Z95 * se),
        "z": float(z),
        "p_value": pval,
    }


def _quarter_text(d: pd.Series) -> pd.Series:
    return d.dt.year.astype(str) + " Q" + d.dt.quarter.astype(str)


def quarter_label(dates: pd.Series) -> pd.Series:
    """Calendar quarter labels like ``"2009 Q1"`` (sortable as text).

    The text is made once per distinct quarter, not once per row.
    """
    d = pd.to_datetime(dates)
    if not (isinstance(d, pd.Series) and len(d) and isinstance(d.dtype, np.dtype)
            and d.dtype.kind == "M"):
        return _quarter_text(d)
    months = d.to_numpy().astype("datetime64[M]")
    if np.isnat(months).any():  # missing dates make float years: keep pandas' text for them
        return _quarter_text(d)
    codes, quarters = pd.factorize(months.astype(np.int64) // 3, sort=True)
    starts = (quarters * 3).astype("datetime64[M]").astype(d.dtype)
    labels = _quarter_text(pd.Series(starts))
    return pd.Series(labels.array.take(codes), index=d.index, name=d.name)


def _numpy_datetimes(series: pd.Series) -> bool:
    return isinstance(series.dtype, np.dtype) and series.dtype.kind == "M"


def as_datetime(dates: pd.Series) -> pd.Series:
    """``pd.to_datetime(dates)``, skipped when ``dates`` already hold (time-zone naive) dates."""
    if isinstance(dates, pd.Series) and _numpy_datetimes(dates):
        return dates
    return pd.to_datetime(dates)


def is_present(values: pd.Series) -> np.ndarray:
    """``values.notna()`` as a NumPy array."""
    if _numpy_datetimes(values):
        return ~np.isnat(values.to_numpy())
    return values.notna().to_numpy()


def days_between(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """Whole days from ``earlier`` to ``later``, row by row, as floats (NaN where either date is
    missing): ``(later - earlier).dt.days``, which floors part days."""
    later, earlier = as_datetime(later), as_datetime(earlier)
    if not (_numpy_datetimes(later) and _numpy_datetimes(earlier)):
        return (later - earlier).dt.days.to_numpy(dtype=float)
    delta = later.to_numpy() - earlier.to_numpy()
    valid = ~np.isnat(delta)
    out = np.full(len(delta), np.nan)
    out[valid] = delta[valid] // np.timedelta64(1, "D")
    return out


def month_start(dates: pd.Series) -> pd.Series:
    """The first day of each date's month."""
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month."""
    return (end.year - start.year) * 12 + (end.month - start.month)
