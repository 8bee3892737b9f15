"""Disclosure control: primary and secondary suppression, rounding, percentages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfscc.errors import WfsccError
from wfscc.outputs.disclosure import SUPPRESSED_MARK, ProtectedTable, protect


def _table(values: list[list[int]]) -> pd.DataFrame:
    arr = np.array(values)
    df = pd.DataFrame(arr, columns=[f"c{j}" for j in range(arr.shape[1])])
    df.insert(0, "label", [f"r{i}" for i in range(arr.shape[0])])
    return df


def _recoverable(values: np.ndarray, mask: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells an attacker can solve for from every row and column total.

    Least squares from two different starting points: the minimum-norm solution of the margin
    equations plus any null-space vector is also a solution, so a cell is recovered only when the
    rank does not drop on removing it, i.e. when e_cell lies in the row space of the equations.
    """
    n, k = values.shape
    sup = [(i, j) for i in range(n) for j in range(k) if mask[i, j]]
    if not sup:
        return []
    rows = []
    rhs = []
    if k >= 2:
        for i in range(n):
            rows.append([1.0 if (a == i) else 0.0 for (a, b) in sup])
            rhs.append(sum(values[i, b] for (a, b) in sup if a == i))
    if n >= 2:
        for j in range(k):
            rows.append([1.0 if (b == j) else 0.0 for (a, b) in sup])
            rhs.append(sum(values[a, j] for (a, b) in sup if b == j))
    a = np.array(rows)
    found = []
    rank = np.linalg.matrix_rank(a) if a.size else 0
    for idx, cell in enumerate(sup):
        unit = np.zeros(len(sup))
        unit[idx] = 1.0
        if a.size and np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            # e_cell in the row space: least squares recovers it exactly
            x, *_ = np.linalg.lstsq(a, np.array(rhs), rcond=None)
            assert abs(x[idx] - values[cell]) < 1e-6
            found.append(cell)
    return found


tables = st.integers(1, 6).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda k: st.lists(
            st.lists(
                st.one_of(st.integers(0, 12), st.integers(10, 200)), min_size=k, max_size=k
            ),
            min_size=n,
            max_size=n,
        )
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=tables, threshold=st.sampled_from([3, 5, 10]))
def test_random_tables_are_protected(values, threshold):
    table = _table(values)
    cols = [c for c in table.columns if c != "label"]
    pt = protect(table, cols, threshold=threshold)
    arr = np.array(values)
    pub = pt.frame[cols]
    mask = pt.mask[cols].to_numpy()
    # 1. no published count between 1 and threshold - 1
    shown = pub.to_numpy(dtype=float, na_value=np.nan)
    assert not np.any((shown >= 1) & (shown < threshold))
    # published cells are unchanged, suppressed cells are missing
    assert np.array_equal(np.isnan(shown), mask)
    assert np.array_equal(shown[~mask], arr[~mask])
    # 2. no row or column (with a margin) holds exactly one suppressed cell
    if arr.shape[1] >= 2:
        assert not np.any(mask.sum(axis=1) == 1)
    if arr.shape[0] >= 2:
        assert not np.any(mask.sum(axis=0) == 1)
    # 3. no suppressed value can be solved for from the margins
    assert _recoverable(arr, mask) == []
    assert pt.primary == int(((arr >= 1) & (arr < threshold)).sum())
    assert pt.primary + pt.secondary == int(mask.sum())


def test_zero_is_published_and_small_counts_are_not():
    pt = protect(_table([[0, 5, 40], [20, 30, 50], [25, 35, 45]]), ["c0", "c1", "c2"])
    assert pt.frame.loc[0, "c0"] == 0
    assert pd.isna(pt.frame.loc[0, "c1"])
    assert pt.primary == 1
    assert pt.secondary == 3  # a rectangle: one more in the row, two in the next row
    assert pt.reasons.loc[0, "c1"] == "primary"


def test_complement_is_the_smallest_cell():
    pt = protect(_table([[5, 100, 12], [50, 60, 70]]), ["c0", "c1", "c2"])
    hidden = set(zip(*np.nonzero(pt.mask.to_numpy()), strict=True))
    assert hidden == {(0, 0), (0, 2), (1, 0), (1, 2)}


def test_rounding_to_nearest_five():
    pt = protect(_table([[12, 0], [23, 47]]), ["c0", "c1"], rounding=5)
    assert pt.frame["c0"].tolist() == [10, 25]
    assert pt.frame["c1"].tolist() == [0, 45]
    assert pt.suppressed_cells == 0


def test_percentages_on_small_bases_are_suppressed():
    df = pd.DataFrame(
        {"la": ["A", "B", "C"], "n": [4, 50, 60], "yes": [2, 20, 30], "pct": [50.0, 40.0, 50.0]}
    )
    pt = protect(df, ["yes"], base_col="n", pct_cols=["pct"], pct_of={"pct": "yes"},
                 row_totals=False)
    assert pd.isna(pt.frame.loc[0, "pct"])
    assert pd.isna(pt.frame.loc[0, "n"])  # the base is a count too
    assert pt.pct_suppressed >= 1
    pub = pt.to_published()
    assert pub.loc[0, "pct"] == SUPPRESSED_MARK


def test_blocks_and_total_rows():
    df = pd.DataFrame(
        {
            "wave": [1, 1, 1, 2, 2, 2],
            "la": ["A", "B", "Total", "A", "B", "Total"],
            "c0": [3, 40, 43, 30, 40, 70],
            "c1": [30, 40, 70, 30, 40, 70],
        }
    )
    pt = protect(df, ["c0", "c1"], total_row=("la", "Total"), group_totals="wave")
    assert isinstance(pt, ProtectedTable)
    m = pt.mask[["c0", "c1"]].to_numpy()
    assert not m[3:].any()  # wave 2 untouched
    assert m[0, 0] and m[:3].sum(axis=0).tolist() != [1, 0]
    assert not np.any(m[:3].sum(axis=0) == 1)


