"""Design-based survey comparisons: weighted regressions with cluster-robust standard errors.

The survey's respondents are clustered in centres within local authorities (LAs), and the two
waves are fresh cross-sections. A difference between waves, or a difference-in-differences
between pilot and comparison areas, is estimated by weighted least squares (a linear
probability model; with indicator regressors it is saturated, so the estimate equals the
difference of the weighted cell shares) with a cluster-robust (CR1, "sandwich") covariance by LA
(``statsmodels`` ``cov_type="cluster"``; Cameron and Miller 2015, *A Practitioner's Guide to
Cluster-Robust Inference*). The interval is the estimate plus or minus ``Z95`` standard errors
and the test a two-sided normal (Wald) test.

Model for the difference-in-differences, one row per respondent ``i`` with weight ``w_i``::

    y_i = a + b * pilot_i + c * wave2_i + d * (pilot_i * wave2_i) + e_i

``d`` is the difference-in-differences: (pilot wave 2 - pilot wave 1) - (comparison wave 2 -
comparison wave 1). For one group's change between waves the model is ``y = a + c * wave2``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import WfsccError
from ._stats import Z95, normal_two_sided_p, require

#: Fewest clusters (centres) in a cell for its interval to allow for clustering.
MIN_CLUSTERS = 5

__all__ = ["MIN_CLUSTERS", "attitude_did", "cluster_effective_n", "did", "wave_change"]


def _cluster_fit(y: np.ndarray, x: np.ndarray, w: np.ndarray, groups: np.ndarray | None):
    # on use: statsmodels' linear models take about 0.9 s to import after pandas (python -X
    # importtime; statsmodels.api, with its graphics and time series, 1.4 s), and the facts, the
    # notebook kernels and the tables import the analysis without needing them
    from statsmodels.regression.linear_model import WLS

    model = WLS(y, x, weights=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few clusters: statsmodels warns; the caveat is in Annex B
        if groups is not None and len(np.unique(groups)) > 1:
            return model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        return model.fit(cov_type="HC1")


def _codes(frame: pd.DataFrame, cluster: str | None) -> tuple[np.ndarray | None, int]:
    if cluster is None or cluster not in frame.columns:
        return None, len(frame)
    codes = pd.factorize(frame[cluster].astype(str))[0]
    return codes, int(codes.max() + 1) if len(codes) else 0


def _result(fit, j: int, base: int, n_clusters: int, **extra) -> dict:
    est = float(fit.params[j])
    se = float(fit.bse[j])
    z = est / se if se > 0 else np.nan
    return {
        **extra,
        "estimate": est,
        "se": se,
        "lower": est - Z95 * se,
        "upper": est + Z95 * se,
        "z": z,
        "p_value": normal_two_sided_p(z) if se > 0 else np.nan,
        "base": base,
        "n_clusters": n_clusters,
    }


def _observed(survey: pd.DataFrame, outcome: pd.Series | str) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of ``survey`` whose ``outcome`` (a column name, or values aligned with the rows)
    is a number, and the outcome on them as floats."""
    y = survey[outcome] if isinstance(outcome, str) else outcome
    y = pd.to_numeric(pd.Series(y, index=survey.index), errors="coerce").astype(float)
    keep = y.notna().to_numpy()
    return survey.loc[keep], y.to_numpy()[keep]


def did(
    survey: pd.DataFrame,
    outcome: pd.Series | str,
    *,
    weight: str = "weight",
    cluster: str | None = "la_code",
) -> dict:
    """Difference-in-differences of a 0/1 (or numeric) ``outcome``, pilot against comparison,
    wave 2 against wave 1, weighted, with errors clustered by ``cluster``.

    Rows with a missing outcome are left out. Returns ``estimate``, ``se``, ``lower``,
    ``upper``, ``z``, ``p_value``, ``base`` (unweighted respondents used), ``n_clusters``,
    ``pilot_change`` and ``comparison_change`` (weighted changes in each group).
    """
    require(survey, ["group", "wave", weight], "did")
    data, yv = _observed(survey, outcome)
    pilot = (data["group"] == "pilot").to_numpy(float)
    wave2 = (data["wave"] == 2).to_numpy(float)
    cells = {(g, w) for g, w in zip(pilot, wave2, strict=True)}
    missing = [(g, w) for g in (1.0, 0.0) for w in (0.0, 1.0) if (g, w) not in cells]
    if missing:
        names = [("pilot" if g else "comparison", 2 if w else 1) for g, w in missing]
        raise WfsccError(
            f"the difference-in-differences needs both groups in both waves; missing {names}."
        )
    x = np.column_stack([np.ones(len(yv)), pilot, wave2, pilot * wave2])
    groups, n_clusters = _codes(data, cluster)
    fit = _cluster_fit(yv, x, data[weight].to_numpy(float), groups)
    p = fit.params
    return _result(
        fit, 3, len(yv), n_clusters, pilot_change=float(p[2] + p[3]), comparison_change=float(p[2])
    )


