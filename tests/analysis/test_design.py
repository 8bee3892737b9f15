"""Design-based comparisons: the difference-in-differences and the change between waves, checked
against hand-computed values and the textbook cluster-robust (CR1) formula, not against the code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfscc import analysis as an
from wfscc.errors import WfsccError


def _cells(spec):
    """Rows from ``(group, wave, la_code, weight, y)`` tuples."""
    return pd.DataFrame(spec, columns=["group", "wave", "la_code", "weight", "y"])


def test_did_estimate_is_the_difference_of_weighted_cell_shares():
    # pilot w1: (1*1 + 0*3)/4 = 0.25; pilot w2: (1*2 + 1*2)/4 = 1.0; change 0.75
    # comparison w1: (1*1 + 0*1)/2 = 0.5; comparison w2: (0*1 + 1*3)/4 = 0.75; change 0.25
    # DiD = 0.75 - 0.25 = 0.5
    s = _cells(
        [
            ("pilot", 1, "P1", 1, 1),
            ("pilot", 1, "P2", 3, 0),
            ("pilot", 2, "P1", 2, 1),
            ("pilot", 2, "P2", 2, 1),
            ("comparison", 1, "C1", 1, 1),
            ("comparison", 1, "C2", 1, 0),
            ("comparison", 2, "C1", 1, 0),
            ("comparison", 2, "C2", 3, 1),
        ]
    )
    out = an.did(s, "y")
    assert out["estimate"] == pytest.approx(0.5)
    assert out["pilot_change"] == pytest.approx(0.75)
    assert out["comparison_change"] == pytest.approx(0.25)
    assert out["base"] == 8
    assert out["n_clusters"] == 4


def test_a_fall_keeps_its_sign():
    s = _cells(
        [
            ("pilot", 1, "P1", 1, 1),
            ("pilot", 1, "P2", 1, 1),
            ("pilot", 2, "P1", 1, 0),
            ("pilot", 2, "P2", 1, 1),
            ("comparison", 1, "C1", 1, 0),
            ("comparison", 1, "C2", 1, 1),
            ("comparison", 2, "C1", 1, 0),
            ("comparison", 2, "C2", 1, 1),
        ]
    )
    out = an.did(s, "y")
    assert out["estimate"] == pytest.approx(-0.5)
    assert out["lower"] < out["estimate"] < out["upper"]


def _cr1(y, x, groups):
    """The textbook CR1 sandwich variance for OLS (Cameron and Miller 2015, eq. 11 with the
    small-sample factor G/(G-1) * (N-1)/(N-K))."""
    n, k = x.shape
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    u = y - x @ beta
    meat = np.zeros((k, k))
    labels = np.unique(groups)
    for g in labels:
        s = x[groups == g].T @ u[groups == g]
        meat += np.outer(s, s)
    g = len(labels)
    return bread @ meat @ bread * g / (g - 1) * (n - 1) / (n - k), beta


def test_wave_change_uses_the_cluster_robust_variance():
    rng = np.random.default_rng(7)
    n = 240
    la = rng.integers(0, 8, n)
    wave = rng.integers(1, 3, n)
    # areas differ, so clustering matters
    p = 0.1 + 0.05 * la / 7 + 0.1 * (wave == 2)
    y = (rng.random(n) < p).astype(float)
    frame = pd.DataFrame({"wave": wave, "la_code": [f"L{i}" for i in la], "weight": 1.0, "y": y})
    out = an.wave_change(frame, "y")
    x = np.column_stack([np.ones(n), (wave == 2).astype(float)])
    v, beta = _cr1(y, x, la)
    assert out["estimate"] == pytest.approx(beta[1])
    assert out["estimate"] == pytest.approx(y[wave == 2].mean() - y[wave == 1].mean())
    assert out["se"] == pytest.approx(np.sqrt(v[1, 1]), rel=1e-9)
    assert out["upper"] - out["lower"] == pytest.approx(2 * 1.959963984540054 * out["se"])


def test_clustering_widens_the_interval_when_areas_differ():
    rng = np.random.default_rng(3)
    rows = []
    for g in ("pilot", "comparison"):
        for la in range(6):
            level = rng.uniform(0.05, 0.5)  # areas differ a lot
            for w in (1, 2):
                flags = rng.random(60) < level + (0.1 if g == "pilot" and w == 2 else 0)
                rows.append(
                    pd.DataFrame(
                        {
                            "group": g,
                            "wave": w,
                            "la_code": f"{g}{la}",
                            "weight": 1.0,
                            "y": flags.astype(float),
                        }
                    )
                )
    s = pd.concat(rows, ignore_index=True)
    clustered = an.did(s, "y")
    plain = an.did(s, "y", cluster=None)
    assert clustered["estimate"] == pytest.approx(plain["estimate"])
    assert clustered["n_clusters"] == 12
    assert clustered["se"] > plain["se"]


def test_did_needs_every_cell():
    s = _cells([("pilot", 1, "P1", 1, 1), ("pilot", 2, "P1", 1, 0), ("comparison", 1, "C1", 1, 1)])
    with pytest.raises(WfsccError, match="comparison"):
        an.did(s, "y")


def test_attitude_did_leaves_out_missing_scores():
    s = pd.DataFrame(
        {
            "group": ["pilot"] * 4 + ["comparison"] * 4,
            "wave": [1, 1, 2, 2] * 2,
            "la_code": ["P1", "P2"] * 2 + ["C1", "C2"] * 2,
            "weight": 1.0,
            "confidence": [1, 5, 5, np.nan, 1, 1, 1, 5],
        }
    )
    out = an.attitude_did(s, ["confidence"]).iloc[0]
    # pilot: 0.5 -> 1.0 (the missing score left out); comparison: 0 -> 0.5; DiD 0
    assert out["estimate"] == pytest.approx(0.0)
    assert out["base"] == 7


def test_referral_growth_counts_from_each_areas_own_start():
    areas = pd.DataFrame(
        {
            "la_code": ["A", "B", "C"],
            "group": ["pilot", "pilot", "comparison"],
            "pilot_start": ["2009-01-15", "2009-09-01", None],
        }
    )
    dates = (
        ["2009-01-20", "2009-06-30", "2009-07-01"]  # A: two in Jan-Jun 2009
        + ["2009-09-10", "2010-02-28", "2010-03-01"]  # B: two in Sep 2009-Feb 2010
        + ["2010-10-01", "2011-03-31", "2011-03-01", "2010-09-30"]
    )  # final six months
    las = ["A"] * 3 + ["B"] * 3 + ["A", "A", "B", "B"]
    refs = pd.DataFrame({"date": pd.to_datetime(dates), "la_code": las})
    out = an.referral_growth_from_start(refs, areas, 6).set_index("la_code")
    assert out.loc["A", ["first", "last"]].tolist() == [2, 2]
    assert out.loc["B", ["first", "last"]].tolist() == [2, 1]
    assert out.loc["all", "ratio"] == pytest.approx(3 / 4)
    assert not out["overlap"].any()
    assert "C" not in out.index


def test_share_intervals_allow_for_clustering_as_statsmodels_does():
    sm = pytest.importorskip("statsmodels.api")
    from wfscc.analysis.design import cluster_effective_n

    rng = np.random.default_rng(11)
    centres = np.repeat([f"K{i}" for i in range(8)], 40)
    level = np.repeat(rng.uniform(0.05, 0.6, 8), 40)  # centres differ
    y = (rng.random(len(centres)) < level).astype(float)
    w = rng.uniform(0.5, 2.0, len(centres))
    frame = pd.DataFrame({"centre_code": centres, "weight": w, "y": y, "wave": 1})
    cells = an.takeup(
        frame.rename(columns={"y": "uses_jcp_at_centre"}).assign(centre_code="one"), by="wave"
    )  # one centre: the Kish size is kept
    kish = w.sum() ** 2 / (w**2).sum()
    assert cells["n_eff"].iloc[0] == pytest.approx(kish)
    n = cluster_effective_n(frame, y, cells, ["wave"])[0]
    fit = sm.WLS(y, np.ones((len(y), 1)), weights=w).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(centres)[0]}
    )
    p = float(fit.params[0])
    assert n == pytest.approx(min(kish, p * (1 - p) / float(fit.bse[0]) ** 2), rel=1e-9)
    assert n < kish  # the centres differ, so clustering costs precision


def test_take_up_intervals_are_wider_when_centres_differ():
    rng = np.random.default_rng(5)
    rows = []
    for la in range(6):
        for c in range(3):
            p = rng.uniform(0.0, 0.5)
            rows.append(
                pd.DataFrame(
                    {
                        "la_code": f"L{la}",
                        "centre_code": f"L{la}-{c}",
                        "wave": 1,
                        "weight": 1.0,
                        "uses_jcp_at_centre": rng.random(30) < p,
                    }
                )
            )
    s = pd.concat(rows, ignore_index=True)
    clustered = an.takeup(s, by="wave").iloc[0]
    plain = an.takeup(s.drop(columns="centre_code"), by="wave").iloc[0]
    assert clustered["estimate"] == pytest.approx(plain["estimate"])
    assert clustered["upper"] - clustered["lower"] > plain["upper"] - plain["lower"]
