"""Complementary (secondary) suppression for :func:`wfscc.outputs.disclosure.protect`: the
margin equations of a table, the suppressed cells they determine, and the cells hidden as well
so that none is determined.

A suppressed cell is determined when the margin equations restricted to the suppressed cells fix
its value: when its coordinate vanishes on every vector of their null space. For the usual
row-and-column sums the equations form a graph, and a cell is determined exactly when its edge is
a bridge (:func:`_bridge_cells`); other equations use SciPy's null space.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._cellgraph import CellGraph, bridges

__all__ = ["determined_cells"]

_TOL = 1e-9


def _equations(
    n_rows: int,
    cols: list[str],
    row_cols: list[str],
    blocks: np.ndarray,
    total_row: np.ndarray,
    total_col: str | None,
    col_totals: bool = True,
) -> np.ndarray:
    """Margin equations over the cells (row-major, ``n_rows x len(cols)``) as a matrix."""
    k = len(cols)
    idx = {c: j for j, c in enumerate(cols)}
    eqs: list[np.ndarray] = []
    # Row equations: the body cells of a row sum to the row total.
    body_cols = [c for c in row_cols if c != total_col]
    if len(body_cols) >= 2 or (total_col is not None and body_cols):
        for i in range(n_rows):
            v = np.zeros(n_rows * k)
            for c in body_cols:
                v[i * k + idx[c]] = 1.0
            if total_col is not None:
                v[i * k + idx[total_col]] = -1.0
            eqs.append(v)
    # Column equations within each block: body rows sum to the block's total row (or a known sum).
    for b in pd.unique(blocks) if col_totals else ():
        rows = np.flatnonzero(blocks == b)
        body = [i for i in rows if not total_row[i]]
        totals = [i for i in rows if total_row[i]]
        if len(body) < 2 and not (totals and body):
            continue
        for c in cols:
            v = np.zeros(n_rows * k)
            for i in body:
                v[i * k + idx[c]] = 1.0
            for i in totals:
                v[i * k + idx[c]] = -1.0 / len(totals)
            eqs.append(v)
    if not eqs:
        return np.zeros((0, n_rows * k))
    return np.vstack(eqs)


def _bridge_cells(a_s: np.ndarray) -> np.ndarray | None:
    """The determined cells by graph theory, for the usual row-and-column-sum equations.

    When every cell's column of ``a_s`` holds at most two entries, each +1 or -1, the equations
    (rescaled by +1 or -1 each) form the incidence matrix of a graph: equations are nodes, a cell
    in two equations an edge between them, a cell in one equation an edge to a "ground" node. The
    solutions of ``a_s x = 0`` are then the graph's cycle space, so a cell is determined exactly
    when its edge is a bridge. Returns the positions (into ``a_s``'s columns) of determined cells,
    or None when the equations do not have that shape (then the caller uses the null space).

    Kept for speed, measured: on the shipped data the null space alone is as fast (about 2 ms
    for all tables), but on ``wfscc synth --areas 150`` (``benchmarks/bench_build.py``'s large
    case) the tables' 1,307 audits take about 1 s this way and over 100 s of CPU by null space.
    Tests check it against SciPy's null space.
    """
    rows = a_s[np.abs(a_s).sum(axis=1) > _TOL]
    nz = np.abs(rows) > _TOL
    if nz.sum(axis=0).max() > 2 or not np.allclose(np.abs(rows[nz]), 1.0):
        return None
    n_eq, n_cells = rows.shape
    ground = n_eq
    # Each cell's (node u, sign at u, node v, sign at v): its first and second equation, the
    # ground node if it is in one only, or (-1, 0, -1, 0) if in none.
    n_in = nz.sum(axis=0)
    cells = np.arange(n_cells)
    first = nz.argmax(axis=0) if n_eq else np.zeros(n_cells, dtype=int)
    second = n_eq - 1 - nz[::-1].argmax(axis=0) if n_eq else first  # last: second of two
    sign_first = np.sign(rows[first, cells]).astype(int)
    sign_second = np.where(n_in == 2, np.sign(rows[second, cells]), 0).astype(int)
    u = np.where(n_in > 0, first, -1)
    v = np.where(n_in == 2, second, np.where(n_in == 1, ground, -1))
    ends: list[tuple[int, int, int, int]] = list(
        zip(
            u.tolist(),
            np.where(n_in > 0, sign_first, 0).tolist(),
            v.tolist(),
            sign_second.tolist(),
            strict=True,
        )
    )
    # Scale each equation by +1 or -1 so that every two-equation cell has opposite signs.
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
                want = -scale[u] * s_u * s_v  # scale[v] * s_v must equal -scale[u] * s_u
                if not scale[v]:
                    scale[v] = want
                    stack.append(v)
                elif scale[v] != want:
                    return None  # an odd cycle: not an incidence matrix, use the null space
    bridge = np.zeros(n_cells, dtype=bool)
    bridge[bridges(range(n_eq + 1), adj)] = True
    return np.flatnonzero(bridge)


def determined_cells(equations: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Indices (into the flattened cells) of suppressed cells the equations pin down exactly.

    With known cells moved to the right-hand side, the unknowns ``x_s`` satisfy ``A_s x_s = b``.
    A cell is determined when every solution agrees on it, i.e. when its coordinate is zero in
    every null-space vector of ``A_s``.
    """
    sup = np.flatnonzero(suppressed)
    if sup.size == 0:
        return sup
    a_s = equations[:, sup]
    if a_s.shape[0] == 0 or not a_s.any():
        return np.array([], dtype=int)
    fast = _bridge_cells(a_s)
    if fast is not None:
        return sup[fast]
    # on use: scipy.linalg takes 0.2 s to import after pandas (python -X importtime); the
    # analysis, facts and tables load without SciPy (tests/analysis/test_normal.py)
    from scipy.linalg import null_space

    ns = null_space(a_s)
    if ns.size == 0:
        return sup
    free = np.abs(ns).max(axis=1) > 1e-8
    # A cell in no equation at all is free (unknown and unconstrained).
    in_eq = np.abs(a_s).sum(axis=0) > _TOL
    return sup[in_eq & ~free]


def _secondary(
    values: np.ndarray,
    suppressed: np.ndarray,
    eq: np.ndarray,
    is_total: np.ndarray,
    shape: tuple[int, int],
    blocks: np.ndarray,
) -> np.ndarray:
    """Add complementary suppressions until no suppressed cell is determined.

    For a determined cell the options are one more cell in its row or column, or the three other
    corners of a rectangle through it (which always closes a cycle in a two-way table). Among the
    options that make the cell undetermined, the cheapest wins: the sum of the counts newly
    hidden, with zeros and total cells heavily penalised (hiding a zero protects little, since a
    count cannot be negative). If nothing fixes it, the cheapest single cell is hidden and the loop
    goes on.
    """
    n, k = shape
    suppressed = suppressed.copy()
    secondary = np.zeros_like(suppressed)
    penalty = 1e9

    # What hiding each cell costs (the same sums, term by term, as adding up per option).
    cell_cost = values + penalty * (values == 0) + 10 * penalty * is_total.astype(bool)

    graph = CellGraph(eq, _TOL)

    for _ in range(suppressed.size + 1):
        det = graph.determined(suppressed)
        if det is None:
            det = determined_cells(eq, suppressed)
        if det.size == 0:
            break
        chosen: tuple[int, ...] | None = None
        for target in (int(t) for t in det):
            i, j = divmod(target, k)
            shares = np.flatnonzero((np.abs(eq[:, [target]]) > _TOL).any(axis=1))
            singles = np.flatnonzero((np.abs(eq[shares]) > _TOL).any(axis=0) & ~suppressed)
            if singles.size == 0:
                continue
            options = _options(
                i, j, k, singles, np.flatnonzero(blocks == blocks[i]), suppressed, cell_cost
            )
            quick = graph.trial(suppressed, target)

            def fixes(cells: tuple[int, ...], target: int = target, quick=quick) -> bool:
                known = quick(cells) if quick is not None else None
                if known is not None:
                    return known
                trial = suppressed.copy()
                trial[list(cells)] = True
                return target not in determined_cells(eq, trial)

            first = next(options)
            chosen = first if fixes(first) else next((o for o in options if fixes(o)), first)
            break
        if chosen is None:  # pragma: no cover - only if every cell is already suppressed
            break
        for c in chosen:
            if not suppressed[c]:
                suppressed[c] = True
                secondary[c] = True
    return secondary


def _options(
    i: int,
    j: int,
    k: int,
    singles: np.ndarray,
    rows: np.ndarray,
    suppressed: np.ndarray,
    cell_cost: np.ndarray,
):
    """The options for determined cell ``(i, j)``, cheapest first: each of the ``singles``, and
    the three other corners ``(i, j2), (i2, j), (i2, j2)`` of each rectangle with a row ``i2`` of
    ``rows`` (its block) not all hidden already. Ordered by (cost, number of cells, the cells):
    the cost of an option is the sum, in the option's order, of the costs of its cells not yet
    hidden. Sorted with NumPy rather than as a list of tuples: there are rows x columns options
    for each cell hidden, which as Python objects took longer than all the rest at 400 areas.
    Yields tuples of cell indices."""
    cost = np.where(suppressed, 0.0, cell_cost)
    others = np.array([c for c in range(k) if c != j], dtype=np.intp)
    r2, c2 = np.meshgrid(rows[rows != i].astype(np.intp), others, indexing="ij")
    a = (i * k + c2).ravel()
    b = (r2 * k + j).ravel()
    c = (r2 * k + c2).ravel()
    keep = ~(suppressed[a] & suppressed[b] & suppressed[c])
    a, b, c = a[keep], b[keep], c[keep]
    none = np.full(singles.size, -1)
    first = np.concatenate([singles, a])
    second = np.concatenate([none, b])
    third = np.concatenate([none, c])
    total = np.concatenate([cost[singles], (cost[a] + cost[b]) + cost[c]])
    size = np.concatenate([np.ones(singles.size, int), np.full(a.size, 3)])
    for o in np.lexsort((third, second, first, size, total)).tolist():
        yield (
            (int(first[o]),) if o < singles.size else (int(first[o]), int(second[o]), int(third[o]))
        )
