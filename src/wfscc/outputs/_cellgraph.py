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

    def _edge(self, c: int) -> tuple[int, int, int, int] | None:
        """(node u, sign, node v, sign) of cell ``c``'s edge; v is the ground for a cell in
        one equation (sign 0)."""
        ends = self.ends[c]
        if len(ends) == 2:
            return (*ends[0], *ends[1])
        return (*ends[0], self.ground, 0) if ends else None

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
        # Signs, as _bridge_cells gives them: each equation scaled by +1 or -1 so that every
        # two-equation cell has opposite signs, a part of the graph (not through the ground)
        # at a time.
        scale: dict[int, int] = {}
        signed: dict[int, int] = {}  # node -> its part of the signs
        for start in adj:
            if start in signed or start == self.ground:
                continue
            signed[start], scale[start], stack = start, 1, [start]
            while stack:
                u = stack.pop()
                for v, c in adj[u]:
                    if v == self.ground:
                        continue
                    a, sa, b, sb = self._edge(c)
                    s_u, s_v = (sa, sb) if a == u else (sb, sa)
                    want = -scale[u] * s_u * s_v
                    if v not in signed:
                        signed[v], scale[v] = start, want
                        stack.append(v)
                    elif scale[v] != want:
                        return None  # an odd cycle: the null space decides
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
