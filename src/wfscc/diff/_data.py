"""Comparing facts (``facts.json``) and published tables (``data/*.csv`` + ``tables.json``)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ._model import ADDED, CHANGED, REMOVED, CellChange, FactChange, TableChange

# ---------------------------------------------------------------------------------------------
# facts


def _record(fact) -> dict:
    """A fact as a plain dict, whether it came from ``facts.json`` or is a ``Fact`` object."""
    if isinstance(fact, Mapping):
        return dict(fact)
    return {k: getattr(fact, k, None) for k in ("value", "base", "text", "source")}


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _same(a, b) -> bool:
    """Equal values, with floats compared to 1e-9 relative tolerance and NaN equal to NaN."""
    if _is_number(a) and _is_number(b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _difference(old, new):
    if _is_number(old) and _is_number(new):
        return new - old
    if (isinstance(old, list | tuple) and isinstance(new, list | tuple) and len(old) == len(new)
            and all(_is_number(v) for v in (*old, *new))):
        return [b - a for a, b in zip(old, new, strict=True)]
    return None


def compare_facts(old: Mapping, new: Mapping) -> list[FactChange]:
    """Facts added, removed, or whose value, text or base changed, sorted by name."""
    out = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            out.append(FactChange(name, REMOVED, _record(old[name]), None))
        elif name not in old:
            out.append(FactChange(name, ADDED, None, _record(new[name])))
        else:
            a, b = _record(old[name]), _record(new[name])
            if not all(_same(a.get(k), b.get(k)) for k in ("value", "text", "base")):
                same = _same(a.get("value"), b.get("value"))
                diff = None if same else _difference(a.get("value"), b.get("value"))
                out.append(FactChange(name, CHANGED, a, b, diff))
    return out


def read_facts(path: Path) -> dict:
    """The facts in a ``facts.json`` file (``{}`` when there is none)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


# ---------------------------------------------------------------------------------------------
# tables


class _Table:
    """One published CSV read as text: header, rows, and what the manifest says about it."""

    def __init__(self, name: str, path: Path, meta: Mapping):
        self.name, self.title = name, str(meta.get("title") or name)
        self.count_columns = set(meta.get("count_columns") or ())
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        self.header = rows[0] if rows else []
        width = len(self.header)
        self.rows = [(r + [""] * width)[:width] for r in rows[1:] if any(c.strip() for c in r)]

    def column(self, name: str) -> int:
        return self.header.index(name)


def read_tables(data_dir: Path | None) -> dict[str, _Table]:
    """The published tables in ``data_dir``: those in ``tables.json``, else every ``*.csv``."""
    if data_dir is None or not data_dir.is_dir():
        return {}
    manifest_path = data_dir / "tables.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = {name: (data_dir / str(m.get("csv") or f"{name}.csv"), m)
                   for name, m in manifest.items()}
    else:
        entries = {p.stem: (p, {}) for p in data_dir.glob("*.csv")}
    return {name: _Table(name, path, meta) for name, (path, meta) in sorted(entries.items())
            if path.is_file()}


def _key_columns(old: _Table, new: _Table, common: list[str]) -> list[str]:
    """The shortest run of leading label columns (before the first count column) whose values
    identify every row in both tables; ``[]`` when none does (rows are then matched by
    position)."""
    counts = old.count_columns | new.count_columns
    labels: list[str] = []
    for col in common:
        if col in counts:
            break
        labels.append(col)
    for k in range(1, len(labels) + 1):
        cols = labels[:k]
        if all(_unique(t, cols) for t in (old, new)):
            return cols
    return []


def _unique(table: _Table, cols: list[str]) -> bool:
    idx = [table.column(c) for c in cols]
    keys = [tuple(r[i] for i in idx) for r in table.rows]
    return len(set(keys)) == len(keys)


def _keyed(table: _Table, cols: list[str]) -> dict[tuple[str, ...], list[str]]:
    if not cols:
        return {(str(i),): r for i, r in enumerate(table.rows, start=1)}
    idx = [table.column(c) for c in cols]
    return {tuple(r[i] for i in idx): r for r in table.rows}


def decimal_difference(old: str, new: str) -> str | None:
    """``new - old`` as signed decimal text ("+0.8", "-3") when both are finite numbers."""
    try:
        a, b = Decimal(old.replace(",", "")), Decimal(new.replace(",", ""))
    except InvalidOperation:
        return None
    if not (a.is_finite() and b.is_finite()):
        return None
    return f"{b - a:+}"


def _compare_table(old: _Table, new: _Table) -> TableChange | None:
    common = [c for c in new.header if c in old.header]
    keys = _key_columns(old, new, common)
    a, b = _keyed(old, keys), _keyed(new, keys)
    cells = []
    for key in [k for k in b if k in a]:  # in the new table's row order
        for col in common:
            if col in keys:
                continue
            x, y = a[key][old.column(col)], b[key][new.column(col)]
            if x != y:
                cells.append(CellChange(new.name, key, col, x, y, decimal_difference(x, y)))
    change = TableChange(
        new.name, new.title, CHANGED, tuple(keys), tuple(cells),
        rows_added=tuple(k for k in b if k not in a),
        rows_removed=tuple(k for k in a if k not in b),
        columns_added=tuple(c for c in new.header if c not in old.header),
        columns_removed=tuple(c for c in old.header if c not in new.header))
    unchanged = not (change.cells or change.rows_added or change.rows_removed
                     or change.columns_added or change.columns_removed)
    return None if unchanged else change


def compare_tables(old_dir: Path | None, new_dir: Path | None) -> list[TableChange]:
    """Tables added, removed or with changed cells, rows or columns, sorted by name."""
    old, new = read_tables(old_dir), read_tables(new_dir)
    out = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            out.append(TableChange(name, old[name].title, REMOVED))
        elif name not in old:
            out.append(TableChange(name, new[name].title, ADDED))
        elif (change := _compare_table(old[name], new[name])) is not None:
            out.append(change)
    return out
