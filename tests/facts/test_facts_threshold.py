"""Facts under the disclosure threshold: counts of people below it read "fewer than N" and are
withheld from facts.json, shares on a base below it are withheld, and allowed classes (LAs, waves,
core elements, interviews raising a theme) are shown as they are."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.facts import compute_facts, la_facts, write_facts

PEOPLE = (
    "mi_starts",
    "job_entries",
    "training_starts",
    "referred_on",
    "referrals_total",
    "referrals_first_year",
)


@pytest.fixture(scope="module")
def fake():
    return make_dataset()


@pytest.fixture(scope="module")
def few(fake):
    """15 starts and 14 referrals in all, and 12 comparison respondents at each wave."""
    mi = fake.mi.groupby("la_code").head(2).head(15)
    referrals = fake.referrals.sort_values("date").groupby("la_code").head(3).head(14)
    survey = fake.survey
    comparison = survey[survey["group"] == "comparison"].groupby("wave").head(12)
    survey = pd.concat([survey[survey["group"] == "pilot"], comparison], ignore_index=True)
    return replace(fake, mi=mi, referrals=referrals, survey=survey)


def _by(facts):
    return {f.name: f for f in facts}


def test_counts_of_people_below_the_threshold_read_fewer_than_n(few):
    at20 = _by(compute_facts(few, threshold=20))
    at10 = _by(compute_facts(few, threshold=10))
    assert at20["disclosure_threshold"].text == "20"
    assert at20["mi_starts"].text == "fewer than 20" and at10["mi_starts"].text == "15"
    assert at20["referrals_total"].text == "fewer than 20" and at10["referrals_total"].text == "14"
    assert at20["survey_n_comparison_w1"].text == "fewer than 20"
    assert at10["survey_n_comparison_w1"].text == "12"
    for name in PEOPLE:
        fact = at20[name]
        assert fact.suppressed and fact.value is None and fact.base is None, fact
        assert fact.text == "fewer than 20" or fact.text == "zero", fact
    assert not at10["mi_starts"].suppressed and at10["mi_starts"].value == 15


def test_shares_and_changes_on_a_base_below_the_threshold_are_withheld(few):
    at20 = _by(compute_facts(few, threshold=20))
    for name in (
        "lone_parent_benefit_share",
        "lone_parent_benefit_share_ci",
        "lone_parent_benefit_share_around",
        "job_entry_rate",
        "median_days_to_job",
        "referral_growth",
        "referral_ratio",
        "takeup_comparison_w1",
        "takeup_comparison_change",
        "takeup_comparison_change_p",
        "takeup_did",
    ):
        fact = at20[name]
        assert fact.text == "not shown (too few)", fact
        assert fact.value is None and fact.base is None and fact.suppressed, fact
    # the pilot group kept its 600 respondents a wave: its figures are shown
    assert at20["takeup_pilot_w1"].text.endswith("per cent")
    assert at20["takeup_pilot_change"].value is not None
    assert at20["barrier_top"].base is None  # a base of 15 starts is not published


def test_allowed_classes_are_shown_whatever_the_threshold(few):
    at20 = _by(compute_facts(few, threshold=20))
    assert at20["n_pilot_las"].value == 10 and at20["n_pilot_las"].text == "10"
    assert at20["n_core_elements"].text == "five"
    assert at20["delivery_all_five_las"].value is not None
    themed = [f for name, f in at20.items() if name.startswith("theme_") and name.endswith("_n")]
    assert themed and all(f.value is not None and not f.suppressed for f in themed)


def test_facts_json_carries_no_raw_value_for_a_withheld_fact(few, tmp_path):
    write_facts(compute_facts(few, threshold=20), tmp_path)
    facts = json.loads((tmp_path / "facts.json").read_text())
    assert facts["mi_starts"] == {
        "value": None,
        "base": None,
        "text": "fewer than 20",
        "source": "wfscc.facts._mi.mi_facts",
        "suppressed": True,
    }
    assert "suppressed" not in facts["n_pilot_las"]
    raw = (tmp_path / "facts.json").read_text()
    assert '"value": 15' not in raw and '"base": 15' not in raw


def test_the_default_threshold_changes_nothing_on_full_data(fake, tmp_path):
    facts = compute_facts(fake)
    assert not [f for f in facts if f.suppressed]
    write_facts(facts, tmp_path)
    assert '"suppressed"' not in (tmp_path / "facts.json").read_text()


def test_la_facts_take_the_threshold(fake):
    shown = _by(la_facts(fake, "P01", threshold=10))
    starts = shown["la_starts"].value
    assert starts and starts >= 10
    withheld = _by(la_facts(fake, "P01", threshold=starts + 1))
    fact = withheld["la_starts"]
    assert fact.text == f"fewer than {starts + 1}" and fact.value is None and fact.suppressed
    assert withheld["la_disclosure_threshold"].text == str(starts + 1)
    share = withheld["la_lone_parent_benefit_share"]
    assert share.text == "not shown (too few)" and share.value is None and share.base is None
