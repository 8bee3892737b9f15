"""Data scenarios: the report's words follow the data, whichever way the data go.

Each scenario alters a copy of the shipped data (take-up rises, stays flat, falls; lone parents on
benefit well below and well above the published share; no change in the comparison areas; one LA
with very few starts; a theme no interview raises). For each, the facts step alone is run and every
claim is checked against its condition by an oracle written here from the thresholds of Annex B
(not by calling the wording module). One scenario, the fall in take-up, is built in full with the
pandoc engine, and the words are checked in the summary, the chapters and the LA profiles, in the
HTML pages and in the PDFs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _narrative import REPO, REPORT, cited_vars
from test_claims import html_text, pdf_text

pytestmark = pytest.mark.slow

SEED = 20111130


def _read(d: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, d: Path, name: str) -> None:
    frame.to_csv(d / f"{name}.csv", index=False)


def _set_takeup(d: Path, rates: dict[tuple[str, str], float]) -> None:
    """Exactly ``round(p * n)`` users in each (group, wave) cell use the services, at random."""
    rng = np.random.default_rng(SEED)
    s = _read(d, "survey")
    for (group, wave), p in rates.items():
        idx = s.index[(s["group"] == group) & (s["wave"] == wave)].to_numpy()
        chosen = rng.permutation(idx)[: round(p * len(idx))]
        s.loc[idx, "uses_jcp_at_centre"] = "0"
        s.loc[chosen, "uses_jcp_at_centre"] = "1"
    _write(s, d, "survey")


def rises(d: Path) -> None:
    """The shipped data: take-up rises from about three to about 14 per cent."""


def flat(d: Path) -> None:
    _set_takeup(d, {("pilot", "1"): 0.05, ("pilot", "2"): 0.05})


def falls(d: Path) -> None:
    _set_takeup(d, {("pilot", "1"): 0.25, ("pilot", "2"): 0.05})


def no_comparison_change(d: Path) -> None:
    _set_takeup(d, {("comparison", "1"): 0.04, ("comparison", "2"): 0.04})


def lone_parents_low(d: Path) -> None:
    mi = _read(d, "mi_starts")
    lpb = mi.index[(mi["lone_parent"] == "1") & (mi["benefit"] != "none")].to_numpy()
    drop = np.random.default_rng(SEED).permutation(lpb)[: round(0.7 * len(lpb))]
    mi.loc[drop, "benefit"] = "none"
    _write(mi, d, "mi_starts")


def lone_parents_high(d: Path) -> None:
    mi = _read(d, "mi_starts")
    lone_none = (mi["lone_parent"] == "1") & (mi["benefit"] == "none")
    mi.loc[lone_none, "benefit"] = "income_support"
    couple = mi.index[(mi["lone_parent"] == "0") & (mi["second_earner"] == "0")]
    mi.loc[couple, "lone_parent"] = "1"
    mi.loc[couple, "benefit"] = "income_support"
    _write(mi, d, "mi_starts")


def few_starts(d: Path) -> None:
    mi = _read(d, "mi_starts")
    p04 = mi.index[mi["la_code"] == "P04"]
    _write(mi.drop(p04[3:]), d, "mi_starts")


def theme_never_raised(d: Path) -> None:
    iv = _read(d, "interviews")
    kept = [
        ";".join(t for t in codes.split(";") if t != "line_manager_targets")
        for codes in iv["themes"]
    ]
    iv["themes"] = [codes or "role_tension" for codes in kept]  # a theme cell cannot be blank
    _write(iv, d, "interviews")


SCENARIOS = [
    rises,
    flat,
    falls,
    no_comparison_change,
    lone_parents_low,
    lone_parents_high,
    few_starts,
    theme_never_raised,
]


def make_data(tmp: Path, scenario) -> Path:
    d = tmp / scenario.__name__
    shutil.copytree(REPO / "data", d)
    scenario(d)
    return d


# --- the oracle: Annex B's thresholds, written out again ----------------------------------------


def _pts(lo: float, hi: float) -> str:
    return "up" if lo > 0 else "down" if hi < 0 else "same"


def expected(claim, facts: dict) -> tuple[str, str | None]:
    """``(outcome, words or None)`` that the claim's facts call for."""
    v = [facts[n].value for n in claim.facts]
    if claim.rule in ("direction", "comparison", "significance"):
        lo, hi = v[1]
        out = _pts(lo, hi)
        words = {
            "direction": {"up": "rose", "down": "fell", "same": "stayed about the same"},
            "comparison": {"up": "larger", "down": "smaller", "same": "similar"},
            "significance": {
                "up": "statistically significant",
                "down": "statistically significant",
                "same": "not statistically significant",
            },
        }[claim.rule][out]
        if claim.rule == "significance":
            out = "not significant" if out == "same" else "significant"
        return out, words
    if claim.rule == "signed size":
        pts = round(v[0] * 100)
        if pts == 0:
            return "same", "the same as"
        return ("up", None) if pts > 0 else ("down", None)
    if claim.rule == "count quantifier":
        if all(isinstance(x, list) for x in v[1::2]):  # measures whose interval is above zero
            n, base = sum(ci[0] > 0 for ci in v[1::2]), len(v) // 2
        else:
            n, base = int(v[0]), int(v[1])
        share = n / base
        q = (
            "all"
            if n == base
            else "none"
            if n == 0
            else "most"
            if share > 0.5
            else "about half"
            if share >= 0.4
            else "some"
            if share >= 0.2
            else "a few"
        )
        return q, q
    if claim.rule == "share quantifier":
        est = v[0]
        if len(v) < 2:
            return claim.outcome, None  # Wilson interval made inside: checked by unit tests
        lo, hi = v[1]
        q = (
            "all"
            if est >= 1
            else "none"
            if est <= 0
            else "a vast majority"
            if est >= 0.8 and lo >= 0.8
            else "most"
            if lo > 0.5
            else "about half"
            if lo <= 0.5 <= hi
            else "some"
            if est >= 0.2
            else "a few"
        )
        return q.replace("a vast majority", "vast majority"), q
    if claim.rule == "ratio direction":
        r = v[0]
        out = "up" if r >= 1.1 else "down" if r <= 0.9 else "same"
        return out, {"up": "rose", "down": "fell", "same": "stayed about the same"}[out]
    raise AssertionError(f"no oracle for rule {claim.rule!r} ({claim.name})")


