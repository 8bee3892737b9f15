"""What a comparison of two builds found: plain frozen records and the :class:`BuildDiff`."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

#: The title of the page that :func:`wfscc.diff.to_markdown` makes (such a page in a build is not
#: itself compared: it differs in every build).
TITLE = "Changes since the previous build"
#: How a fact, table or page differs between the two builds.
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class FactChange:
    """A fact whose value, text or base changed, or that is only in one build.

    ``old`` and ``new`` are the facts' records (``{"value", "base", "text", "source"}``) or
    ``None`` on the side where the fact is missing; ``difference`` is ``new - old`` when both
    values are numbers (a list for two number lists of the same length), else ``None``.
    """

    name: str
    status: str
    old: dict | None
    new: dict | None
    difference: float | list[float] | None = None


@dataclass(frozen=True)
class CellChange:
    """One published table cell that changed, located by its row label(s) and column.

    Cells are compared as the text written to the CSV, so a suppressed ``[c]`` is just text;
    ``difference`` is ``new - old`` as exact decimal text (``"+0.8"``) when both are numbers.
    """

    table: str
    row: tuple[str, ...]
    column: str
    old: str
    new: str
    difference: str | None = None


@dataclass(frozen=True)
class TableChange:
    """A published table that was added, removed or changed.

    ``key_columns`` are the label columns that identify a row (empty: rows are matched by
    position, and ``row`` holds the 1-based row number).
    """

    table: str
    title: str
    status: str
    key_columns: tuple[str, ...] = ()
    cells: tuple[CellChange, ...] = ()
    rows_added: tuple[tuple[str, ...], ...] = ()
    rows_removed: tuple[tuple[str, ...], ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageChange:
    """An HTML page or PDF document whose text changed, or that is only in one build.

    ``sample`` holds the first few changed lines, each starting ``"- "`` (only in the old
    build) or ``"+ "`` (only in the new one).
    """

    path: str
    kind: str  # "html" or "pdf"
    status: str
    lines_removed: int = 0
    lines_added: int = 0
    sample: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildDiff:
    """Everything that differs between an old and a new build, in a deterministic order.

    Facts are sorted by name, tables by name (cells by row then column, in table order) and
    pages by path. ``has_previous`` is false when there was no previous build to compare;
    ``compared_pages`` is false for :func:`~wfscc.diff.compare_inputs` (facts and tables only).
    """

    old: str
    new: str
    facts: tuple[FactChange, ...] = ()
    tables: tuple[TableChange, ...] = ()
    pages: tuple[PageChange, ...] = ()
    has_previous: bool = True
    compared_pages: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when no fact, table or page differs."""
        return not (self.facts or self.tables or self.pages)

    @property
    def n_cells(self) -> int:
        """How many table cells changed (in tables present in both builds)."""
        return sum(len(t.cells) for t in self.tables)

    def counts(self) -> dict[str, int]:
        """The headline numbers: facts, tables, table cells, rows added/removed, pages."""
        return {
            "facts": len(self.facts),
            "tables": len(self.tables),
            "table_cells": self.n_cells,
            "rows_added": sum(len(t.rows_added) for t in self.tables),
            "rows_removed": sum(len(t.rows_removed) for t in self.tables),
            "pages": len(self.pages),
        }

    def to_dict(self) -> dict:
        """A JSON-ready dict (NaN and infinities become ``None``)."""
        out = {"old": self.old, "new": self.new, "has_previous": self.has_previous,
               "compared_pages": self.compared_pages,
               "is_empty": self.is_empty, "counts": self.counts(),
               "facts": [asdict(f) for f in self.facts],
               "tables": [asdict(t) for t in self.tables],
               "pages": [asdict(p) for p in self.pages],
               "notes": list(self.notes)}
        return _finite(out)

    def to_json(self) -> str:
        """The diff as indented JSON with sorted keys, for machines."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _finite(obj):
    """Replace NaN and infinities by ``None`` and tuples by lists, recursively."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
