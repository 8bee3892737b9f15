"""Find each table's file in the data folder and read it as raw cells, keeping row numbers.

A reader returns the cells as they are in the file (text for CSV, typed cells for Excel, Parquet and
SPSS) plus, for every data row, the row number the user sees, so that every problem can point at it:

- CSV: the record number, with the header record as row 1 (the line number when no quoted field
  spans lines, and the row number when the file is opened in a spreadsheet);
- Excel: the sheet's row number (a title row above the header is allowed and skipped);
- SPSS ``.sav``: the case number shown in SPSS's Data View (first case = 1);
- Parquet: the row position + 2, i.e. the line it would have in a CSV export with a header.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import CODE_COLUMNS, SUFFIXES, TABLES, columns
from ..errors import Problem, cut
from ._csv import read_records
from ._encoding import NotText, decode

_TITLE_SEARCH_ROWS = 30  # how far down an Excel sheet the header row is looked for
#: How Excel stores control characters XML cannot hold (``_x0007_``); openpyxl leaves them as is.
_EXCEL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")


@dataclass
class RawTable:
    """The cells of one table as read, with the user's row numbers."""

    stem: str
    path: Path
    frame: pd.DataFrame  # columns named as in the file (stripped), cells as read
    rows: np.ndarray  # the user's row number of each frame row
    header_row: int | None  # where the column names are (None: no visible header row)
    complete: bool = True  # False: rows that could not be read were left out (and reported)

    @property
    def file(self) -> str:
        return self.path.name


def find_files(data_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map each table stem to its one file in ``data_dir``; report missing and ambiguous tables."""
    found: dict[str, list[Path]] = {stem: [] for stem in TABLES}
    for path in sorted(data_dir.iterdir()):
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if stem in found and suffix in SUFFIXES:
            found[stem].append(path)
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    kinds = ", ".join(SUFFIXES[:-1]) + f" or {SUFFIXES[-1]}"
    for stem, paths in found.items():
        if len(paths) == 1:
            files[stem] = paths[0]
        elif not paths:
            problems.append(
                Problem(
                    f"{stem}.csv", None, None, None, f"a file named {stem} ({kinds}) in {data_dir}"
                )
            )
        else:
            names = " and ".join(p.name for p in paths)
            problems.append(
                Problem(names, None, None, None, f"exactly one file for table '{stem}'; keep one")
            )
    return files, problems


def read_table(stem: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read one table file; on an unreadable file return ``None`` and the problem."""
    if path.stat().st_size == 0:
        want = ", ".join(columns(stem))
        return None, [
            Problem(path.name, None, None, None, f"a header row ({want}); the file is empty")
        ]
    reader = {".csv": _read_csv, ".xlsx": _read_excel, ".parquet": _read_parquet, ".sav": _read_sav}
    try:
        return reader[path.suffix.lower()](stem, path)
    except (TypeError, AttributeError, NameError):  # our bug, not the user's file
        raise
    except Exception as exc:  # corrupt or foreign file: zip, Arrow, ReadStat, CSV parser errors
        kind = path.suffix.lower().lstrip(".")
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        detail = cut(detail)  # a parser's message may quote a whole line of the file
        return None, [Problem(path.name, None, None, None, f"a readable {kind} file ({detail})")]


def _read_csv(stem: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    try:
        text = decode(path.read_bytes(), path.name)
    except NotText as exc:
        expected = f"a CSV text file; this is {exc}"
        return None, [Problem(path.name, None, None, None, expected)]
    if not text.strip():
        want = ", ".join(columns(stem))
        return None, [
            Problem(path.name, None, None, None, f"a header row ({want}); the file is blank")
        ]
    records = read_records(text)
    problems = [Problem(path.name, row, None, None, expected) for row, expected in records.problems]
    complete = not records.problems
    raw = RawTable(stem, path, records.frame, records.rows, records.header_row, complete)
    return raw, problems


def _header_score(cells: tuple, wanted: set[str]) -> float:
    names = [str(c).strip().lower() for c in cells if c is not None and str(c).strip()]
    exact = sum(n in wanted for n in names)
    close = sum(
        n not in wanted and bool(difflib.get_close_matches(n, wanted, n=1, cutoff=0.8))
        for n in names
    )
    return exact + 0.5 * close


def _read_excel(stem: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    import openpyxl  # on use: 0.2 s to import (python -X importtime); most inputs are CSV

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = {name.lower(): name for name in book.sheetnames}
        sheet = book[names.get(stem, book.sheetnames[0])]
        cells = [tuple(map(_unescape, row)) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    wanted = set(columns(stem))
    scores = [_header_score(row, wanted) for row in cells[:_TITLE_SEARCH_ROWS]]
    if not scores or max(scores) == 0:
        want = ", ".join(columns(stem))
        expected = (
            f"a header row naming the columns ({want}) within the first {_TITLE_SEARCH_ROWS} rows"
        )
        return None, [Problem(path.name, None, None, None, expected)]
    head = int(np.argmax(scores))  # the first row with the best score
    header = list(cells[head])
    body = cells[head + 1 :]
    width = max([len(header)] + [len(r) for r in body])
    header += [None] * (width - len(header))
    keep = [i for i, h in enumerate(header) if h is not None and str(h).strip()]
    problems = []
    for i in range(width):
        if i not in keep and any(i < len(r) and _filled(r[i]) for r in body):
            letter = openpyxl.utils.get_column_letter(i + 1)
            problems.append(
                Problem(
                    path.name, head + 1, f"(column {letter})", None, "a column name in the header"
                )
            )
    data = [[r[i] if i < len(r) else None for i in keep] for r in body]
    frame = pd.DataFrame(data, columns=[str(header[i]).strip() for i in keep], dtype=object)
    rows = np.arange(len(frame), dtype=np.int64) + head + 2
    return RawTable(stem, path, frame, rows, head + 1), problems


def _unescape(value: object) -> object:
    """A cell as Excel shows it: ``_x0000_`` is the control character U+0000 (checked later)."""
    if isinstance(value, str) and "_x" in value:
        return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_parquet(stem: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    frame = pd.read_parquet(path).reset_index(drop=True)
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(object)
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame), dtype=np.int64) + 2
    return RawTable(stem, path, frame, rows, None), []


def _label_to_code(label: str, codes: tuple[str, ...]) -> str:
    """Map an SPSS value label back to a contract code ("Income support" -> "income_support")."""
    if label in codes:
        return label
    norm = "".join(ch if ch.isalnum() else "_" for ch in label.strip().lower()).strip("_")
    while "__" in norm:
        norm = norm.replace("__", "_")
    return norm if norm in codes else label


def _read_sav(stem: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    import pyreadstat  # on use: 30 ms to import (python -X importtime), only for SPSS files

    frame, meta = pyreadstat.read_sav(
        str(path), apply_value_formats=False, dates_as_pandas_datetime=True
    )
    code_columns = CODE_COLUMNS[stem]
    for name, labels in (meta.variable_value_labels or {}).items():
        if name not in code_columns or name not in frame.columns:
            continue  # labels on numeric columns (flags, scales) describe numbers: keep the numbers
        codes = code_columns[name]
        mapping = {value: _label_to_code(str(label), codes) for value, label in labels.items()}
        column = frame[name]
        mapped = column.map(mapping)
        frame[name] = mapped.where(mapped.notna() | column.isna(), column).astype(object)
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame), dtype=np.int64) + 1
    return RawTable(stem, path, frame, rows, None), []
