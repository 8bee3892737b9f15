"""Synthetic two-wave survey of children's-centre users in pilot and comparison areas.

Every target comes from the calibration file (:mod:`._synth_targets`). Weighted shares that the
report quotes (take-up of Jobcentre Plus services at the centre, the preference for the centre)
are placed with ``allocate`` so they hold for any seed. The change in each attitude's mean score
between the waves is placed on the scores drawn (every wave-two attitude shifted until its
weighted mean is wave one's plus the change), so it holds for any seed. Each wave is a fresh
cross-section: an LA's number of respondents is drawn anew for each wave around the
calibration's size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import GROUPS, HOUSEHOLDS, PLACES, WORK_STATUSES
from ._synth_common import allocate, categorical, centre_codes, codes, fake_ids, frame_of
from ._synth_targets import Targets

PREFER_OFFICE = 0.08  # of those not preferring the centre (a modelling choice)
_CUTS = np.array([-1.6, -0.6, 0.3, 1.2])  # latent attitude -> 1..5
_ATTITUDES = (("confidence", 0.0), ("aspiration", 0.0), ("awareness", 0.15))  # (name, extra pull
# of using the services at the centre)


def respondents(
    rng: np.random.Generator, areas: pd.DataFrame, scale: float, t: Targets, group: str, wave: int
) -> np.ndarray:
    """Respondents per LA of ``group`` at ``wave``: Poisson around the calibration's size per LA
    (in proportion to the LA's size), drawn anew for each wave; at least two."""
    size = areas.loc[areas["group"] == group, "size"].to_numpy()
    n_las = t.pilot_las if group == "pilot" else t.comparison_las
    mean = t.survey_n[(group, wave)] / n_las * scale * size / size.mean()
    return np.maximum(2, rng.poisson(mean)).astype(np.int64)


def survey(
    rng: np.random.Generator,
    areas: pd.DataFrame,
    centre_share: np.ndarray,
    scale: float,
    t: Targets,
) -> pd.DataFrame:
    """One row per respondent (both waves, both groups), typed, sorted, ids assigned."""
    parts = []
    baseline: dict[str, dict[str, float]] = {}  # group -> attitude -> wave one's mean
    for wave in (1, 2):
        for group in GROUPS:
            idx = np.flatnonzero(areas["group"].to_numpy() == group)
            la = np.repeat(idx, respondents(rng, areas, scale, t, group, wave))
            before = baseline.setdefault(group, {})
            parts.append(_stratum(rng, areas, centre_share, la, wave, group, t, before))
    cols = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    n = len(cols["wave"])
    if n > 999_999:
        raise ValueError(f"{n:,} respondents exceed the 999,999 respondent ids (S + 6 digits)")
    ids = rng.choice(np.arange(1, 1_000_000), size=n, replace=False)
    order = np.lexsort((ids, cols["_centre"], cols["_la"], cols["group"], cols["wave"]))
    la, la_codes = cols.pop("_la"), areas["la_code"].to_numpy()
    out = {
        "respondent_id": fake_ids("S", ids),
        "wave": cols.pop("wave"),
        "la_code": codes(la, la_codes),
        "centre_code": centre_codes(la, cols.pop("_centre"), la_codes),
        "group": codes(cols.pop("group"), GROUPS),
        **cols,
    }
    for name, labels in (
        ("preferred_place", PLACES),
        ("work_status", WORK_STATUSES),
        ("household_type", HOUSEHOLDS),
    ):
        out[name] = codes(out[name], labels)
    frame = frame_of(out, order)
    frame["adviser_view"] = pd.Series(frame["adviser_view"], dtype="Int64").where(
        frame["adviser_view"] > 0
    )
    return frame


def _mean_score(latent: np.ndarray, weight: np.ndarray) -> float:
    """Weighted mean score (1..5) of latent attitudes cut at ``_CUTS``."""
    return float(np.average(np.searchsorted(_CUTS, latent) + 1, weights=weight))


def _shift(latent: np.ndarray, weight: np.ndarray, goal: float) -> float:
    """The smallest shift of every latent attitude whose weighted mean score reaches ``goal``
    (scores are whole numbers, so the mean moves in small steps: it lands just past ``goal``)."""
    lo, hi = -6.0, 6.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _mean_score(latent + mid, weight) < goal else (lo, mid)
    return hi


def _stratum(
    rng: np.random.Generator,
    areas: pd.DataFrame,
    centre_share: np.ndarray,
    la: np.ndarray,
    wave: int,
    group: str,
    t: Targets,
    baseline: dict[str, float],
) -> dict[str, np.ndarray]:
    n = len(la)
    pilot = group == "pilot"
    cum = np.cumsum(centre_share[la], axis=1)
    centre = np.minimum((rng.random(n)[:, None] >= cum).sum(axis=1), 2)
    raw = np.exp(rng.normal(0.0, np.sqrt(np.log1p(t.weight_cv**2)), n))  # log-normal, CV as set
    weight = np.maximum(np.round(raw / raw.mean(), 4), 0.1)
    work_probs = [0.28, 0.27, 0.45] if wave == 1 or not pilot else [0.31, 0.30, 0.39]
    work = categorical(rng, work_probs, size=n)
    household = categorical(rng, [0.36, 0.30, 0.20, 0.14], size=n)
    la_pull = np.exp(rng.normal(0.0, 0.3, len(areas)))[la]
    pull = la_pull * np.where(work == 1, 1.8, np.where(work == 0, 0.5, 1.0))
    pull = pull * np.where(household == 0, 1.3, 1.0)
    uses = allocate(rng, weight, t.takeup[(group, wave)], pull)
    centre_first = allocate(rng, weight, t.prefer_centre[(group, wave)], np.where(uses, 3.0, 1.0))
    office = allocate(rng, weight, PREFER_OFFICE, np.ones(n), eligible=~centre_first)
    place = np.where(centre_first, 0, np.where(office, 1, 2))  # index into PLACES
    met_p = np.where(uses, 0.92 if pilot else 0.5, (0.08 if wave == 1 else 0.15) if pilot else 0.03)
    met = rng.random(n) < met_p
    view_probs = [0.02, 0.04, 0.12, 0.37, 0.45] if pilot else [0.05, 0.10, 0.25, 0.35, 0.25]
    view = categorical(rng, view_probs, size=n) + 1
    pull_of = 0.25 * uses + 0.2 * (work == 1)
    common = rng.normal(0.0, 1.0, n)
    scores = {}
    for name, extra in _ATTITUDES:
        latent = 0.6 * common + 0.8 * rng.normal(0.0, 1.0, n) + pull_of + extra * uses
        if wave == 1:
            baseline[name] = _mean_score(latent, weight)
        else:  # wave two: the weighted mean moves from wave one's by the calibration's change
            latent = latent + _shift(latent, weight, baseline[name] + t.score_change[(name, group)])
        scores[name] = np.searchsorted(_CUTS, latent) + 1
    return {
        "wave": np.full(n, wave, dtype=np.int64),
        "group": np.full(n, GROUPS.index(group)),
        "weight": weight,
        "uses_jcp_at_centre": uses,
        "preferred_place": place,
        "adviser_view": np.where(met, view, 0),
        **scores,
        "work_status": work,
        "household_type": household,
        "_la": la,
        "_centre": centre,
    }
