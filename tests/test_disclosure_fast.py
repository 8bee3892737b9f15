"""The faster secondary-suppression code suppresses exactly the cells the original did.

``_bridge_cells_reference`` and ``_secondary_reference`` are the original implementations,
verbatim; the current ones build the graph's edges with NumPy and price each cell once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfscc import disclosure
from wfscc.disclosure import _TOL, _bridge_cells, _equations, determined_cells, protect


def _bridge_cells_reference(a_s: np.ndarray) -> np.ndarray | None:
    rows = a_s[np.abs(a_s).sum(axis=1) > _TOL]
    nz = np.abs(rows) > _TOL
    if nz.sum(axis=0).max() > 2 or not np.allclose(np.abs(rows[nz]), 1.0):
        return None
    n_eq, n_cells = rows.shape
    ground = n_eq
    ends: list[tuple[int, int, int, int]] = []
    for c in range(n_cells):
        idx = np.flatnonzero(nz[:, c])
        if idx.size == 0:
            ends.append((-1, 0, -1, 0))
        elif idx.size == 1:
            ends.append((int(idx[0]), int(np.sign(rows[idx[0], c])), ground, 0))
        else:
            ends.append((int(idx[0]), int(np.sign(rows[idx[0], c])),
                         int(idx[1]), int(np.sign(rows[idx[1], c]))))
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n_eq + 1)]
    for c, (u, _su, v, _sv) in enumerate(ends):
        if u >= 0:
            adj[u].append((v, c))
            adj[v].append((u, c))
    scale = [0] * (n_eq + 1)
    for start in range(n_eq):
        if scale[start]:
            continue
        scale[start] = 1
        stack = [start]
        while stack:
            u = stack.pop()
            for v, c in adj[u]:
                if v == ground:
                    continue
                a, sa, b, sb = ends[c]
                s_u, s_v = (sa, sb) if a == u else (sb, sa)
                want = -scale[u] * s_u * s_v
                if not scale[v]:
                    scale[v] = want
                    stack.append(v)
                elif scale[v] != want:
                    return None
    order = [-1] * (n_eq + 1)
    low = [0] * (n_eq + 1)
    bridge = np.zeros(n_cells, dtype=bool)
    counter = 0
    for root in range(n_eq + 1):
        if order[root] >= 0:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            u, via, edges = stack[-1]
            advanced = False
            for v, c in edges:
                if c == via:
                    continue
                if order[v] < 0:
                    order[v] = low[v] = counter
                    counter += 1
                    stack.append((v, c, iter(adj[v])))
                    advanced = True
                    break
                low[u] = min(low[u], order[v])
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[u])
                if low[u] > order[parent]:
                    bridge[via] = True
    return np.flatnonzero(bridge)


def _secondary_reference(values, suppressed, eq, is_total, shape, blocks):
    n, k = shape
    suppressed = suppressed.copy()
    secondary = np.zeros_like(suppressed)
    penalty = 1e9

    def cost(cells):
        return sum(
            values[c] + penalty * (values[c] == 0) + 10 * penalty * bool(is_total[c])
            for c in cells
            if not suppressed[c]
        )

    for _ in range(suppressed.size + 1):
        det = determined_cells(eq, suppressed)
        if det.size == 0:
            break
        chosen = None
        for target in (int(t) for t in det):
            i, j = divmod(target, k)
            shares = np.flatnonzero((np.abs(eq[:, [target]]) > _TOL).any(axis=1))
            singles = np.flatnonzero((np.abs(eq[shares]) > _TOL).any(axis=0) & ~suppressed)
            if singles.size == 0:
                continue
            options = [(int(c),) for c in singles]
            for i2 in np.flatnonzero(blocks == blocks[i]):
                for j2 in range(k):
                    if i2 != i and j2 != j:
                        rect = (i * k + j2, int(i2) * k + j, int(i2) * k + j2)
                        if not all(suppressed[c] for c in rect):
                            options.append(rect)

            def fixes(cells, target=target):
                trial = suppressed.copy()
                trial[list(cells)] = True
                return target not in determined_cells(eq, trial)

            options.sort(key=lambda o: (cost(o), len(o), o))
            chosen = next((o for o in options if fixes(o)), options[0])
            break
        if chosen is None:
            break
        for c in chosen:
            if not suppressed[c]:
                suppressed[c] = True
                secondary[c] = True
    return secondary


@settings(max_examples=200, deadline=None)
@given(n_rows=st.integers(1, 7), k=st.integers(1, 5), total_col=st.booleans(),
       total_row=st.booleans(), col_totals=st.booleans(), blocks=st.integers(1, 3),
       seed=st.integers(0, 2**32 - 1))
def test_bridge_cells_match_the_original(n_rows, k, total_col, total_row, col_totals, blocks,
                                         seed):
    rng = np.random.default_rng(seed)
    cols = [f"c{j}" for j in range(k)]
    is_total_row = np.zeros(n_rows, dtype=bool)
    if total_row and n_rows > 1:
        is_total_row[-1] = True
    eq = _equations(n_rows, cols, cols, rng.integers(0, blocks, n_rows), is_total_row,
                    cols[-1] if total_col and k > 1 else None, col_totals)
    for _ in range(5):
        sup = np.flatnonzero(rng.random(n_rows * k) < rng.random())
        if not sup.size or not eq.size:
            continue
        a_s = eq[:, sup]
        if not a_s.any():
            continue
        new, old = _bridge_cells(a_s), _bridge_cells_reference(a_s)
        assert (new is None) == (old is None)
        if new is not None:
            np.testing.assert_array_equal(new, old)
    # Shapes the graph method refuses (a cell in three equations, or coefficients not +-1).
    odd = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    assert _bridge_cells(odd) is None and _bridge_cells_reference(odd) is None
    halves = np.array([[0.5, 1.0]])
    assert _bridge_cells(halves) is None and _bridge_cells_reference(halves) is None


def _random_table(seed: int) -> tuple[pd.DataFrame, list[str], dict]:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 9)), int(rng.integers(1, 6))
    counts = rng.choice([0, 1, 3, 7, 12, 40, 150], size=(n, k), p=[.15, .1, .1, .1, .2, .2, .15])
    cols = [f"c{j}" for j in range(k)]
    table = pd.DataFrame(counts, columns=cols)
    table.insert(0, "group", rng.choice(["a", "b"], n))
    table.insert(1, "label", [f"r{i}" for i in range(n)])
    options = {"group_totals": "group" if rng.random() < 0.5 else None,
               "row_totals": bool(rng.random() < 0.7), "col_totals": bool(rng.random() < 0.7)}
    return table, cols, options


@pytest.mark.parametrize("seed", range(60))
def test_protect_suppresses_what_the_original_did(monkeypatch, seed):
    table, cols, options = _random_table(seed)
    new = protect(table, cols, **options)
    monkeypatch.setattr(disclosure, "_secondary", _secondary_reference)
    monkeypatch.setattr(disclosure, "_bridge_cells", _bridge_cells_reference)
    old = protect(table, cols, **options)
    pd.testing.assert_frame_equal(new.to_published(), old.to_published())
    pd.testing.assert_frame_equal(new.mask, old.mask)
    pd.testing.assert_frame_equal(new.reasons, old.reasons)
    assert (new.primary, new.secondary) == (old.primary, old.secondary)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_protect_matches_the_original_on_larger_tables(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(5, 16)), int(rng.integers(2, 7))
    counts = rng.choice([0, 2, 5, 11, 30, 90], size=(n, k))
    cols = [f"c{j}" for j in range(k)]
    table = pd.DataFrame(counts, columns=cols)
    table.insert(0, "label", [f"r{i}" for i in range(n)])
    new = protect(table, cols)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(disclosure, "_secondary", _secondary_reference)
        mp.setattr(disclosure, "_bridge_cells", _bridge_cells_reference)
        old = protect(table, cols)
    pd.testing.assert_frame_equal(new.mask, old.mask)
