"""Small vectorised helpers shared by the generator modules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import PILOT_END, PILOT_START

FIRST_DAY = np.datetime64(PILOT_START.date(), "D")
LAST_DAY = np.datetime64(PILOT_END.date(), "D")
_FIRST_MONTH = FIRST_DAY.astype("datetime64[M]")
MONTHS = int(LAST_DAY.astype("datetime64[M]") - _FIRST_MONTH) + 1  # Jan 2009 .. Mar 2011: 27
MONTH_START = (_FIRST_MONTH + np.arange(MONTHS)).astype("datetime64[D]")
MONTH_END = (_FIRST_MONTH + 1 + np.arange(MONTHS)).astype("datetime64[D]") - 1


def categorical(
    rng: np.random.Generator,
    probs: np.ndarray,
    group: np.ndarray | None = None,
    size: int | None = None,
) -> np.ndarray:
    """Draw category indices.

    ``probs`` is one probability vector, or a matrix with one row per group, in which case row
    ``group[i]`` is used for draw ``i``.
    """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 1:
        cum = np.cumsum(probs / probs.sum())
        u = rng.random(size if size is not None else len(group))
        return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)[group]
    u = rng.random(len(group))
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def allocate(
    rng: np.random.Generator,
    weight: np.ndarray,
    share: float,
    propensity: np.ndarray,
    eligible: np.ndarray | None = None,
) -> np.ndarray:
    """Pick rows so that their weight is ``share`` of the total weight, favouring high propensity.

    Rows are ordered by a weighted random key (Efraimidis-Spirakis: ``log(u) / propensity``) and
    taken from the top while they fit; then the one of the next rows that best fills the gap, so the
    weighted share is hit almost exactly for any seed while who is picked stays random.
    ``eligible`` restricts picking to some rows (the target is still a share of all rows).
    """
    n = len(weight)
    picked = np.zeros(n, dtype=bool)
    if n == 0:
        return picked
    target = share * weight.sum()
    pool = np.arange(n) if eligible is None else np.flatnonzero(eligible)
    key = np.log(rng.random(len(pool))) / np.maximum(propensity[pool], 1e-9)
    order = pool[np.argsort(-key, kind="stable")]
    cum = np.cumsum(weight[order])
    k = int(np.searchsorted(cum, target))  # cum[k-1] < target <= cum[k]: take the first k
    picked[order[:k]] = True
    remaining = target - (cum[k - 1] if k else 0.0)
    near = order[k : k + 50]  # then the one of the next few rows that best fills the gap
    if len(near):
        best = near[np.argmin(np.abs(weight[near] - remaining))]
        if abs(weight[best] - remaining) < remaining:
            picked[best] = True
    return picked


def spread_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniformly random day between ``lo`` and ``hi`` (inclusive), per row."""
    span = (hi - lo).astype(np.int64) + 1
    return lo + np.floor(rng.random(len(lo)) * span).astype(np.int64)


def monthly_events(
    rng: np.random.Generator,
    start_month: np.ndarray,
    start_day: np.ndarray,
    shape: np.ndarray,
    total: np.ndarray,
    miss=None,
    tries: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Events per LA and calendar month, expanded to one row per event.

    ``shape[i, c]`` is the relative intensity of LA ``i`` in calendar month ``c`` (zero before its
    start); month one is pro-rated from ``start_day``. Counts are Poisson with expected total
    ``total[i]``. ``miss(i, counts, mean)``, when given, says how far LA ``i``'s monthly counts
    are from what is wanted (0 = accepted; ``mean`` the expected counts): its counts are drawn
    again, up to ``tries`` times, and the closest draw is kept. Returns ``(la_index, date)`` per
    event, dates as ``datetime64[D]``.
    """
    n = len(start_month)
    days_in = (MONTH_END - MONTH_START).astype(np.int64) + 1
    frac = np.ones((n, MONTHS))
    first_len = days_in[start_month]
    frac[np.arange(n), start_month] = (first_len - (start_day - 1)) / first_len
    intensity = shape * frac
    level = total / np.maximum(intensity.sum(axis=1), 1e-9)
    counts = rng.poisson(intensity * level[:, None])
    for i in range(n if miss is not None else 0):
        mean = intensity[i] * level[i]
        best, off = counts[i], miss(i, counts[i], mean)
        for _ in range(tries):
            if off == 0:
                break
            draw = rng.poisson(mean)
            if (d := miss(i, draw, mean)) < off:
                best, off = draw, d
        counts[i] = best
    la = np.repeat(np.repeat(np.arange(n), MONTHS), counts.ravel())
    month = np.repeat(np.tile(np.arange(MONTHS), n), counts.ravel())
    lo = MONTH_START[month]
    first = month == start_month[la]
    lo = np.where(first, lo + (start_day[la] - 1), lo)
    return la, spread_days(rng, lo, MONTH_END[month])


def fake_ids(prefix: str, number: np.ndarray, suffix: np.ndarray | None = None) -> np.ndarray:
    """``prefix`` + six-digit ``number`` (+ one ``suffix`` letter): ``QQ123456C``, ``R000042``.

    Built as a byte matrix, which is much faster than formatting a million strings one by one.
    """
    n, width = len(number), len(prefix) + 6 + (suffix is not None)
    out = np.empty((n, width), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    value = number.astype(np.int64)
    for k in range(6):
        out[:, len(prefix) + 5 - k] = 48 + (value // 10**k) % 10
    if suffix is not None:
        out[:, -1] = np.asarray(suffix).astype("S1").view(np.uint8)
    return out.view(f"S{width}").ravel().astype(f"U{width}")


def codes(index: np.ndarray, labels: list[str] | tuple[str, ...] | np.ndarray) -> pd.Categorical:
    """A categorical column: ``labels[index]`` without building a million strings."""
    return pd.Categorical.from_codes(np.asarray(index, dtype=np.int64), categories=list(labels))


def centre_codes(la: np.ndarray, centre: np.ndarray, la_codes: np.ndarray) -> pd.Categorical:
    """``P01-A`` style codes from LA indices (into ``la_codes``) and centre indices 0, 1, 2."""
    labels = [f"{code}-{letter}" for code in la_codes for letter in "ABC"]
    return codes(la * 3 + centre, labels)


def frame_of(cols: dict[str, object], order: np.ndarray | None = None) -> pd.DataFrame:
    """A frame from numpy or categorical columns, rows put in ``order``; text kept as ``object``."""
    out = {}
    for name, values in cols.items():
        if isinstance(values, pd.Categorical):
            out[name] = pd.Series(values if order is None else values[order])
            continue
        values = np.asarray(values)
        if order is not None:
            values = values[order]
        if values.dtype.kind == "U":
            values = values.astype(object)
        elif values.dtype.kind == "M":
            values = values.astype("datetime64[ns]")
        out[name] = pd.Series(values, dtype=values.dtype)
    return pd.DataFrame(out)
