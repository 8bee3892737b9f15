"""Statistical disclosure control: the one function every published table passes through.

:func:`protect` applies, in order:

1. **Primary suppression** of counts from 1 to ``threshold - 1`` (the ONS "small non-zero
   counts" convention: a zero is published, because a true zero discloses nothing about a person).
2. **Secondary (complementary) suppression**, so that no suppressed count can be worked out from
   the row and column totals. The attacker is assumed to know every margin (row totals across the
   count columns, and column totals within each block of rows), whether or not the table prints
   them, because margins usually appear in another table. Each suppressed cell is then tested with
   linear algebra: the margin equations restricted to the suppressed cells determine a cell
   uniquely exactly when that cell's coordinate vanishes on no vector of the equations' null space.
   While some suppressed cell is determined, the smallest published non-zero cell sharing a row or
   column with it (preferring one that makes it undetermined at once) is suppressed as well. This
   guarantees, among other things, that no row or column holds exactly one suppressed cell.
   The equations and this search are in :mod:`wfscc.outputs._suppression`.
3. **Rounding** (optional) of the remaining published counts to the nearest ``rounding`` (e.g. 5).
   Zero stays zero. Rounded cells are rounded independently, so totals may not add up exactly.
4. **Suppression of percentages and means** (``pct_cols``) whose base (``base_col``) is below the
   threshold, and of any percentage whose numerator count (``pct_of``) was suppressed.

Suppressed cells become missing values (``pd.NA`` in nullable-integer count columns, ``NaN`` in
percentage columns); :class:`ProtectedTable` records which cells were suppressed and why, so the
QA page can report how many cells each table lost.

Why not ``acro`` (AI-SDC)? ACRO was considered first. It wraps the *production* of tables from
microdata (``acro.crosstab``, ``acro.pivot_table``) inside a session whose outputs a human
checker later reviews, and its automatic suppression is primary only (threshold, p-ratio, n-k
dominance) with no secondary suppression across margins. Our tables are built by the analysis
modules and need complementary suppression with a verifiable guarantee and a deterministic record
per table, so a small, tested function of our own fits better than adding the dependency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis import as_list
from ..contract.build import DEFAULT_THRESHOLD
from ..contract.style import SUPPRESSED_MARK
from ..errors import WfsccError
from ._suppression import _equations, _secondary, determined_cells

__all__ = [
    "ALLOWED_UNITS",
    "PROTECTED_UNITS",
    "ProtectedTable",
    "SUPPRESSED_MARK",
    "determined_cells",
    "protect",
    "unit_class",
]

# --- the disclosure rules (Annex B, "Disclosure rules") --------------------------------------
# What a count counts decides whether the threshold applies. The same lists are used by
# `protect` (the `unit` of a table's counts) and by the privacy guard (table columns, and a
# number next to one of these words in any published text). Plural forms; `unit_class` also
# knows the singular ("one parent").

#: Counts of people or of their records: from 1 to threshold - 1 they are never published.
PROTECTED_UNITS = frozenset(
    {
        "starts", "starters", "participants", "parents", "people", "persons", "individuals",
        "users", "respondents", "interviewees", "referrals", "customers", "claimants",
        "households", "families", "children", "cases", "records", "leavers", "jobs", "entries",
        "mothers", "fathers", "carers", "partners", "clients", "adults", "learners",
        "applicants", "recipients", "beneficiaries", "residents", "employees", "workers",
        "jobseekers", "earners", "attendees", "visitors",
    }
)  # fmt: skip
#: Counts of things that are not people: published whatever their size. Counts of interviews
#: (how many interviews raised a theme) are qualitative evidence, not counts of people with a
#: characteristic, so they are allowed too.
ALLOWED_UNITS = frozenset(
    {
        "las", "authorities", "areas", "regions", "waves", "elements", "centres", "months",
        "quarters", "weeks", "years", "days", "interviews", "themes", "sources", "chapters",
        "tables", "figures", "charts", "cells", "rows", "columns", "pages", "facts", "files",
        "problems", "services", "measures", "groups", "questions", "steps", "stages",
    }
)  # fmt: skip
_SINGULAR = {"people": "person", "children": "child", "families": "family", "entries": "entry",
             "authorities": "authority", "las": "la"}  # fmt: skip


def _plural(word: str) -> str:
    word = word.lower()
    for plural, singular in _SINGULAR.items():
        if word == singular:
            return plural
    return word if word.endswith("s") else word + "s"


def unit_class(word: str) -> str | None:
    """``"protected"``, ``"allowed"`` or None: what the disclosure rules say about counts of
    ``word`` (plural or singular, any case: "parents", "Parent", "LAs")."""
    word = word.lower()
    for form in (word, _plural(word)):
        if form in PROTECTED_UNITS:
            return "protected"
        if form in ALLOWED_UNITS:
            return "allowed"
    return None


@dataclass(frozen=True)
class ProtectedTable:
    """A table after disclosure control.

    ``frame``: the publishable table (suppressed cells missing); ``mask``: a boolean frame of the
    protected columns, True where a cell was suppressed; ``reasons``: the same shape, holding
    ``"primary"``, ``"secondary"``, ``"base"`` (percentage on a small or suppressed base) or ``""``.
    """

    frame: pd.DataFrame
    mask: pd.DataFrame
    reasons: pd.DataFrame
    count_cols: tuple[str, ...]
    pct_cols: tuple[str, ...]
    threshold: int
    rounding: int | None
    primary: int
    secondary: int
    pct_suppressed: int
    notes: tuple[str, ...] = field(default=())

    @property
    def suppressed_cells(self) -> int:
        """Every cell withheld from publication (counts and percentages)."""
        return self.primary + self.secondary + self.pct_suppressed

    def to_published(self) -> pd.DataFrame:
        """The frame as it is written to files: suppressed cells show ``[c]``."""
        out = self.frame.copy()
        for col in self.mask.columns:
            hidden = self.mask[col].to_numpy()
            if hidden.any():
                out[col] = out[col].astype(object)
                out.loc[hidden, col] = SUPPRESSED_MARK
        return out


def protect(
    table: pd.DataFrame,
    count_cols: Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    base_col: str | None = None,
    pct_cols: Sequence[str] = (),
    pct_of: Mapping[str, str] | None = None,
    total_row: tuple[str, object] | None = None,
    total_col: str | None = None,
    group_totals: str | Sequence[str] | None = None,
    row_totals: bool = True,
    col_totals: bool = True,
    unit: str | None = None,
) -> ProtectedTable:
    """Apply disclosure control to ``table`` and return a :class:`ProtectedTable`.

    table: a wide table, one row per category, labels in non-count columns.
    count_cols: the columns of counts of people (the cells to protect).
    threshold: counts from 1 to ``threshold - 1`` are suppressed.
    rounding: round published counts to the nearest ``rounding`` (e.g. 5); None for no rounding.
    base_col: the unweighted base of each row; if it is not in ``count_cols`` it is still
        protected as a count (its own column, no row equation).
    pct_cols: percentages, means or interval bounds computed on ``base_col``; suppressed where the
        base is below ``threshold`` or the base itself is suppressed.
    pct_of: ``{pct_col: count_col}``: also suppress a percentage whose numerator was suppressed.
    total_row: ``(column, label)`` identifying printed total rows (one per block).
    total_col: a count column holding each row's total of the other count columns.
    group_totals: label columns defining blocks of rows whose column totals are known separately
        (e.g. ``"wave"`` in a table stacked by wave). None: the whole table is one block.
    row_totals: False when the count columns overlap (e.g. lone parents, second earners), so no
        row total of them exists; column totals are still protected.
    col_totals: False when the rows overlap (e.g. themes an interview may share), so no column
        total exists. With both False only primary suppression applies.
    unit: what the counts count ("interviews"); if the disclosure rules allow counts of it
        (:data:`ALLOWED_UNITS`), nothing is suppressed and no column is recorded as protected.
        None (the default) or any other unit: the counts are of people or their records.
    """
    if not isinstance(table, pd.DataFrame):
        raise WfsccError(f"protect expects a pandas DataFrame, not {type(table).__name__}.")
    if threshold < 1:
        raise WfsccError(f"threshold must be at least 1, got {threshold!r}.")
    if rounding is not None and rounding < 1:
        raise WfsccError(f"rounding must be a positive whole number or None, got {rounding!r}.")
    count_cols = list(count_cols)
    pct_cols = list(pct_cols)
    prot_cols = count_cols + ([base_col] if base_col and base_col not in count_cols else [])
    missing = [c for c in prot_cols + pct_cols + as_list(group_totals) if c not in table.columns]
    if total_col is not None and total_col not in count_cols:
        missing.append(total_col)
    if total_row is not None and total_row[0] not in table.columns:
        missing.append(total_row[0])
    if missing:
        raise WfsccError(
            f"protect: column(s) {missing} not in the table; it has {list(table.columns)}."
        )
    if unit is not None and unit_class(unit) == "allowed":  # published as they are
        count_cols, pct_cols, prot_cols, pct_of = [], [], [], None
        base_col = total_col = total_row = None

    frame = table.copy().reset_index(drop=True)
    n = len(frame)
    k = len(prot_cols)
    # each column as numbers, one conversion a column (DataFrame.apply builds a frame of them
    # first, a third of the time of protecting a small table)
    raw = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float) for c in prot_cols}
    vals = np.column_stack([raw[c] for c in prot_cols]).reshape(-1) if k else np.zeros(0)
    if np.any(vals[~np.isnan(vals)] < 0):
        raise WfsccError("protect: count columns hold negative values; counts must be >= 0.")
    known = ~np.isnan(vals)
    primary = known & (vals >= 1) & (vals < threshold)

    blocks_cols = as_list(group_totals)
    if blocks_cols:
        blocks = frame[blocks_cols].astype(str).agg("\x1f".join, axis=1).to_numpy()
    else:
        blocks = np.zeros(n, dtype=int)
    if total_row is not None:
        is_total_row = (frame[total_row[0]] == total_row[1]).to_numpy()
    else:
        is_total_row = np.zeros(n, dtype=bool)
    row_cols = count_cols if row_totals else ([total_col] if total_col else [])
    eq = (
        _equations(n, prot_cols, row_cols, blocks, is_total_row, total_col, col_totals)
        if k
        else None
    )
    is_total_cell = np.zeros(n * k, dtype=bool)
    if k:
        for i in range(n):
            for j, c in enumerate(prot_cols):
                is_total_cell[i * k + j] = is_total_row[i] or c == total_col
    # Cells with missing values are unknown to everybody: treat them as suppressed for the maths.
    unknown = primary | ~known
    values = np.nan_to_num(vals, nan=0.0)
    secondary = (
        _secondary(values, unknown, eq, is_total_cell, (n, k), blocks)
        if k
        else np.zeros(0, bool)
    )
    suppressed = primary | secondary

    # why each cell is withheld, filled in as an array and made a frame once at the end
    why = np.full((n, len(prot_cols) + len(pct_cols)), "", dtype=object)
    sup2d = suppressed.reshape(n, k) if k else np.zeros((n, 0), bool)
    for j, c in enumerate(prot_cols):
        col_vals = raw[c]
        if rounding:
            col_vals = np.where(
                np.isnan(col_vals), np.nan, np.floor(col_vals / rounding + 0.5) * rounding
            )
        col_vals = np.where(sup2d[:, j], np.nan, col_vals)
        frame[c] = pd.array([None if np.isnan(v) else int(v) for v in col_vals], dtype="Int64")
        why[primary.reshape(n, k)[:, j], j] = "primary"
        why[secondary.reshape(n, k)[:, j], j] = "secondary"

    pct_hidden = np.zeros((n, len(pct_cols)), dtype=bool)
    if pct_cols:
        small = np.zeros(n, dtype=bool)
        if base_col is not None:
            base = pd.to_numeric(table[base_col], errors="coerce").to_numpy(dtype=float)
            small = (base < threshold) | sup2d[:, prot_cols.index(base_col)]
        for j, c in enumerate(pct_cols):
            hide = small.copy()
            num = (pct_of or {}).get(c)
            if num is not None:
                hide |= sup2d[:, prot_cols.index(num)]
            hide &= frame[c].notna().to_numpy()
            pct_hidden[:, j] = hide
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float).mask(hide)
            why[hide, k + j] = "base"

    reasons = pd.DataFrame(why, index=frame.index, columns=prot_cols + pct_cols, dtype=str)
    mask = reasons != ""
    notes = []
    if int(primary.sum()) or int(secondary.sum()) or int(pct_hidden.sum()):
        notes.append(
            f"Counts from 1 to {threshold - 1} are suppressed ({SUPPRESSED_MARK}), with further "
            "cells suppressed so they cannot be worked out from totals."
        )
    if rounding:
        notes.append(f"Counts are rounded to the nearest {rounding}.")
    return ProtectedTable(
        frame=frame,
        mask=mask,
        reasons=reasons,
        count_cols=tuple(prot_cols),
        pct_cols=tuple(pct_cols),
        threshold=threshold,
        rounding=rounding,
        primary=int(primary.sum()),
        secondary=int(secondary.sum()),
        pct_suppressed=int(pct_hidden.sum()),
        notes=tuple(notes),
    )
