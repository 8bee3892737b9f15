"""Synthetic MI starts and referrals: monthly volumes per pilot LA, then one row per event.

Starts ramp up linearly from each LA's pilot_start and level off after 9.5 to 12.5 months (the pilot
takes "at least nine months to bed in"); referrals in both directions follow a slower S-curve that
levels off after about a year. Volumes per LA vary with an LA size factor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._spec import BARRIERS, BENEFITS, CUSTOMER_TYPES, DIRECTIONS, ROUTES, SERVICES
from ._synth_common import (
    LAST_DAY,
    MONTHS,
    categorical,
    centre_codes,
    codes,
    fake_ids,
    frame_of,
    monthly_events,
)

MI_PER_LA = 200  # expected starts per pilot LA at scale 1 (assumption: mi_starts_per_la)
REFERRALS_PER_LA = 150  # expected referrals per pilot LA at scale 1 (assumption)


def _relative_month(start_month: np.ndarray) -> np.ndarray:
    return np.arange(MONTHS)[None, :] - start_month[:, None]


def mi_starts(
    rng: np.random.Generator, pilots: pd.DataFrame, centre_share: np.ndarray, scale: float
) -> pd.DataFrame:
    """One row per start (typed frame, contract columns, unsorted ids assigned)."""
    n_la = len(pilots)
    ramp = rng.uniform(9.5, 12.5, n_la)
    rel = _relative_month(pilots["start_month"].to_numpy())
    shape = np.where(rel >= 0, np.clip((rel + 0.5) / ramp[:, None], 0.0, 1.0), 0.0)
    total = MI_PER_LA * scale * pilots["size"].to_numpy()
    la, start = monthly_events(
        rng, pilots["start_month"].to_numpy(), pilots["start_day"].to_numpy(), shape, total
    )
    n = len(la)
    if n > 4_000_000:
        raise ValueError(f"{n:,} starts exceed the 4,000,000 fake participant ids (QQ + 6 digits)")
    centre = _pick_centre(rng, centre_share[la])
    lone = rng.random(n) < 0.70
    lone_benefit = categorical(rng, [0.14, 0.533, 0.12, 0.086, 0.121], size=n)
    other_benefit = categorical(rng, [0.60, 0.02, 0.18, 0.06, 0.14], size=n)
    benefit = np.where(lone, lone_benefit, other_benefit)
    no_benefit = benefit == 0
    non_trad = no_benefit | (rng.random(n) < 0.03)
    second = ~lone & no_benefit & (rng.random(n) < 0.80)
    route = categorical(
        rng,
        np.array([[0.26, 0.22, 0.10, 0.20, 0.14, 0.08], [0.40, 0.20, 0.18, 0.04, 0.12, 0.06]]),
        non_trad.astype(int),
    )
    barrier = categorical(rng, [0.32, 0.18, 0.20, 0.08, 0.07, 0.15], size=n)
    lpb = lone & ~no_benefit
    job_delay = 10 + rng.gamma(2.0, 55.0, n).astype(np.int64)
    job = np.where(rng.random(n) < 0.24, start + job_delay, np.datetime64("NaT"))
    train_delay = 5 + rng.gamma(1.5, 30.0, n).astype(np.int64)
    train = np.where(rng.random(n) < 0.30, start + train_delay, np.datetime64("NaT"))
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
        "job_entry_date": np.where(job > LAST_DAY, np.datetime64("NaT"), job),
        "training_start_date": np.where(train > LAST_DAY, np.datetime64("NaT"), train),
    }
    return frame_of(cols, order)


def referrals(
    rng: np.random.Generator, pilots: pd.DataFrame, centre_share: np.ndarray, scale: float
) -> pd.DataFrame:
    """One row per referral between Jobcentre Plus and children's-centre services."""
    n_la = len(pilots)
    mid = rng.uniform(8.5, 10.0, n_la)
    rel = _relative_month(pilots["start_month"].to_numpy())
    curve = 0.12 + 0.88 / (1.0 + np.exp(-(rel - mid[:, None]) / 1.3))
    shape = np.where(rel >= 0, curve, 0.0)
    total = REFERRALS_PER_LA * scale * pilots["size"].to_numpy()
    la, date = monthly_events(
        rng, pilots["start_month"].to_numpy(), pilots["start_day"].to_numpy(), shape, total
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
