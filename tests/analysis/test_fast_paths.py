"""The analysis functions on random data with missing values and awkward edges, against
independent oracles: engagement shares, route mix and place preference by their definition (each
part is the share or weighted share of its flag, which test_groups.py checks against
statsmodels), outcomes likewise with pandas' grouped medians, derived MI columns, theme counts,
quarter labels and `row` against pandas' own periods or by hand, monthly counts, bedding-in,
referral flows and growth by their definitions written out here, and cases worked by hand (an
areas table listing an LA twice, theme codes with spaces and repeats)."""

from __future__ import annotations

import statistics
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from wfscc import analysis as an
from wfscc.analysis._stats import quarter_label, share, weighted_share
from wfscc.analysis.bedding_in import months_to_level
from wfscc.contract import PILOT_END
from wfscc.facts._core import row

SEEDS = range(8)
PLACES = ["centre", "jcp_office", "no_preference"]
MEASURES = ("lone_parent_benefit", "non_traditional", "second_earner")


def _same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True, check_index_type=True,
                                  check_column_type=True)
    assert type(new.index) is type(old.index)


def _dates(rng, n, start="2008-11-01", days=960, missing=0.1) -> pd.Series:
    d = pd.Series(pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), "D"))
    return d.mask(rng.random(n) < missing)


def _areas(rng) -> pd.DataFrame:
    codes = ["P03", "P01", "P02", "P04", "C01", "C02"]
    starts = pd.to_datetime(["2009-03-17", "2009-01-05", "2010-11-30", "2011-06-01", None, None])
    return pd.DataFrame({"la_code": pd.Series(codes, dtype="str"), "la_name": codes,
                         "group": ["pilot"] * 4 + ["comparison"] * 2, "pilot_start": starts})


def _text(rng, values, n, missing=0.1) -> pd.Series:
    return pd.Series(rng.choice(values, n), dtype="str").mask(rng.random(n) < missing)


def _mi(rng, n) -> pd.DataFrame:
    start = _dates(rng, n, missing=0.0)
    job = start + pd.to_timedelta(rng.integers(-5, 300, n), "D")
    return pd.DataFrame({
        "la_code": _text(rng, ["P01", "P02", "P03", "P04", "C01", "X99"], n, 0.05),
        "start_date": start,
        "lone_parent": rng.random(n) < 0.6,
        "benefit": _text(rng, ["none", "income_support", "other_benefit"], n),
        "customer_type": _text(rng, ["traditional", "non_traditional"], n),
        "second_earner": rng.random(n) < 0.2,
        "engagement_route": _text(rng, ["outreach_event", "word_of_mouth", "jcp_referral"], n),
        "referred_on": rng.random(n) < 0.3,
        "job_entry_date": job.mask(rng.random(n) < 0.7),
        "training_start_date": (start + pd.to_timedelta(rng.integers(0, 90, n), "h"))
        .mask(rng.random(n) < 0.8),
    })


def _survey(rng, n) -> pd.DataFrame:
    return pd.DataFrame({
        "wave": rng.integers(1, 3, n), "group": _text(rng, ["pilot", "comparison"], n, 0.0),
        "la_code": _text(rng, ["P01", "P02", "C01"], n, 0.0),
        "weight": rng.gamma(2.0, 0.5, n),
        "preferred_place": _text(rng, PLACES, n),
    })


def _referrals(rng, n) -> pd.DataFrame:
    return pd.DataFrame({"date": _dates(rng, n),
                         "la_code": _text(rng, ["P01", "P02", "P03", "P04", "C02"], n, 0.05),
                         "direction": _text(rng, ["jcp_to_centre", "centre_to_jcp"], n)})


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("by", [[], ["la_code"], ["quarter"], ["la_code", "quarter"],
                                ["engagement_route"]])
