"""Partnership, delivery and qualitative findings."""

from __future__ import annotations

import pandas as pd
import pytest

from wfscc import analysis as an


def _referrals():
    dates = ["2009-02-01", "2009-05-01", "2010-05-01", "2010-06-01", "2010-07-01", "2011-01-01"]
    return pd.DataFrame({
        "referral_id": [f"R{i:06d}" for i in range(6)],
        "date": pd.to_datetime(dates),
        "la_code": "P01",
        "direction": ["jcp_to_centre", "centre_to_jcp", "jcp_to_centre", "jcp_to_centre",
                      "centre_to_jcp", "centre_to_jcp"],
        "service": ["childcare", "health", "childcare", "job_search", "health", "health"],
    })


def test_referrals_by_quarter_zero_filled():
    out = an.referrals_by_quarter(_referrals())
    assert len(out) == 9 * 2  # 2009 Q1 .. 2011 Q1, two directions
    assert out["referrals"].sum() == 6
    q1 = out[(out["quarter"] == "2009 Q1") & (out["direction"] == "jcp_to_centre")]
    assert q1["referrals"].iloc[0] == 1
    by = an.referrals_by_quarter(_referrals(), by="la_code")
    assert set(by["la_code"]) == {"P01"}


def test_referral_growth():
    g = an.referral_growth(_referrals()).set_index("direction")
    assert g.loc["all", "first_year"] == 2
    assert g.loc["all", "last_year"] == 4
    assert g.loc["all", "growth"] == pytest.approx(1.0)
    svc = an.referrals_by_service(_referrals())
    assert svc["referrals"].sum() == 6


def test_referral_flows(dataset):
    out = an.referral_flows(dataset.referrals, dataset.areas)
    assert len(out) == 10
    assert out["base"].sum() == len(dataset.referrals)


def test_delivery():
    rows = []
    for la, missing in (("P01", None), ("P02", "partnership_working")):
        for i, el in enumerate(an.ELEMENTS):
            rows.append({"la_code": la, "element": el, "delivered": el != missing,
                         "priority": i + 1})
    d = pd.DataFrame(rows)
    by_la = an.delivery_by_la(d).set_index("la_code")
    assert by_la.loc["P01", "all_five"] and not by_la.loc["P02", "all_five"]
    assert by_la.loc["P02", "n_delivered"] == 4
    assert an.las_delivering_all(d).iloc[0].to_dict() == {"count": 1, "base": 2}
    by_el = an.delivery_by_element(d).set_index("element")
    assert by_el.loc["partnership_working", "n_las"] == 1
    assert by_el.loc["jcp_provision", "n_top_priority"] == 2


def test_theme_frequencies():
    iv = pd.DataFrame({
        "interview_id": ["INT-0001", "INT-0002", "INT-0003"],
        "role": ["adviser", "adviser", "parent"],
        "la_code": ["P01", "P02", "P01"],
        "themes": ["flexible_role;role_tension", "flexible_role", ""],
        "excerpt": ["x", "y", "z"],
    })
    out = an.theme_frequencies(iv).set_index("theme")
    assert out.loc["flexible_role", "count"] == 2
    assert out.loc["role_tension", "share"] == pytest.approx(1 / 3)
    assert out.loc["outreach_success", "count"] == 0
    by = an.theme_frequencies(iv, "role")
    row = by[(by["theme"] == "flexible_role") & (by["role"] == "adviser")].iloc[0]
    assert (row["count"], row["base"]) == (2, 2)
    assert len(by) == len(an.THEMES) * 2


def test_theme_counts_by_cell_are_hand_counted_with_repeats_spaces_and_missing_codes():
    """Hand-counted: an interview counts once per theme, codes are trimmed, a missing or blank
    list counts nothing, unknown codes are ignored; with and without `by` alike."""
    iv = pd.DataFrame({
        "interview_id": ["I1", "I2", "I3", "I4", "I5"],
        "role": ["adviser", "adviser", "manager", "manager", "manager"],
        "themes": pd.Series([" flexible_role ; role_tension", "flexible_role;flexible_role",
                             None, "role_tension;", "not_a_theme"], dtype="str"),
    })
    by = an.theme_frequencies(iv, "role").set_index(["theme", "role"])
    assert by.loc[("flexible_role", "adviser"), ["count", "base"]].tolist() == [2, 2]
    assert by.loc[("role_tension", "adviser"), ["count", "base"]].tolist() == [1, 2]
    assert by.loc[("flexible_role", "manager"), ["count", "base"]].tolist() == [0, 3]
    assert by.loc[("role_tension", "manager"), "share"] == pytest.approx(1 / 3)
    assert list(by.index.get_level_values("theme").unique()) == list(an.THEMES)
    whole = an.theme_frequencies(iv).set_index("theme")
    assert whole.loc[["flexible_role", "role_tension"], "count"].tolist() == [2, 2]
    assert (whole["base"] == 5).all()
