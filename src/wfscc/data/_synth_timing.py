"""Monthly shapes of starts and referrals, solved so that the analysis's own rules reproduce the
calibration targets.

The report states *typical durations*: the median (and range) across pilot LAs of the months each
LA took to reach a steady level, by Annex B's rule (:data:`wfscc.contract.BEDDING_IN_RULE`), and
referral growth from each LA's own start. So the generator gives each LA a time to bed in, spread
between the calibration's minimum and maximum with the median at its target, and solves each LA's
curve so that the rule, applied to the *expected* monthly counts, reaches the level in that
month. Monthly counts are Poisson draws, and the rule's first crossing is sensitive to a noisy
month, so each LA's counts are drawn again (:func:`accept_months`, a few tries at most) until
the rule, applied to the drawn counts as the analysis will apply it, gives the LA's month.
Referral growth is solved on the expected counts the analysis compares; it keeps its sampling
noise.
"""

from __future__ import annotations

import numpy as np

from ..contract import BEDDING_IN_RULE as RULE
from ._synth_common import MONTH_END, MONTH_START, MONTHS

#: Where inside its month the expected series should cross the level (0 = at the start of the
#: month, 1 = at its end): the middle, so draws that reach the rule's month are common.
AIM = 0.5
#: Most draws of one LA's monthly counts before the closest one is kept.
TRIES = 200
#: Width (months) of the referral S-curve's rise.
REFERRAL_WIDTH = 1.3


def per_la_months(rng: np.random.Generator, n: int, spread: tuple[float, float, float]):
    """``n`` whole months to aim at, from ``min`` to ``max`` with the median at ``median``,
    shuffled."""
    lo, mid, hi = spread
    if n <= 2:
        values = np.full(n, mid)
    else:
        k = n // 2
        if n % 2:
            values = np.concatenate([np.linspace(lo, mid, k + 1), np.linspace(mid, hi, k + 1)[1:]])
        else:
            values = np.concatenate([np.linspace(lo, mid, k), np.linspace(mid, hi, k)])
    return rng.permutation(np.floor(values + 0.5))


def rule_month(counts: np.ndarray) -> float:
    """Annex B's rule on one LA's monthly counts from its start month, as the analysis applies
    it: the first month (the third at the earliest) whose mean with the two before reaches
    ``share`` of the median of the final months; NaN if none does."""
    share, window, final = RULE["share"], RULE["window"], RULE["final_months"]
    steady = _median(counts[-final:]) if len(counts) else 0.0
    if len(counts) < window or steady <= 0:
        return np.nan
    rolling = np.convolve(counts, np.ones(window), mode="valid") / window
    hit = np.flatnonzero(rolling >= share * steady)
    return float(hit[0] + window - 1) if hit.size else np.nan


def accept_months(start_month: np.ndarray, months: np.ndarray, window: int | None = None):
    """A test for :func:`~._synth_common.monthly_events`: how far LA ``i``'s calendar-month
    counts are from giving ``months[i]`` by the rule (0 = they give it). With ``window``, the
    counts in the LA's first ``window`` months and in the pilot's final ``window`` months must
    also lie within one standard deviation of their expected values, so that the growth between
    them keeps near the growth solved for."""

    def miss(i: int, counts: np.ndarray, mean: np.ndarray) -> float:
        s = start_month[i]
        found = rule_month(counts[s:])
        off = 10 * abs(found - months[i]) if np.isfinite(found) else np.inf
        if window is not None:
            for part in (slice(s, s + window), slice(len(counts) - window, None)):
                expected = mean[part].sum()
                z = abs(counts[part].sum() - expected) / np.sqrt(max(expected, 1e-9))
                off += max(0.0, z - 1.0)
        return off

    return miss