def test_engagement_and_outcomes(seed, by):
    mi = _mi(np.random.default_rng(seed), [0, 1, 40, 400][seed % 4])
    derived = an.add_derived(mi)
    # by definition: each measure's rows are its share (checked against its own oracles in
    # test_groups.py), measure by measure
    shares = an.engagement_shares(mi, by)
    assert shares["measure"].unique().tolist() in (list(MEASURES), [])  # [] with no cell
    for measure in MEASURES:
        _same(_part(shares, "measure", measure), share(derived, measure, by))
    if "quarter" not in by:
        _check_outcomes(mi, by)
    if len(mi["engagement_route"].dropna()) and "engagement_route" not in by:
        mix = an.route_mix(mi, by)
        routes = sorted(mi["engagement_route"].dropna().unique())
        assert sorted(mix["engagement_route"].unique()) == routes
        for route in routes:
            flag = derived["engagement_route"] == route
            _same(_part(mix, "engagement_route", route), share(derived, flag, by))


def _check_outcomes(mi: pd.DataFrame, by: list[str]) -> None:
    """By definition: each outcome's rows are the share of starts with it, and the median days
    from start to it (whole days, in each cell, pandas' own median; none for referrals)."""
    out = an.outcomes(mi, by)
    for name, (col, date_col) in an.OUTCOMES.items():
        part = _part(out, "outcome", name)
        flag = mi[col].notna() if date_col else mi[col].astype(bool)
        _same(part.drop(columns="median_days"), share(mi, flag, by))
        if date_col is None:
            assert part["median_days"].isna().all()
            continue
        days = (mi[date_col] - mi["start_date"]).dt.days
        if by:
            expected = days.groupby([mi[c] for c in by], sort=True).median().to_numpy()
        else:
            expected = np.array([days.median()])
        np.testing.assert_allclose(part["median_days"].to_numpy(dtype=float), expected,
                                   rtol=0, atol=0)


