"""The grouping (``wfscc.analysis._groups``) and the shares built on it, checked against
independent oracles: the definitions of a share and a weighted share computed here cell by
cell, statsmodels' weighted mean and Wilson interval, and cases by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfscc.analysis._groups import group_rows, repeat_labels
from wfscc.analysis._stats import share, weighted_share

KEYS = ("s", "c", "i", "b", "f", "d")


def _frame(seed: int, n: int, missing: float = 0.2) -> pd.DataFrame:
    """Random keys of every kind the analysis groups by, with missing values, and a flag, a
    weight and a value."""
    rng = np.random.default_rng(seed)
    gone = rng.random((6, n)) < missing
    s = pd.Series(rng.choice(["b", "a", "c", "d"], n), dtype="str").mask(gone[0])
    cats = pd.Categorical(rng.choice(["z", "y", "x"], n), categories=["y", "w", "z", "x"])
    c = pd.Series(cats).mask(gone[1])
    i = pd.Series(rng.integers(-2, 3, n), dtype="int64")
    b = pd.Series(rng.random(n) < 0.5)
    f = pd.Series(rng.choice([0.5, -1.0, 2.25], n)).mask(gone[4])
    d = pd.Series(pd.to_datetime("2009-01-01") + pd.to_timedelta(rng.integers(0, 3, n), "D"))
    d = d.mask(gone[5])
    return pd.DataFrame({"s": s, "c": c, "i": i, "b": b, "f": f, "d": d,
                         "flag": rng.random(n) < 0.4, "weight": rng.gamma(2.0, 1.5, n),
                         "value": rng.integers(0, 40, n).astype(float)})


frames = st.builds(_frame, st.integers(0, 2**32 - 1), st.integers(0, 40),
                   st.sampled_from([0.0, 0.2, 0.9]))
bys = st.lists(st.sampled_from(KEYS), unique=True, max_size=3)


def test_group_rows_by_hand():
    frame = pd.DataFrame({
        "s": pd.Series(["b", "a", None, "b", "a", "b"], dtype="str"),
        "c": pd.Categorical(["y", "x", "x", "x", "x", "y"], categories=["y", "w", "x"]),
        "value": [4.0, 1.0, 9.0, np.nan, 3.0, 1.0],
    })
    groups = group_rows(frame, ["s", "c"])
    # cells in key order, categories in category order, unobserved (w) and missing keys left out
    assert groups.n == 3
    assert groups.ids.tolist() == [1, 0, -1, 2, 0, 1]
    assert groups.keys["s"].tolist() == ["a", "b", "b"]
    assert groups.keys["c"].tolist() == ["x", "y", "x"]
    assert list(groups.keys["c"].categories) == ["y", "w", "x"]
    assert groups.size().tolist() == [2, 2, 1]
    flag = np.array([True, True, True, False, False, True])
    assert groups.count(flag).tolist() == [1, 2, 0]
    # medians skip NaN: (1 + 3) / 2, (4 + 1) / 2, none
    assert groups.median(frame["value"].to_numpy()).tolist()[:2] == [2.0, 2.5]
    assert np.isnan(groups.median(frame["value"].to_numpy())[2])
    assert groups.sums([frame["value"].to_numpy()]).tolist() == [[4.0], [5.0], [0.0]]
    whole = group_rows(frame)
    assert whole.n == 1 and whole.ids.tolist() == [0] * 6
    assert whole.median(frame["value"].to_numpy()).tolist() == [3.0]
    assert group_rows(frame.iloc[:0], ["s"]).n == 0


def test_shares_of_empty_frames():
    empty = _frame(5, 0)
    for by in (["s"], ["c"], ["s", "i"], ["d", "c"]):  # no cell: no row, the columns typed
        for out in (share(empty, "flag", by), weighted_share(empty, "flag", "weight", by)):
            assert len(out) == 0
            assert [str(out[c].dtype) for c in by] == [str(empty[c].dtype) for c in by]
    whole = share(empty, "flag", [])  # no `by`: the one cell, empty
    assert whole[["count", "base"]].values.tolist() == [[0, 0]]
    assert np.isnan(whole["estimate"].iloc[0])


def test_single_group_and_large_sums_are_exact():
    """One big group: the weighted sums are compensated, so they keep (nearly) every bit."""
    rng = np.random.default_rng(8)
    n = 50_000
    frame = pd.DataFrame({"g": ["only"] * n, "flag": rng.random(n) < 0.3,
                          "weight": rng.lognormal(0, 1, n)})
    w, y = frame["weight"].to_numpy(), frame["flag"].to_numpy(dtype=float)
    for by in ([], ["g"]):
        out = weighted_share(frame, "flag", "weight", by).iloc[0]
        # compensated sums: within an ulp or two of the correctly rounded sum, at 50,000 terms
        assert out["weighted_base"] == pytest.approx(math.fsum(w), rel=4e-16)
        assert out["estimate"] == pytest.approx(math.fsum(w * y) / math.fsum(w), rel=1e-15)


def test_repeat_labels_dtype_as_inserted_scalar():
    frame = pd.DataFrame({"x": [1, 2]})
    frame.insert(0, "m", "text")
    assert repeat_labels(["text"], 2).dtype == frame["m"].dtype
    assert list(repeat_labels(["a", "b"], 2)) == ["a", "a", "b", "b"]
    assert list(repeat_labels(["a", "b"], 2, tile=True)) == ["a", "b", "a", "b"]
    assert list(repeat_labels(["a", "b"], np.array([1, 3]))) == ["a", "b", "b", "b"]
    assert pd.Series(repeat_labels([1], 1)).dtype == np.int64
    assert pd.Series(repeat_labels([1.0], 1)).dtype == np.float64  # not the cached ints


# --- shares against their definitions and statsmodels (not against older code) ---------------


def _cells(frame: pd.DataFrame, by: list[str]) -> dict[tuple, list[int]]:
    """Row positions of each cell by the definition: rows whose keys are all present, together
    when their keys are equal."""
    if not by:
        return {(): list(range(len(frame)))}
    cells: dict[tuple, list[int]] = {}
    for pos, key in enumerate(zip(*(frame[c].tolist() for c in by), strict=True)):
        if not any(pd.isna(k) for k in key):
            cells.setdefault(key, []).append(pos)
    return cells


def _by_key(result: pd.DataFrame, by: list[str]) -> dict[tuple, pd.Series]:
    return {tuple(row[c] for c in by): row for _, row in result.iterrows()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames, bys)
def test_share_is_the_count_over_the_base_with_statsmodels_wilson_interval(frame, by):
    from statsmodels.stats.proportion import proportion_confint

    by = list(by)
    cells = _cells(frame, by)
    result = share(frame, "flag", by)
    assert [str(result[c].dtype) for c in by] == [str(frame[c].dtype) for c in by]
    assert (result["count"].dtype, result["base"].dtype) == (np.int64, np.int64)
    got = _by_key(result, by)
    if not by and not len(frame):
        assert got[()]["base"] == 0 and np.isnan(got[()]["estimate"])
        return
    assert set(got) == set(cells)
    flags = frame["flag"].tolist()
    for key, rows in cells.items():
        count, base = sum(flags[p] for p in rows), len(rows)
        lower, upper = proportion_confint(count, base, alpha=0.05, method="wilson")
        row = got[key]
        assert (row["count"], row["base"]) == (count, base)
        assert row["estimate"] == pytest.approx(count / base, rel=1e-12)
        assert (row["lower"], row["upper"]) == pytest.approx((lower, upper), rel=1e-6, abs=1e-9)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames, bys, st.booleans())
def test_weighted_share_is_statsmodels_weighted_mean_on_kish_n(frame, by, gaps):
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.weightstats import DescrStatsW

    by = list(by)
    if gaps and len(frame):
        frame = frame.copy()
        frame.loc[frame.index[::4], "weight"] = np.nan  # a missing weight counts for nothing
    got = _by_key(weighted_share(frame, "flag", "weight", by), by)
    cells = _cells(frame, by) if len(frame) or by else {}
    assert set(got) == set(cells) or (not by and not len(frame))
    for key, rows in cells.items():
        w = frame["weight"].to_numpy()[rows]
        y = frame["flag"].to_numpy(dtype=float)[rows]
        keep = ~np.isnan(w)
        row = got[key]
        assert row["base"] == len(rows)
        if not keep.any() or w[keep].sum() == 0:
            assert np.isnan(row["estimate"])
            continue
        n_eff = w[keep].sum() ** 2 / (w[keep] ** 2).sum()
        mean = DescrStatsW(y[keep], weights=w[keep]).mean
        lower, upper = proportion_confint(mean * n_eff, n_eff, alpha=0.05, method="wilson")
        assert row["weighted_base"] == pytest.approx(w[keep].sum(), rel=1e-12)
        assert row["n_eff"] == pytest.approx(n_eff, rel=1e-12)
        assert row["estimate"] == pytest.approx(mean, rel=1e-12, abs=1e-15)
        assert (row["lower"], row["upper"]) == pytest.approx((lower, upper), rel=1e-6, abs=1e-9)


def test_share_by_hand():
    frame = pd.DataFrame({"g": ["a", "a", "b", None, "b", "b"],
                          "flag": [True, False, True, True, True, False]})
    out = share(frame, "flag", ["g"])
    assert out["g"].tolist() == ["a", "b"]  # sorted; the row without a key is in no cell
    assert out["count"].tolist() == [1, 2] and out["base"].tolist() == [2, 3]
    assert out["estimate"].tolist() == pytest.approx([1 / 2, 2 / 3])
    # Wilson, by hand for 1 of 2 (z = 1.96): centre 0.5, half-width 0.4055
    assert (out.loc[0, "lower"], out.loc[0, "upper"]) == pytest.approx((0.0945, 0.9055),
                                                                       abs=1e-4)
