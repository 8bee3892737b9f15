"""Text, HTML and JSON (including notebooks) as segments of searchable text with locations."""

from __future__ import annotations

import bisect
import csv
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Base64 payloads (data URIs, embedded images) are stripped before searching: random bytes can
# spell anything.
DATA_URI = re.compile(r"data:[\w/+.-]+(?:;[\w=.-]+)*;base64,[A-Za-z0-9+/=\s]+")
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ATTR = re.compile(
    r"\b(alt|title|aria-label|aria-description|content|label|summary)\s*=\s*(\"[^\"]*\"|'[^']*')",
    re.I,
)
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        "tspan",
    ]
)
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)
_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.S | re.I)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]\s*>", re.S | re.I)
_SPAN_CELL = re.compile(r"<t([hd])\b([^>]*)>(.*?)</t[hd]\s*>", re.S | re.I)
_COLSPAN = re.compile(r"\bcolspan\s*=\s*[\"']?(\d+)", re.I)
_THEAD = re.compile(r"<thead\b.*?</thead\s*>", re.S | re.I)


@dataclass(frozen=True)
class Table:
    """A table's column names and body rows, for the small-count check.

    `where` locates the table ("table at line 15"); each row is (its location, its cell texts).
    """

    where: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Segment:
    """Searchable text with a way to locate a match in it.

    `label` prefixes every location ("page 3", "cell 4, output 1 (text/html)"). If `lines` is set,
    line *i* of `text` is located by `lines[i]` alone (one spreadsheet cell or JSON value per line);
    otherwise by "line N".
    `mode` picks the patterns (see `Detector.find`). `fallback` segments only report what no other
    segment of the file found. `headers` are table header rows to check for raw-record dumps;
    `tables` are tables whose count columns are checked for small counts.
    """

    text: str
    label: str = ""
    mode: str = "prose"
    lines: list[str] | None = None
    fallback: bool = False
    headers: list[tuple[str, list[str]]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # checked for unsuppressed small counts
    header_lines: bool = True  # also check each text line for a raw-record header
    _newlines: list[int] | None = field(default=None, repr=False)

    def locate(self, offset: int) -> str:
        """Where the character at `offset` is, for a message."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        if self.lines is not None:
            return self.lines[min(line, len(self.lines) - 1)]
        where = f"line {line + 1}"
        return f"{self.label}, {where}" if self.label else where


def strip_base64(text: str) -> str:
    return DATA_URI.sub("data:…", text) if "data:" in text else text


def html_to_text(markup: str) -> str:
    """Visible text of HTML/SVG with line numbers preserved.

    Inline tags vanish (so `QQ12<b>3456</b>C` reads `QQ123456C`), block tags become a space, and
    scripts and styles are dropped; alt/title/aria-label values are kept as text.
    """

    def blank(m: re.Match[str]) -> str:
        return "\n" * m.group().count("\n")

    def tag(m: re.Match[str]) -> str:
        whole = m.group()
        if len(whole) > _TAG_TEXT_LONGEST:  # a chart's path: seldom seen twice
            return _tag_text(m)
        out = _TAG_TEXT.get(whole)
        if out is None:  # a tag's text depends on the tag alone: pages repeat most of theirs
            if len(_TAG_TEXT) >= _TAG_TEXT_MAX:
                _TAG_TEXT.clear()
            out = _TAG_TEXT[whole] = _tag_text(m)
        return out

    text = _SCRIPT.sub(blank, markup)
    text = _TAG.sub(tag, text)
    return html.unescape(text)  # at once, as line by line: no character reference spans lines


# What each tag seen reads as (`_tag_text`), kept across files: most tags of a site repeat.
_TAG_TEXT: dict[str, str] = {}
_TAG_TEXT_MAX, _TAG_TEXT_LONGEST = 50_000, 500  # at most 25 MB of tags


def _tag_text(m: re.Match[str]) -> str:
    """A tag (or comment) as text: nothing for an inline tag, a space for a block tag, its
    alt/title/aria-label values, and as many line breaks as it spans."""
    newlines = "\n" * m.group().count("\n")
    attrs = m.group(3) or ""
    kept = " ".join(html.unescape(v[1:-1]) for _, v in _ATTR.findall(attrs))
    name = (m.group(2) or "").lower()
    sep = "" if name in _INLINE and not kept else " "
    return f"{sep}{kept}{sep}{newlines}" if kept else f"{sep}{newlines}"


def table_headers(markup: str) -> list[tuple[str, list[str]]]:
    """The first row of each HTML table, as cell texts, with the table's line for the location."""
    out = []
    for t in _TABLE.finditer(markup):
        row = _ROW.search(t.group())
        if not row:
            continue
        cells = [_cell_text(c) for c in _CELL.findall(row.group())]
        line = markup.count("\n", 0, t.start()) + 1
        out.append((f"table at line {line}", cells))
    return out


def _cell_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def _row_cells(row: str) -> list[str]:
    """A row's cell texts, a cell spanning n columns repeated n times so that columns line up."""
    cells = []
    for m in _SPAN_CELL.finditer(row):
        span = _COLSPAN.search(m.group(2))
        cells += [_cell_text(m.group(3))] * max(1, min(int(span.group(1)) if span else 1, 1000))
    return cells


def html_tables(markup: str) -> list[Table]:
    """Every HTML table as column names and body rows.

    Header rows are those in `<thead>` (or the first row, if there is no `<thead>`); a column's
    name joins its header cells' texts ("starts" from pandas' two-row header of a named index).
    Rows are numbered from the table's first row (row 1 is the header), like a CSV file's lines.
    """
    out = []
    for t in _TABLE.finditer(markup):
        body = t.group()
        rows = [r.group() for r in _ROW.finditer(body)]
        if not rows:
            continue
        head = _THEAD.search(body)
        n_head = len(_ROW.findall(head.group())) if head else 1
        n_head = max(1, min(n_head, len(rows)))
        names: list[list[str]] = []
        for row in rows[:n_head]:
            for i, text in enumerate(_row_cells(row)):
                if i >= len(names):
                    names.append([])
                if text and text not in names[i]:
                    names[i].append(text)
        line = markup.count("\n", 0, t.start()) + 1
        out.append(
            Table(
                f"table at line {line}",
                [" ".join(n) for n in names],
                [(f"row {i}", _row_cells(r)) for i, r in enumerate(rows[n_head:], n_head + 1)],
            )
        )
    return out


def csv_table(text: str, delimiter: str = ",") -> Table:
    """A CSV text as a table: the first line names the columns; row N is line N."""
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    columns = next(reader, [])
    return Table("", columns, [(f"row {i}", row) for i, row in enumerate(reader, start=2)])


def html_segments(markup: str, label: str = "") -> list[Segment]:
    """Visible text (prose patterns) and the raw markup (code patterns: attributes, scripts)."""
    markup = strip_base64(markup)
    return [
        Segment(
            html_to_text(markup),
            label,
            "prose",
            headers=table_headers(markup),
            tables=html_tables(markup),
        ),
        Segment(markup, label, "code", header_lines=False),
    ]


def text_segments(text: str, suffix: str, *, vendored: bool = False) -> list[Segment]:
    """Segments of a text file by type: markup, code or prose."""
    text = strip_base64(text)
    if vendored:
        return [Segment(text, mode="vendored", header_lines=False)]
    if suffix in {".html", ".htm", ".svg", ".xhtml"}:
        return html_segments(text)
    if suffix in {".css", ".js", ".mjs", ".map", ".xml"}:
        return [Segment(text, mode="code", header_lines=False)]
    if suffix in {".csv", ".tsv"}:
        return [Segment(text, tables=[csv_table(text, "\t" if suffix == ".tsv" else ",")])]
    return [Segment(text)]


# --- JSON ------------------------------------------------------------------------------------


def json_strings(obj: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string (and key) in a JSON value with its path, skipping base64 image payloads
    (their metadata, such as alt text, is kept)."""
    if isinstance(obj, str):
        yield path or "$", obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if _is_payload(k, v):
                continue
            sub = f"{path}.{k}" if path else str(k)
            yield sub, str(k)
            yield from json_strings(v, sub)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from json_strings(v, f"{path}[{i}]")


def _is_payload(key: object, value: object) -> bool:
    """A notebook's base64 image or PDF (a string or list of strings under a MIME-type key)."""
    if not isinstance(key, str) or not (key.startswith("image/") or key == "application/pdf"):
        return False
    return key != "image/svg+xml" and isinstance(value, str | list)


def json_segment(obj: object, label: str = "") -> Segment:
    """All strings of a JSON value, one per line, each located by its JSON path."""
    lines, where = [], []
    for path, s in json_strings(obj):
        lines.append(strip_base64(s).replace("\n", " ").replace("\r", " "))
        where.append(f"{label}{' ' if label else ''}{path}")
    return Segment("\n".join(lines), lines=where or [label or "$"])


def notebook_segments(nb: dict) -> list[Segment]:
    """A notebook's sources, outputs (text, HTML tables, DataFrame reprs) and metadata.

    Image bytes are skipped; their metadata (alt text) is kept.
    """
    segs: list[Segment] = []
    for i, cell in enumerate(nb.get("cells", []) or []):
        where = f"cell {i + 1}"
        segs.append(Segment(_joined(cell.get("source", "")), f"{where} source"))
        for j, out in enumerate(cell.get("outputs", []) or []):
            o = f"{where}, output {j + 1}"
            if "text" in out:
                segs.append(Segment(_joined(out["text"]), f"{o} ({out.get('name', 'stream')})"))
            for mime, value in (out.get("data") or {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    continue
                text = value if isinstance(value, str | list) else json.dumps(value)
                text = _joined(text)
                if mime in {"text/html", "image/svg+xml"}:
                    segs.extend(html_segments(text, f"{o} ({mime})"))
                elif mime == "text/csv":  # a chart's data, shown on the page under the chart
                    segs.append(
                        Segment(strip_base64(text), f"{o} ({mime})", tables=[csv_table(text)])
                    )
                else:
                    segs.append(Segment(strip_base64(text), f"{o} ({mime})"))
            if "traceback" in out:
                segs.append(Segment(_joined(out["traceback"]), f"{o} (traceback)"))
            if out.get("metadata"):
                segs.append(json_segment(out["metadata"], f"{o} metadata"))
        if cell.get("metadata"):
            segs.append(json_segment(cell["metadata"], f"{where} metadata"))
    if nb.get("metadata"):
        segs.append(json_segment(nb["metadata"], "notebook metadata"))
    return segs


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
