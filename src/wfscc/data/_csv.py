"""Split decoded CSV text into a header and records, keeping each record's row number.

Python's ``csv`` module reads the records: it keeps every character of a quoted or unquoted field
(NUL included, which the cell checks then report), and it tells one record from the next, so a
record with more fields than the header row is a problem of that row ("a value holding the
delimiter must be in double quotes") instead of shifting the whole table (pandas takes the first
column as the index when the first data row has one field too many).

Row numbers are record numbers, the header record being row 1 when it is the first line: the line
number when no quoted field spans lines, and the row a spreadsheet shows. Blank records keep their
numbers; leading blank lines before the header are skipped. A record with fewer fields than the
header is padded with empty cells (reported as blanks where a value is required); trailing empty
fields beyond the header are ignored (some programs end every line with a delimiter).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Records:
    """A CSV table as text cells: the frame, each row's number, the header's row, the problems."""

    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, expected)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (comma on a tie)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_records(text: str) -> Records:
    """Parse CSV text (not blank) with the delimiter its header line uses."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[tuple[int, str]] = []
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit: stop at that record
        problems.append((len(records) + 1, f"a readable CSV record ({exc})"))
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if start is None:  # only delimiters and spaces: no header row (reported by the column check)
        return Records(pd.DataFrame(), np.zeros(0, dtype=np.int64), 1, problems)
    names = _names(records[start])
    width, shown = len(names), {",": "a comma", ";": "a semicolon", "\t": "a tab"}[delimiter]
    body = records[start + 1 :]
    rows = np.arange(start + 2, start + 2 + len(body), dtype=np.int64)
    odd = [i for i, record in enumerate(body) if len(record) != width]  # usually none
    left_out: list[int] = []
    for i in odd:
        record = body[i]
        if len(record) > width and any(c.strip() for c in record[width:]):
            expected = (
                f"{width} fields, as in the header row; found {len(record)}: "
                f"a value holding {shown} must be in double quotes"
            )
            problems.append((int(rows[i]), expected))
            left_out.append(i)
        else:
            body[i] = record[:width] + [""] * (width - len(record))
    if left_out:
        keep = np.ones(len(body), dtype=bool)
        keep[left_out] = False
        body, rows = [r for r, k in zip(body, keep, strict=True) if k], rows[keep]
    frame = pd.DataFrame(body, columns=names, dtype=str)
    return Records(frame, rows, start + 1, problems)


def _names(header: list[str]) -> list[str]:
    """Column names as pandas gives them: blanks are ``Unnamed: i``, repeats get ``.1``, ``.2``."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip() or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names
