"""Facts about time: bedding in, referral flows, and referrals between Jobcentre Plus and
centres.

Bedding in and referral flows are typical durations, as the evaluation meant them: the median
months to a steady level across pilot LAs, with the range (``*_min``, ``*_max``), each LA counted
from its own start month (Annex B's rule, :mod:`wfscc.analysis.bedding_in`). Referral growth as
the report states it is counted from each LA's own start (``referral_ratio_own_start``,
:func:`wfscc.facts._comparisons.referral_timing`); ``referral_growth`` and ``referral_ratio`` here
compare calendar years (2009 against April 2010 to March 2011) and are shown only as such
("by calendar year"), since an LA that started late has few months in 2009.
"""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..memo import reads
from ._core import SRC, TOO_FEW, Facts, row


@reads("mi", "areas", "referrals")
def timing(f: Facts, ds) -> None:
    """Months to a steady level of starts and of referrals, and referral counts and growth."""
    b = an.bedding_in(ds.mi, ds.areas)
    s = an.bedding_in_summary(b).iloc[0]
    src = SRC + "bedding_in.bedding_in"
    for stat in ("median", "min", "max"):
        f.months(f"bedding_in_months_{stat}", s[stat], src, base=s["n_las"])
    f.count("bedding_in_las", s["n_las"], src, base=s["n_total"])
    rf = an.bedding_in_summary(an.referral_flows(ds.referrals, ds.areas)).iloc[0]
    src = SRC + "partnership.referral_flows"
    for stat in ("median", "min", "max"):
        f.months(f"referral_months_{stat}", rf[stat], src, base=rf["n_las"])

    r = ds.referrals
    src = "wfscc.facts._timing.timing"
    f.people("referrals_total", len(r), src)
    for direction in an.partnership.DIRECTIONS:
        f.people(f"referrals_{direction}", int((r["direction"] == direction).sum()), src)
    g = row(an.referral_growth(r), direction="all")
    src = SRC + "partnership.referral_growth"
    f.people("referrals_first_year", g["first_year"], src)
    f.people("referrals_last_year", g["last_year"], src)
    if f.small(g["first_year"]) or f.small(g["last_year"]):  # either would show through
        f.withhold("referral_growth", TOO_FEW, src)
        f.withhold("referral_ratio", TOO_FEW, src)
    elif pd.notna(g["growth"]):
        f.add("referral_growth", g["growth"], g["first_year"], hs.percent(g["growth"]), src)
        f.add("referral_ratio", g["ratio"], g["first_year"],
              f"{hs.round_half_up(g['ratio'], 1):g} times", src)
