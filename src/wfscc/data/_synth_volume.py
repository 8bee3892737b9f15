"""Synthetic MI starts and referrals: monthly volumes per pilot LA, then one row per event.

Starts ramp up linearly from each LA's pilot_start; referrals in both directions follow a slower
S-curve. Both curves are solved (:mod:`._synth_timing`) so that the analysis's rules reproduce the
calibration's months to bed in, months to established referral flows and referral growth from each
LA's own start. Volumes per LA vary with an LA size factor; shares of starts (lone parents on
benefit, non-traditional customers, second earners, job and training outcomes) come from the
calibration's targets (:mod:`._synth_targets`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import (
    BARRIERS,
    BENEFITS,
    CUSTOMER_TYPES,
    DIRECTIONS,
    GROWTH_WINDOW,
    PILOT_END,
    ROUTES,
    SERVICES,
)
from ..errors import CalibrationError
from ._synth_common import (
    LAST_DAY,
    categorical,
    centre_codes,
    codes,
    fake_ids,
    frame_of,
    monthly_events,
)
from ._synth_targets import Targets
from ._synth_timing import accept_months, referrals_shape, starts_shape

#: Share of starts who are lone parents (a modelling choice: no figure is published; the
#: calibration's shares are reached through the benefit mix of each group).
LONE_PARENT = 0.70
#: Non-traditional customers who claim a benefit (a small group, as some partners' benefits
#: do not make a claimant a traditional Jobcentre Plus customer).
NON_TRADITIONAL_ON_BENEFIT = 0.03
#: Relative mix of the benefits claimed, for lone parents and for others (``BENEFITS`` after
#: ``none``).
_LONE_BENEFITS = np.array([0.533, 0.12, 0.086, 0.121])
_OTHER_BENEFITS = np.array([0.02, 0.18, 0.06, 0.14])


def benefit_mix(t: Targets) -> tuple[float, float, float]:
    """``(no benefit among lone parents, no benefit among others, second earners among others
    without a benefit)`` that give the calibration's shares of starts; a target the mix cannot
    reach is a CalibrationError."""
    lone = LONE_PARENT
    a = 1 - t.lone_parent_benefit / lone
    no_benefit = (t.non_traditional - NON_TRADITIONAL_ON_BENEFIT) / (1 - NON_TRADITIONAL_ON_BENEFIT)
    b = (no_benefit - lone * a) / (1 - lone)
    second = t.second_earner_of_non_traditional * t.non_traditional / max((1 - lone) * b, 1e-9)
    for cid, value in (
        ("mi_non_traditional_pct", b),
        ("mi_second_earner_of_non_traditional_pct", second),
    ):
        if not 0 <= value <= 1:
            raise CalibrationError(
                f"{t.source}: entry {cid!r}, key 'target': the generator cannot reach it together "
                f"with mi_lone_parent_on_benefit_pct ({100 * t.lone_parent_benefit:g}) and "
                f"mi_non_traditional_pct ({100 * t.non_traditional:g}). Bring the three closer "
                "to the published figures (60, 30 and 48 per cent)."
            )
    return a, b, second


def _observed_rate(
    rng: np.random.Generator,
    start: np.ndarray,
    delay: np.ndarray,
    target: float,
    cid: str,
    t: Targets,
) -> np.ndarray:
    """Dates ``start + delay`` for a share of rows chosen so that the share observed by the end
    of the pilot is ``target``; NaT for the rest (and for dates after the pilot)."""
    due = start + delay
    seen = due <= LAST_DAY
    p = target / max(seen.mean(), 1e-9) if len(seen) else 0.0
    if p > 1:
        raise CalibrationError(
            f"{t.source}: entry {cid!r}, key 'target': {100 * target:g} per cent cannot be "
            f"observed by {PILOT_END:%B %Y} (at most {100 * seen.mean():.0f} per cent). Lower it."
        )
    happened = rng.random(len(start)) < p
    return np.where(happened & seen, due, np.datetime64("NaT"))


def mi_starts(
    rng: np.random.Generator,
    pilots: pd.DataFrame,
    centre_share: np.ndarray,
    scale: float,
    t: Targets,
) -> pd.DataFrame:
    """One row per start (typed frame, contract columns, unsorted ids assigned)."""
    start_month = pilots["start_month"].to_numpy()
    shape, months = starts_shape(rng, start_month, pilots["start_day"].to_numpy(), t.bedding_in)
    total = t.starts_per_la * scale * pilots["size"].to_numpy()
    la, start = monthly_events(
        rng,
        start_month,
        pilots["start_day"].to_numpy(),
        shape,
        total,
        miss=accept_months(start_month, months),
    )
    n = len(la)
    if n > 4_000_000:
        raise ValueError(f"{n:,} starts exceed the 4,000,000 fake participant ids (QQ + 6 digits)")
    centre = _pick_centre(rng, centre_share[la])
    a, b, p_second = benefit_mix(t)
    lone = rng.random(n) < LONE_PARENT
    lone_benefit = categorical(
        rng, np.r_[a, (1 - a) * _LONE_BENEFITS / _LONE_BENEFITS.sum()], size=n
    )
    other_benefit = categorical(
        rng, np.r_[b, (1 - b) * _OTHER_BENEFITS / _OTHER_BENEFITS.sum()], size=n
    )
    benefit = np.where(lone, lone_benefit, other_benefit)
    no_benefit = benefit == 0
    non_trad = no_benefit | (rng.random(n) < NON_TRADITIONAL_ON_BENEFIT)
    second = ~lone & no_benefit & (rng.random(n) < p_second)
    route = categorical(
        rng,
        np.array([[0.26, 0.22, 0.10, 0.20, 0.14, 0.08], [0.40, 0.20, 0.18, 0.04, 0.12, 0.06]]),
        non_trad.astype(int),
    )
    barrier = categorical(rng, [0.32, 0.18, 0.20, 0.08, 0.07, 0.15], size=n)
    lpb = lone & ~no_benefit
    job_delay = 10 + rng.gamma(2.0, 55.0, n).astype(np.int64)
    job = _observed_rate(rng, start, job_delay, t.job_entry, "mi_job_entry_pct", t)
    train_delay = 5 + rng.gamma(1.5, 30.0, n).astype(np.int64)
    train = _observed_rate(rng, start, train_delay, t.training_start, "mi_training_start_pct", t)
    ids = rng.choice(4_000_000, size=n, replace=False)
    order = np.lexsort((ids, start.astype(np.int64), centre, la))
    la_codes = pilots["la_code"].to_numpy()
    cols = {
        "participant_id": fake_ids("QQ", ids // 4, np.array(list("ABCD"))[ids % 4]),
        "la_code": codes(la, la_codes),
        "centre_code": centre_codes(la, centre, la_codes),
        "start_date": start,
        "lone_parent": lone,
        "benefit": codes(benefit, BENEFITS),
        "customer_type": codes(non_trad, CUSTOMER_TYPES),
        "second_earner": second,
        "engagement_route": codes(route, ROUTES),
        "main_barrier": codes(barrier, BARRIERS),
        "support_better_off_calc": rng.random(n) < 0.45 + 0.20 * lpb,
        "support_tax_credits": rng.random(n) < 0.40,
        "support_cv": rng.random(n) < 0.35,
        "support_training_referral": rng.random(n) < 0.28,
        "referred_on": rng.random(n) < 0.30 + 0.15 * np.isin(barrier, [0, 3]),
        "job_entry_date": job,
        "training_start_date": train,
    }
    return frame_of(cols, order)


def referrals(
    rng: np.random.Generator,
    pilots: pd.DataFrame,
    centre_share: np.ndarray,
    scale: float,
    t: Targets,
) -> pd.DataFrame:
    """One row per referral between Jobcentre Plus and children's-centre services."""
    size, start_month = pilots["size"].to_numpy(), pilots["start_month"].to_numpy()
    start_day = pilots["start_day"].to_numpy()
    shape, months = referrals_shape(
        rng, start_month, start_day, size, t.referral_months, t.referral_growth, GROWTH_WINDOW
    )
    total = t.referrals_per_la * scale * size
    la, date = monthly_events(
        rng,
        start_month,
        start_day,
        shape,
        total,
        miss=accept_months(start_month, months, GROWTH_WINDOW),
    )
    n = len(la)
    if n > 999_999:
        raise ValueError(f"{n:,} referrals exceed the 999,999 referral ids (R + 6 digits)")
    centre = _pick_centre(rng, centre_share[la])
    to_jcp = rng.random(n) < 0.52
    service = categorical(
        rng,
        np.array([[0.30, 0.25, 0.10, 0.25, 0.05, 0.05], [0.05, 0.05, 0.05, 0.10, 0.35, 0.40]]),
        to_jcp.astype(int),
    )
    ids = rng.choice(np.arange(1, 1_000_000), size=n, replace=False)
    order = np.lexsort((ids, date.astype(np.int64), centre, la))
    la_codes = pilots["la_code"].to_numpy()
    cols = {
        "referral_id": fake_ids("R", ids),
        "date": date,
        "la_code": codes(la, la_codes),
        "centre_code": centre_codes(la, centre, la_codes),
        "direction": codes(to_jcp, DIRECTIONS),
        "service": codes(service, SERVICES),
    }
    return frame_of(cols, order)


def _pick_centre(rng: np.random.Generator, share: np.ndarray) -> np.ndarray:
    """Centre index (0, 1, 2) per row, from each row's LA centre shares."""
    cum = np.cumsum(share, axis=1)
    u = rng.random(len(share))
    return np.minimum((u[:, None] >= cum).sum(axis=1), share.shape[1] - 1)
