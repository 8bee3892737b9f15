"""Facts: names, house-style text, and deterministic files."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest
import yaml
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc import analysis as an
from wfscc.errors import WfsccError
from wfscc.facts import (
    Fact,
    change_words,
    compute_facts,
    la_facts,
    monthly_average_starts,
    pilot_reference,
    write_facts,
)

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


def test_cited_units_do_not_wrap_apart(facts, tmp_path):
    """The prose cites `_variables.yml`: there a number and "per cent" are joined by
    non-breaking spaces (HTML and PDF keep them on one line); facts.json keeps the plain text."""
    paths = write_facts(facts, tmp_path)
    variables = yaml.safe_load(paths["variables"].read_text(encoding="utf-8"))
    data = json.loads(paths["facts"].read_text(encoding="utf-8"))
    shares = [f.name for f in facts if f.text.endswith(" per cent")]
    assert shares
    for name in shares:
        assert variables[name].endswith("\u00a0per\u00a0cent"), (name, variables[name])
        assert data[name]["text"].endswith(" per cent")
    assert not [
        v
        for v in variables.values()
        if isinstance(v, str)
        and " per cent" in v
        and re.search(r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine) per cent", v)
    ]


def test_wording_rules_keep_numbers_and_their_units_together():
    from wfscc.facts._wording import rules_markdown

    table = rules_markdown()
    assert "80\u00a0per\u00a0cent" in table
    assert not re.search(r"\b\d+ per cent", table)


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


# --- the facts the narrative needs (tests/report/facts_needed.md) -------------------------------

ELEMENTS = ("jcp_provision", "support_packages", "partnership_working", "adviser_integration",
            "customer_engagement")
ROUTES = ("outreach_event", "centre_activity", "word_of_mouth", "jcp_referral",
          "centre_staff_referral", "partner_referral")
NEEDED = [
    "ci_level", "disclosure_threshold", "bedding_in_rule_share", "bedding_in_rule_window",
    "bedding_in_rule_final_months", "n_core_elements", "n_survey_waves", "n_interview_waves",
    "takeup_pilot_change_words", "delivery_top_priority_element", "delivery_top_priority_las",
    "delivery_n_distinct_top_priorities", "lone_parent_benefit_la_range", "barrier_any_share",
    "barrier_top", "barrier_top_share", "support_better_off_calc_share",
    "support_tax_credits_share", "adviser_positive_share",
    *(f"delivery_{e}_las" for e in ELEMENTS), *(f"priority_first_{e}_las" for e in ELEMENTS),
    *(f"route_{r}_share" for r in ROUTES),
    *(f"theme_{t}_las" for t in an.THEMES),
]


def test_every_needed_fact_is_computed(facts):
    names = {f.name for f in facts}
    assert not [n for n in NEEDED if n not in names]


def test_constants_of_method(facts):
    by = {f.name: f for f in facts}
    assert by["ci_level"].text == "95 per cent"
    assert by["disclosure_threshold"].text == "10"
    assert by["bedding_in_rule_share"].text == "80 per cent"
    assert by["bedding_in_rule_window"].text == "three months"
    assert by["bedding_in_rule_final_months"].text == "12 months"
    assert by["n_core_elements"].text == "five"
    assert by["n_survey_waves"].text == "two" and by["n_interview_waves"].text == "two"


def test_threshold_is_reported(dataset):
    by = {f.name: f for f in compute_facts(dataset, threshold=5)}
    assert by["disclosure_threshold"].text == "five"


def test_delivery_and_priority_facts(dataset, facts):
    by = {f.name: f for f in facts}
    dv = dataset.delivery
    firsts = {e: int(((dv["element"] == e) & (dv["priority"] == 1)).sum()) for e in ELEMENTS}
    for e in ELEMENTS:
        assert by[f"priority_first_{e}_las"].value == firsts[e]
        assert by[f"delivery_{e}_las"].text == "10"
    top = max(ELEMENTS, key=lambda e: (firsts[e], -ELEMENTS.index(e)))
    assert by["delivery_top_priority_element"].value == top
    text = by["delivery_top_priority_element"].text
    assert text == text.lower() or text.startswith("Jobcentre Plus")
    assert by["delivery_top_priority_las"].value == firsts[top]
    assert by["delivery_n_distinct_top_priorities"].value == sum(1 for v in firsts.values() if v)


def test_priority_ties_go_to_the_report_order(dataset):
    dv = dataset.delivery.copy()
    # two LAs put support packages first, two put partnership working first, none others
    rows = []
    for i, la in enumerate(sorted(dv["la_code"].unique())[:4]):
        first = "partnership_working" if i < 2 else "support_packages"
        order = [first] + [e for e in ELEMENTS if e != first]
        rows += [{"la_code": la, "element": e, "delivered": True, "priority": p + 1}
                 for p, e in enumerate(order)]
    by = {f.name: f for f in compute_facts(replace(dataset, delivery=pd.DataFrame(rows)))}
    assert by["delivery_top_priority_element"].text == "packages of support and bespoke services"
    assert by["delivery_top_priority_las"].text == "two"
    assert by["delivery_n_distinct_top_priorities"].text == "two"


def test_mi_facts(dataset, facts):
    by = {f.name: f for f in facts}
    mi = dataset.mi
    assert by["route_outreach_event_share"].value == pytest.approx(by["outreach_share"].value)
    assert sum(by[f"route_{r}_share"].value for r in ROUTES) == pytest.approx(1)
    assert by["barrier_any_share"].value == pytest.approx((mi["main_barrier"] != "none").mean())
    top = mi.loc[mi["main_barrier"] != "none", "main_barrier"].value_counts().idxmax()
    assert by["barrier_top"].text == top
    assert by["barrier_top_share"].value == pytest.approx((mi["main_barrier"] == top).mean())
    assert by["support_tax_credits_share"].value == pytest.approx(mi["support_tax_credits"].mean())
    lo, hi = by["lone_parent_benefit_la_range"].value
    assert lo <= by["lone_parent_benefit_share"].value <= hi
    assert re.fullmatch(r"\S+ to \S+ per cent", by["lone_parent_benefit_la_range"].text)


def test_adviser_and_theme_facts(dataset, facts):
    by = {f.name: f for f in facts}
    s = dataset.survey
    met = s[(s["group"] == "pilot") & (s["wave"] == 2) & s["adviser_view"].notna()]
    expected = (met["weight"] * (met["adviser_view"] >= 4)).sum() / met["weight"].sum()
    assert by["adviser_positive_share"].value == pytest.approx(expected)
    assert by["adviser_positive_share"].base == len(met)
    iv = dataset.interviews
    las = iv[iv["themes"].str.split(";").apply(lambda t: "role_tension" in t)]["la_code"]
    assert by["theme_role_tension_las"].value == las.nunique()
    assert by["theme_role_tension_las"].base == 10


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (0.3, "more than halved"), (0.5, "halved"), (0.8, "fell"), (1.0, "did not change"),
        (1.04, "did not change"), (1.3, "rose"), (1.85, "nearly doubled"), (1.96, "doubled"),
        (2.0, "doubled"), (2.4, "more than doubled"), (2.8, "nearly trebled"), (3.0, "trebled"),
        (3.5, "more than trebled"), (3.9, "nearly quadrupled"), (4.0, "quadrupled"),
        (4.66, "more than quadrupled"), (5.0, "rose fivefold"), (7.3, "rose more than sevenfold"),
        (10.0, "rose tenfold"), (15.2, "rose more than 15-fold"),
    ],
)
def test_change_words(ratio, words):
    assert change_words(ratio) == words


def test_change_words_rejects_nonsense():
    with pytest.raises(ValueError, match="ratio"):
        change_words(float("nan"))


def test_takeup_change_words_follow_the_ratio(facts):
    by = {f.name: f for f in facts}
    assert by["takeup_pilot_change_words"].text == change_words(by["takeup_pilot_ratio"].value)


# --- per-LA profiles: the LA's rows plus the small pilot reference -------------------------------


def _slice(dataset, la):
    from wfscc.notebook.store import ProfileData

    tables = {name: getattr(dataset, name)[getattr(dataset, name)["la_code"] == la]
              .reset_index(drop=True)
              for name in ("areas", "centres", "delivery", "mi", "referrals", "survey",
                           "interviews")}
    return ProfileData(la_code=la, reference={}, **tables)


def test_pilot_reference_is_small_and_rounded(dataset):
    ref = pilot_reference(dataset)
    assert list(ref.columns) == ["name", "value", "base", "text"]
    assert ref["name"].is_unique and list(ref["name"]) == sorted(ref["name"])
    for name in ("lone_parent_benefit_share", "job_entry_rate", "takeup_w2",
                 "bedding_in_months", "referral_months", "starts_per_la"):
        assert name in set(ref["name"])
    by = ref.set_index("name")
    shares = by[by.index.str.endswith(("_share", "_rate")) | by.index.str.startswith("takeup_")]
    assert (shares["value"] * 1000 == (shares["value"] * 1000).round()).all()
    assert float(by.loc["bedding_in_months", "value"]).is_integer()
    facts = {f.name: f for f in compute_facts(dataset)}
    assert by.loc["lone_parent_benefit_share", "text"] == facts["lone_parent_benefit_share"].text
    assert by.loc["takeup_w2", "text"] == facts["takeup_pilot_w2"].text


def test_pilot_reference_ignores_changes_it_does_not_show(dataset):
    mi = dataset.mi.copy()
    mi.loc[mi["la_code"] == "P01", "support_cv"] = ~mi.loc[mi["la_code"] == "P01", "support_cv"]
    changed = replace(dataset, mi=mi)
    pd.testing.assert_frame_equal(pilot_reference(dataset), pilot_reference(changed))
    pd.testing.assert_frame_equal(monthly_average_starts(dataset),
                                  monthly_average_starts(changed))


def test_monthly_average_starts(dataset):
    avg = monthly_average_starts(dataset)
    assert list(avg.columns) == ["month", "starts"]
    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    exact = monthly.groupby("month")["starts"].mean()
    assert (avg.set_index("month")["starts"] - exact).abs().max() <= 0.05 + 1e-9
    assert (avg["starts"] * 10 == (avg["starts"] * 10).round()).all()


def test_la_facts_from_the_la_rows_alone(dataset):
    ref = pilot_reference(dataset)
    full = la_facts(dataset, "P03", pilot=ref)
    alone = la_facts(_slice(dataset, "P03"), "P03", pilot=ref)
    assert full == alone
    by = {f.name: f for f in alone}
    assert by["la_bedding_in_months_pilot"].text == ref.set_index("name").loc[
        "bedding_in_months", "text"]
    assert by["la_starts_pilot"].text.isdigit() or by["la_starts_pilot"].text.isalpha()


def test_la_facts_do_not_depend_on_other_las(dataset):
    ref = pilot_reference(dataset)
    before = la_facts(dataset, "P03", pilot=ref)
    mi = dataset.mi
    other = replace(dataset, mi=mi[mi["la_code"] != "P05"])
    assert la_facts(other, "P03", pilot=ref) == before


def test_la_facts_per_la_rules_match_the_pilot_wide_rules(dataset):
    b = an.bedding_in(dataset.mi, dataset.areas).set_index("la_code")
    rf = an.referral_flows(dataset.referrals, dataset.areas).set_index("la_code")
    for la in ("P01", "P06"):
        by = {f.name: f for f in la_facts(_slice(dataset, la), la)}
        assert by["la_bedding_in_months"].value == b.loc[la, "months_to_steady"]
        assert by["la_referral_months"].value == rf.loc[la, "months_to_steady"]


def test_la_facts_without_a_reference_use_the_data_given(dataset):
    by = {f.name: f for f in la_facts(dataset, "P02")}
    ref = pilot_reference(dataset).set_index("name")
    assert by["la_job_entry_rate_pilot"].text == ref.loc["job_entry_rate", "text"]


def test_claims_are_facts_with_their_rule(facts):
    by = {f.name: f for f in facts}
    # the test data: pilot take-up rose clearly, the comparison areas barely moved
    assert by["takeup_pilot_direction"].text == "rose"
    assert by["takeup_pilot_direction"].source == "wfscc.facts._wording.direction"
    assert by["takeup_comparison_direction"].text == "stayed about the same"
    assert by["takeup_did_size"].text.endswith("percentage points larger than")
    lo, hi = by["takeup_did_ci"].value
    assert lo < by["takeup_did"].value < hi
    for m in ("confidence", "aspiration", "awareness"):
        lo, hi = by[f"att_{m}_did_ci"].value
        assert lo < by[f"att_{m}_did"].value < hi
    kinds = [by[f"interviews_{k}_parent"].value for k in ("in_depth", "case_study")
             if f"interviews_{k}_parent" in by]
    assert kinds and sum(kinds) == by["interviews_parent"].value


def test_la_profile_claims_follow_the_rules(dataset):
    for la in ("P01", "P04"):
        by = {f.name: f for f in la_facts(dataset, la)}
        lo, hi = by["la_takeup_change_ci"].value
        want = "rose" if lo > 0 else "fell" if hi < 0 else "stayed about the same"
        assert by["la_takeup_direction"].text == want
        n = by["la_interviews"].value
        for name, fact in by.items():
            if name.startswith("la_theme_") and name.endswith("_quantifier"):
                count = by[name.replace("_quantifier", "_n")].value
                if count == n:
                    assert fact.text == "all"
                elif count == 0:
                    assert fact.text == "none"
                elif count / n > 0.5:
                    assert fact.text == "most"


def test_la_flags_mark_a_share_far_from_the_other_pilot_areas(dataset):
    la = "P01"
    part = _slice(dataset, la)
    mi = part.mi.copy()
    mi["lone_parent"] = mi["lone_parent"].map(lambda v: type(v)(1))  # every start a lone parent
    mi["benefit"] = "income_support"  # on benefit: the area's share is 100 per cent
    part = type(part)(**{**part.__dict__, "mi": mi})
    by = {f.name: f for f in la_facts(part, la, pilot=pilot_reference(dataset))}
    assert by["la_lone_parent_benefit_share"].text == "100 per cent"
    assert by["la_lone_parent_benefit_share_flag"].text == (
        "significantly higher than in the other pilot areas")
    mi["benefit"] = "none"  # none on benefit: zero per cent
    part = type(part)(**{**part.__dict__, "mi": mi})
    by = {f.name: f for f in la_facts(part, la, pilot=pilot_reference(dataset))}
    assert by["la_lone_parent_benefit_share_flag"].text == (
        "significantly lower than in the other pilot areas")
