"""Checks on text cells: no control characters, and no longer than the contract allows.

Every text cell of every column (and every cell of a CSV, where all cells are text) is checked
before it is typed, so that a bad character is one problem naming its cell, not a wrong code or
number, and so that nothing invisible reaches a page. Forbidden everywhere:

- C0 control characters (U+0000 to U+001F: NUL, BEL, ESC, ...), except tab, line feed and carriage
  return;
- DEL (U+007F) and the C1 control characters (U+0080 to U+009F), which are never text (they appear
  when a file was decoded with the wrong encoding);
- the line and paragraph separators U+2028 and U+2029;
- the bidirectional embedding, override and isolate controls (U+202A to U+202E, U+2066 to U+2069),
  which make text read differently from what it holds.

Tab, line feed and carriage return are allowed inside ``free_text`` columns only (``_spec``); in any
other column they are allowed only at the ends of a cell, which are trimmed. Lengths are counted in
characters after trimming, against the column's ``max_len``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..contract import SPEC, Col

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_IN_FREE_TEXT = re.compile(f"[{_ALWAYS}]")
_IN_ONE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
_ENDS = " \t\r\n"
_C0 = (
    ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR")
    + ("SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB")
    + ("ESC", "FS", "GS", "RS", "US")
)
#: The columns that may hold tabs and line breaks, as ``table.column``.
FREE_TEXT = tuple(f"{stem}.{c.name}" for stem, cols in SPEC.items() for c in cols if c.free_text)


def describe(char: str) -> str:
    """Name a forbidden character for a message: ``NUL (U+0000)``, ``a line break (U+000A)``."""
    code = f"U+{ord(char):04X}"
    if char == "\t":
        return f"a tab ({code})"
    if char in "\n\r\u2028\u2029":
        return f"a line break ({code})"
    if ord(char) < 0x20:
        return f"the control character {_C0[ord(char)]} ({code})"
    if char == "\x7f":
        return f"the control character DEL ({code})"
    if ord(char) <= 0x9F:
        return f"a C1 control character ({code})"
    return f"a bidirectional control character ({code})"


def _control(value: str, pattern: re.Pattern, col: Col) -> str | None:
    """What is wrong with the forbidden characters in ``value``, or None if it has none."""
    inner = value.strip(_ENDS)
    found = list(pattern.finditer(inner))
    if not found:
        return None
    first = found[0]
    where = first.start() + 1 + len(value) - len(value.lstrip(_ENDS))
    more = f" (and {len(found) - 1:,} more)" if len(found) > 1 else ""
    if col.free_text:
        what = "text without control characters (tabs and line breaks are allowed here)"
    elif col.kind != "str":
        what = "a value without control characters"
    else:
        what = "one line of text without control characters"
    fix = "delete it"
    if first.group() in "\t\n\r" and not col.free_text:
        fix += f" (tabs and line breaks are allowed only in {', '.join(FREE_TEXT)})"
    return f"{what}; it has {describe(first.group())} at character {where:,}{more}: {fix}"


def check_text(raw: pd.Series, col: Col) -> list[tuple[int, str]]:
    """``(position, expected)`` for each text cell with a forbidden character or over ``max_len``.

    A cell is reported once: a forbidden character first, else its length. Cells that are not text
    (numbers and dates in Excel, Parquet or SPSS) are not looked at.
    """
    values = raw.to_numpy(dtype=object)
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return []
    pattern = _IN_FREE_TEXT if col.free_text else _IN_ONE_LINE
    limit = col.max_len if col.kind == "str" else None
    # one search over the whole column for the usual case, where nothing is wrong
    if pattern.search(" ".join(texts)) is None and (limit is None or max(map(len, texts)) <= limit):
        return []
    out: list[tuple[int, str]] = []
    for pos, value in enumerate(values):
        if not isinstance(value, str):
            continue
        wrong = _control(value, pattern, col)
        if wrong is None and limit is not None:
            length = len(value.strip())
            if length > limit:
                wrong = f"text of at most {limit:,} characters; it has {length:,}: shorten it"
        if wrong is not None:
            out.append((pos, wrong))
    return out


def text_mask(length: int, found: list[tuple[int, str]]) -> np.ndarray:
    """A boolean mask of ``length`` rows, true at the positions in ``found``."""
    mask = np.zeros(length, dtype=bool)
    mask[[pos for pos, _ in found]] = True
    return mask
