"""A scanner for counts of people or records from 10 to 19 in every published file of a site.

It reads every published file the way a reader (or a search engine) would: the text of HTML
pages, PDFs (``pdftotext``), Markdown and alt text in notebooks, SVG text, JSON strings and the
Pagefind fragments; and the cells of every table (HTML, CSV, XLSX, ODS, the notebooks' chart data)
under a header that counts people or records. A number from 10 to 19 next to a count word ("15
starts", "respondents: 12", "at 17") or in such a cell is a finding. Counts of LAs, waves, core
elements and interviews are allowed classes and are not count words. ``scan_site(site)`` returns
the findings and how many files of each kind it read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

LOW, HIGH = 10, 19  # counts published at the default threshold that 20 must withhold
NUMBER = r"(1\d)(?![\w%]|[.,]\d)"  # 10..19, not part of a longer number, a decimal or a code
COUNT = (
    r"(?:starts?|parents?|respondents?|referrals?|cases?|people|persons?|users?|customers?"
    r"|records?|participants?|claimants?|families|children|entries|earners?)"
)
# words after a number that make it something other than a count of people or records
UNIT = (
    r"(?:pilot\s+)?(?:months?|days?|weeks?|years?|per\b|percentage|points?|times|quarters?"
    r"|las?\b|local\b|areas?|interviews?|elements?|centres?|waves?|tables?|facts?|cells?"
    r"|rows?|columns?|pages?|themes?)"
)
# not the threshold itself ("fewer than 15 starts") nor an area's name ("Pilot area 12")
NOT_A_COUNT = r"(?<!fewer than )(?<!below )(?<!area )(?<!areas )"
BEFORE = re.compile(
    rf"(?<![\w.,£$-]){NOT_A_COUNT}{NUMBER}(?!\s+{UNIT})"
    rf"(?:\s+[\w'-]+){{0,2}}?\s+{COUNT}\b",
    re.I,
)
AFTER = re.compile(
    rf"\b{COUNT}\b[^.;!?\n]{{0,40}}?(?:\b(?:at|of|was|were|is|are|from|to|by|with"
    rf"|totalled|numbered)|:|=)\s+{NOT_A_COUNT}{NUMBER}(?!\s+{UNIT})",
    re.I,
)
HEADER_SKIP = re.compile(
    r"per ?cent|percent|interval|share|rate|months|median|mean|average"
    r"|priority|lower|upper|steady|delivered|established",
    re.I,
)
HEADER_COUNT = re.compile(
    rf"\b{COUNT}\b|^count$|^jcp to centre$|^centre to jcp$"
    r"|^(lone parent benefit|non traditional|second earner)$"
    r"|^(job entry|training start|referred on)$|^\d{4} q[1-4]$",
    re.I,
)
ROW_COUNT = re.compile(r"^(respondents|starts|referrals|count|people|parents)$", re.I)
# Facts (facts.json) that count people or records; their value must never be 10..19.
PEOPLE_FACTS = re.compile(
    r"^(mi_starts|survey_n_.*|job_entries|training_starts|referred_on"
    r"|referrals_(total|first_year|last_year|jcp_to_centre|centre_to_jcp))$"
)


def _norm(header: object) -> str:
    return " ".join(str(header).replace("_", " ").split()).strip()


def _small(cell: object) -> bool:
    text = str(cell).strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return False
    return value.is_integer() and LOW <= value <= HIGH


def text_findings(text: str, where: str) -> list[str]:
    """Numbers from 10 to 19 next to a count word in running text."""
    flat = " ".join(text.split())
    found = []
    for pattern in (BEFORE, AFTER):
        for m in pattern.finditer(flat):
            context = flat[max(0, m.start() - 40) : m.end() + 20]
            found.append(f"{where}: {m.group(0)!r} in …{context}…")
    return found


def is_count_header(header: object) -> bool:
    h = _norm(header)
    return bool(HEADER_COUNT.search(h)) and not HEADER_SKIP.search(h)


def table_findings(
    rows: list[list[object]], where: str, header_rows: int | None = None
) -> list[str]:
    """Cells from 10 to 19 under a count header (a row of headers is any row with one, or
    only one of the first ``header_rows``: a CSV's header is its first row, and a later row
    whose text names people, such as a fact reading "centre users surveyed", is data), or in a
    row labelled as a count ("Respondents")."""
    found, counts = [], set()
    for i, row in enumerate(rows):
        may_head = header_rows is None or i < header_rows
        heads = {j for j, cell in enumerate(row) if may_head and is_count_header(cell)}
        if heads and not any(_small(c) for c in row) and not ROW_COUNT.match(_norm(row[0])):
            counts = heads
            continue
        labelled = bool(row) and bool(ROW_COUNT.match(_norm(row[0])))
        for j, cell in enumerate(row):
            if (j in counts or (labelled and j > 0)) and _small(cell):
                found.append(f"{where}: row {i}, column {j}: {cell!r} in {row}")
    return found


class _Page(HTMLParser):
    """The visible text (with alt text and labels) and the tables of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for name in ("alt", "title", "aria-label"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("p", "li", "div", "br", "h1", "h2", "h3", "h4", "td", "th", "tr"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None
        if tag in ("p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "figcaption"):
            self.text.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_findings(markup: str, where: str) -> list[str]:
    page = _Page()
    page.feed(markup)
    found = text_findings("".join(page.text).replace("\n", " . "), where)
    for k, rows in enumerate(page.tables):
        found += table_findings(rows, f"{where} table {k}")
    return found


def csv_findings(text: str, where: str) -> list[str]:
    return table_findings(list(csv.reader(io.StringIO(text))), where, header_rows=1)


def workbook_findings(path: Path, where: str) -> list[str]:
    engine = "odf" if path.suffix == ".ods" else "openpyxl"
    found = []
    for name, sheet in pd.read_excel(path, sheet_name=None, header=None, engine=engine).items():
        rows = [["" if pd.isna(v) else v for v in row] for row in sheet.itertuples(index=False)]
        found += table_findings(rows, f"{where} sheet {name}")
        for row in rows:
            found += text_findings(
                " ".join(str(v) for v in row if isinstance(v, str)), f"{where} sheet {name}"
            )
    return found


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def facts_findings(facts: dict, where: str) -> list[str]:
    found = []
    for name, fact in facts.items():
        value = fact.get("value")
        if PEOPLE_FACTS.match(name) and _small(value):
            found.append(f"{where}: {name} has the raw value {value}")
        if PEOPLE_FACTS.match(name) and fact.get("suppressed") and value is not None:
            found.append(f"{where}: {name} is suppressed but keeps the value {value}")
        if str(fact.get("text", "")).endswith("per cent") and _small(fact.get("base")):
            found.append(f"{where}: {name} is a share on a base of {fact['base']}")
        found += text_findings(str(fact.get("text", "")), f"{where} {name}")
    return found


def notebook_findings(path: Path, where: str) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += text_findings(cell.source, f"{where} cell {i}")
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for kind, value in data.items():
                value = "".join(value) if isinstance(value, list) else str(value)
                at = f"{where} cell {i} {kind}"
                if kind == "text/html":
                    found += html_findings(value, at)
                elif kind == "text/csv":
                    found += csv_findings(value, at)
                elif kind == "image/svg+xml":
                    found += svg_findings(value, at)
                elif kind.startswith("text/"):
                    found += text_findings(value, at)
            for meta in out.get("metadata", {}).values():
                if isinstance(meta, dict) and meta.get("alt"):
                    found += text_findings(meta["alt"], f"{where} cell {i} alt")
    return found


def svg_findings(markup: str, where: str) -> list[str]:
    return html_findings(markup, where)


def pagefind_findings(path: Path, where: str) -> list[str]:
    raw = gzip.decompress(path.read_bytes())
    start = raw.find(b"{")
    record = json.loads(raw[start:].decode("utf-8"))  # the page's text, its title and metadata
    return text_findings(" . ".join(_strings([record.get("content"), record.get("meta")])), where)


def pdf_findings(path: Path, where: str) -> list[str]:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils; .ci/run does)")
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext ends each paragraph and each table cell with a blank line
    return [f for block in re.split(r"\n\s*\n", text) for f in text_findings(block, where)]


def scan_site(site: Path) -> tuple[list[str], dict[str, int]]:
    """Every finding in every published file, and how many files of each kind were read."""
    found: list[str] = []
    kinds: dict[str, int] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            found += html_findings(path.read_text(encoding="utf-8"), rel)
        elif suffix == ".svg":
            found += svg_findings(path.read_text(encoding="utf-8"), rel)
        elif suffix == ".csv":
            found += csv_findings(path.read_text(encoding="utf-8"), rel)
        elif suffix in (".xlsx", ".ods"):
            found += workbook_findings(path, rel)
        elif suffix == ".pdf":
            found += pdf_findings(path, rel)
        elif suffix == ".ipynb":
            found += notebook_findings(path, rel)
        elif suffix == ".pf_fragment":
            found += pagefind_findings(path, rel)
        elif suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if path.name == "facts.json":
                found += facts_findings(data, rel)
            found += text_findings(" . ".join(_strings(data)), rel)
        else:
            continue
        kinds[suffix] = kinds.get(suffix, 0) + 1
    return found, kinds
