"""Facts for one LA's profile, and the small pilot-wide reference values they are compared with.

A profile notebook sees only its own LA's rows (:class:`wfscc.notebook.store.ProfileData`) and the
reference tables the build makes once: :func:`pilot_reference` and :func:`monthly_average_starts`.
Their values are rounded to the precision a profile uses, so a small change to one LA's records
rarely changes them, and so rarely re-runs the other LAs' notebooks.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import CI_LEVEL
from ..contract import DEFAULT_THRESHOLD, THEME_LABELS
from ..errors import WfsccError
from . import _wording as wd
from ._core import TOO_FEW, Fact, Facts, row
from ._design import ELEMENT_WORDS
from ._profile_claims import profile_claims
from ._profile_rest import rest_rows

__all__ = ["THEME_WORDS", "la_facts", "monthly_average_starts", "pilot_reference"]

#: Decimal places kept in reference shares (proportions) and monthly average starts.
SHARE_DECIMALS = 3
AVERAGE_DECIMALS = 1
#: Respondents at a wave below which a profile warns that the area's survey figures are uncertain
#: (shown, as they reach the disclosure threshold, but with wide intervals).
SMALL_BASE = 50
_OUTCOMES = ("job_entry", "training_start", "referred_on")
_SRC = "wfscc.facts.la_facts"
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth")

#: The interview themes as a profile names them inside a sentence.
THEME_WORDS = THEME_LABELS["prose"]


def _approx_base(n) -> int | None:
    """A base to two significant figures (context only; an exact base would change with any
    added record)."""
    if n is None or pd.isna(n) or n <= 0:
        return None if n is None or pd.isna(n) else 0
    digits = max(int(math.floor(math.log10(n))) - 1, 0)
    return int(hs.round_half_up(n / 10**digits) * 10**digits)


def _pilot_rows(dataset, name: str) -> np.ndarray:
    """Which rows of table ``name`` belong to pilot LAs."""
    frame = getattr(dataset, name)
    pilot = set(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    return frame["la_code"].isin(pilot).to_numpy()


def _pilot_only(dataset, name: str) -> pd.DataFrame:
    """The rows of table ``name`` that belong to pilot LAs (the table itself if all do)."""
    frame = getattr(dataset, name)
    mine = _pilot_rows(dataset, name)
    return frame if mine.all() else frame[mine]


def pilot_reference(dataset) -> pd.DataFrame:
    """Pilot-wide comparators for the LA profiles: one row per ``name``, with ``value`` (rounded:
    shares to three decimals, months and averages per LA to whole numbers), ``base`` (two
    significant figures) and ``text`` (house style, from the unrounded value, as the report's
    own facts show it).

    Names: ``<measure>_share`` (engagement measures), ``<outcome>_rate``, ``takeup_w<w>`` and
    ``pref_centre_w<w>`` (pilot areas), ``route_<route>_share``, ``bedding_in_months`` and
    ``referral_months`` (medians across LAs), ``starts_per_la`` and ``referrals_per_la`` (means
    across pilot LAs).
    """
    rows: list[dict] = []

    def share(name, r):
        rows.append({"name": name, "value": hs.round_half_up(float(r["estimate"]), SHARE_DECIMALS),
                     "base": _approx_base(r["base"]), "text": hs.percent(float(r["estimate"]))})

    def whole(name, v, base, text):
        value = None if v is None or pd.isna(v) else hs.round_half_up(float(v))
        rows.append({"name": name, "value": value, "base": _approx_base(base),
                     "text": text(value) if value is not None else "not reached"})

    mi = _pilot_only(dataset, "mi")
    if len(mi):
        eng = an.engagement_shares(mi)
        for m in an.MEASURES:
            share(f"{m}_share", row(eng, measure=m))
        oc = an.outcomes(mi)
        for name in _OUTCOMES:
            share(f"{name}_rate", row(oc, outcome=name))
        for _, r in an.route_mix(mi).iterrows():
            share(f"route_{r['engagement_route']}_share", r)
    survey = dataset.survey.loc[dataset.survey["group"] == "pilot",
                                ["la_code", "wave", "weight", "uses_jcp_at_centre",
                                 "preferred_place"]]
    if len(survey):
        tk = an.takeup(survey, by="wave")
        for _, r in tk.iterrows():
            share(f"takeup_w{int(r['wave'])}", r)
        pref = an.preference(survey, by="wave")
        for _, r in pref[pref["place"] == "centre"].iterrows():
            share(f"pref_centre_w{int(r['wave'])}", r)
    b = an.bedding_in_summary(an.bedding_in(dataset.mi, dataset.areas)).iloc[0]
    whole("bedding_in_months", b["median"], b["n_las"], hs.months)
    rf = an.bedding_in_summary(an.referral_flows(dataset.referrals, dataset.areas)).iloc[0]
    whole("referral_months", rf["median"], rf["n_las"], hs.months)
    n_las = int((dataset.areas["group"] == "pilot").sum())
    _ranks(rows, dataset, mi)
    pilot_las = sorted(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    if len(pilot_las) > 1:
        rows.extend(rest_rows(mi, survey, pilot_las))
    if n_las:
        whole("starts_per_la", len(mi) / n_las, n_las, hs.count)
        n_refs = int(_pilot_rows(dataset, "referrals").sum())
        whole("referrals_per_la", n_refs / n_las, n_las, hs.count)
    out = pd.DataFrame(rows, columns=["name", "value", "base", "text"])
    out["value"] = out["value"].astype(float)
    out["base"] = out["base"].astype("Int64")
    return out.sort_values("name", ignore_index=True)


def _ranks(rows: list[dict], dataset, mi: pd.DataFrame) -> None:
    """Rows ``rank_starts_<LA>`` (1 = most starts) and ``rank_bedding_in_<LA>`` (1 = quickest to
    a steady level; LAs that never reached one are not ranked), ties sharing the better rank. A
    rank changes only when the order of the areas does, so it rarely re-runs other profiles."""
    pilot = dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"]
    starts = mi["la_code"].value_counts().reindex(pilot, fill_value=0)
    months = an.bedding_in(dataset.mi, dataset.areas).set_index("la_code")["months_to_steady"]
    for name, values, ascending in (("starts", starts, False), ("bedding_in", months, True)):
        ranked = values.dropna().rank(method="min", ascending=ascending)
        for la, r in ranked.items():
            rows.append({"name": f"rank_{name}_{la}", "value": int(r), "base": len(ranked),
                         "text": _ordinal(int(r))})


def monthly_average_starts(dataset) -> pd.DataFrame:
    """Mean starts per pilot LA for each calendar month (over the LAs running in that month),
    rounded to one decimal. Columns: ``month``, ``starts``."""
    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    avg = monthly.groupby("month", sort=True)["starts"].mean()
    return pd.DataFrame({
        "month": avg.index,
        "starts": [hs.round_half_up(float(v), AVERAGE_DECIMALS) for v in avg.to_numpy()],
    })


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"number {n}"


def _own(data, name: str, la_code: str) -> pd.DataFrame:
    """The LA's rows of table ``name`` (the table itself when it holds only them)."""
    frame = getattr(data, name)
    codes = frame["la_code"].unique()
    if len(codes) == 1 and codes[0] == la_code:
        return frame
    return frame[frame["la_code"] == la_code]


