"""The rest-of-pilot rows of the profile reference (``rest_<key>_<LA>``): each LA's figures
among the other pilot areas, made without estimating every LA's others from their rows."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc import analysis as an
from wfscc import housestyle as hs
from wfscc.analysis import without
from wfscc.facts import _profile as profile
from wfscc.facts import la_facts, pilot_reference
from wfscc.facts._profile_rest import rest_rows, se_of


@pytest.fixture(scope="module")
def pilot():
    data = make_dataset()
    las = sorted(data.areas.loc[data.areas["group"] == "pilot", "la_code"])
    survey = data.survey.loc[
        data.survey["group"] == "pilot",
        ["la_code", "wave", "weight", "uses_jcp_at_centre", "preferred_place"],
    ]
    return data, data.mi[data.mi["la_code"].isin(las)], survey, las


def _by_definition(mi: pd.DataFrame, survey: pd.DataFrame, la: str) -> dict[str, pd.Series]:
    """Every flagged share of the LA's others, estimated from the others' rows."""
    mi, survey = mi[mi["la_code"] != la], survey[survey["la_code"] != la]
    out = {f"{r['measure']}_share": r for _, r in an.engagement_shares(mi).iterrows()}
    out |= {f"{r['outcome']}_rate": r for _, r in an.outcomes(mi).iterrows()}
    out |= {f"takeup_w{int(r['wave'])}": r for _, r in an.takeup(survey, by="wave").iterrows()}
    pref = an.preference(survey, by="wave")
    out |= {
        f"pref_centre_w{int(r['wave'])}": r for _, r in pref[pref["place"] == "centre"].iterrows()
    }
    return out


def test_rest_rows_are_each_las_others_shares(pilot):
    _, mi, survey, las = pilot
    got = {r["name"]: r for r in rest_rows(mi, survey, las)}
    expected = 0
    for la in las:
        for key, r in _by_definition(mi, survey, la).items():
            expected += 2
            assert got[f"rest_{key}_{la}"]["value"] == hs.round_half_up(r["estimate"], 3)
            assert got[f"rest_{key}_{la}"]["text"] == hs.percent(r["estimate"])
            assert got[f"rest_{key}_{la}_se"]["value"] == hs.round_half_up(
                se_of(r["lower"], r["upper"]), 4
            )
    assert len(got) == expected


def test_the_reference_estimates_a_fixed_number_of_times_whatever_the_number_of_las(
    pilot, monkeypatch
):
    """Before, each LA's others were estimated from their rows: one pass over all rows per
    LA, so time grew with the square of the number of areas."""
    data, mi, survey, las = pilot
    calls = []
    for name in ("engagement_shares", "outcomes", "takeup", "preference"):
        for module in (an, without):
            real = getattr(module, name)
            monkeypatch.setattr(
                module,
                name,
                lambda *a, _real=real, _name=name, **k: (calls.append(_name), _real(*a, **k))[1],
            )
    counts = []
    for some in (las[:3], las):
        calls.clear()
        rest_rows(mi, survey, some)
        counts.append(len(calls))
    assert counts[0] == counts[1] > 0
    calls.clear()
    pilot_reference(data)
    assert len(calls) < 2 * len(las)


def test_a_profile_reads_only_its_own_las_rows_of_the_reference(pilot, monkeypatch):
    """Every profile used to turn the whole reference, which has rows for every LA, into a
    dict: time growing with the square of the number of areas. Other LAs' rows added to the
    reference (ranked below every real one, so no ties change) neither change the facts nor
    reach the dict."""
    data, *_ = pilot
    ref = pilot_reference(data)
    more = pd.DataFrame(
        [
            {"name": f"{kind}_X{i:04d}", "value": 99.0 + i, "base": pd.NA, "text": "x"}
            for i in range(500)
            for kind in ("rank_starts", "rank_bedding_in", "rest_job_entry_rate")
        ]
    ).astype({"base": "Int64"})
    padded = pd.concat([ref, more], ignore_index=True)
    seen = []
    real = profile._reference
    monkeypatch.setattr(
        profile, "_reference", lambda *a: (lambda r: (seen.append(len(r)), r)[1])(real(*a))
    )

    def facts(reference):
        return [
            (f.name, repr(f.value), f.base, f.text) for f in la_facts(data, "P03", pilot=reference)
        ]

    assert facts(padded) == facts(ref)
    assert seen[0] == seen[1] < len(ref)
