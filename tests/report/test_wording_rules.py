"""The wording rules (wfscc.facts._wording) on hand-worked cases, and the claims made from facts."""

from __future__ import annotations

import pytest

from wfscc.facts import Fact, claims_from_facts
from wfscc.facts import _wording as wd


@pytest.mark.parametrize(
    ("est", "lo", "hi", "words"),
    [
        (0.11, 0.07, 0.15, "rose"),
        (-0.04, -0.07, -0.01, "fell"),
        (0.01, -0.003, 0.023, "stayed about the same"),
        (-0.02, -0.06, 0.02, "stayed about the same"),
        (0.0, 0.0, 0.0, "stayed about the same"),
    ],
)
def test_direction(est, lo, hi, words):
    assert wd.direction(est, lo, hi).words == words


@pytest.mark.parametrize(
    ("est", "lo", "hi", "words"),
    [
        (0.10, 0.06, 0.14, "larger"),
        (-0.02, -0.06, 0.02, "similar"),
        (-0.1, -0.2, -0.01, "smaller"),
    ],
)
def test_comparison(est, lo, hi, words):
    assert wd.comparison(est, lo, hi).words == words


@pytest.mark.parametrize(
    ("diff", "words"),
    [
        (0.0998, "10 percentage points larger than"),
        (-0.02, "two percentage points smaller than"),
        (-0.01, "one percentage point smaller than"),
        (0.004, "the same as"),
        (-0.004, "the same as"),
    ],
)
def test_signed_size_keeps_the_sign(diff, words):
    assert wd.signed_points(diff).words == words


def test_significance():
    assert wd.significance(0.01, 0.2).words == "statistically significant"
    assert wd.significance(-0.2, -0.01).words == "statistically significant"
    assert wd.significance(-0.004, 0.22).words == "not statistically significant"


@pytest.mark.parametrize(
    ("est", "lo", "hi", "words"),
    [
        (1.0, 1.0, 1.0, "all"),
        (0.0, 0.0, 0.0, "none"),
        (0.86, 0.82, 0.90, "a vast majority"),
        (0.813, 0.792, 0.833, "most"),  # 80 per cent or more, but the lower bound is not
        (0.55, 0.51, 0.59, "most"),
        (0.52, 0.47, 0.57, "about half"),
        (0.476, 0.436, 0.517, "about half"),
        (0.30, 0.28, 0.32, "some"),
        (0.20, 0.18, 0.22, "some"),
        (0.19, 0.17, 0.21, "a few"),
        (0.03, 0.02, 0.04, "a few"),
    ],
)
def test_share_quantifier(est, lo, hi, words):
    assert wd.share_quantifier(est, lo, hi).words == words


@pytest.mark.parametrize(
    ("n", "base", "words"),
    [
        (10, 10, "all"),
        (0, 10, "none"),
        (6, 10, "most"),
        (9, 10, "most"),
        (5, 10, "about half"),
        (4, 10, "about half"),
        (3, 10, "some"),
        (2, 10, "some"),
        (1, 10, "a few"),
        (4, 20, "some"),
        (3, 20, "a few"),
    ],
)
def test_count_quantifier(n, base, words):
    assert wd.count_quantifier(n, base).words == words


def test_count_quantifier_rejects_impossible_counts():
    with pytest.raises(ValueError):
        wd.count_quantifier(11, 10)
    with pytest.raises(ValueError):
        wd.count_quantifier(0, 0)


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (5.9, "rose"),
        (1.1, "rose"),
        (1.05, "stayed about the same"),
        (0.95, "stayed about the same"),
        (0.9, "fell"),
        (0.2, "fell"),
    ],
)
def test_ratio_direction(ratio, words):
    assert wd.ratio_direction(ratio).words == words


def test_rules_table_names_every_rule_and_the_thresholds():
    table = wd.rules_markdown()
    for name, _, _ in wd.RULES:
        assert f"| {name} |" in table
    assert "80\u00a0per\u00a0cent" in table and "20\u00a0per\u00a0cent" in table  # kept together
    assert "includes half" in table


def _f(name, value, text=""):
    return Fact(name, value, None, text, "test")


def test_a_fall_in_take_up_reads_as_a_fall_everywhere():
    facts = [
        _f("takeup_pilot_change", -0.05),
        _f("takeup_pilot_change_ci", [-0.08, -0.02]),
        _f("takeup_pilot_ratio", 0.5),
        _f("takeup_did", -0.04),
        _f("takeup_did_ci", [-0.07, -0.01]),
    ]
    claims = {c.name: c for c in claims_from_facts(facts)}
    assert claims["takeup_pilot_direction"].text == "fell"
    assert claims["takeup_pilot_change_verb"].text == "halved"
    assert claims["heading_takeup"].text.startswith("Fewer parents used")
    assert claims["heading_summary_takeup"].text.startswith("Less use of")
    assert claims["takeup_did_size"].text == "four percentage points smaller than"
    assert claims["takeup_did_comparison"].text == "smaller"
    assert claims["takeup_pilot_direction"].facts == (
        "takeup_pilot_change",
        "takeup_pilot_change_ci",
    )
    assert "below zero" in claims["takeup_pilot_direction"].condition


def test_a_change_whose_interval_includes_zero_is_no_change_whatever_the_ratio():
    facts = [
        _f("takeup_pilot_change", 0.01),
        _f("takeup_pilot_change_ci", [-0.01, 0.03]),
        _f("takeup_pilot_ratio", 1.4),
    ]
    claims = {c.name: c for c in claims_from_facts(facts)}
    assert claims["takeup_pilot_change_verb"].text == "stayed about the same"
    assert claims["heading_summary_takeup"].text.startswith("Little change")


def test_attitude_headings_follow_how_many_measures_beat_the_comparison_areas():
    def facts(*intervals):
        out = []
        for m, ci in zip(("confidence", "aspiration", "awareness"), intervals, strict=True):
            out += [_f(f"att_{m}_did", sum(ci) / 2), _f(f"att_{m}_did_ci", list(ci))]
        return {c.name: c.text for c in claims_from_facts(out)}

    up, flat = (0.02, 0.2), (-0.02, 0.1)
    assert facts(up, up, up)["heading_attitudes"] == (
        "Centre users in pilot areas moved closer to work"
    )
    assert "some measures" in facts(up, flat, flat)["heading_attitudes"]
    assert facts(flat, flat, flat)["heading_attitudes"].startswith("No clear change")
    assert facts(flat, flat, flat)["attitudes_did_quantifier"] == "none"
