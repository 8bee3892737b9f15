"""Named facts: every number the report's prose uses, with its base, its text and its source.

The ``.qmd`` files cite a fact as ``{{< var name >}}``; the text is in house style
(:mod:`wfscc.housestyle`). Shares are proportions in ``value``; ``text`` reads "14 per cent".
``*_ci`` facts hold ``[lower, upper]`` and read "11 to 17 per cent". Counts of people from 1 to
9 never appear: :func:`la_facts` shows them as "fewer than 10".

Catalogue (``<g>`` is ``pilot`` or ``comparison``, ``<w>`` is ``1`` or ``2``):

==========================================  ===================================================
name                                        meaning
==========================================  ===================================================
n_pilot_las, n_comparison_las               local authorities in the pilot / comparison group
n_pilot_las_words, n_comparison_las_words   the same spelled out ("ten")
centres_per_la, n_pilot_centres             centres per pilot LA ("three"), pilot centres ("30")
pilot_start, pilot_end, pilot_period        "January 2009", "March 2011", "January 2009 to ..."
pilot_months                                length of the pilot period in months
first_la_start, last_la_start               month the first / last pilot LA started
survey_n_total, survey_n_w<w>               survey respondents, all / by wave
survey_n_<g>_w<w>                           respondents by group and wave
takeup_<g>_w<w>, takeup_<g>_w<w>_ci         share using JCP services at the centre, interval
takeup_all_w<w>                             the same, both groups together
takeup_<g>_change (+_ci, _p)                change wave 1 to 2 in percentage points, test
takeup_pilot_ratio                          wave 2 take-up as a multiple of wave 1 (pilot)
takeup_did (+_ci, _p)                       difference-in-differences, pilot vs comparison
pref_centre_<g>, pref_centre_all            share preferring the centre to the JCP office
pref_centre_all_words                       the same in words ("a vast majority")
pref_office_all                             share preferring the Jobcentre Plus office
pref_centre_expressed_all                   share preferring the centre among those with a view
att_<m>_pilot_w<w>, att_<m>_pilot_change    share scoring 4-5 on <m> (confidence, aspiration,
  (+_p), att_<m>_comparison_w<w>              awareness), change in percentage points, test
mi_starts                                   pilot starts recorded in the MI
lone_parent_benefit_share (+_around, _ci)   share of starts who were lone parents on benefit
non_traditional_share (+_around, _ci)       share of starts who were non-traditional customers
second_earner_share (+_around, _ci)         share of starts who were potential second earners
second_earner_among_non_traditional_share   share of non-traditional starts who were 2nd earners
outreach_share                              share of starts engaged through outreach events
bedding_in_months_median/_min/_max          months to a steady level of starts, across LAs
bedding_in_las                              LAs that reached a steady level
referral_months_median/_min/_max            months to established referral flows, across LAs
referrals_total, referrals_jcp_to_centre,   referrals in total and by direction
  referrals_centre_to_jcp
referrals_first_year, referrals_last_year   referrals Jan-Dec 2009 / Apr 2010-Mar 2011
referral_growth, referral_ratio             growth first to last year (per cent, multiple)
delivery_all_five_las, delivery_n_las       LAs delivering all five elements / pilot LAs
delivery_all_five_las_words                 the same spelled out ("ten")
delivery_all_five_words                     "all" when every LA delivered all five
job_entries, job_entry_rate (+_ci)          starts with a job entry, and as a share of starts
training_starts, training_start_rate (+_ci) starts with a training start, and share
referred_on, referred_on_rate (+_ci)        starts referred on to other services, and share
median_days_to_job, median_days_to_training days from start to outcome (median)
interviews_total, interviews_case_study,    coded interviews, by type and wave
  interviews_in_depth, interviews_w<w>
theme_<t>_n, theme_<t>_words                interviews mentioning theme <t>; share in words
theme_<t>_<role>_n, interviews_<role>       interviews by role mentioning <t>; by role in total
==========================================  ===================================================
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import analysis as an
from . import housestyle as hs
from .analysis._stats import PILOT_END, PILOT_START, months_between

__all__ = ["Fact", "compute_facts", "la_facts", "write_facts"]

_SRC = "wfscc.analysis."


@dataclass(frozen=True)
class Fact:
    """One quantified statement: ``text`` is what the prose shows."""

    name: str
    value: float | int | str | list | None
    base: int | None
    text: str
    source: str


class _Facts(list):
    def add(self, name, value, base, text, source) -> None:
        base = None if base is None else int(base)
        self.append(Fact(name, _plain(value), base, text, source))

    def share(self, name, row, source, *, around: int | None = None, ci: bool = True) -> None:
        self.add(name, row["estimate"], row["base"], hs.percent(row["estimate"]), source)
        if ci:
            self.add(f"{name}_ci", [row["lower"], row["upper"]], row["base"],
                     hs.interval(row["lower"], row["upper"]), source)
        if around:
            self.add(f"{name}_around", row["estimate"], row["base"],
                     hs.around(row["estimate"], nearest=around), source)

    def count(self, name, n, source, base=None) -> None:
        self.add(name, int(n), base, hs.count(int(n)), source)

    def months(self, name, n, source, base=None) -> None:
        if n is None or (isinstance(n, float) and math.isnan(n)):
            self.add(name, None, base, "not reached", source)
        else:
            self.add(name, float(n), base, hs.months(float(n)), source)


def _plain(v):
    """Plain Python values for JSON/YAML (numpy scalars become int/float)."""
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _row(frame: pd.DataFrame, **where) -> pd.Series:
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    if len(sel) != 1:
        raise KeyError(f"expected one row for {where}, found {len(sel)}")
    return sel.iloc[0]


def _context(f: _Facts, ds) -> None:
    areas = ds.areas
    pilot = areas[areas["group"] == "pilot"]
    src = "wfscc.facts._context"
    f.count("n_pilot_las", len(pilot), src)
    f.add("n_pilot_las_words", len(pilot), None, hs.spelled(len(pilot)), src)
    n_comp = int((areas["group"] == "comparison").sum())
    f.count("n_comparison_las", n_comp, src)
    f.add("n_comparison_las_words", n_comp, None, hs.spelled(n_comp), src)
    centres = ds.centres[ds.centres["la_code"].isin(pilot["la_code"])]
    per_la = centres.groupby("la_code").size()
    per = int(per_la.median()) if len(per_la) else 0
    f.count("centres_per_la", per, src)
    f.count("n_pilot_centres", len(centres), src)
    f.add("pilot_start", PILOT_START.date().isoformat(), None, hs.month_year(PILOT_START), src)
    f.add("pilot_end", PILOT_END.date().isoformat(), None, hs.month_year(PILOT_END), src)
    f.add("pilot_period", None, None, hs.period(PILOT_START, PILOT_END), src)
    f.months("pilot_months", months_between(PILOT_START, PILOT_END) + 1, src)
    starts = pd.to_datetime(pilot["pilot_start"])
    f.add("first_la_start", starts.min().date().isoformat(), None, hs.month_year(starts.min()), src)
    f.add("last_la_start", starts.max().date().isoformat(), None, hs.month_year(starts.max()), src)


def _survey(f: _Facts, ds) -> None:
    s = ds.survey
    src = "wfscc.facts._survey"
    f.count("survey_n_total", len(s), src)
    for w in (1, 2):
        f.count(f"survey_n_w{w}", int((s["wave"] == w).sum()), src)
        for g in ("pilot", "comparison"):
            f.count(f"survey_n_{g}_w{w}", int(((s["wave"] == w) & (s["group"] == g)).sum()), src)
    tk = an.takeup(s)
    for g in ("pilot", "comparison"):
        for w in (1, 2):
            f.share(f"takeup_{g}_w{w}", _row(tk, group=g, wave=w), _SRC + "survey.takeup")
    tka = an.takeup(s, by="wave")
    for w in (1, 2):
        f.share(f"takeup_all_w{w}", _row(tka, wave=w), _SRC + "survey.takeup")
    ch = an.takeup_change(s)
    src = _SRC + "survey.takeup_change"
    for g in ("pilot", "comparison"):
        r = _row(ch, group=g)
        base = r["base1"] + r["base2"]
        f.add(f"takeup_{g}_change", r["estimate"], base, hs.percentage_points(r["estimate"]), src)
        f.add(f"takeup_{g}_change_ci", [r["lower"], r["upper"]], base,
              hs.interval(r["lower"], r["upper"], points=True), src)
        f.add(f"takeup_{g}_change_p", r["p_value"], base, hs.p_value(r["p_value"]), src)
    ratio = _row(ch, group="pilot")["ratio"]
    f.add("takeup_pilot_ratio", ratio, None, f"{hs.round_half_up(ratio, 1):g} times", src)
    d = an.takeup_did(s).iloc[0]
    src = _SRC + "survey.takeup_did"
    f.add("takeup_did", d["estimate"], d["base"], hs.percentage_points(d["estimate"]), src)
    f.add("takeup_did_ci", [d["lower"], d["upper"]], d["base"],
          hs.interval(d["lower"], d["upper"], points=True), src)
    f.add("takeup_did_p", d["p_value"], d["base"], hs.p_value(d["p_value"]), src)

    src = _SRC + "survey.preference"
    pref = an.preference(s)
    for g in ("pilot", "comparison"):
        f.share(f"pref_centre_{g}", _row(pref, group=g, place="centre"), src)
    pall = an.preference(s, by=None)
    centre = _row(pall, place="centre")
    f.share("pref_centre_all", centre, src)
    f.add("pref_centre_all_words", centre["estimate"], centre["base"],
          hs.proportion_words(centre["estimate"]), src)
    f.share("pref_office_all", _row(pall, place="jcp_office"), src)
    f.share("pref_centre_expressed_all",
            _row(an.preference(s, by=None, expressed_only=True), place="centre"), src)

    att = an.attitudes(s)
    for m in an.ATTITUDES:
        for g in ("pilot", "comparison"):
            for w in (1, 2):
                f.share(f"att_{m}_{g}_w{w}", _row(att, measure=m, group=g, wave=w),
                        _SRC + "survey.attitudes", ci=False)
        r = _row(an.attitude_change(s, "pilot"), measure=m)
        src = _SRC + "survey.attitude_change"
        base = r["base1"] + r["base2"]
        f.add(f"att_{m}_pilot_change", r["estimate"], base, hs.percentage_points(r["estimate"]),
              src)
        f.add(f"att_{m}_pilot_change_p", r["p_value"], base, hs.p_value(r["p_value"]), src)


def _mi(f: _Facts, ds) -> None:
    mi = ds.mi
    f.count("mi_starts", len(mi), "wfscc.facts._mi")
    eng = an.engagement_shares(mi)
    src = _SRC + "engagement.engagement_shares"
    for m in an.MEASURES:
        f.share(f"{m}_share", _row(eng, measure=m), src, around=10)
    nt = mi[mi["customer_type"] == "non_traditional"]
    se = an.engagement_shares(nt)
    f.share("second_earner_among_non_traditional_share", _row(se, measure="second_earner"), src,
            around=10, ci=False)
    routes = an.route_mix(mi)
    if (routes["engagement_route"] == "outreach_event").any():
        f.share("outreach_share", _row(routes, engagement_route="outreach_event"),
                _SRC + "engagement.route_mix", ci=False)

    src = _SRC + "outcomes.outcomes"
    oc = an.outcomes(mi)
    for name, count_name in (("job_entry", "job_entries"), ("training_start", "training_starts"),
                             ("referred_on", "referred_on")):
        r = _row(oc, outcome=name)
        f.count(count_name, r["count"], src, base=r["base"])
        f.share(f"{name}_rate", r, src)
    for name, fact in (("job_entry", "median_days_to_job"),
                       ("training_start", "median_days_to_training")):
        r = _row(oc, outcome=name)
        days = r["median_days"]
        text = "not available" if pd.isna(days) else f"{hs.number_in_words(days)} days"
        f.add(fact, days, r["count"], text, src)


def _timing(f: _Facts, ds) -> None:
    b = an.bedding_in(ds.mi, ds.areas)
    s = an.bedding_in_summary(b).iloc[0]
    src = _SRC + "bedding_in.bedding_in"
    for stat in ("median", "min", "max"):
        f.months(f"bedding_in_months_{stat}", s[stat], src, base=s["n_las"])
    f.count("bedding_in_las", s["n_las"], src, base=s["n_total"])
    rf = an.bedding_in_summary(an.referral_flows(ds.referrals, ds.areas)).iloc[0]
    src = _SRC + "partnership.referral_flows"
    for stat in ("median", "min", "max"):
        f.months(f"referral_months_{stat}", rf[stat], src, base=rf["n_las"])

    r = ds.referrals
    src = "wfscc.facts._timing"
    f.count("referrals_total", len(r), src)
    for direction in an.partnership.DIRECTIONS:
        f.count(f"referrals_{direction}", int((r["direction"] == direction).sum()), src)
    g = _row(an.referral_growth(r), direction="all")
    src = _SRC + "partnership.referral_growth"
    f.count("referrals_first_year", g["first_year"], src)
    f.count("referrals_last_year", g["last_year"], src)
    if pd.notna(g["growth"]):
        f.add("referral_growth", g["growth"], g["first_year"], hs.percent(g["growth"]), src)
        f.add("referral_ratio", g["ratio"], g["first_year"],
              f"{hs.round_half_up(g['ratio'], 1):g} times", src)

    d = an.las_delivering_all(ds.delivery).iloc[0]
    src = _SRC + "delivery.las_delivering_all"
    f.count("delivery_all_five_las", d["count"], src, base=d["base"])
    f.add("delivery_all_five_las_words", int(d["count"]), int(d["base"]), hs.spelled(d["count"]),
          src)
    f.count("delivery_n_las", d["base"], src)
    words = hs.proportion_words(d["count"] / d["base"]) if d["base"] else "none"
    f.add("delivery_all_five_words", d["count"] / d["base"] if d["base"] else None, d["base"],
          words, src)


def _interviews(f: _Facts, ds) -> None:
    iv = ds.interviews
    src = "wfscc.facts._interviews"
    f.count("interviews_total", len(iv), src)
    for t in ("case_study", "in_depth"):
        f.count(f"interviews_{t}", int((iv["interview_type"] == t).sum()), src)
    for w in (1, 2):
        f.count(f"interviews_w{w}", int((iv["wave"] == w).sum()), src)
    src = _SRC + "qualitative.theme_frequencies"
    for _, r in an.theme_frequencies(iv).iterrows():
        f.count(f"theme_{r['theme']}_n", r["count"], src, base=r["base"])
        f.add(f"theme_{r['theme']}_words", r["share"], r["base"], hs.proportion_words(r["share"]),
              src)
    by_role = an.theme_frequencies(iv, by="role")
    for role, n in iv.groupby("role").size().items():
        f.count(f"interviews_{role}", n, "wfscc.facts._interviews")
    for _, r in by_role.iterrows():
        f.count(f"theme_{r['theme']}_{r['role']}_n", r["count"], src, base=r["base"])


def compute_facts(dataset) -> list[Fact]:
    """Every fact the report cites, sorted by name (catalogue in the module docstring)."""
    f = _Facts()
    for part in (_context, _survey, _mi, _timing, _interviews):
        part(f, dataset)
    names = [x.name for x in f]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:  # pragma: no cover - a programming error
        raise RuntimeError(f"duplicate fact names: {sorted(dupes)}")
    return sorted(f, key=lambda x: x.name)


def _small_count(n: int, threshold: int) -> str:
    return f"fewer than {threshold}" if 0 < n < threshold else hs.count(n)


def la_facts(dataset, la_code: str, *, threshold: int = 10) -> list[Fact]:
    """Facts for one pilot LA's profile, named ``la_*``, with the pilot-wide figure beside each
    share (``*_pilot``). Counts from 1 to ``threshold - 1`` read "fewer than 10"; shares on a
    base below the threshold read "not shown (too few)"."""
    areas = dataset.areas
    if la_code not in set(areas["la_code"]):
        from .errors import WfsccError

        raise WfsccError(f"Unknown LA {la_code!r}: choose one of {sorted(areas['la_code'])}.")
    f = _Facts()
    src = "wfscc.facts.la_facts"
    area = areas.set_index("la_code").loc[la_code]
    f.add("la_code", la_code, None, la_code, src)
    f.add("la_name", area["la_name"], None, str(area["la_name"]), src)
    if pd.notna(area["pilot_start"]):
        f.add("la_pilot_start", pd.Timestamp(area["pilot_start"]).date().isoformat(), None,
              hs.month_year(area["pilot_start"]), src)
    mi = dataset.mi[dataset.mi["la_code"] == la_code]
    f.add("la_starts", len(mi), None, _small_count(len(mi), threshold), src)

    def share(name, row, national):
        if row["base"] < threshold:
            f.add(name, None, row["base"], "not shown (too few)", src)
        else:
            f.add(name, row["estimate"], row["base"], hs.percent(row["estimate"]), src)
        f.add(f"{name}_pilot", national["estimate"], national["base"],
              hs.percent(national["estimate"]), src)

    eng_la = an.engagement_shares(mi)
    eng = an.engagement_shares(dataset.mi)
    for m in an.MEASURES:
        share(f"la_{m}_share", _row(eng_la, measure=m), _row(eng, measure=m))
    oc_la, oc = an.outcomes(mi), an.outcomes(dataset.mi)
    for name in ("job_entry", "training_start", "referred_on"):
        share(f"la_{name}_rate", _row(oc_la, outcome=name), _row(oc, outcome=name))
    sv = dataset.survey
    tk_la = an.takeup(sv[sv["la_code"] == la_code], by="wave")
    tk = an.takeup(sv[sv["group"] == "pilot"], by="wave")
    for w in (1, 2):
        if (tk_la["wave"] == w).any():
            share(f"la_takeup_w{w}", _row(tk_la, wave=w), _row(tk, wave=w))
    b = an.bedding_in(dataset.mi, areas)
    rf = an.referral_flows(dataset.referrals, areas)
    for name, frame in (("la_bedding_in_months", b), ("la_referral_months", rf)):
        sel = frame[frame["la_code"] == la_code]
        f.months(name, sel["months_to_steady"].iloc[0] if len(sel) else None, src)
        f.months(f"{name}_pilot", an.bedding_in_summary(frame).iloc[0]["median"], src)
    nref = int((dataset.referrals["la_code"] == la_code).sum())
    f.add("la_referrals_total", nref, None, _small_count(nref, threshold), src)
    dl = an.delivery_by_la(dataset.delivery)
    sel = dl[dl["la_code"] == la_code]
    if len(sel):
        n = int(sel["n_delivered"].iloc[0])
        f.add("la_elements_delivered", n, 5, hs.count(n), src)
    return sorted(f, key=lambda x: x.name)


def _stable(v):
    if isinstance(v, float):
        return float(f"{v:.10g}")
    if isinstance(v, list):
        return [_stable(x) for x in v]
    return v


def write_facts(facts: Iterable[Fact], out_dir: Path | str) -> dict[str, Path]:
    """Write ``_variables.yml`` (name: text) and ``facts.json`` (all fields), sorted by name.

    Floats are written with ten significant digits so the files are byte-identical across runs.
    Returns the paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    facts = sorted(facts, key=lambda x: x.name)
    variables = {x.name: x.text for x in facts}
    yml = out / "_variables.yml"
    yml.write_text(
        yaml.safe_dump(variables, sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    payload = {x.name: {k: _stable(v) for k, v in asdict(x).items() if k != "name"}
               for x in facts}
    js = out / "facts.json"
    js.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                  encoding="utf-8")
    return {"variables": yml, "facts": js}
