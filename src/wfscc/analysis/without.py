"""Shares among all areas but one, for every area at once ("the rest of the pilot").

A profile compares its area with the *other* pilot areas. Estimating each area's others from
their rows (``frame[frame["la_code"] != la]``) reads every row once per area: the time grows
with the square of the number of areas (150 areas: 3 s; 1,000 areas: minutes). The functions
here give the same frames, bit for bit, from one pass over the rows:

* an MI share is a count over a count, so the others' count is the total less the area's own;
* a survey share rests on sums of weights, which pandas adds with compensated summation in row
  order, and a float total less a part is not bit for bit the sum of the other rows. So the
  weights, their squares and the weighted flags are made once, and for each LA only the sums of
  its others' rows are taken, by the same grouped sum as the estimators use: one vectorised pass
  per LA (still LAs x rows, but at C speed: 150 areas 0.1 s, 1,000 areas about 10 s, where
  the estimators run on each LA's others took minutes).

Each function returns, for each LA of ``las`` whose others have rows, the rows the estimator
gives for the others' frame, with a first column ``without`` naming the LA left out. Where the
shortcut's premises fail (a missing ``la_code``; a survey with centres, whose intervals allow
for clustering), the others' frames are estimated one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..contract import PLACES
from ._groups import group_rows
from ._stats import equals, flag_array, share_frame, weighted_share_frame
from .engagement import engagement_shares
from .outcomes import outcomes
from .survey import preference, takeup

__all__ = ["engagement_shares_without", "outcomes_without", "survey_shares_without"]


def one_by_one(frame: pd.DataFrame, las: Sequence[str], estimate: Callable) -> pd.DataFrame:
    """``estimate`` of each LA's others' rows, one LA at a time (the definition; the functions
    below fall back to it)."""
    parts = []
    for la in las:
        others = frame[frame["la_code"] != la]
        if len(others):
            out = estimate(others)
            if len(out):
                parts.append(out.assign(without=la)[["without", *out.columns]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["without"])


def _labels(frame: pd.DataFrame, las: Sequence[str]) -> np.ndarray:
    """Each row's position in ``las`` (-1 for an LA not in it: its rows are everyone's others)."""
    return pd.Index(list(las), dtype=object).get_indexer(np.asarray(frame["la_code"], dtype=object))


def _counts_without(
    total: pd.DataFrame, own: pd.DataFrame, las: list[str], key: str, rows: int
) -> pd.DataFrame:
    """Shares among each LA's others from the ``total`` counts of every ``key`` (one row each)
    and each LA's ``own`` counts (by ``key`` and ``la_code``); ``rows``: the base of ``total``."""
    keys = list(total[key])
    k = pd.Index(keys, dtype=object).get_indexer(np.asarray(own[key], dtype=object))
    la = _labels(own, las)
    mine = la >= 0
    own_count = np.zeros((len(keys), len(las)), dtype=np.int64)
    own_base = np.zeros(len(las), dtype=np.int64)
    own_count[k[mine], la[mine]] = own["count"].to_numpy()[mine]
    own_base[la[mine]] = own["base"].to_numpy()[mine]
    base = rows - own_base
    kept = base > 0
    count = total["count"].to_numpy(dtype=np.int64)[:, None] - own_count
    names = [x for x, keep in zip(las, kept, strict=True) if keep]
    return share_frame(
        {
            "without": np.repeat(np.array(names, dtype=object), len(keys)),
            key: np.tile(np.array(keys, dtype=object), len(names)),
        },
        count[:, kept].T.reshape(-1),
        np.repeat(base[kept], len(keys)),
    )


def _missing_codes(frame: pd.DataFrame) -> bool:
    return bool(frame["la_code"].isna().any())


