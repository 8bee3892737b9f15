"""Validate raw tables against the contract in one pass and return typed frames.

Every problem is collected: column names (missing, misspelt, extra), blank rows, empty tables,
control characters and over-long text (``_text``), unreadable cells, codes, patterns and ranges
(``schemas``), duplicate ids, and the checks that need more than one table (``_crosscheck``).
If anything is wrong, ``DataError`` carries all of it.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ..contract import SPEC, columns
from ..errors import DataError, Problem
from ._checked import Checked, check_unique
from ._coerce import blank_mask, coerce
from ._crosscheck import crosscheck
from ._quickcheck import passes
from ._readers import RawTable
from ._text import check_text, text_mask


def check_columns(raw: RawTable) -> tuple[dict[str, str], list[Problem]]:
    """Match the file's column names to the contract's; report missing, misspelt and extra ones.

    Names match after stripping spaces and ignoring case. Returns ``{file name: contract name}``.
    """
    wanted = columns(raw.stem)
    matched: dict[str, str] = {}
    unknown: list[str] = []
    for name in raw.frame.columns:
        key = str(name).strip().lower()
        if key in wanted and key not in matched.values():
            matched[name] = key
        else:
            unknown.append(name)
    missing = [w for w in wanted if w not in matched.values()]
    close = [n for n in unknown if difflib.get_close_matches(str(n).lower(), wanted, cutoff=0.6)]
    if not matched and len(close) * 2 <= len(unknown):
        # not a header row (data, or text in another encoding): one problem, not one per name
        found = ", ".join(str(name) for name in unknown) or None
        expected = f"a header row naming the columns ({', '.join(wanted)}); it names none of them"
        return matched, [Problem(raw.file, raw.header_row, None, found, expected)]
    problems: list[Problem] = []
    for name in unknown:
        close = difflib.get_close_matches(str(name).lower(), missing, n=1, cutoff=0.6)
        if close:
            missing.remove(close[0])
            expected = f"a column of the contract: did you mean '{close[0]}'?"
        else:
            expected = f"only the contract's columns for {raw.stem} ({', '.join(wanted)})"
        problems.append(Problem(raw.file, raw.header_row, str(name), str(name), expected))
    for name in missing:
        problems.append(
            Problem(raw.file, raw.header_row, name, None, f"a column named '{name}' ({raw.stem})")
        )
    return matched, problems


def check_table(raw: RawTable) -> Checked:
    """All single-table checks. The result is used by the cross-table checks even if it failed."""
    matched, problems = check_columns(raw)
    if not matched:  # no header row: nothing below could point at a column
        empty = pd.DataFrame()
        return Checked(raw.stem, raw.file, empty, empty, raw.rows[:0], problems, raw.complete)
    frame = raw.frame[list(matched)].rename(columns=matched)
    rows = raw.rows
    blanks = {name: blank_mask(raw.frame[name]) for name in raw.frame.columns}
    if blanks:
        blank = np.logical_and.reduce(list(blanks.values()))
        last = np.flatnonzero(~blank).max() + 1 if (~blank).any() else 0
        for pos in np.flatnonzero(blank[:last]):  # trailing blank rows are dropped silently
            problems.append(
                Problem(raw.file, int(rows[pos]), None, None, "a data row; this row is blank")
            )
        if blank.any():
            frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
            blanks = {name: mask[~blank] for name, mask in blanks.items()}
    if len(frame) == 0:
        problems.append(Problem(raw.file, raw.header_row, None, None, "at least one data row"))
    order = [c for c in columns(raw.stem) if c in frame.columns]
    raw_cells = frame[order]
    table = Checked(raw.stem, raw.file, pd.DataFrame(index=frame.index), raw_cells, rows, problems)
    table.complete = raw.complete
    loose: set[str] = set()
    for col in SPEC[raw.stem]:
        if col.name not in frame.columns:
            continue
        source = next(k for k, v in matched.items() if v == col.name)
        cells = frame[col.name]
        wrong_text = check_text(cells, col)  # control characters, length: before any other check
        for pos, wrong in wrong_text:
            table.problems.append(table.problem(pos, col.name, wrong))
        skip = text_mask(len(cells), wrong_text)
        if skip.any():  # reported once: typed as missing, so no later check sees them
            cells = cells.mask(skip)
        typed, blank_cells, bad, expected = coerce(cells, col, blanks[source] | skip)
        blank_cells = blank_cells & ~skip
        table.typed[col.name] = typed
        if col.required:
            table.report(blank_cells, col.name, "a value (this column cannot be blank)")
        table.report(bad, col.name, expected)
        if (bad | skip | (blank_cells & col.required)).any():
            loose.add(col.name)
    failed: dict[str, list[int]] = {}
    for pos, column, expected in _failures(raw.stem, table.typed, frozenset(loose)):
        table.problems.append(table.problem(pos, column, expected))
        failed.setdefault(column, []).append(pos)
    for column, positions in failed.items():  # reported once: later checks skip these cells
        mask = np.zeros(len(table.typed), dtype=bool)
        mask[positions] = True
        table.typed[column] = table.typed[column].mask(mask)
    for col in SPEC[raw.stem]:
        if col.unique and col.name in table.typed.columns:
            check_unique(table, [col.name], f"a unique {col.name}")
    return table


def _failures(stem: str, typed: pd.DataFrame, loose: frozenset[str]) -> list[tuple[int, str, str]]:
    """The failing cells of pandera's checks (:func:`.schemas.failures`), asked only when a
    check may fail (:func:`._quickcheck.passes`): valid data never load pandera."""
    if passes(stem, typed, loose):
        return []
    # pandera takes 0.4 s to import and 0.15 s more on first use (python -X importtime)
    from .schemas import failures

    return failures(stem, typed, loose)


def validate(tables: dict[str, RawTable], problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Check every table and the links between them; return typed frames or raise ``DataError``.

    ``problems`` holds what was found before (missing or unreadable files); it is not modified.
    """
    return finish({stem: check_table(raw) for stem, raw in tables.items()}, problems)


def finish(checked: dict[str, Checked], problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """The checks that need more than one table on the tables of :func:`check_table`; typed
    frames, or ``DataError`` with ``problems`` (found before, not modified) and every problem
    of the tables."""
    found = list(problems)
    crosscheck(checked)
    for table in checked.values():
        found.extend(sorted(table.problems, key=_order(table.stem)))
    if found:
        raise DataError(found)
    return {stem: _final(table) for stem, table in checked.items()}


def _order(stem: str):
    index = {name: i for i, name in enumerate(columns(stem))}

    def key(p: Problem) -> tuple[int, int]:
        return (p.row or 0, index.get(p.column or "", -1))

    return key


def _final(table: Checked) -> pd.DataFrame:
    """The typed frame in contract order with the contract's dtypes."""
    out = table.typed[columns(table.stem)].copy()
    for col in SPEC[table.stem]:
        if col.kind == "int":
            out[col.name] = out[col.name].astype("int64" if col.required else "Int64")
    return out.reset_index(drop=True)