def _part(long: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """The rows of a long table for one ``value`` of ``column``, without that column."""
    part = long[long[column] == value].drop(columns=column).reset_index(drop=True)
    return part


def test_add_derived_by_hand():
    mi = pd.DataFrame({
        "la_code": ["P01", "P02", "P03"], "lone_parent": [True, True, False],
        "benefit": pd.Series(["none", "income_support", None], dtype="str"),
        "customer_type": pd.Series(["non_traditional", "traditional", None], dtype="str"),
        "second_earner": [False, True, False],
        "start_date": pd.to_datetime(["2009-01-31", "2009-04-01", "2010-12-31"]),
        "engagement_route": "word_of_mouth", "referred_on": False,
        "job_entry_date": pd.NaT, "training_start_date": pd.NaT,
    })
    out = an.add_derived(mi)
    # a lone parent on a benefit other than "none" (a missing benefit is not "none")
    assert out["lone_parent_benefit"].tolist() == [False, True, False]
    assert out["non_traditional"].tolist() == [True, False, False]
    assert out["second_earner"].tolist() == [False, True, False]
    assert out["quarter"].tolist() == ["2009 Q1", "2009 Q2", "2010 Q4"]
    pd.testing.assert_frame_equal(out[mi.columns], mi)  # the input columns are kept as they were


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("by", [[], ["wave"], ["wave", "group"], ["group", "la_code"]])
def test_preference(seed, by):
    survey = _survey(np.random.default_rng(seed), [0, 3, 50, 500][seed % 4])
    for expressed in (False, True):
        # by definition: each place's rows are the weighted share preferring it (checked against
        # statsmodels in test_groups.py), among those who named a place when `expressed`
        out = an.preference(survey, by, expressed_only=expressed)
        data = survey[survey["preferred_place"] != "no_preference"] if expressed else survey
        places = PLACES[:2] if expressed else PLACES
        assert sorted(out["place"].unique()) == sorted(places) or not len(out)
        for place in places:
            flag = data["preferred_place"] == place
            _same(_part(out, "place", place), weighted_share(data, flag, "weight", by))


@pytest.mark.parametrize("seed", SEEDS)
def test_bedding_in_referral_flows_and_growth(seed):
    rng = np.random.default_rng(seed)
    areas = _areas(rng)
    mi, referrals = _mi(rng, [0, 30, 300, 3000][seed % 4]), _referrals(rng, 200 * (seed % 3))
    monthly = an.monthly_counts(mi, areas, "start_date")
    assert list(monthly.itertuples(index=False, name=None)) == _monthly_by_hand(
        mi, areas, "start_date")
    bedding = an.bedding_in(mi, areas)
    _check_months_to_level(bedding, monthly.rename(columns={"count": "starts"}), "starts")
    starts = dict(_pilots(areas))  # an LA that starts after the pilot's end has no months
    assert bedding["pilot_start"].tolist() == [starts[la] for la in bedding["la_code"]]
    flows_monthly = an.monthly_counts(referrals, areas, "date")
    assert list(flows_monthly.itertuples(index=False, name=None)) == _monthly_by_hand(
        referrals, areas, "date")
    _check_months_to_level(an.referral_flows(referrals, areas), flows_monthly, "count")
    _check_growth(an.referral_growth(referrals), referrals)
    one = areas[areas["la_code"] == "P02"]  # as a profile sees it: its own area only
    own = an.bedding_in(mi, one)
    pd.testing.assert_frame_equal(own, bedding[bedding["la_code"] == "P02"].reset_index(drop=True))
    noisy = flows_monthly.assign(count=flows_monthly["count"] + rng.random(len(flows_monthly)))
    _check_months_to_level(months_to_level(noisy, "count"), noisy, "count")  # floats


def _check_growth(result: pd.DataFrame, referrals: pd.DataFrame) -> None:
    """Referrals in 2009 against those from April 2010 to the pilot's end, by direction."""
    dates = pd.to_datetime(referrals["date"])
    first = referrals[(dates >= "2009-01-01") & (dates <= "2009-12-31")]
    last = referrals[(dates >= "2010-04-01") & (dates <= PILOT_END)]
    for r in result.itertuples():
        pick = (lambda f: f) if r.direction == "all" else (
            lambda f, d=r.direction: f[f["direction"] == d])
        a, b = len(pick(first)), len(pick(last))
        assert (r.first_year, r.last_year) == (a, b), r.direction
        assert r.ratio == pytest.approx(b / a if a else np.nan, nan_ok=True)
        assert r.growth == pytest.approx(b / a - 1 if a else np.nan, nan_ok=True)
    assert result["direction"].tolist() == ["jcp_to_centre", "centre_to_jcp", "all"]


def _monthly_by_hand(events, areas, date_col) -> list[tuple]:
    """(LA, month, month number, count) by the definition: each pilot LA in code order, every
    month from its start's month to the pilot's end, the events of that LA dated in it."""
    counted = Counter((la, (d.year, d.month)) for la, d in
                      zip(events["la_code"], pd.to_datetime(events[date_col]), strict=True)
                      if isinstance(la, str) and not pd.isna(d))
    out = []
    for la, start in _pilots(areas):
        year, month, number = start.year, start.month, 1
        while (year, month) <= (PILOT_END.year, PILOT_END.month):
            out.append((la, pd.Timestamp(year, month, 1), number, counted[(la, (year, month))]))
            year, month, number = year + month // 12, month % 12 + 1, number + 1
    return out


def _pilots(areas) -> list[tuple]:
    pilot = areas[areas["group"] == "pilot"]
    return sorted(zip(pilot["la_code"], pd.to_datetime(pilot["pilot_start"]), strict=True))


def _level_by_hand(values: list[float], months: list, share=0.8, window=3, final=12):
    """(steady level, index of the first month whose mean over the last `window` months reaches
    `share` of it, or None): the level is the median of the months since the last `final`
    months of the pilot began."""
    final_start = pd.Timestamp(PILOT_END.year, PILOT_END.month, 1) - pd.DateOffset(months=final - 1)
    recent = [v for v, m in zip(values, months, strict=True) if m >= final_start]
    level = statistics.median(recent) if recent else float("nan")
    for i in range(window - 1, len(values)):
        if level > 0 and sum(values[i - window + 1:i + 1]) / window >= share * level:
            return level, i
    return level, None


def _check_months_to_level(result: pd.DataFrame, monthly: pd.DataFrame, value_col: str) -> None:
    expected = []
    for la, sub in sorted(monthly.groupby("la_code"), key=lambda item: item[0]):
        sub = sub.sort_values("month")
        values, months = sub[value_col].tolist(), sub["month"].tolist()
        level, hit = _level_by_hand(values, months)
        expected.append((la, level, None if hit is None else months[hit],
                         None if hit is None else hit, int(sum(values))))
    got = [(r.la_code, r.steady_level, None if pd.isna(r.steady_month) else r.steady_month,
            None if pd.isna(r.months_to_steady) else int(r.months_to_steady), int(r.base))
           for r in result.itertuples()]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert (g[2], g[3], g[4]) == (e[2], e[3], e[4]), g[0]
        assert g[1] == pytest.approx(e[1], nan_ok=True), g[0]


def test_an_la_listed_twice_counts_twice_by_hand():
    """Each listing of a pilot LA in the areas table gets its months: P01, listed twice and
    starting in December 2010, has its four months (counts 0, 2, 0, 1) twice."""
    areas = pd.DataFrame({
        "la_code": ["P01", "P02", "P01", "C01"], "la_name": ["a", "b", "a", "c"],
        "group": ["pilot", "pilot", "pilot", "comparison"],
        "pilot_start": pd.to_datetime(["2010-12-15", "2011-02-01", "2010-12-15", None]),
    })
    events = pd.DataFrame({
        "la_code": ["P01", "P01", "P02", "P01", "C01"],
        "date": pd.to_datetime(["2011-01-03", "2011-01-20", "2011-03-31", "2011-03-01",
                                "2011-01-01"]),
    })
    months = pd.to_datetime(["2010-12-01", "2011-01-01", "2011-02-01", "2011-03-01"])
    monthly = an.monthly_counts(events, areas, "date")
    p01 = [("P01", months[0], 1, 0), ("P01", months[1], 2, 2), ("P01", months[2], 3, 0),
           ("P01", months[3], 4, 1)]
    p02 = [("P02", months[2], 1, 0), ("P02", months[3], 2, 1)]
    assert list(monthly.itertuples(index=False, name=None)) == [*p01, *p01, *p02]
    flows = an.referral_flows(events, areas)
    # P01 by month: 0, 0, 2, 2, 0, 0, 1, 1; the level is their median, 0.5, and the first
    # three-month mean to reach 0.8 * 0.5 is (0 + 0 + 2) / 3, ending at the third row (January
    # 2011, the LA's second month: one month to steady). P02 has two months, fewer than three.
    assert flows["la_code"].tolist() == ["P01", "P02"]
    assert flows["steady_level"].tolist() == [0.5, 0.5]
    assert flows["steady_month"].iloc[0] == pd.Timestamp("2011-01-01")
    assert pd.isna(flows["steady_month"].iloc[1])
    assert flows["months_to_steady"].iloc[0] == 1 and pd.isna(flows["months_to_steady"].iloc[1])
    assert flows["base"].tolist() == [6, 1]


def test_bedding_in_needs_a_pilot_la():
    mi = _mi(np.random.default_rng(1), 50)
    areas = _areas(np.random.default_rng(1))
    with pytest.raises(ValueError, match="concatenate"):
        an.bedding_in(mi, areas[areas["group"] == "comparison"])


THEME_CODES = ["flexible_role", "role_tension", "outreach_success", "not_a_theme", ""]


def _themes_by_definition(interviews: pd.DataFrame) -> list[int]:
    """For each theme, the number of distinct interviews (all missing ids one interview) with a
    row whose `;`-separated, stripped codes include it."""
    mentioned: dict[str, set] = {t: set() for t in an.THEMES}
    for iid, codes in zip(interviews["interview_id"], interviews["themes"], strict=True):
        if isinstance(codes, str):
            for code in codes.split(";"):
                if code.strip() in mentioned:
                    mentioned[code.strip()].add(("missing",) if pd.isna(iid) else iid)
    return [len(mentioned[t]) for t in an.THEMES]


@pytest.mark.parametrize("seed", SEEDS)
def test_theme_frequencies(seed):
    rng = np.random.default_rng(seed)
    n = [0, 1, 30, 300][seed % 4]
    themes = [";".join(f"{' ' * int(rng.integers(0, 2))}{t}\t" for t in
                       rng.choice(THEME_CODES, int(rng.integers(0, 4)))) for _ in range(n)]
    interviews = pd.DataFrame({
        "interview_id": _text(rng, [f"I{i}" for i in range(max(n // 2, 1))], n),
        "themes": pd.Series(themes, dtype="str").mask(rng.random(n) < 0.1),
        "excerpt": "text",
    })
    out = an.theme_frequencies(interviews)
    assert out["theme"].tolist() == list(an.THEMES)
    assert out["count"].tolist() == _themes_by_definition(interviews)
    assert (out["base"] == n).all()


def test_theme_frequencies_by_hand():
    interviews = pd.DataFrame({
        "interview_id": pd.Series(["I1", "I1", "I2", None, None, "I3"], dtype="str"),
        "role": ["adviser", "adviser", "manager", "adviser", "manager", "manager"],
        "themes": pd.Series([" flexible_role ;role_tension\t", "flexible_role",
                             "flexible_role;flexible_role;not_a_theme;;", "outreach_success",
                             "outreach_success; role_tension", None], dtype="str"),
    })
    # I1 twice and flexible_role twice in I2 count once; the two rows without an id are one
    # interview; an unknown or empty code counts for nothing; the base is every row.
    expected = {"flexible_role": 2, "role_tension": 2, "outreach_success": 1}
    out = an.theme_frequencies(interviews)
    assert dict(zip(out["theme"], out["count"], strict=True)) == {
        t: expected.get(t, 0) for t in an.THEMES}
    assert (out["base"] == 6).all()
    assert out.loc[out["theme"] == "role_tension", "share"].item() == pytest.approx(2 / 6)
    by_role = an.theme_frequencies(interviews, by="role")
    got = {(r.role, r.theme): (r.count, r.base) for r in by_role.itertuples()}
    assert len(got) == 2 * len(an.THEMES)
    # adviser: rows 1, 2, 4; manager: rows 3, 5, 6 (the missing ids are one interview per cell)
    for role, mentioned in (("adviser", {"flexible_role", "role_tension", "outreach_success"}),
                            ("manager", {"flexible_role", "outreach_success", "role_tension"})):
        for theme in an.THEMES:
            assert got[(role, theme)] == (int(theme in mentioned), 3), (role, theme)


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_quarter_label(unit):
    """Against pandas' own quarterly periods; with a missing date, pandas' float text."""
    rng = np.random.default_rng(4)
    dates = pd.Series(pd.to_datetime("1965-02-01") + pd.to_timedelta(rng.integers(0, 20000, 300),
                                                                     "D"), name="when")
    dates = dates.astype(f"datetime64[{unit}]")
    dates.index = rng.permutation(300) + 7
    labels = quarter_label(dates)
    assert labels.index.equals(dates.index) and labels.name == "when"
    assert labels.tolist() == [str(p).replace("Q", " Q") for p in dates.dt.to_period("Q")]
    gaps = pd.Series(pd.to_datetime(["2009-02-01", None, "2010-12-31"])).astype(
        f"datetime64[{unit}]")
    got = quarter_label(gaps).tolist()
    assert got[0] == "2009.0 Q1.0" and got[2] == "2010.0 Q4.0" and pd.isna(got[1])
    assert quarter_label(dates.iloc[:0]).tolist() == []


def test_row_matches_filtering():
    frame = pd.DataFrame({"m": pd.Series(["a", "b", None, "a"], dtype="str"),
                          "w": pd.array([1, 2, None, 2], dtype="Int64"),
                          "x": [0.5, 1.5, 2.5, 3.5]})
    pd.testing.assert_series_equal(row(frame, m="b"), frame.iloc[1])
    pd.testing.assert_series_equal(row(frame, m="a", w=2), frame.iloc[3])
    for where in ({"m": "a"}, {"m": "z"}, {"w": 3}):  # two rows, none, none
        with pytest.raises(KeyError):
            row(frame, **where)