def _reference(pilot: pd.DataFrame, la_code: str) -> dict[str, tuple]:
    """``name -> (value, base, text)`` of the :func:`pilot_reference` frame: the pilot-wide
    rows and the LA's own ``rank_*`` and ``rest_*`` rows. The other LAs' rows are left out
    (selected by vectorised string tests): every profile reading the whole frame, which has
    rows for every LA, took time growing with the square of the number of areas."""
    names = pilot["name"].astype(str)
    own = ~names.str.startswith(("rank_", "rest_")) | names.str.endswith(
        (f"_{la_code}", f"_{la_code}_se")
    )
    pilot = pilot[own.to_numpy(dtype=bool)]
    return {name: (value, None if pd.isna(base) else base, str(text))
            for name, value, base, text in zip(pilot["name"], pilot["value"].tolist(),
                                               pilot["base"].tolist(), pilot["text"],
                                               strict=True)}


def _tied(pilot: pd.DataFrame, key: str, rank) -> int:
    """How many pilot LAs share the rank ``rank`` by ``key`` (rows ``rank_<key>_<LA>``)."""
    named = pilot["name"].astype(str).str.startswith(f"rank_{key}_").to_numpy(dtype=bool)
    return int((named & (pilot["value"] == rank).to_numpy(dtype=bool)).sum())


