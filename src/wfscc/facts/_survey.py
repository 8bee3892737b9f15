"""Facts from the survey of children's-centre users: take-up, preference, attitudes, adviser."""

from __future__ import annotations

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import weighted_share
from ..contract import GROUPS
from ..memo import reads
from ._core import SRC, TOO_FEW, Facts, change_words, row


def _withheld(f: Facts, r, names, src) -> bool:
    """Withhold ``names`` (a change between two waves) when either wave's base is below the
    threshold; True if they were."""
    if not (f.small(r["base1"]) or f.small(r["base2"])):
        return False
    for name in names:
        f.withhold(name, TOO_FEW, src)
    return True


def _takeup(f: Facts, s) -> None:
    tk = an.takeup(s)
    for g in GROUPS:
        for w in (1, 2):
            f.share(f"takeup_{g}_w{w}", row(tk, group=g, wave=w), SRC + "survey.takeup")
    tka = an.takeup(s, by="wave")
    for w in (1, 2):
        f.share(f"takeup_all_w{w}", row(tka, wave=w), SRC + "survey.takeup")
    ch = an.takeup_change(s)
    src = SRC + "survey.takeup_change"
    for g in GROUPS:
        r = row(ch, group=g)
        base = r["base1"] + r["base2"]
        if _withheld(f, r, [f"takeup_{g}_change{x}" for x in ("", "_ci", "_p")], src):
            continue
        f.add(f"takeup_{g}_change", r["estimate"], base, hs.percentage_points(r["estimate"]), src)
        f.add(f"takeup_{g}_change_ci", [r["lower"], r["upper"]], base,
              hs.interval(r["lower"], r["upper"], points=True), src)
        f.add(f"takeup_{g}_change_p", r["p_value"], base, hs.p_value(r["p_value"]), src)
    pilot = row(ch, group="pilot")
    ratio = pilot["ratio"]
    base = pilot["base1"] + pilot["base2"]
    if not _withheld(f, pilot, ["takeup_pilot_ratio", "takeup_pilot_change_words"], src):
        f.add("takeup_pilot_ratio", ratio, base, f"{hs.round_half_up(ratio, 1):g} times", src)
        f.add("takeup_pilot_change_words", ratio, base, change_words(ratio),
              "wfscc.facts._core.change_words")
    d = an.takeup_did(s).iloc[0]
    src = SRC + "survey.takeup_did"
    if any(f.small(row(ch, group=g)[b]) for g in GROUPS
           for b in ("base1", "base2")):
        for name in ("takeup_did", "takeup_did_ci", "takeup_did_p"):
            f.withhold(name, TOO_FEW, src)
        return
    f.add("takeup_did", d["estimate"], d["base"], hs.percentage_points(d["estimate"]), src)
    f.add("takeup_did_ci", [d["lower"], d["upper"]], d["base"],
          hs.interval(d["lower"], d["upper"], points=True), src)
    f.add("takeup_did_p", d["p_value"], d["base"], hs.p_value(d["p_value"]), src)


def _preference(f: Facts, s) -> None:
    src = SRC + "survey.preference"
    pref = an.preference(s)
    for g in GROUPS:
        f.share(f"pref_centre_{g}", row(pref, group=g, place="centre"), src)
    pall = an.preference(s, by=None)
    centre = row(pall, place="centre")
    f.share("pref_centre_all", centre, src)
    f.add("pref_centre_all_words", centre["estimate"], centre["base"],
          hs.proportion_words(centre["estimate"]), src)
    f.share("pref_office_all", row(pall, place="jcp_office"), src)
    f.share("pref_centre_expressed_all",
            row(an.preference(s, by=None, expressed_only=True), place="centre"), src)


def _attitudes(f: Facts, s) -> None:
    att = an.attitudes(s)
    change = an.attitude_change(s, "pilot")
    for m in an.ATTITUDES:
        for g in GROUPS:
            for w in (1, 2):
                f.share(f"att_{m}_{g}_w{w}", row(att, measure=m, group=g, wave=w),
                        SRC + "survey.attitudes", ci=False)
        r = row(change, measure=m)
        src = SRC + "survey.attitude_change"
        base = r["base1"] + r["base2"]
        if _withheld(f, r, [f"att_{m}_pilot_change", f"att_{m}_pilot_change_p"], src):
            continue
        f.add(f"att_{m}_pilot_change", r["estimate"], base, hs.percentage_points(r["estimate"]),
              src)
        f.add(f"att_{m}_pilot_change_p", r["p_value"], base, hs.p_value(r["p_value"]), src)


def _adviser(f: Facts, s) -> None:
    met = s.loc[(s["group"] == "pilot") & (s["wave"] == 2) & s["adviser_view"].notna(),
                ["adviser_view", "weight"]]
    if met.empty:
        return
    est = weighted_share(met, met["adviser_view"] >= 4, "weight").iloc[0]
    f.share("adviser_positive_share", est, SRC + "_stats.weighted_share")


@reads("survey")
def survey(f: Facts, ds) -> None:
    """Every survey fact (catalogue in :mod:`wfscc.facts`)."""
    s = ds.survey
    src = "wfscc.facts._survey.survey"
    f.people("survey_n_total", len(s), src)
    for w in (1, 2):
        f.people(f"survey_n_w{w}", int((s["wave"] == w).sum()), src)
        for g in GROUPS:
            f.people(f"survey_n_{g}_w{w}", int(((s["wave"] == w) & (s["group"] == g)).sum()),
                     src)
    _takeup(f, s)
    _preference(f, s)
    _attitudes(f, s)
    _adviser(f, s)