def engagement_shares_without(mi: pd.DataFrame, las: Sequence[str]) -> pd.DataFrame:
    """:func:`~wfscc.analysis.engagement_shares` of each LA's others: ``without``, ``measure``,
    ``count``, ``base``, ``estimate``, ``lower``, ``upper``."""
    las = list(las)
    if _missing_codes(mi):
        return one_by_one(mi, las, engagement_shares)
    return _counts_without(
        engagement_shares(mi), engagement_shares(mi, by="la_code"), las, "measure", len(mi)
    )


def outcomes_without(mi: pd.DataFrame, las: Sequence[str]) -> pd.DataFrame:
    """:func:`~wfscc.analysis.outcomes` of each LA's others, without ``median_days``:
    ``without``, ``outcome``, ``count``, ``base``, ``estimate``, ``lower``, ``upper``."""
    las = list(las)
    if _missing_codes(mi):
        return one_by_one(mi, las, outcomes).drop(columns="median_days", errors="ignore")
    total = outcomes(mi).drop(columns="median_days")
    return _counts_without(total, outcomes(mi, by="la_code"), las, "outcome", len(mi))


def survey_shares_without(survey: pd.DataFrame, las: Sequence[str]) -> dict[str, pd.DataFrame]:
    """:func:`~wfscc.analysis.takeup` and :func:`~wfscc.analysis.preference` by ``wave`` of each
    LA's others (Kish effective sizes: ``survey`` has no ``centre_code``), as ``{"takeup":
    frame, "preference": frame}``: ``without``, ``wave`` (``place``), ``base``, ``n_eff``,
    ``weighted_base``, ``estimate``, ``lower``, ``upper``."""
    las = list(las)
    if _missing_codes(survey) or "centre_code" in survey.columns:
        return {
            "takeup": one_by_one(survey, las, lambda s: takeup(s, by="wave")),
            "preference": one_by_one(survey, las, lambda s: preference(s, by="wave")),
        }
    w = survey["weight"].astype(float).to_numpy()
    # One column per sum (each column is summed on its own): weights, squares, the weighted
    # take-up flag, then the weighted flag of each place.
    values = np.column_stack(
        [
            w,
            w**2,
            w * flag_array(survey["uses_jcp_at_centre"], float),
            *(w * flag_array(equals(survey["preferred_place"], p), float) for p in PLACES),
        ]
    )
    groups = group_rows(survey, ["wave"])  # the waves, numbered as the others' would be
    labels = _labels(survey, las)
    valid = groups.ids >= 0
    sums, bases, cell_la, cell_wave = [], [], [], []
    for g, la in enumerate(las):
        rows = valid & (labels != g)
        if not rows.any():
            continue
        ids = groups.ids[rows]
        present = np.unique(ids)  # the waves the others answered at, in order
        sums.append(_sums(values[rows], ids))
        bases.append(np.bincount(ids, minlength=groups.n)[present])
        cell_la += [la] * len(present)
        cell_wave.append(present)
    if not sums:
        return {"takeup": _concat([]), "preference": _concat([])}
    sums, base = np.vstack(sums), np.concatenate(bases)
    la = np.array(cell_la, dtype=object)
    wave = groups.keys["wave"].take(np.concatenate(cell_wave))
    take = weighted_share_frame({"without": la, "wave": wave}, sums[:, :3], base)
    cells = np.repeat(np.arange(len(base)), len(PLACES))
    slot = np.tile(np.arange(len(PLACES)), len(base))
    long = np.column_stack([sums[cells, 0], sums[cells, 1], sums[cells, 3 + slot]])
    pref = weighted_share_frame(
        {
            "without": la[cells],
            "wave": wave.take(cells),
            "place": np.tile(np.array(PLACES, dtype=object), len(base)),
        },
        long,
        base[cells],
    )
    return {"takeup": take, "preference": pref}


def _sums(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each column's sum by wave, as :meth:`wfscc.analysis._groups.Groups.sums` adds them
    (pandas' grouped sum, over these rows in this order: the same bits)."""
    return pd.DataFrame(values).groupby(ids, sort=True).sum().to_numpy()


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["without"])