def la_facts(data, la_code: str, *, pilot: pd.DataFrame | None = None,
             threshold: int = DEFAULT_THRESHOLD) -> list[Fact]:
    """Facts for one LA's profile, named ``la_*``, each share with the pilot-wide figure beside
    it (``la_*_pilot``).

    ``data``: any object with the Dataset tables (``areas``, ``centres``, ``delivery``, ``mi``,
    ``referrals``, ``survey``, ``interviews``) holding at least this LA's rows; the LA's figures
    use only its own rows. ``pilot``: the frame of :func:`pilot_reference` (made from ``data``
    when None). Counts of people or records from 1 to ``threshold - 1`` read "fewer than N" (N
    the threshold); shares on a base below the threshold, or counting fewer than ``threshold``
    starts, read "not shown (too few)". Either way the fact keeps no value and no base
    (``Fact.suppressed``).

    Besides the shares and their pilot-wide comparators: ``la_region``;
    ``la_disclosure_threshold`` (the smallest count shown); ``la_ci_level`` ("95 per cent");
    ``la_steady_month`` and ``la_referral_steady_month`` (the month a steady level was reached,
    or "not reached"); ``la_referrals_first_year`` and ``la_referrals_last_year`` (January to
    December 2009, April 2010 to March 2011); ``la_respondents_w<w>``, ``la_takeup_w<w>_ci``
    and ``la_pref_centre_w<w>`` (survey); ``la_delivered_<e>`` ("yes" or "no") and
    ``la_priority_<e>`` ("first", "second", ...) for each core element; ``la_interviews``,
    ``la_theme_<t>_label`` (the theme in words) and ``la_theme_<t>_words`` (the share of
    interviews mentioning it, in words: "a small minority"); ``la_starts_rank`` and
    ``la_bedding_in_rank`` (the area's place among the pilot areas: "third of the ten pilot areas
    for the highest number of starts"); ``la_small_base`` (a caveat, present only when a wave
    has fewer than :data:`SMALL_BASE` respondents but at least the threshold);
    ``la_referrals_own_first``, ``la_referrals_own_last``, ``la_referral_ratio_own_start`` and
    the claim ``la_referrals_direction`` (referral growth from the area's own start, the report's
    measure; see :func:`_own_start_growth`).
    """
    areas = data.areas
    if la_code not in set(areas["la_code"]):
        raise WfsccError(f"Unknown LA {la_code!r}: choose one of {sorted(areas['la_code'])}.")
    if pilot is None:
        pilot = pilot_reference(data)
    ref = _reference(pilot, la_code)
    f = Facts(threshold)
    area_rows = _own(data, "areas", la_code)
    area = area_rows.iloc[0]
    f.add("la_code", la_code, None, la_code, _SRC)
    f.add("la_disclosure_threshold", int(threshold), None, hs.count(int(threshold)),
          "wfscc.outputs.disclosure.protect")
    level = hs.round_half_up(CI_LEVEL, 6)
    f.add("la_ci_level", level, None, hs.percent(level), "wfscc.analysis._stats.Z95")
    f.add("la_name", area["la_name"], None, str(area["la_name"]), _SRC)
    if "region" in area.index and pd.notna(area["region"]):
        f.add("la_region", area["region"], None, str(area["region"]), _SRC)
    if pd.notna(area["pilot_start"]):
        f.add("la_pilot_start", pd.Timestamp(area["pilot_start"]).date().isoformat(), None,
              hs.month_year(area["pilot_start"]), _SRC)
    f.count("la_centres", len(_own(data, "centres", la_code)), _SRC)

    def compare(name: str, key: str | None = None) -> None:
        key = key or name.removeprefix("la_")
        if key in ref:
            value, base, text = ref[key]
            f.add(f"{name}_pilot", value, base, text, "wfscc.facts.pilot_reference")
        else:
            f.add(f"{name}_pilot", None, None, "not available", "wfscc.facts.pilot_reference")

    intervals: dict[str, tuple[float, float]] = {}  # shown shares, for the flags

    def share(name: str, r) -> None:
        if r["base"] < threshold or 0 < r.get("count", threshold) < threshold:
            f.withhold(name, TOO_FEW, _SRC)
        else:
            f.add(name, r["estimate"], r["base"], hs.percent(r["estimate"]), _SRC)
            intervals[name] = (float(r["lower"]), float(r["upper"]))
        compare(name)

    mi = _own(data, "mi", la_code)
    f.people("la_starts", len(mi), _SRC)
    compare("la_starts", "starts_per_la")
    eng = an.engagement_shares(mi)
    for m in an.MEASURES:
        share(f"la_{m}_share", row(eng, measure=m))
    oc = an.outcomes(mi)
    for name in _OUTCOMES:
        share(f"la_{name}_rate", row(oc, outcome=name))
    survey = _own(data, "survey", la_code)
    tk = an.takeup(survey, by="wave")
    pref = an.preference(survey, by="wave")
    smallest = None
    for w in (1, 2):
        n = int((survey["wave"] == w).sum())
        f.people(f"la_respondents_w{w}", n, _SRC)
        smallest = n if smallest is None else min(smallest, n)
        if (tk["wave"] == w).any():
            r = row(tk, wave=w)
            share(f"la_takeup_w{w}", r)
            if r["base"] >= threshold:
                f.add(f"la_takeup_w{w}_ci", [r["lower"], r["upper"]], r["base"],
                      hs.interval(r["lower"], r["upper"]), _SRC)
            else:
                f.withhold(f"la_takeup_w{w}_ci", TOO_FEW, _SRC)
        if ((pref["wave"] == w) & (pref["place"] == "centre")).any():
            share(f"la_pref_centre_w{w}", row(pref, wave=w, place="centre"))
    if smallest is not None and threshold <= smallest < SMALL_BASE:
        f.add("la_small_base", smallest, smallest,
              f"fewer than {hs.count(SMALL_BASE)} centre users took part at a survey wave, so the "
              "area's survey figures are uncertain: read them with their intervals", _SRC)
    refs = _own(data, "referrals", la_code)
    for name, month_name, frame in (
        ("la_bedding_in_months", "la_steady_month", an.bedding_in(mi, area_rows)),
        ("la_referral_months", "la_referral_steady_month", an.referral_flows(refs, area_rows)),
    ):
        sel = frame[frame["la_code"] == la_code]
        f.months(name, sel["months_to_steady"].iloc[0] if len(sel) else None, _SRC)
        compare(name)
        month = sel["steady_month"].iloc[0] if len(sel) else pd.NaT
        f.add(month_name, None if pd.isna(month) else pd.Timestamp(month).date().isoformat(),
              None, "not reached" if pd.isna(month) else hs.month_year(month), _SRC)
    for key, name, words, after in (
        ("starts", "la_starts_rank", "highest number of starts", ""),
        ("bedding_in", "la_bedding_in_rank", "quickest", " to reach a steady level of starts"),
    ):
        rank, n, text = ref.get(f"rank_{key}_{la_code}", (None, 0, ""))
        if n >= 3:  # a place among two areas says no more than the comparison does
            tied = _tied(pilot, key, rank)
            place = "" if rank == 1 and tied == 1 else f"{'joint ' if tied > 1 else ''}{text} "
            f.add(name, int(rank), int(n),
                  f"the {place}{words} of the {hs.count(int(n))} pilot areas{after}", _SRC)
    f.people("la_referrals_total", len(refs), _SRC)
    compare("la_referrals_total", "referrals_per_la")
    growth = row(an.referral_growth(refs), direction="all")
    for period in ("first_year", "last_year"):
        n = int(growth[period])
        f.people(f"la_referrals_{period}", n, _SRC)
    _own_start_growth(f, refs, area_rows, la_code)
    _delivery(f, _own(data, "delivery", la_code))
    interviews = _own(data, "interviews", la_code)
    f.count("la_interviews", len(interviews), _SRC)  # interviews are an allowed class
    if len(interviews):
        themes = an.theme_frequencies(interviews)
        for theme, value, n in zip(themes["theme"], themes["share"].tolist(),
                                   themes["count"].tolist(), strict=True):
            f.add(f"la_theme_{theme}_label", theme, None,
                  THEME_WORDS.get(theme, theme.replace("_", " ")), _SRC)
            f.add(f"la_theme_{theme}_words", value, None, hs.proportion_words(value), _SRC)
            f.count(f"la_theme_{theme}_n", n, _SRC, base=len(interviews))
    rest = {name: (ref[f"rest_{key}_{la_code}"][0], ref[f"rest_{key}_{la_code}_se"][0])
            for name in intervals
            if f"rest_{(key := name.removeprefix('la_'))}_{la_code}_se" in ref}
    profile_claims(f, survey, threshold, intervals, rest)
    return sorted(f, key=lambda x: x.name)


