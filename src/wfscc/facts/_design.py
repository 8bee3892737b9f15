"""Facts about the pilot's design: areas, calendar, constants of method, and delivery."""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import CI_LEVEL, months_between
from ..analysis.bedding_in import RULE
from ..contract import ELEMENT_LABELS, PILOT_END, PILOT_START
from ..memo import reads
from ._core import SRC, Facts

#: The core elements as the prose names them inside a sentence.
ELEMENT_WORDS = ELEMENT_LABELS["prose"]


@reads("areas", "centres", "survey", "interviews")
def context(f: Facts, ds, threshold: int) -> None:
    """Areas, centres, the pilot calendar, and the constants of method."""
    areas = ds.areas
    pilot = areas[areas["group"] == "pilot"]
    src = "wfscc.facts._design.context"
    f.count("n_pilot_las", len(pilot), src)
    f.add("n_pilot_las_words", len(pilot), None, hs.spelled(len(pilot)), src)
    n_comp = int((areas["group"] == "comparison").sum())
    f.count("n_comparison_las", n_comp, src)
    f.add("n_comparison_las_words", n_comp, None, hs.spelled(n_comp), src)
    centres = ds.centres[ds.centres["la_code"].isin(pilot["la_code"])]
    per_la = centres.groupby("la_code").size()
    f.count("centres_per_la", int(per_la.median()) if len(per_la) else 0, src)
    f.count("n_pilot_centres", len(centres), src)
    f.add("pilot_start", PILOT_START.date().isoformat(), None, hs.month_year(PILOT_START), src)
    f.add("pilot_end", PILOT_END.date().isoformat(), None, hs.month_year(PILOT_END), src)
    f.add("pilot_period", None, None, hs.period(PILOT_START, PILOT_END), src)
    f.months("pilot_months", months_between(PILOT_START, PILOT_END) + 1, src)
    starts = pd.to_datetime(pilot["pilot_start"])
    f.add("first_la_start", starts.min().date().isoformat(), None, hs.month_year(starts.min()), src)
    f.add("last_la_start", starts.max().date().isoformat(), None, hs.month_year(starts.max()), src)
    f.count("n_survey_waves", ds.survey["wave"].nunique(), src, base=f.base_of(len(ds.survey)))
    f.count("n_interview_waves", ds.interviews["wave"].nunique(), src, base=len(ds.interviews))

    level = hs.round_half_up(CI_LEVEL, 6)
    f.add("ci_level", level, None, hs.percent(level), "wfscc.analysis._stats.Z95")
    f.add("disclosure_threshold", int(threshold), None, hs.count(int(threshold)),
          "wfscc.outputs.disclosure.protect")
    src = SRC + "bedding_in.RULE"
    f.add("bedding_in_rule_share", RULE["share"], None, hs.percent(RULE["share"]), src)
    f.add("bedding_in_rule_window", RULE["window"], None, hs.months(RULE["window"]), src)
    f.add("bedding_in_rule_final_months", RULE["final_months"], None,
          hs.months(RULE["final_months"]), src)


@reads("delivery")
def delivery(f: Facts, ds) -> None:
    """Which core elements each LA delivered, and which it put first."""
    dv = ds.delivery
    src = SRC + "delivery.las_delivering_all"
    d = an.las_delivering_all(dv).iloc[0]
    f.count("delivery_all_five_las", d["count"], src, base=d["base"])
    f.add("delivery_all_five_las_words", int(d["count"]), int(d["base"]), hs.spelled(d["count"]),
          src)
    f.count("delivery_n_las", d["base"], src)
    words = hs.proportion_words(d["count"] / d["base"]) if d["base"] else "none"
    f.add("delivery_all_five_words", d["count"] / d["base"] if d["base"] else None, d["base"],
          words, src)
    f.count("n_core_elements", dv["element"].nunique(), "wfscc.facts._design.delivery")

    src = SRC + "delivery.delivery_by_element"
    by_el = an.delivery_by_element(dv).set_index("element")
    for el in an.ELEMENTS:
        n_las = int(by_el.loc[el, "n_las"]) if el in by_el.index else 0
        top = int(by_el.loc[el, "n_top_priority"]) if el in by_el.index else 0
        base = int(by_el.loc[el, "base"]) if el in by_el.index else 0
        f.count(f"delivery_{el}_las", n_las, src, base=base)
        f.count(f"priority_first_{el}_las", top, src, base=base)
    tops = {el: int(by_el.loc[el, "n_top_priority"]) if el in by_el.index else 0
            for el in an.ELEMENTS}
    best = max(tops.values())
    first = next(el for el in an.ELEMENTS if tops[el] == best)  # ties: the report's order
    n_las = int(dv["la_code"].nunique())
    f.add("delivery_top_priority_element", first, n_las, ELEMENT_WORDS[first], src)
    f.count("delivery_top_priority_las", best, src, base=n_las)
    f.count("delivery_n_distinct_top_priorities",
            dv.loc[dv["priority"] == 1, "element"].nunique(), src, base=n_las)
