"""Shared estimators: shares with Wilson intervals, Kish effective sample size, pilot calendar."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import WfsccError

PILOT_START = pd.Timestamp("2009-01-01")
PILOT_END = pd.Timestamp("2011-03-31")
Z95 = float(stats.norm.ppf(0.975))


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


def share(frame: pd.DataFrame, flag: pd.Series | str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Unweighted share of rows where ``flag`` is true, by ``by``, with Wilson 95% interval.

    Returns ``by`` columns, ``count``, ``base``, ``estimate``, ``lower``, ``upper``.
    """
    flag_s = frame[flag] if isinstance(flag, str) else flag
    work = frame[list(by)].copy()
    work["_flag"] = flag_s.astype(bool).to_numpy()
    if by:
        g = work.groupby(list(by), observed=True, sort=True)["_flag"]
        out = g.agg(count="sum", base="size").reset_index()
    else:
        out = pd.DataFrame({"count": [int(work["_flag"].sum())], "base": [len(work)]})
    out["count"] = out["count"].astype(int)
    out["base"] = out["base"].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["estimate"] = np.where(out["base"] > 0, out["count"] / out["base"], np.nan)
    out["lower"], out["upper"] = wilson(out["estimate"].to_numpy(), out["base"].to_numpy())
    return out


def weighted_share(
    frame: pd.DataFrame, flag: pd.Series | str, weight: str, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Weighted share with a Wilson interval on the Kish effective sample size.

    ``n_eff = (sum w)^2 / sum w^2`` within each cell; the interval is Wilson's on ``n_eff``.
    This allows for the variance the unequal weights add, but not for clustering by centre.
    Returns ``by``, ``base`` (unweighted n), ``n_eff``, ``weighted_base``, ``estimate``,
    ``lower``, ``upper``.
    """
    flag_s = frame[flag] if isinstance(flag, str) else flag
    work = frame[list(by)].copy()
    w = frame[weight].astype(float).to_numpy()
    work["_w"] = w
    work["_w2"] = w**2
    work["_wy"] = w * flag_s.astype(float).to_numpy()
    work["_one"] = 1
    if by:
        agg = work.groupby(list(by), observed=True, sort=True)[["_w", "_w2", "_wy", "_one"]].sum()
        agg = agg.reset_index()
    else:
        agg = work[["_w", "_w2", "_wy", "_one"]].sum().to_frame().T
    out = agg[list(by)].copy()
    out["base"] = agg["_one"].astype(int)
    out["n_eff"] = agg["_w"] ** 2 / agg["_w2"]
    out["weighted_base"] = agg["_w"]
    out["estimate"] = agg["_wy"] / agg["_w"]
    out["lower"], out["upper"] = wilson(out["estimate"].to_numpy(), out["n_eff"].to_numpy())
    return out


def two_proportion(p1, n1, p2, n2) -> dict[str, float]:
    """Difference ``p2 - p1`` with a two-proportion z-test (pooled) and a Wald 95% interval.

    ``n1`` and ``n2`` are effective sample sizes.
    """
    diff = p2 - p1
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = diff / se0 if se0 > 0 else np.nan
    pval = float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else np.nan
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return {
        "estimate": float(diff),
        "lower": float(diff - Z95 * se),
        "upper": float(diff + Z95 * se),
        "z": float(z),
        "p_value": pval,
    }


def quarter_label(dates: pd.Series) -> pd.Series:
    """Calendar quarter labels like ``"2009 Q1"`` (sortable as text)."""
    d = pd.to_datetime(dates)
    return d.dt.year.astype(str) + " Q" + d.dt.quarter.astype(str)


def month_start(dates: pd.Series) -> pd.Series:
    """The first day of each date's month."""
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month."""
    return (end.year - start.year) * 12 + (end.month - start.month)
