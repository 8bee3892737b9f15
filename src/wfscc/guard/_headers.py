"""Raw-record dumps: a table header or a line of text that names several of the raw data's
columns (`RAW_COLUMNS`) is a listing of records, not a published statistic."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

# Raw MI, survey, referral and interview columns: a header with several of these is a record dump.
# Codes that published tables legitimately carry (la_code, centre_code, wave, group) are left out.
RAW_COLUMNS = frozenset(
    {
        "participant_id", "start_date", "lone_parent", "benefit", "customer_type",
        "second_earner", "engagement_route", "main_barrier", "support_better_off_calc",
        "support_tax_credits", "support_cv", "support_training_referral", "referred_on",
        "job_entry_date", "training_start_date", "referral_id", "direction", "service",
        "respondent_id", "weight", "uses_jcp_at_centre", "preferred_place", "adviser_view",
        "confidence", "aspiration", "awareness", "work_status", "household_type",
        "interview_id", "interview_type", "themes", "excerpt", "adviser_name", "centre_name",
    }
)  # fmt: skip
MIN_RAW_COLUMNS = 3


def might_have_raw_header(text: str) -> bool:
    """A quick test (substring search) that a text names enough raw columns to hold a header."""
    found = 0
    for column in RAW_COLUMNS:
        if column in text:
            found += 1
            if found >= MIN_RAW_COLUMNS:
                return True
    return False


def raw_columns(cells: Iterable[str]) -> list[str]:
    """The raw-record column names among a header's cells, if there are enough to be a dump."""
    found = sorted({c.strip().lower() for c in cells} & RAW_COLUMNS)
    return found if len(found) >= MIN_RAW_COLUMNS else []


def raw_header_line(line: str) -> list[str]:
    """Raw column names in a line that looks like a header (DataFrame repr, CSV, Markdown table).

    The line must be mostly column names, so that prose mentioning a few columns is not flagged.
    """
    tokens = [t for t in re.split(r"[\s,|;]+", line) if t and t not in {"...", "\\"}]
    if len(tokens) < MIN_RAW_COLUMNS:
        return []
    found = raw_columns(tokens)
    return found if len(found) * 2 >= len(tokens) else []


# where a line wraps: a caption, list entry or table cell (a cell of `pdftotext -layout`, set
# off by two or more spaces) that ends in a word or a comma, with the next line going on in lower
# case under it
_WRAPS = re.compile(r"[^\W\d_],?$")
_GOES_ON = re.compile(r"[a-z]")
_LAYOUT_CELL = re.compile(r"\S+(?: \S+)*")


def _continues(line: str, following: str) -> bool:
    """True when *following* carries on the text of *line* that stands above where it starts."""
    text = following.lstrip()
    if not text or not _GOES_ON.match(text):
        return False
    column = len(following) - len(text)
    above = [cell.group() for cell in _LAYOUT_CELL.finditer(line) if cell.start() <= column]
    return bool(above) and bool(_WRAPS.search(above[-1]))


def _wrapped_entry(lines: list[str], i: int) -> str:
    """Line *i* with the lines it wraps with (a caption, a list entry, a table cell set on two
    or three lines), joined by spaces."""
    first = last = i
    while first > 0 and _continues(lines[first - 1], lines[first]):
        first -= 1
    while last + 1 < len(lines) and _continues(lines[last], lines[last + 1]):
        last += 1
    return " ".join(line.strip() for line in lines[first : last + 1])


def _lines_naming_raw_columns(text: str) -> set[int]:
    """The numbers of the lines of `text` in which `MIN_RAW_COLUMNS` different raw column names
    occur (in any case, anywhere in the line): only these can be header lines, since each
    column `raw_header_line` finds is a token of the line (after lower-casing), so a substring
    of the lower-cased line. Found with one search per column name in the whole text."""
    lower = text.lower()  # no character lower-cases to or from a line break: lines line up
    newlines: list[int] | None = None
    named: dict[int, set[str]] = {}
    for column in RAW_COLUMNS:
        at = lower.find(column)
        if at < 0:
            continue
        if newlines is None:
            newlines = [m.start() for m in re.finditer("\n", lower)]
        while at >= 0:
            named.setdefault(bisect.bisect_left(newlines, at), set()).add(column)
            at = lower.find(column, at + 1)
    return {line for line, columns in named.items() if len(columns) >= MIN_RAW_COLUMNS}


def raw_header_lines(text: str, max_length: int = 4000) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of *text* that is a raw-record header (:func:`raw_header_line`),
    judged as part of the whole it belongs to.

    A line of plain words that only looks like column names because a caption, list entry or
    table cell wrapped there ("confidence, aspiration and awareness of work" out of a figure's
    title in a PDF's list of figures) is judged with the lines it wraps with, and is no header
    when they are not. A line naming a column as the data spell it (``participant_id``, never
    prose) is judged on its own, wrapped or not.
    """
    candidates = _lines_naming_raw_columns(text)
    if not candidates:
        return
    lines = text.split("\n")
    start = 0
    for i, line in enumerate(lines):
        offset, start = start, start + len(line) + 1
        if len(line) >= max_length or i not in candidates:
            continue
        found = raw_header_line(line)
        if not found:
            continue
        if not any("_" in column for column in found):
            entry = _wrapped_entry(lines, i)
            if entry != line.strip() and not raw_header_line(entry):
                continue
        yield offset, line
