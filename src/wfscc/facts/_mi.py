"""Facts from the management information on pilot starts: who started, how, barriers, help,
outcomes."""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import equals, share
from ..analysis.engagement import MI_COLUMNS
from ..contract import NAMED_BARRIERS, ROUTES
from ..memo import reads
from ._core import SRC, TOO_FEW, Facts, row

#: Main barriers to work in the order the report lists them (ties for "top" go to the first).
BARRIERS = NAMED_BARRIERS
#: Help recorded for each start.
SUPPORT = ("better_off_calc", "tax_credits", "cv", "training_referral")


def _engagement(f: Facts, mi: pd.DataFrame, threshold: int) -> None:
    eng = an.engagement_shares(mi)
    src = SRC + "engagement.engagement_shares"
    for m in an.MEASURES:
        f.share(f"{m}_share", row(eng, measure=m), src, around=10)
    # Only the columns the measures need: copying the rest of a large MI is the slow part.
    nt = mi.loc[mi["customer_type"] == "non_traditional", list(MI_COLUMNS)]
    se = an.engagement_shares(nt)
    f.share("second_earner_among_non_traditional_share", row(se, measure="second_earner"), src,
            around=10, ci=False)
    by_la = an.engagement_shares(mi, "la_code")
    lpb = by_la[(by_la["measure"] == "lone_parent_benefit") & (by_la["base"] >= threshold)]
    if len(lpb):
        lo, hi = float(lpb["estimate"].min()), float(lpb["estimate"].max())
        f.add("lone_parent_benefit_la_range", [lo, hi], int(lpb["base"].sum()),
              hs.interval(lo, hi), src)

    routes = an.route_mix(mi)
    src = SRC + "engagement.route_mix"
    for r in ROUTES:
        sel = routes[routes["engagement_route"] == r]
        est = sel.iloc[0] if len(sel) else pd.Series(
            {"estimate": 0.0, "base": len(mi), "lower": 0.0, "upper": 0.0})
        f.share(f"route_{r}_share", est, src)
        if r == "outreach_event":
            f.share("outreach_share", est, src, ci=False)


def _barriers_and_support(f: Facts, mi: pd.DataFrame) -> None:
    src = SRC + "_stats.share"
    barrier = mi["main_barrier"].fillna("none")
    f.share("barrier_any_share", share(mi, equals(barrier, "none", negate=True)).iloc[0], src)
    flags = {b: equals(barrier, b) for b in BARRIERS}
    counts = {b: int(flags[b].sum()) for b in BARRIERS}
    for b in BARRIERS:
        f.share(f"barrier_{b}_share", share(mi, flags[b]).iloc[0], src, ci=False)
    top = max(BARRIERS, key=lambda b: (counts[b], -BARRIERS.index(b)))
    f.add("barrier_top", top, f.base_of(len(mi)), top, "wfscc.facts._mi.mi_facts")
    f.share("barrier_top_share", share(mi, flags[top]).iloc[0], src, ci=False)
    for s in SUPPORT:
        f.share(f"support_{s}_share", share(mi, f"support_{s}").iloc[0], src)


def _outcomes(f: Facts, mi: pd.DataFrame) -> None:
    src = SRC + "outcomes.outcomes"
    oc = an.outcomes(mi)
    for name, count_name in (("job_entry", "job_entries"), ("training_start", "training_starts"),
                             ("referred_on", "referred_on")):
        r = row(oc, outcome=name)
        f.people(count_name, r["count"], src, base=r["base"])
        f.share(f"{name}_rate", r, src)
    for name, fact in (("job_entry", "median_days_to_job"),
                       ("training_start", "median_days_to_training")):
        r = row(oc, outcome=name)
        if f.small(r["count"]):  # an average of fewer people than the threshold
            f.withhold(fact, TOO_FEW, src)
            continue
        days = r["median_days"]
        text = "not available" if pd.isna(days) else f"{hs.number_in_words(days)} days"
        f.add(fact, days, r["count"], text, src)


@reads("mi")
def mi_facts(f: Facts, ds, threshold: int) -> None:
    """Every MI fact (catalogue in :mod:`wfscc.facts`)."""
    mi = ds.mi
    f.people("mi_starts", len(mi), "wfscc.facts._mi.mi_facts")
    _engagement(f, mi, threshold)
    _barriers_and_support(f, mi)
    _outcomes(f, mi)
