"""Facts: names, house-style text, and deterministic files."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest
import yaml
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.errors import WfsccError
from wfscc.facts import Fact, compute_facts, la_facts, write_facts

REQUIRED = [
    "n_pilot_las", "n_pilot_las_words", "n_comparison_las", "centres_per_la", "n_pilot_centres",
    "pilot_period", "pilot_start", "pilot_end", "takeup_pilot_w1", "takeup_pilot_w2",
    "takeup_comparison_w1", "takeup_comparison_w2", "takeup_pilot_w1_ci", "takeup_pilot_change",
    "takeup_pilot_change_p", "takeup_did", "takeup_did_ci", "pref_centre_pilot",
    "pref_centre_comparison", "pref_centre_all_words", "lone_parent_benefit_share",
    "lone_parent_benefit_share_around", "non_traditional_share", "non_traditional_share_around",
    "second_earner_share", "bedding_in_months_median", "bedding_in_months_min",
    "bedding_in_months_max", "referral_months_median", "delivery_all_five_las",
    "referral_growth", "job_entry_rate", "training_start_rate", "referred_on_rate",
    "median_days_to_job", "survey_n_total", "survey_n_pilot_w1", "mi_starts",
    "interviews_total", "att_confidence_pilot_change", "theme_role_tension_adviser_n",
]


@pytest.fixture(scope="module")
def dataset():
    return make_dataset()


@pytest.fixture(scope="module")
def facts(dataset):
    return compute_facts(dataset)


def test_catalogue_is_complete_and_unique(facts):
    names = [f.name for f in facts]
    assert len(names) == len(set(names))
    assert names == sorted(names)
    missing = [n for n in REQUIRED if n not in names]
    assert not missing
    for f in facts:
        assert re.fullmatch(r"[a-z0-9_]+", f.name)
        assert isinstance(f, Fact) and f.text and f.source.startswith("wfscc.")


def test_text_is_house_style(facts):
    by = {f.name: f for f in facts}
    for f in facts:
        assert "%" not in f.text, f.name
    assert by["n_pilot_las_words"].text == "ten"
    assert by["centres_per_la"].text == "three"
    assert by["pilot_period"].text == "January 2009 to March 2011"
    assert by["lone_parent_benefit_share_around"].text.startswith("around ")
    assert by["takeup_pilot_w2"].base == 600
    assert by["takeup_pilot_w2"].text.endswith("per cent")
    assert by["takeup_pilot_w2_ci"].value[0] < by["takeup_pilot_w2"].value


def test_write_facts_is_deterministic(facts, tmp_path):
    a = write_facts(facts, tmp_path / "a")
    b = write_facts(list(reversed(facts)), tmp_path / "b")
    assert a["variables"].read_bytes() == b["variables"].read_bytes()
    assert a["facts"].read_bytes() == b["facts"].read_bytes()
    variables = yaml.safe_load(a["variables"].read_text())
    assert variables["n_pilot_las_words"] == "ten"
    data = json.loads(a["facts"].read_text())
    assert set(data["takeup_pilot_w1"]) == {"value", "base", "text", "source"}
    assert list(data) == sorted(data)


def test_la_facts(dataset):
    facts = {f.name: f for f in la_facts(dataset, "P02")}
    assert facts["la_code"].text == "P02"
    assert facts["la_lone_parent_benefit_share"].text.endswith("per cent")
    assert "la_lone_parent_benefit_share_pilot" in facts
    assert facts["la_bedding_in_months"].text.endswith("months")
    with pytest.raises(WfsccError, match="Unknown LA"):
        la_facts(dataset, "P99")


def test_la_facts_hide_small_counts(dataset):
    mi = dataset.mi
    few = pd.concat([mi[mi["la_code"] != "P04"], mi[mi["la_code"] == "P04"].head(4)])
    facts = {f.name: f for f in la_facts(replace(dataset, mi=few), "P04")}
    assert facts["la_starts"].text == "fewer than 10"
    assert facts["la_job_entry_rate"].text == "not shown (too few)"