def wave_change(
    survey: pd.DataFrame,
    outcome: pd.Series | str,
    *,
    weight: str = "weight",
    cluster: str | None = "la_code",
) -> dict:
    """Change of a weighted share (or mean) from wave 1 to wave 2 within ``survey``, with
    errors clustered by ``cluster``. Same keys as :func:`did` (without the group changes)."""
    require(survey, ["wave", weight], "wave_change")
    data, yv = _observed(survey, outcome)
    wave2 = (data["wave"] == 2).to_numpy(float)
    if wave2.min(initial=1) == 1 or wave2.max(initial=0) == 0:
        raise WfsccError("a change between waves needs respondents in both waves.")
    x = np.column_stack([np.ones(len(wave2)), wave2])
    groups, n_clusters = _codes(data, cluster)
    fit = _cluster_fit(yv, x, data[weight].to_numpy(float), groups)
    return _result(fit, 1, len(wave2), n_clusters)


def attitude_did(survey: pd.DataFrame, measures, *, top: int = 4, **kw) -> pd.DataFrame:
    """:func:`did` of the share scoring ``top`` or more on each of ``measures``; one row each."""
    rows = []
    for m in measures:
        require(survey, [m], "attitude_did")
        score = pd.to_numeric(survey[m], errors="coerce")
        flag = (score >= top).astype(float).where(score.notna())
        rows.append({"measure": m, **did(survey, flag, **kw)})
    return pd.DataFrame(rows)


def cluster_effective_n(
    frame: pd.DataFrame,
    flag,
    cells: pd.DataFrame,
    by: list[str],
    *,
    weight: str = "weight",
    cluster: str = "centre_code",
) -> np.ndarray:
    """Design-based effective sample size of each weighted share in ``cells``.

    For a cell with weights ``w_i``, flags ``y_i``, estimate ``p = sum(w y) / sum(w)`` and
    clusters ``g = 1..G`` (centres), the linearised (Taylor) variance of the ratio estimator is
    ``V = G / (G - 1) * sum_g (sum_{i in g} w_i (y_i - p))^2 / (sum w)^2``; this is the
    cluster-robust variance of a weighted regression on an intercept. The effective sample size
    is ``p (1 - p) / V``: a Wilson interval on it allows for the weights and for the clustering.
    Where it cannot be worked out reliably (fewer than :data:`MIN_CLUSTERS` clusters, or ``p``
    of 0 or 1) the cell's Kish effective size (``cells["n_eff"]``) is kept, and it is never
    raised above the Kish size (clustering is not allowed to make an estimate look more
    precise than the weights alone). ``cells`` is the result of a weighted share by ``by``.
    """
    out = cells["n_eff"].to_numpy(dtype=float).copy()
    if cluster not in frame.columns:
        return out
    y = pd.Series(np.asarray(flag, dtype=float), index=frame.index)
    w = frame[weight].astype(float)
    ids_all = frame[cluster].astype(str).to_numpy()
    for i in range(len(cells)):
        rows = np.ones(len(frame), dtype=bool)
        for c in by:
            rows &= (frame[c] == cells.iloc[i][c]).to_numpy(dtype=bool, na_value=False)
        if not rows.any():
            continue
        wi, yi = w.to_numpy()[rows], y.to_numpy()[rows]
        p = float((wi * yi).sum() / wi.sum())
        ids = ids_all[rows]
        codes, uniq = pd.factorize(ids)
        g = len(uniq)
        if g < MIN_CLUSTERS or p <= 0 or p >= 1:
            continue
        totals = np.bincount(codes, weights=wi * (yi - p), minlength=g)
        v = g / (g - 1) * float((totals**2).sum()) / float(wi.sum()) ** 2
        if v > 0:
            out[i] = min(out[i], p * (1 - p) / v)
    return out
