"""Survey of children's-centre users: take-up of Jobcentre Plus services, preference, attitudes.

Interval method: every weighted share carries a 95% **Wilson interval on the design-based
effective sample size** of its cell: ``p (1 - p) / V`` with ``V`` the linearised variance of the
weighted share with respondents clustered in centres (:func:`.design.cluster_effective_n`).
This allows for the weights and for clustering. Where the survey has no centres, or covers one
LA only (a profile), the Kish effective sample size ``n_eff = (sum w)^2 / sum w^2`` is used.

Changes between waves are weighted regressions on a wave indicator with errors clustered by LA
(:func:`wfscc.analysis.design.wave_change`): a normal (Wald) interval and test. The
difference-in-differences ``(pilot w2 - pilot w1) - (comparison w2 - comparison w1)`` is a
weighted regression with errors clustered by LA (:mod:`wfscc.analysis.design`), so it allows
for the weights and for respondents in the same area being alike.

Shares are proportions (0..1); ``base`` is always the unweighted number of respondents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..contract import PLACES
from ._groups import group_rows, repeat_labels
from ._stats import (
    Z95,
    as_list,
    equals,
    flag_array,
    require,
    weighted_share,
    weighted_share_frame,
    wilson,
)
from .design import cluster_effective_n, did, wave_change

__all__ = ["ATTITUDES", "attitude_change", "attitudes", "mean_scores", "preference", "takeup",
           "takeup_change",
           "takeup_did"]

ATTITUDES = ("confidence", "aspiration", "awareness")


def _rows(survey: pd.DataFrame, keep: pd.Series, columns: list[str]) -> pd.DataFrame:
    """``survey[keep]``, but only its ``columns``: the rest (mostly text) are not needed, and
    copying them is most of the cost of the selection."""
    return survey.loc[keep, list(dict.fromkeys(columns))]


def _clustered(data: pd.DataFrame, outcome) -> dict[str, float]:
    """Change wave 1 to wave 2 with errors clustered by LA (:func:`.design.wave_change`)."""
    r = wave_change(data, outcome, cluster="la_code" if "la_code" in data.columns else None)
    return {k: float(r[k]) for k in ("estimate", "lower", "upper", "z", "p_value")}


def _design(frame: pd.DataFrame, flag, cells: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``cells`` with ``n_eff`` and the Wilson interval allowing for clustering by centre
    (:func:`.design.cluster_effective_n`) when the frame has centres, and for several LAs."""
    if "centre_code" not in frame.columns or ("la_code" in frame.columns
                                              and frame["la_code"].nunique() < 2):
        return cells
    out = cells.copy()
    out["n_eff"] = cluster_effective_n(frame, flag, cells, by)
    out["lower"], out["upper"] = wilson(out["estimate"].to_numpy(), out["n_eff"].to_numpy())
    return out


def takeup(survey: pd.DataFrame, by: str | Sequence[str] = ("wave", "group")) -> pd.DataFrame:
    """Weighted share of users using Jobcentre Plus services at the centre, by ``by``.

    Columns: ``by``..., ``base``, ``n_eff``, ``weighted_base``, ``estimate``, ``lower``, ``upper``.
    Use ``by=("wave", "group", "la_code")`` for local authorities.
    """
    by = as_list(by)
    require(survey, [*by, "weight", "uses_jcp_at_centre"], "takeup")
    return _design(survey, survey["uses_jcp_at_centre"],
                   weighted_share(survey, "uses_jcp_at_centre", "weight", by), by)


def takeup_change(survey: pd.DataFrame, by: str | Sequence[str] = "group") -> pd.DataFrame:
    """Change in take-up from wave 1 to wave 2, for each value of ``by``.

    Columns: ``by``..., ``wave1``, ``wave2``, ``base1``, ``base2``, ``n_eff1``, ``n_eff2``,
    ``estimate`` (wave 2 minus wave 1), ``lower``, ``upper``, ``z``, ``p_value``, ``ratio``.
    """
    by = as_list(by)
    cells = takeup(survey, ["wave", *by])
    rows = []
    keys = cells[by].drop_duplicates().itertuples(index=False) if by else [()]
    for key in keys:
        sel = np.ones(len(cells), dtype=bool)
        for col, val in zip(by, key, strict=True):
            sel &= (cells[col] == val).to_numpy()
        sub = cells[sel].set_index("wave")
        if not {1, 2} <= set(sub.index):
            continue
        w1, w2 = sub.loc[1], sub.loc[2]
        mine = np.ones(len(survey), dtype=bool)
        for col, val in zip(by, key, strict=True):
            mine &= (survey[col] == val).to_numpy()
        test = _clustered(survey.loc[mine], "uses_jcp_at_centre")
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "wave1": w1["estimate"],
                "wave2": w2["estimate"],
                "base1": int(w1["base"]),
                "base2": int(w2["base"]),
                "n_eff1": w1["n_eff"],
                "n_eff2": w2["n_eff"],
                **test,
                "ratio": w2["estimate"] / w1["estimate"] if w1["estimate"] > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def takeup_did(survey: pd.DataFrame, *, cluster: str | None = "la_code") -> pd.DataFrame:
    """Difference-in-differences in take-up, pilot against comparison areas, with a 95% interval.

    A weighted regression ``takeup ~ pilot * wave2`` with errors clustered by LA
    (:func:`wfscc.analysis.design.did`). One row: ``pilot_change``, ``comparison_change``,
    ``estimate`` (the DiD), ``se``, ``lower``, ``upper``, ``z``, ``p_value``, ``base`` (all
    respondents), ``n_clusters``.
    """
    require(survey, ["wave", "group", "weight", "uses_jcp_at_centre"], "takeup_did")
    return pd.DataFrame([did(survey, "uses_jcp_at_centre", cluster=cluster)])


