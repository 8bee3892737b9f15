"""Engagement, bedding in, outcomes from the MI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfscc import analysis as an
from wfscc.analysis._stats import wilson


def _mi():
    return pd.DataFrame({
        "la_code": ["P01"] * 4 + ["P02"] * 4,
        "start_date": pd.to_datetime(["2009-01-05", "2009-02-01", "2009-04-01", "2009-07-01"] * 2),
        "lone_parent": [True, True, False, True, True, False, False, True],
        "benefit": ["income_support", "none", "none", "other_benefit"] * 2,
        "customer_type": ["traditional", "non_traditional"] * 4,
        "second_earner": [False, True, False, False] * 2,
        "engagement_route": ["outreach_event", "word_of_mouth"] * 4,
        "referred_on": [True, False] * 4,
        "job_entry_date": pd.to_datetime(["2009-02-04", None, None, None] * 2),
        "training_start_date": pd.to_datetime([None, "2009-02-11", None, None] * 2),
    })


def test_engagement_shares():
    out = an.engagement_shares(_mi()).set_index("measure")
    assert out.loc["lone_parent_benefit", "count"] == 4  # rows 0, 3, 4 and 7
    assert out.loc["lone_parent_benefit", "base"] == 8
    assert out.loc["non_traditional", "estimate"] == pytest.approx(0.5)
    assert out.loc["second_earner", "count"] == 2
    by_la = an.engagement_shares(_mi(), "la_code")
    assert set(by_la["la_code"]) == {"P01", "P02"}
    by_q = an.engagement_shares(_mi(), "quarter")
    assert set(by_q["quarter"]) == {"2009 Q1", "2009 Q2", "2009 Q3"}


def test_route_mix():
    out = an.route_mix(_mi())
    assert out["estimate"].sum() == pytest.approx(1)
    assert out.set_index("engagement_route").loc["outreach_event", "count"] == 4


def test_outcomes():
    out = an.outcomes(_mi()).set_index("outcome")
    assert out.loc["job_entry", "count"] == 2
    assert out.loc["job_entry", "median_days"] == 30
    assert out.loc["training_start", "median_days"] == 10
    assert out.loc["referred_on", "estimate"] == pytest.approx(0.5)
    assert np.isnan(out.loc["referred_on", "median_days"])
    by = an.outcomes(_mi(), "la_code")
    assert len(by) == 6


def test_wilson_bounds():
    lo, hi = wilson(np.array([0.0, 0.5, 1.0]), np.array([10, 10, 10]))
    assert lo[0] == 0 and hi[2] == pytest.approx(1)
    assert 0.2 < lo[1] < 0.5 < hi[1] < 0.8
    lo, hi = wilson(0.5, 0)
    assert np.isnan(lo) and np.isnan(hi)


def _ramp_mi(start="2009-01-01", months_flat_after=9):
    """A start month, then starts rising linearly to 20 a month by ``months_flat_after``."""
    rows = []
    for m, month in enumerate(pd.date_range(start, "2011-03-01", freq="MS")):
        n = round(20 * min(1, (m + 1) / (months_flat_after + 1)))
        rows += [{"la_code": "P01", "start_date": month + pd.Timedelta(days=3)}] * n
    return pd.DataFrame(rows)


def _areas(start="2009-01-01"):
    return pd.DataFrame({"la_code": ["P01", "C01"], "group": ["pilot", "comparison"],
                         "pilot_start": pd.to_datetime([start, None])})


def test_bedding_in_rule():
    mi = _ramp_mi()
    monthly = an.monthly_starts(mi, _areas())
    assert monthly["month"].min() == pd.Timestamp("2009-01-01")
    assert monthly["month"].max() == pd.Timestamp("2011-03-01")
    assert monthly["starts"].sum() == len(mi)
    out = an.bedding_in(mi, _areas()).iloc[0]
    assert out["steady_level"] == 20
    # 3-month mean of 14, 16, 18 = 16 = 80% of 20 in the ninth month (index 8): eight months on.
    assert out["months_to_steady"] == 8
    assert out["steady_month"] == pd.Timestamp("2009-09-01")
    summary = an.bedding_in_summary(an.bedding_in(mi, _areas()))
    assert summary.iloc[0]["median"] == 8


def test_monthly_counts_are_zero_filled():
    mi = pd.DataFrame({"la_code": ["P01"], "start_date": pd.to_datetime(["2010-06-10"])})
    monthly = an.monthly_starts(mi, _areas("2009-06-01"))
    assert len(monthly) == 22
    assert monthly["starts"].sum() == 1


def test_on_fake_dataset(dataset):
    b = an.bedding_in(dataset.mi, dataset.areas)
    assert len(b) == 10
    assert b["months_to_steady"].between(2, 26).all()
