"""Complementary suppression stays near-linear in the size of the table, hiding the same cells.

Each option for a determined cell was checked by a pass of ``determined_cells`` over the whole
table, so the checks grew with the square of the table (1.9 s of CPU for the tables at 150 areas,
55 s at 400). The graph check (``CellGraph``) answers for an option from its own few cells.
"""

from __future__ import annotations

import numpy as np
import pytest

from wfscc.outputs import _suppression as S


def _case(n: int, k: int, seed: int, *, total_col: bool, total_row: bool, blocks: int):
    rng = np.random.default_rng(seed)
    cols = [f"c{j}" for j in range(k)]
    is_total_row = np.zeros(n, dtype=bool)
    if total_row:
        is_total_row[-1] = True
    block = rng.integers(0, blocks, n)
    tc = cols[-1] if total_col else None
    eq = S._equations(n, cols, cols, block, is_total_row, tc)
    values = rng.integers(0, 40, n * k).astype(float)
    values[rng.random(n * k) < 0.05] = 0.0
    primary = (values >= 1) & (values < 10)
    is_total = np.zeros(n * k, dtype=bool)
    for i in range(n):
        for j, c in enumerate(cols):
            is_total[i * k + j] = is_total_row[i] or c == tc
    return values, primary, eq, is_total, (n, k), block


def _by_whole_table_passes(monkeypatch, case):
    """The old rule: every option checked by determined_cells over the whole table."""
    with monkeypatch.context() as m:
        m.setattr(S.CellGraph, "trial", lambda self, suppressed, target: None)
        m.setattr(S.CellGraph, "determined", lambda self, suppressed: None)
        return S._secondary(*case)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(
    ("total_col", "total_row", "blocks"),
    [(False, False, 1), (True, False, 1), (False, True, 1), (True, True, 3), (False, False, 4)],
)
def test_the_same_cells_are_hidden_as_by_whole_table_passes(
    monkeypatch, seed, total_col, total_row, blocks
):
    n, k = 6 + seed, 1 + seed % 5
    case = _case(n, k, seed, total_col=total_col, total_row=total_row, blocks=blocks)
    old = _by_whole_table_passes(monkeypatch, case)
    new = S._secondary(*case)
    assert new.tolist() == old.tolist()


def test_a_non_graph_table_still_goes_to_the_null_space(monkeypatch):
    """Equations with a coefficient other than +-1 (two total rows in a block): the graph
    check declines and the answer is the null space's, as before."""
    n, k = 8, 3
    values, primary, _, is_total, shape, block = _case(
        n, k, 3, total_col=False, total_row=True, blocks=1
    )
    is_total_row = np.zeros(n, dtype=bool)
    is_total_row[-2:] = True
    cols = [f"c{j}" for j in range(k)]
    eq = S._equations(n, cols, cols, np.zeros(n, dtype=int), is_total_row, None)
    case = (values, primary, eq, is_total, shape, block)
    assert S._secondary(*case).tolist() == _by_whole_table_passes(monkeypatch, case).tolist()


def test_whole_table_passes_grow_with_the_cells_hidden_not_the_options_tried(monkeypatch):
    """``determined_cells`` runs once per cell hidden (plus one), however many options are
    tried: at 40 and at 200 rows alike. Checking every option by a whole-table pass made it
    hundreds of times that at 400 areas."""
    calls = []
    real = S.determined_cells
    monkeypatch.setattr(S, "determined_cells", lambda *a: calls.append(1) or real(*a))
    for n in (40, 200):
        calls.clear()
        case = _case(n, 8, n, total_col=True, total_row=True, blocks=1)
        secondary = S._secondary(*case)
        assert secondary.sum() > 0
        assert len(calls) <= secondary.sum() + 1


@pytest.mark.parametrize("seed", range(20))
def test_the_graph_finds_the_cells_determined_cells_finds(seed):
    """``CellGraph.determined`` (bridges of the hidden cells' graph) agrees with
    ``determined_cells`` on the table, or declines (None) where the graph does not apply."""
    rng = np.random.default_rng(seed)
    n, k = 4 + seed, 2 + seed % 4
    values, _, eq, _, _, _ = _case(
        n, k, seed, total_col=seed % 2 == 0, total_row=seed % 3 == 0, blocks=1 + seed % 3
    )
    graph = S.CellGraph(eq, S._TOL)
    for share in (0.1, 0.3, 0.6):
        suppressed = rng.random(values.size) < share
        found = graph.determined(suppressed)
        if found is not None:
            assert found.tolist() == sorted(S.determined_cells(eq, suppressed).tolist())