def _own_start_growth(f: Facts, refs: pd.DataFrame, area_rows: pd.DataFrame, la_code) -> None:
    """Referrals in the area's own first months from its start against the pilot's final months
    (the report's measure of growth): ``la_referral_growth_window``, ``la_referrals_own_first``,
    ``la_referrals_own_last``, ``la_referral_ratio_own_start`` ("4.5 times") and the claim
    ``la_referrals_direction`` (rose / stayed about the same / fell, by the report's ratio rule);
    the ratio and the claim are withheld when either count is below the threshold."""
    window = an.partnership.GROWTH_WINDOW
    src = "wfscc.analysis.partnership.referral_growth_from_start"
    f.add("la_referral_growth_window", window, None, hs.months(window), src)
    if area_rows["pilot_start"].isna().all():
        return
    g = an.referral_growth_from_start(refs, area_rows.assign(group="pilot"), window)
    mine = row(g, la_code=la_code)
    first, last = int(mine["first"]), int(mine["last"])
    f.people("la_referrals_own_first", first, src)
    f.people("la_referrals_own_last", last, src)
    if f.small(first) or f.small(last) or first == 0 or bool(mine["overlap"]):
        f.withhold("la_referral_ratio_own_start", TOO_FEW, src)
        return
    ratio = last / first
    f.add("la_referral_ratio_own_start", ratio, first,
          f"{hs.round_half_up(ratio, 1):g} times", src)
    w = wd.ratio_direction(ratio)
    f.add("la_referrals_direction", w.outcome, None, w.words,
          "wfscc.facts._wording." + w.rule.replace(" ", "_"))


def _delivery(f: Facts, dv: pd.DataFrame) -> None:
    """The LA's core elements: how many it delivered, its first priority, and each element."""
    if not len(dv):
        return
    n = int(dv["delivered"].astype(bool).sum())
    f.add("la_elements_delivered", n, len(dv), hs.count(n), _SRC)
    top = dv.loc[dv["priority"] == dv["priority"].min(), "element"].iloc[0]
    f.add("la_top_priority_element", top, None, ELEMENT_WORDS.get(top, str(top)), _SRC)
    for el, delivered, priority in zip(dv["element"], dv["delivered"].tolist(),
                                       dv["priority"].tolist(), strict=True):
        f.add(f"la_delivered_{el}", bool(delivered), None, "yes" if delivered else "no", _SRC)
        f.add(f"la_priority_{el}", int(priority), None, _ordinal(int(priority)), _SRC)
