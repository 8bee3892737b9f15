"""Facts that compare: attitudes against the comparison areas (difference-in-differences, as
take-up is compared), the intervals of the attitude changes, and interviews by type and role."""

from __future__ import annotations

from .. import analysis as an
from .. import housestyle as hs
from ..memo import reads
from ._core import SRC, Facts, row


@reads("survey")
def attitude_comparisons(f: Facts, ds) -> None:
    """``att_<m>_pilot_change_ci`` and ``att_<m>_did`` (+ ``_ci``, ``_p``) for each attitude."""
    s = ds.survey
    change = an.attitude_change(s, "pilot")
    src = SRC + "survey.attitude_change"
    for m in an.ATTITUDES:
        r = row(change, measure=m)
        f.add(
            f"att_{m}_pilot_change_ci",
            [r["lower"], r["upper"]],
            r["base1"] + r["base2"],
            hs.interval(r["lower"], r["upper"], points=True),
            src,
        )
    did = an.attitude_did(s, an.ATTITUDES)
    src = SRC + "design.attitude_did"
    for m in an.ATTITUDES:
        d = row(did, measure=m)
        f.add(f"att_{m}_did", d["estimate"], d["base"], hs.percentage_points(d["estimate"]), src)
        f.add(
            f"att_{m}_did_ci",
            [d["lower"], d["upper"]],
            d["base"],
            hs.interval(d["lower"], d["upper"], points=True),
            src,
        )
        f.add(f"att_{m}_did_p", d["p_value"], d["base"], hs.p_value(d["p_value"]), src)


@reads("interviews")
def interview_types(f: Facts, ds) -> None:
    """``interviews_<type>_<role>``: interviews of each type with each role, zero where there
    are none (the report cites the parents' and advisers' counts whatever the data hold)."""
    iv = ds.interviews
    src = "wfscc.facts._comparisons.interview_types"
    counts = iv.groupby(["interview_type", "role"]).size()
    kinds = sorted({"case_study", "in_depth", *iv["interview_type"].unique()})
    roles = sorted({"adviser", "parent", *iv["role"].unique()})
    for kind in kinds:
        for role in roles:
            f.count(f"interviews_{kind}_{role}", int(counts.get((kind, role), 0)), src)


@reads("referrals", "areas")
def referral_timing(f: Facts, ds) -> None:
    """Referral growth from each LA's own start: ``referral_growth_window`` ("six months"),
    ``referrals_own_first`` and ``referrals_own_last`` (summed over LAs) and
    ``referral_ratio_own_start`` ("8.4 times")."""
    src = SRC + "partnership.referral_growth_from_start"
    window = an.partnership.GROWTH_WINDOW
    g = an.referral_growth_from_start(ds.referrals, ds.areas, window)
    total = row(g, la_code="all")
    f.add("referral_growth_window", window, None, hs.months(window), src)
    f.count("referrals_own_first", total["first"], src)
    f.count("referrals_own_last", total["last"], src)
    if total["first"] > 0:
        f.add(
            "referral_ratio_own_start",
            total["ratio"],
            int(total["first"]),
            f"{hs.round_half_up(total['ratio'], 1):g} times",
            src,
        )