def _facts(data_dir: Path) -> tuple[dict, list]:
    from wfscc.data import load_dataset
    from wfscc.facts import claims_from_facts, compute_facts

    facts = compute_facts(load_dataset(data_dir))
    return {f.name: f for f in facts}, claims_from_facts(facts)


def _check_claims(facts: dict, claims: list) -> None:
    assert claims, "no claims"
    for c in claims:
        assert facts[c.name].text == c.text, c.name
        outcome, words = expected(c, facts)
        assert c.outcome == outcome, f"{c.name}: {c.outcome!r}, not {outcome!r} ({c.condition})"
        if (
            words is not None
            and not c.name.startswith("heading_")
            and c.name != ("takeup_pilot_change_verb")
        ):
            assert c.text == words, f"{c.name}: {c.text!r}, expected {words!r}"


@pytest.fixture(scope="module")
def scenario_facts(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("scenarios")
    return {s.__name__: _facts(make_data(root, s)) for s in SCENARIOS}


@pytest.mark.parametrize("name", [s.__name__ for s in SCENARIOS])
def test_every_claim_matches_its_condition(scenario_facts, name: str) -> None:
    facts, claims = scenario_facts[name]
    _check_claims(facts, claims)
    # a cited claim exists in every scenario, so no page shows a missing fact
    cited = {n for p in REPORT.glob("*.qmd") for n in cited_vars(p.read_text(encoding="utf-8"))}
    # a figure's facts (alt text, note, base, source) are merged by the pipeline when it is drawn
    missing = sorted(cited - set(facts) - {n for n in cited if n.startswith("fig_")})
    assert not missing, f"{name}: cited facts missing: {missing}"


def test_take_up_words_follow_the_direction(scenario_facts) -> None:
    words = {n: scenario_facts[n][0] for n in ("rises", "flat", "falls")}
    assert words["rises"]["takeup_pilot_direction"].text == "rose"
    assert words["rises"]["heading_takeup"].text.startswith("More parents")
    assert words["flat"]["takeup_pilot_direction"].text == "stayed about the same"
    assert words["flat"]["takeup_pilot_change_verb"].text == "stayed about the same"
    assert words["flat"]["heading_summary_takeup"].text.startswith("Little change")
    fell = words["falls"]
    assert fell["takeup_pilot_direction"].text == "fell"
    assert fell["heading_takeup"].text.startswith("Fewer parents")
    assert fell["heading_summary_takeup"].text.startswith("Less use")
    assert fell["takeup_did_size"].text.endswith("percentage points smaller than")
    assert fell["takeup_did_significance"].text == "statistically significant"
    assert fell["takeup_pilot_change_verb"].text in ("fell", "halved", "more than halved")


def test_no_comparison_change(scenario_facts) -> None:
    facts = scenario_facts["no_comparison_change"][0]
    assert facts["takeup_comparison_direction"].text == "stayed about the same"
    assert facts["takeup_did_size"].text.endswith("larger than")


def test_lone_parent_share_below_and_above_the_published_figure(scenario_facts) -> None:
    low = scenario_facts["lone_parents_low"][0]["lone_parent_benefit_share"].value
    high = scenario_facts["lone_parents_high"][0]["lone_parent_benefit_share"].value
    shipped = scenario_facts["rises"][0]["lone_parent_benefit_share"].value
    assert low < 0.3 < 0.5 < shipped < 0.7 < high
    for name in ("lone_parents_low", "lone_parents_high"):
        text = scenario_facts[name][0]["lone_parent_benefit_share_around"].text
        assert text != "around 60 per cent", name


def test_one_area_with_very_few_starts(scenario_facts, tmp_path) -> None:
    from wfscc.data import load_dataset
    from wfscc.facts import la_facts

    facts = scenario_facts["few_starts"][0]
    lo, hi = facts["lone_parent_benefit_la_range"].value
    assert 0 < lo <= hi < 1  # the area with three starts is left out of the range
    ds = load_dataset(make_data(tmp_path, few_starts))
    la = {f.name: f for f in la_facts(ds, "P04")}
    assert la["la_starts"].text == "fewer than 10"
    assert la["la_lone_parent_benefit_share"].text == "not shown (too few)"


def test_a_theme_no_interview_raises(scenario_facts) -> None:
    facts = scenario_facts["theme_never_raised"][0]
    assert facts["theme_line_manager_targets_las"].value == 0
    assert facts["theme_line_manager_targets_las_quantifier"].text == "none"
    assert facts["theme_line_manager_targets_adviser_n"].value == 0


# --- every scenario built: HTML and PDF -----------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'"))


def _claims_cited(path: Path, facts: dict) -> list[str]:
    from wfscc.facts import claims_from_facts

    names = {c.name for c in claims_from_facts(facts.values())}
    return [n for n in dict.fromkeys(cited_vars(path.read_text(encoding="utf-8"))) if n in names]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_each_scenario_is_worded_by_its_data_in_html_and_pdf(
    tmp_path, make_project, build_project, scenario
) -> None:
    """Each scenario built: every claim a page cites reads, on every built page (HTML) and in both
    PDFs, as the wording rules chose it for that scenario's data; the profiles follow."""
    project = make_project(tmp_path / "project")
    if (REPO / "index.qmd").is_file():
        shutil.copyfile(REPO / "index.qmd", project / "index.qmd")
    scenario(project / "data")
    facts, _ = _facts(project / "data")
    result = build_project(project, engine="pandoc")
    site = Path(result.out_dir)
    report_pdf = _norm(pdf_text(site / "report.pdf"))
    checked = 0
    for qmd in sorted(REPORT.glob("*.qmd")):
        page = site / f"{qmd.stem}.html"
        if qmd.name.startswith("_") or not page.is_file():
            continue
        texts = [_norm(html_text(page))]
        if qmd.name == "summary.qmd":
            texts.append(_norm(pdf_text(site / "summary.pdf")))
        elif qmd.name == "07-outcomes.qmd":
            texts.append(report_pdf)
        for name in _claims_cited(qmd, facts):
            for text in texts:
                assert _norm(facts[name].text) in text, f"{qmd.name}: {name} {facts[name].text!r}"
                checked += 1
        for text in texts if scenario in (falls, flat) else ():  # words of a rise, left behind
            for stale in (
                "More use of Jobcentre Plus",
                "More parents used",
                "quadrupled",
                "percentage points larger than the change",
            ):
                assert stale not in text, f"{qmd.name}: still says {stale!r}"
    assert checked > 50, checked
    # the profiles: an area's take-up direction is said in the words of the rules
    from wfscc.data import load_dataset
    from wfscc.facts import la_facts

    ds = load_dataset(project / "data")
    seen = 0
    for la in sorted(ds.areas.loc[ds.areas["group"] == "pilot", "la_code"]):
        words = {f.name: f.text for f in la_facts(ds, la)}
        if "la_takeup_direction" in words:
            page = _norm(html_text(site / "profiles" / f"{la}.html"))
            assert f"take-up in the area {words['la_takeup_direction']}" in page, la
            seen += 1
    assert seen, "no profile showed a take-up direction"
