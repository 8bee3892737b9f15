"""The fast grouping (``wfscc.analysis._groups``) and the shares built on it give exactly what the
plain pandas code gives (``tests/analysis/reference.py``): values, dtypes and index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfscc.analysis import _groups
from wfscc.analysis._groups import dense_codes, group_rows, repeat_labels
from wfscc.analysis._stats import share, weighted_share

from . import reference as ref

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


def _same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True, check_index_type=True,
                                  check_column_type=True)
    assert type(new.index) is type(old.index)


frames = st.builds(_frame, st.integers(0, 2**32 - 1), st.integers(0, 40),
                   st.sampled_from([0.0, 0.2, 0.9]))
bys = st.lists(st.sampled_from(KEYS), unique=True, max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames, bys)
def test_share_matches_pandas(frame, by):
    _same(share(frame, "flag", by), ref.share(frame, "flag", by))
    flag = frame["value"] > 20
    _same(share(frame, flag, by), ref.share(frame, flag, by))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames, bys)
def test_weighted_share_matches_pandas(frame, by):
    _same(weighted_share(frame, "flag", "weight", by),
          ref.weighted_share(frame, "flag", "weight", by))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames, bys)
def test_group_rows_matches_groupby(frame, by):
    groups = group_rows(frame, by)
    if not by:
        assert groups.n == 1 and (groups.ids == 0).all()
        return
    grouped = frame.groupby(by, sort=True, observed=True, dropna=True)
    expected_ids = grouped.ngroup().fillna(-1).to_numpy().astype(int)
    np.testing.assert_array_equal(groups.ids, expected_ids)
    size = grouped.size()
    assert groups.n == len(size)
    np.testing.assert_array_equal(groups.size(), size.to_numpy())
    keys = size.reset_index()
    for col in by:
        pd.testing.assert_series_equal(pd.Series(groups.keys[col], name=col), keys[col],
                                       check_exact=True)
    median = grouped["value"].median().to_numpy()
    np.testing.assert_array_equal(groups.median(frame["value"].to_numpy()), median)


@pytest.mark.parametrize("limit", [2, 50, 2**62])
def test_group_rows_renumbers_before_overflow(monkeypatch, limit):
    """Many keys of many values: the observed combinations are renumbered on the way when the
    mixed-radix codes would not fit (here forced by a small limit)."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({k: rng.integers(0, 60, 500) for k in "pqrs"})
    frame["flag"] = rng.random(500) < 0.5
    frame["weight"] = rng.random(500)
    frame.loc[rng.random(500) < 0.1, "q"] = np.nan
    monkeypatch.setattr(_groups, "_CODE_LIMIT", limit)
    by = ["p", "q", "r", "s"]
    _same(share(frame, "flag", by), ref.share(frame, "flag", by))
    _same(weighted_share(frame, "flag", "weight", by),
          ref.weighted_share(frame, "flag", "weight", by))


def test_weighted_share_skips_missing_weights_as_pandas():
    frame = _frame(11, 30)
    frame.loc[[2, 5, 9], "weight"] = np.nan
    for by in ([], ["s"], ["i", "b"]):
        _same(weighted_share(frame, "flag", "weight", by),
              ref.weighted_share(frame, "flag", "weight", by))


def test_shares_of_empty_frames():
    empty = _frame(5, 0)
    for by in ([], ["s"], ["c"], ["s", "i"], ["d", "c"]):
        _same(share(empty, "flag", by), ref.share(empty, "flag", by))
        _same(weighted_share(empty, "flag", "weight", by),
              ref.weighted_share(empty, "flag", "weight", by))


def test_single_group_and_large_sums_are_exact():
    """One big group: the weighted sums are pandas' own (compensated) sums to the last bit."""
    rng = np.random.default_rng(8)
    n = 50_000
    frame = pd.DataFrame({"g": ["only"] * n, "flag": rng.random(n) < 0.3,
                          "weight": rng.lognormal(0, 1, n)})
    for by in ([], ["g"]):
        _same(weighted_share(frame, "flag", "weight", by),
              ref.weighted_share(frame, "flag", "weight", by))


def test_dense_codes_both_ways():
    codes = np.array([7, 3, 7, 11, 3])
    for size in (12, 10**9):  # a bincount table, or np.unique when the table would be huge
        new, present = dense_codes(codes, size)
        np.testing.assert_array_equal(new, [1, 0, 1, 2, 0])
        np.testing.assert_array_equal(present, [3, 7, 11])


def test_repeat_labels_dtype_as_inserted_scalar():
    frame = pd.DataFrame({"x": [1, 2]})
    frame.insert(0, "m", "text")
    assert repeat_labels(["text"], 2).dtype == frame["m"].dtype
    assert list(repeat_labels(["a", "b"], 2)) == ["a", "a", "b", "b"]
    assert list(repeat_labels(["a", "b"], 2, tile=True)) == ["a", "b", "a", "b"]
    assert list(repeat_labels(["a", "b"], np.array([1, 3]))) == ["a", "b", "b", "b"]
    assert pd.Series(repeat_labels([1], 1)).dtype == np.int64
    assert pd.Series(repeat_labels([1.0], 1)).dtype == np.float64  # not the cached ints