def preference(
    survey: pd.DataFrame, by: str | Sequence[str] = ("group",), *, expressed_only: bool = False
) -> pd.DataFrame:
    """Weighted share preferring each place to use Jobcentre Plus services, by ``by``.

    Long format: ``by``..., ``place`` (centre | jcp_office | no_preference), ``base``,
    ``n_eff``, ``estimate``, ``lower``, ``upper``. With ``expressed_only`` the base is those who
    named a place (centre or office), and ``no_preference`` is left out.
    """
    by = as_list(by)
    require(survey, [*by, "weight", "preferred_place"], "preference")
    data = survey
    places = PLACES
    if expressed_only:
        data = _rows(survey, survey["preferred_place"] != "no_preference",
                     [*by, "weight", "preferred_place"])
        places = PLACES[:2]
    # One pass for every place: the same cells, weights and sums as a weighted_share per place.
    groups = group_rows(data, by)
    w = data["weight"].astype(float).to_numpy()
    preferred = data["preferred_place"]
    flags = [flag_array(equals(preferred, place), float) for place in places]
    sums = groups.sums([w, w**2, *(w * y for y in flags)])
    base = groups.size() if by else np.array([len(data)])
    # Cell by cell, places in order (PLACES is sorted), as sorting by [*by, "place"] gave.
    cells = np.repeat(np.arange(groups.n), len(places))
    slot = np.tile(np.arange(len(places)), groups.n)
    long = np.column_stack([sums[cells, 0], sums[cells, 1], sums[cells, 2 + slot]])
    keys = groups.key_columns(cells)
    return weighted_share_frame({**keys, "place": repeat_labels(places, groups.n, tile=True)},
                                long, base[cells])


def attitudes(
    survey: pd.DataFrame, by: str | Sequence[str] = ("wave", "group"), *, top: int = 4
) -> pd.DataFrame:
    """Weighted share scoring ``top`` or more (of 5) on confidence, aspiration and awareness.

    Long format: ``measure``, ``by``..., ``base``, ``n_eff``, ``estimate``, ``lower``,
    ``upper``. Respondents with a missing score are left out of that measure's base.
    """
    by = as_list(by)
    require(survey, [*by, "weight", *ATTITUDES], "attitudes")
    out = []
    for measure in ATTITUDES:
        data = _rows(survey, survey[measure].notna(), [*by, "weight", measure])
        flag = data[measure] >= top
        est = _design(data, flag, weighted_share(data, flag, "weight", by), by)
        est.insert(0, "measure", measure)
        out.append(est)
    return pd.concat(out, ignore_index=True)


def attitude_change(survey: pd.DataFrame, group: str = "pilot", *, top: int = 4) -> pd.DataFrame:
    """Change from wave 1 to wave 2 in each attitude share for one group, with a z-test."""
    att = attitudes(_rows(survey, survey["group"] == group, ["wave", "weight", *ATTITUDES]),
                    by="wave", top=top)
    rows = []
    for measure, sub in att.groupby("measure", sort=False):
        sub = sub.set_index("wave")
        if not {1, 2} <= set(sub.index):
            continue
        w1, w2 = sub.loc[1], sub.loc[2]
        mine = survey[survey["group"] == group]
        score = pd.to_numeric(mine[measure], errors="coerce")
        test = _clustered(mine, (score >= top).astype(float).where(score.notna()))
        rows.append({"measure": measure, "group": group, "wave1": w1["estimate"],
                     "wave2": w2["estimate"], "base1": int(w1["base"]), "base2": int(w2["base"]),
                     **test})
    return pd.DataFrame(rows)


def mean_scores(
    survey: pd.DataFrame, by: str | Sequence[str] = ("wave", "group")
) -> pd.DataFrame:
    """Weighted mean score (1..5) on each attitude, with a normal 95% interval on ``n_eff``.

    Long format: ``measure``, ``by``..., ``base``, ``n_eff``, ``estimate``, ``lower``, ``upper``.
    """
    by = as_list(by)
    require(survey, [*by, "weight", *ATTITUDES], "mean_scores")
    rows = []
    for measure in ATTITUDES:
        data = survey[survey[measure].notna()]
        groups = data.groupby(by, sort=True) if by else [((), data)]
        for key, g in groups:
            w = g["weight"].to_numpy(float)
            y = g[measure].to_numpy(float)
            mean = float(np.average(y, weights=w))
            n_eff = w.sum() ** 2 / (w**2).sum()
            se = float(np.sqrt(np.average((y - mean) ** 2, weights=w) / n_eff))
            key = key if isinstance(key, tuple) else (key,)
            rows.append({"measure": measure, **dict(zip(by, key, strict=True)), "base": len(g),
                         "n_eff": n_eff, "estimate": mean, "lower": mean - Z95 * se,
                         "upper": mean + Z95 * se})
    return pd.DataFrame(rows)
