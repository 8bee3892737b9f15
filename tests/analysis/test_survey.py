"""Take-up, preference and attitudes from the survey."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfscc import analysis as an
from wfscc.errors import WfsccError


def _frame(n1=400, n2=400, p1=0.03, p2=0.14, weight=1.0, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for g in ("pilot", "comparison"):
        for w, n, p in ((1, n1, p1), (2, n2, p2 if g == "pilot" else p1)):
            k = round(n * p)
            flags = np.r_[np.ones(k, bool), np.zeros(n - k, bool)]
            rows.append(pd.DataFrame({
                "wave": w, "group": g, "la_code": "P01" if g == "pilot" else "C01",
                "weight": weight if np.isscalar(weight) else rng.choice(weight, n),
                "uses_jcp_at_centre": flags,
                "preferred_place": np.where(np.arange(n) % 10 < 8, "centre", "jcp_office"),
                "confidence": np.where(flags, 5, 2), "aspiration": 4, "awareness": 1,
            }))
    return pd.concat(rows, ignore_index=True)


def test_takeup_unweighted_matches_simple_share():
    out = an.takeup(_frame())
    row = out[(out["group"] == "pilot") & (out["wave"] == 2)].iloc[0]
    assert row["estimate"] == pytest.approx(56 / 400)
    assert row["base"] == 400
    assert row["n_eff"] == pytest.approx(400)
    assert row["lower"] < row["estimate"] < row["upper"]


def test_unequal_weights_widen_the_interval():
    flat = an.takeup(_frame()).set_index(["group", "wave"])
    varied = an.takeup(_frame(weight=[0.2, 1.0, 3.0])).set_index(["group", "wave"])
    k = ("pilot", 2)
    assert varied.loc[k, "n_eff"] < 400
    assert (varied.loc[k, "upper"] - varied.loc[k, "lower"]) > (
        flat.loc[k, "upper"] - flat.loc[k, "lower"]) * 0.9


def test_change_and_did():
    s = _frame()
    ch = an.takeup_change(s).set_index("group")
    assert ch.loc["pilot", "estimate"] == pytest.approx(56 / 400 - 12 / 400)
    assert ch.loc["pilot", "p_value"] < 0.001
    assert ch.loc["comparison", "estimate"] == pytest.approx(0)
    did = an.takeup_did(s).iloc[0]
    assert did["estimate"] == pytest.approx(44 / 400)
    assert did["lower"] < did["estimate"] < did["upper"]
    assert did["base"] == len(s)


def test_did_needs_all_cells():
    s = _frame()
    with pytest.raises(WfsccError, match="missing"):
        an.takeup_did(s[s["group"] == "pilot"])


def test_preference_and_attitudes():
    s = _frame()
    pref = an.preference(s)
    assert set(pref["place"]) == {"centre", "jcp_office", "no_preference"}
    sums = pref.groupby("group")["estimate"].sum()
    assert np.allclose(sums, 1.0)
    centre = pref[(pref["group"] == "pilot") & (pref["place"] == "centre")].iloc[0]
    assert centre["estimate"] == pytest.approx(0.8)
    att = an.attitudes(s)
    assert set(att["measure"]) == {"confidence", "aspiration", "awareness"}
    assert att.loc[att["measure"] == "aspiration", "estimate"].eq(1).all()
    assert att.loc[att["measure"] == "awareness", "estimate"].eq(0).all()
    ch = an.attitude_change(s).set_index("measure")
    assert ch.loc["confidence", "estimate"] > 0


def test_inputs_are_not_changed(dataset):
    before = dataset.survey.copy()
    an.takeup(dataset.survey, ["wave", "group", "la_code"])
    an.preference(dataset.survey, expressed_only=True)
    an.attitudes(dataset.survey)
    pd.testing.assert_frame_equal(dataset.survey, before)


def test_missing_column_is_named():
    with pytest.raises(WfsccError, match="uses_jcp_at_centre"):
        an.takeup(pd.DataFrame({"wave": [1], "group": ["pilot"], "weight": [1.0]}))
