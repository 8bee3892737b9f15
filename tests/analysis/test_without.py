"""Shares among each LA's others (wfscc.analysis.without): bit for bit what estimating each
LA's others' rows one by one gives, from a number of passes over the rows that does not grow
with the number of LAs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfscc import analysis as an
from wfscc.analysis import without

NUMBERS = ("count", "base", "n_eff", "weighted_base", "estimate", "lower", "upper")


def _same(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    """Same rows in the same order, same keys, numbers equal to the last bit."""
    assert list(fast.columns) == list(slow.columns)
    assert len(fast) == len(slow) > 0
    for col in fast.columns:
        a, b = fast[col].to_numpy(), slow[col].to_numpy()
        if col in NUMBERS:
            assert a.dtype.kind == b.dtype.kind, col
            np.testing.assert_array_equal(a, b, err_msg=col, strict=False)
            assert a.tobytes() == b.astype(a.dtype).tobytes(), col  # NaN and -0.0 alike too
        else:
            assert [str(x) for x in a] == [str(x) for x in b], col


def _pilot(dataset):
    las = sorted(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    survey = dataset.survey.loc[
        dataset.survey["group"] == "pilot",
        ["la_code", "wave", "weight", "uses_jcp_at_centre", "preferred_place"],
    ]
    return dataset.mi[dataset.mi["la_code"].isin(las)], survey, las


def test_mi_shares_match_one_by_one(dataset):
    mi, _, las = _pilot(dataset)
    _same(an.engagement_shares_without(mi, las), without.one_by_one(mi, las, an.engagement_shares))
    _same(
        an.outcomes_without(mi, las),
        without.one_by_one(mi, las, an.outcomes).drop(columns="median_days"),
    )


def test_survey_shares_match_one_by_one_to_the_last_bit(dataset):
    _, survey, las = _pilot(dataset)
    # weights spread over orders of magnitude, so that the order of the additions shows
    rng = np.random.default_rng(5)
    weight = rng.lognormal(0, 3, len(survey))
    weight[::7] = 1e16  # where a sum less a part is not the sum of the rest
    survey = survey.assign(weight=weight)
    fast = an.survey_shares_without(survey, las)
    _same(fast["takeup"], without.one_by_one(survey, las, lambda s: an.takeup(s, by="wave")))
    _same(
        fast["preference"], without.one_by_one(survey, las, lambda s: an.preference(s, by="wave"))
    )


def test_an_la_outside_the_list_counts_among_everyones_others(dataset):
    mi, survey, las = _pilot(dataset)
    some = las[:4]  # the rows of the other LAs are in every LA's others
    _same(
        an.engagement_shares_without(mi, some), without.one_by_one(mi, some, an.engagement_shares)
    )
    _same(
        an.survey_shares_without(survey, some)["takeup"],
        without.one_by_one(survey, some, lambda s: an.takeup(s, by="wave")),
    )


def test_an_la_whose_others_have_no_rows_in_a_wave_has_no_row_for_it(dataset):
    _, survey, las = _pilot(dataset)
    only = survey[(survey["la_code"] != las[0]) | (survey["wave"] == 1)]
    only = only[(only["la_code"] == las[0]) | (only["wave"] == 2)]  # wave 1: las[0] alone
    fast = an.survey_shares_without(only, las)["takeup"]
    assert not ((fast["without"] == las[0]) & (fast["wave"] == 1)).any()
    _same(fast, without.one_by_one(only, las, lambda s: an.takeup(s, by="wave")))


@pytest.mark.parametrize("missing", [False, True])
def test_passes_over_the_rows_do_not_grow_with_the_number_of_las(dataset, monkeypatch, missing):
    """The one-by-one estimate read all rows once per LA (time: LAs x rows). Here the
    estimators run a fixed number of times whatever the number of LAs; only data the shortcut
    cannot take (a missing LA code) goes one by one."""
    mi, survey, las = _pilot(dataset)
    if missing:
        mi = mi.assign(la_code=mi["la_code"].astype(object).where(mi.index != mi.index[0]))
    calls: list[str] = []
    for name in ("engagement_shares", "outcomes", "takeup", "preference"):
        real = getattr(without, name)
        monkeypatch.setattr(
            without,
            name,
            lambda *a, _real=real, _name=name, **k: (calls.append(_name), _real(*a, **k))[1],
        )
    counts = []
    for some in (las[:3], las):
        calls.clear()
        an.engagement_shares_without(mi, some)
        an.outcomes_without(mi, some)
        an.survey_shares_without(survey, some)
        counts.append(len(calls))
    if missing:
        assert counts[1] > counts[0]
    else:
        assert counts[0] == counts[1] == 4  # total and by LA, for each MI estimator