def test_does_not_mutate_input_and_checks_columns():
    df = _table([[1, 20], [30, 40]])
    before = df.copy()
    protect(df, ["c0", "c1"])
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(WfsccError, match="not in the table"):
        protect(df, ["nope"])
    with pytest.raises(WfsccError, match="threshold"):
        protect(df, ["c0"], threshold=0)


def test_no_count_columns():
    df = pd.DataFrame({"element": ["a", "b"], "delivered": [1, 0]})
    pt = protect(df, [])
    assert pt.suppressed_cells == 0
    pd.testing.assert_frame_equal(pt.frame, df)


@settings(max_examples=150, deadline=None)
@given(
    n_rows=st.integers(1, 6),
    k=st.integers(1, 5),
    with_total_col=st.booleans(),
    with_total_row=st.booleans(),
    col_totals=st.booleans(),
    blocks=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_graph_audit_agrees_with_the_null_space(n_rows, k, with_total_col, with_total_row,
                                                    col_totals, blocks, seed):
    """The fast bridge-finding audit gives the same determined cells as linear algebra (SciPy's
    null space, computed here), in tables stacked in blocks with their own column totals too."""
    from scipy.linalg import null_space

    from wfscc.outputs._suppression import _equations, determined_cells

    cols = [f"c{j}" for j in range(k)]
    total_col = cols[-1] if with_total_col and k > 1 else None
    total_row = np.zeros(n_rows, dtype=bool)
    if with_total_row and n_rows > 1:
        total_row[-1] = True
    rng = np.random.default_rng(seed)
    eq = _equations(n_rows, cols, cols, rng.integers(0, blocks, n_rows), total_row, total_col,
                    col_totals)
    suppressed = rng.random(n_rows * k) < 0.4

    def by_null_space() -> set[int]:
        sup = np.flatnonzero(suppressed)
        a_s = eq[:, sup] if eq.size else np.zeros((0, sup.size))
        if sup.size == 0 or a_s.shape[0] == 0 or not a_s.any():
            return set()
        ns = null_space(a_s)
        in_eq = np.abs(a_s).sum(axis=0) > 1e-9
        if ns.size == 0:
            return set(sup.tolist())
        free = np.abs(ns).max(axis=1) > 1e-8
        return set(sup[in_eq & ~free].tolist())

    assert set(determined_cells(eq, suppressed).tolist()) == by_null_space()


def test_a_two_way_table_uses_the_graph_audit():
    from wfscc.outputs._suppression import _bridge_cells, _equations

    cols = ["a", "b", "c"]
    eq = _equations(4, cols, cols, np.zeros(4, dtype=int), np.zeros(4, dtype=bool), None)
    # a 2x2 rectangle of suppressed cells (a cycle) plus one lone cell in row 3 (a bridge)
    sup = np.zeros(12, dtype=bool)
    sup[[0, 1, 3, 4, 9]] = True
    assert _bridge_cells(eq[:, np.flatnonzero(sup)]).tolist() == [4]


def test_equations_that_are_not_a_graph_go_to_the_null_space():
    """Hand-computed: when a cell is in three equations, or a coefficient is not +-1, the graph
    audit declines and the null space answers."""
    from wfscc.outputs._suppression import _bridge_cells, determined_cells

    odd = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # x0 + x1 = a, x0 = b (twice a)
    assert _bridge_cells(odd) is None
    assert determined_cells(odd, np.array([True, True])).tolist() == [0, 1]  # x1 = a - b
    halves = np.array([[0.5, 1.0]])  # 0.5 x0 + x1 = c: one equation, two unknowns
    assert _bridge_cells(halves) is None
    assert determined_cells(halves, np.array([True, True])).tolist() == []


def test_reasons_name_each_withheld_cell_as_text_even_for_an_empty_table():
    """Every protected and percentage column has its reasons, as text ("" where published):
    counts withheld as primary or secondary, a percentage for its base or its numerator."""
    table = pd.DataFrame({"label": ["a", "b", "c"], "n": [3, 40, 45], "m": [20, 2, 30],
                          "pct": [10.0, 55.0, 60.0]})
    pt = protect(table, ["n", "m"], base_col="n", pct_cols=["pct"], pct_of={"pct": "m"},
                 row_totals=False)
    assert list(pt.reasons.columns) == ["n", "m", "pct"]
    for c in ("n", "m"):
        small = table[c].between(1, 9).tolist()
        withheld = pt.frame[c].isna().tolist()
        expected = ["primary" if s else "secondary" if w else ""
                    for s, w in zip(small, withheld, strict=True)]
        assert pt.reasons[c].tolist() == expected
    assert (pt.reasons[["n", "m"]] == "secondary").to_numpy().any()  # the totals would tell
    assert pt.reasons["pct"].tolist() == ["base" if w else "" for w in pt.frame["pct"].isna()]
    assert pt.reasons.loc[[0, 1], "pct"].tolist() == ["base", "base"]  # small base, numerator
    assert pt.mask.equals(pt.reasons != "")
    empty = protect(table.iloc[:0], ["n", "m"], base_col="n", pct_cols=["pct"])
    assert empty.reasons.shape == (0, 3) and not empty.mask.to_numpy().any()
    assert list(empty.reasons.dtypes) == list(pt.reasons.dtypes)  # text, as with rows