def first_month_fraction(start_month: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    """The share of each LA's first month that falls on or after its start day."""
    days = (MONTH_END - MONTH_START).astype(np.int64) + 1
    first = days[start_month]
    return (first - (start_day - 1)) / first


def _median(values: np.ndarray) -> float:
    """The median of a few values (``np.median``'s answer, without its overhead)."""
    v = np.sort(values)
    k = len(v) // 2
    return float(v[k]) if len(v) % 2 else float((v[k - 1] + v[k]) / 2)


def crossing(expected: np.ndarray) -> float:
    """The month (from the start month, fractional) at which Annex B's rule, applied to the
    expected monthly counts, first reaches the steady level; ``inf`` if it never does."""
    share, window, final = RULE["share"], RULE["window"], RULE["final_months"]
    if len(expected) < window:
        return np.inf
    steady = _median(expected[-final:])
    rolling = np.convolve(expected, np.ones(window) / window, mode="valid")  # months window-1..
    hit = np.flatnonzero(rolling >= share * steady)
    if not hit.size or steady <= 0:
        return np.inf
    i = int(hit[0])
    if i == 0:
        return float(window - 1)
    before, after = rolling[i - 1], rolling[i]
    return window - 2 + i + (share * steady - before) / (after - before)


def _bisect(f, target: float, lo: float, hi: float, steps: int = 30) -> float:
    """The ``x`` in ``lo..hi`` where the increasing function ``f`` reaches ``target``."""
    for _ in range(steps):
        mid = (lo + hi) / 2
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _solve(months_of, target: float, lo: float, hi: float) -> float:
    """The curve parameter (in ``lo..hi``) whose expected series reaches the steady level at
    month ``target`` by the rule (``months_of(x)``).

    The rule's month rises with the parameter only while the curve levels off within the final
    12 months (a curve still rising there lowers its own steady level), so the search keeps to
    that rising part; an LA that started too late to take ``target`` months gets the longest it
    can take.
    """
    grid = np.linspace(lo, hi, 61)
    found = np.array([months_of(x) for x in grid])
    found[~np.isfinite(found)] = -np.inf
    top = int(np.argmax(found))
    above = np.flatnonzero(found[: top + 1] >= target)
    if not above.size:
        return float(grid[top])
    i = int(above[0])
    if i == 0:
        return float(grid[0])
    return _bisect(months_of, target, float(grid[i - 1]), float(grid[i]))


def _assign(rng: np.random.Generator, start_month: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Give the longer target times to the LAs with more months of the pilot (earlier starters),
    loosely: an LA that started late has too few months to show a long time to settle."""
    key = start_month + rng.normal(0.0, 2.0, len(start_month))
    out = np.empty_like(months)
    out[np.argsort(key, kind="stable")] = np.sort(months)[::-1]
    return out


def _rel(start_month: int) -> np.ndarray:
    return np.arange(MONTHS - start_month, dtype=float)


def ramp(rel: np.ndarray, length: float) -> np.ndarray:
    """Starts rise in a straight line from the start month and level off after ``length``."""
    return np.clip((rel + 0.5) / length, 0.0, 1.0)


def s_curve(rel: np.ndarray, mid: float, floor: float) -> np.ndarray:
    """Referrals start at ``floor`` of their final level and rise around month ``mid``."""
    return floor + (1.0 - floor) / (1.0 + np.exp(-(rel - mid) / REFERRAL_WIDTH))


def _calendar(start_month: np.ndarray, curves: list[np.ndarray]) -> np.ndarray:
    """Per-LA curves (from each start month) laid out over the calendar months, zero before."""
    shape = np.zeros((len(curves), MONTHS))
    for i, (s, curve) in enumerate(zip(start_month, curves, strict=True)):
        shape[i, s:] = curve
    return shape


def starts_shape(
    rng: np.random.Generator,
    start_month: np.ndarray,
    start_day: np.ndarray,
    bedding_in: tuple[float, float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Relative monthly starts per LA and calendar month (zero before the LA's start), and the
    month in which each LA's expected starts reach a steady level by the rule (its aim, where its
    start leaves it enough months)."""
    frac = first_month_fraction(start_month, start_day)
    months = _assign(rng, start_month, per_la_months(rng, len(start_month), bedding_in))
    curves, reached, solved = [], [], {}  # LAs alike in start and aim share one solution
    for s, fr, m in zip(start_month, frac, months, strict=True):
        rel = _rel(int(s))
        scale = np.where(rel == 0, fr, 1.0)
        if (key := (int(s), float(fr), float(m))) not in solved:
            solved[key] = _solve(
                lambda x, r=rel, c=scale: crossing(ramp(r, x) * c),
                m - 1 + AIM,
                0.5,
                float(len(rel)),
            )
        curves.append(ramp(rel, solved[key]))
        reached.append(np.ceil(crossing(curves[-1] * scale)))
    return _calendar(start_month, curves), np.array(reached)


def referrals_shape(
    rng: np.random.Generator,
    start_month: np.ndarray,
    start_day: np.ndarray,
    size: np.ndarray,
    spread: tuple[float, float, float],
    growth: float,
    window: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Relative monthly referrals per LA and calendar month, solved so that each LA establishes
    its flow at its target month and referrals in the pilot's final ``window`` months are
    ``growth`` times those in the LAs' own first ``window`` months (on expected counts, with LA
    volumes in proportion to ``size``); and the month in which each LA's expected referrals
    settle by the rule."""
    frac = first_month_fraction(start_month, start_day)
    months = _assign(rng, start_month, per_la_months(rng, len(start_month), spread))
    rels = [_rel(int(s)) for s in start_month]
    scales = [np.where(rel == 0, fr, 1.0) for rel, fr in zip(rels, frac, strict=True)]

    solved: dict[tuple, float] = {}  # LAs alike in start and aim share one solution

    def mid(rel: np.ndarray, c: np.ndarray, m: float, floor: float) -> float:
        key = (len(rel), float(c[0]), float(m), floor)
        if key not in solved:
            solved[key] = _solve(
                lambda x: crossing(s_curve(rel, x, floor) * c), m - 1 + AIM, -5.0, float(len(rel))
            )
        return solved[key]

    def mids(floor: float) -> list[float]:
        return [mid(rel, c, m, floor) for rel, c, m in zip(rels, scales, months, strict=True)]

    def ratio(floor: float, centres: list[float]) -> float:
        first = last = 0.0
        for rel, c, mid, w in zip(rels, scales, centres, size, strict=True):
            expected = s_curve(rel, mid, floor) * c
            level = w / expected.sum()
            first += level * expected[:window].sum()
            last += level * expected[-window:].sum()
        return last / first

    floor = min(1.0 / growth, 0.99)
    for _ in range(3):  # the mid-points depend a little on the floor, and the floor on them
        centres = mids(floor)
        floor = _bisect(lambda f, c=centres: -ratio(f, c), -growth, 1e-4, 0.999)
    curves = [s_curve(rel, mid, floor) for rel, mid in zip(rels, mids(floor), strict=True)]
    reached = [np.ceil(crossing(c * sc)) for c, sc in zip(curves, scales, strict=True)]
    return _calendar(start_month, curves), np.array(reached)
