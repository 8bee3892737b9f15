"""The margin equations of a table as a graph, for :func:`wfscc.outputs._suppression._secondary`
(see :class:`CellGraph`)."""

from __future__ import annotations

import numpy as np

__all__ = ["CellGraph"]


class CellGraph:
    """The margin equations as the graph of ``_suppression._bridge_cells`` (equations are
    nodes, a cell an edge), to tell in constant time whether hiding a few more cells leaves a
    determined cell determined, with the answer ``_suppression.determined_cells`` gives.

    ``_secondary`` tries the options for one determined cell, cheapest first, until one makes
    it undetermined; each try by ``determined_cells`` takes time linear in the table, so the
    tries took time quadratic in it (over 80 s of CPU for the tables at 400 areas). A
    determined cell of the graph is a bridge: hiding more cells makes it undetermined exactly
    when their edges join the two sides it separates. :meth:`trial` finds those sides once; an
    option is then checked by its own few edges. When the graph does not describe the
    equations (a cell in more than two equations or with a coefficient other than +1 or -1, or
    signs that cannot be made opposite: ``_bridge_cells`` returns None and the null space
    decides), :meth:`trial` or its check answer None and the caller asks ``determined_cells``.
    """

    def __init__(self, eq: np.ndarray, tol: float):
        nz = np.abs(eq) > tol
        self.ground = eq.shape[0]
        self.ends: list[tuple[tuple[int, int], ...] | None] = []
        for c in range(eq.shape[1]):
            rows = np.flatnonzero(nz[:, c])
            coefs = eq[rows, c]
            if len(rows) > 2 or not np.allclose(np.abs(coefs), 1.0):
                self.ends.append(None)  # not an edge: only the null space decides
            else:
                self.ends.append(
                    tuple(zip(rows.tolist(), np.sign(coefs).astype(int).tolist(), strict=True))
                )

        self.edges = [self._make_edge(ends) for ends in self.ends]

    def _make_edge(self, ends) -> tuple[int, int, int, int] | None:
        if not ends:
            return None
        if len(ends) == 2:
            return (*ends[0], *ends[1])
        return (*ends[0], self.ground, 0)

    def _edge(self, c: int) -> tuple[int, int, int, int] | None:
        """(node u, sign, node v, sign) of cell ``c``'s edge; v is the ground for a cell in
        one equation (sign 0); None for a cell in no equation."""
        return self.edges[c]

    def determined(self, suppressed: np.ndarray) -> np.ndarray | None:
        """The suppressed cells the equations determine (``determined_cells``' answer: the
        bridges of the graph of the suppressed cells), in time linear in those cells rather
        than in the whole table times them; None when the graph does not describe their
        equations (then ``determined_cells`` decides)."""
        cells = np.flatnonzero(suppressed).tolist()
        if any(self.ends[c] is None for c in cells):
            return None
        adj: dict[int, list[tuple[int, int]]] = {}
        for c in cells:
            e = self.edges[c]
            if e is not None:
                adj.setdefault(e[0], []).append((e[2], c))
                adj.setdefault(e[2], []).append((e[0], c))
        if self._signs(adj) is None:
            return None
        return np.array(sorted(bridges(adj, adj)), dtype=np.intp)

    def _signs(self, adj: dict[int, list[tuple[int, int]]]) -> dict[int, tuple[int, int]] | None:
        """Each equation's scale (+1 or -1) so that every two-equation cell has opposite signs,
        and its part of the graph (not through the ground): node -> (part, scale); None when
        there is no such scale (an odd cycle)."""
        signs: dict[int, tuple[int, int]] = {}
        for start in adj:
            if start in signs or start == self.ground:
                continue
            signs[start] = (start, 1)
            stack = [start]
            while stack:
                u = stack.pop()
                scale_u = signs[u][1]
                for v, c in adj[u]:
                    if v == self.ground:
                        continue
                    a, sa, b, sb = self.edges[c]
                    s_u, s_v = (sa, sb) if a == u else (sb, sa)
                    want = -scale_u * s_u * s_v
                    if v not in signs:
                        signs[v] = (start, want)
                        stack.append(v)
                    elif signs[v][1] != want:
                        return None
        return signs

    def trial(self, suppressed: np.ndarray, target: int):
        """A check ``cells -> bool | None``: whether hiding ``cells`` as well makes ``target``
        undetermined (None: ask :func:`determined_cells`); None when the graph of the
        ``suppressed`` cells does not describe their equations."""
        cells = np.flatnonzero(suppressed).tolist()
        if any(self.ends[c] is None for c in cells) or self.ends[target] is None:
            return None
        adj: dict[int, list[tuple[int, int]]] = {}
        for c in cells:
            e = self._edge(c)
            if e is not None:
                adj.setdefault(e[0], []).append((e[2], c))
                adj.setdefault(e[2], []).append((e[0], c))
        # Signs, as _bridge_cells gives them, a part of the graph (not through the ground) at
        # a time.
        signs = self._signs(adj)
        if signs is None:
            return None  # an odd cycle: the null space decides
        signed = {node: part for node, (part, _) in signs.items()}
        scale = {node: sc for node, (_, sc) in signs.items()}
        # The parts of the graph (through the ground too) without the target's edge.
        joined: dict[int, int] = {}
        for start in adj:
            if start in joined:
                continue
            joined[start], stack = start, [start]
            while stack:
                u = stack.pop()
                for v, c in adj[u]:
                    if c != target and v not in joined:
                        joined[v] = start
                        stack.append(v)
        u0, _, v0, _ = self._edge(target)
        hidden = set(cells)

        def check(extra: tuple[int, ...]) -> bool | None:
            flips: dict[int, tuple[int, int]] = {}  # sign part -> (parent, parity)
            links: dict[int, int] = {}  # joined part -> parent

            def sign_root(x: int) -> tuple[int, int]:
                flip = 0
                while x in flips:
                    x, f = flips[x]
                    flip ^= f
                return x, flip

            def root(x: int) -> int:
                while x in links:
                    x = links[x]
                return x

            for c in dict.fromkeys(extra):
                if c in hidden:
                    continue
                if self.ends[c] is None:
                    return None
                e = self._edge(c)
                if e is None:
                    continue  # in no equation: no edge
                a, sa, b, sb = e
                ra, rb = root(joined.get(a, a)), root(joined.get(b, b))
                if ra != rb:
                    links[ra] = rb
                if b == self.ground:
                    continue
                (pa, fa), (pb, fb) = sign_root(signed.get(a, a)), sign_root(signed.get(b, b))
                # opposite signs on the new edge once the parts' own signs are flipped or not
                need = 0 if scale.get(a, 1) * sa * scale.get(b, 1) * sb == -1 else 1
                if pa == pb:
                    if fa ^ fb != need:
                        return None  # an odd cycle: the null space decides
                else:
                    flips[pa] = (pb, fa ^ fb ^ need)
            return root(joined.get(u0, u0)) == root(joined.get(v0, v0))

        return check


def bridges(nodes, adj) -> list[int]:
    """The edge ids that are bridges of the multigraph *adj* (node -> [(other node, edge id)]),
    searched from each of *nodes* in turn: an iterative Tarjan over edge ids, so that parallel
    edges form cycles. Shared by :class:`CellGraph` and ``_suppression._bridge_cells``."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found = []
    for root in nodes:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            u, via, edges = stack[-1]
            advanced = False
            for v, c in edges:
                if c == via:
                    continue
                if v not in order:
                    order[v] = low[v] = len(order)
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
                    found.append(via)
    return found
