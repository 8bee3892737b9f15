"""Helpers for the data tests: edit CSV cells, collect the problems a load reports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wfscc.data import load_dataset
from wfscc.errors import DataError, Problem


def read_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)


def edit_cell(path: Path, row: int, column: str, value: str) -> str:
    """Set the cell at the user's ``row`` (header = 1) and ``column``; return the old value."""
    rows = read_rows(path)
    index = rows[0].index(column)
    old = rows[row - 1][index]
    rows[row - 1][index] = value
    write_rows(path, rows)
    return old


def cell(path: Path, row: int, column: str) -> str:
    rows = read_rows(path)
    return rows[row - 1][rows[0].index(column)]


def problems_of(data_dir: Path) -> list[Problem]:
    """The problems ``load_dataset`` reports (fails the test if it loads cleanly)."""
    with pytest.raises(DataError) as caught:
        load_dataset(data_dir)
    return caught.value.problems


def only(problems: list[Problem], **where: object) -> Problem:
    """The one problem matching every ``field=value`` given (fails if none or several)."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in where.items())]
    assert len(found) == 1, f"expected one problem with {where}, got {found} among {problems}"
    return found[0]
