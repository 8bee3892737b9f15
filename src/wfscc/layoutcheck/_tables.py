"""Tables that break badly across pages, found from a tagged PDF (PDF/UA).

The structure tree says which rows (``TR``) belong to a table's header (``THead``) and body, and
which marked content (MCID) on which page holds each row's text; the pages' content streams say
where that text lands. A header row repeated on a later page is page furniture (an artifact), not
part of the structure, so it is looked for as text above the first row of each continued part.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from ._pages import Fault, Page


@dataclass
class _Run:
    """A piece of text drawn on a page: its marked-content id (None for an artifact), the top-down
    baseline and the left edge, in points."""

    mcid: int | None
    y: float
    x: float
    text: str


@dataclass
class _Row:
    header: bool
    mcids: dict[int, list[int]] = field(default_factory=dict)  # page index -> MCIDs
    cells: list[dict[int, list[int]]] = field(default_factory=list)  # the same, cell by cell


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _kids(element: DictionaryObject) -> list:
    kids = _resolve(element.get("/K"))
    if kids is None:
        return []
    return [_resolve(k) for k in kids] if isinstance(kids, ArrayObject) else [kids]


def _tables(reader: pypdf.PdfReader) -> list[list[_Row]]:
    """The rows of every table in the structure tree, in reading order."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    tree = _resolve(reader.trailer["/Root"].get("/StructTreeRoot"))
    if tree is None:
        return []

    def collect(element, page, into: dict[int, list[int]]) -> None:
        if isinstance(element, int):
            if page is not None:
                into.setdefault(page, []).append(element)
            return
        if not isinstance(element, DictionaryObject):
            return
        ref = element.get("/Pg")
        if isinstance(ref, IndirectObject):
            page = pages.get(ref.idnum, page)
        if "/MCID" in element:
            collect(int(element["/MCID"]), page, into)
            return
        for kid in _kids(element):
            collect(kid, page, into)

    def page_of(element, page):
        ref = element.get("/Pg")
        return pages.get(ref.idnum, page) if isinstance(ref, IndirectObject) else page

    tables: list[list[_Row]] = []

    def walk(element, page, table: list[_Row] | None, header: bool) -> None:
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            return
        kind = str(element["/S"])
        page = page_of(element, page)
        if kind == "/Table":
            table = []
            tables.append(table)
        elif kind == "/THead":
            header = True
        elif kind == "/TR" and table is not None:
            row = _Row(header)
            for kid in _kids(element):
                cell: dict[int, list[int]] = {}
                collect(
                    kid, page_of(kid, page) if isinstance(kid, DictionaryObject) else page, cell
                )
                row.cells.append(cell)
                for at, ids in cell.items():
                    row.mcids.setdefault(at, []).extend(ids)
            table.append(row)
            return
        for kid in _kids(element):
            walk(kid, page, table, header)

    for kid in _kids(tree):
        walk(kid, None, None, False)
    return [t for t in tables if t]


def _runs(page: pypdf.PageObject) -> list[_Run]:
    """The text drawn on *page*, each piece with the MCID of the marked content holding it."""
    height = float(page.mediabox.height)
    stack: list[int | None] = []
    runs: list[_Run] = []

    def before(op, args, cm, tm) -> None:
        if op == b"BDC":
            props = _resolve(args[1]) if len(args) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, dict) else None
            stack.append(None if str(args[0]) == "/Artifact" or mcid is None else int(mcid))
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(chars, cm, tm, font, size) -> None:
        if chars.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            mcid = next((m for m in reversed(stack) if m is not None), None)
            runs.append(_Run(mcid, height - y, x, chars))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


def _words(runs: list[_Run]) -> Counter[str]:
    text = " ".join(r.text for r in sorted(runs, key=lambda r: (round(r.y), r.x)))
    return Counter(re.sub(r"[^\w%()-]+", " ", text).split())


class _Pdf:
    """A PDF read once: its pages' text runs are read when first asked for, then kept."""

    def __init__(self, pdf: Path) -> None:
        self.reader = pypdf.PdfReader(pdf)
        self._runs: dict[int, list[_Run]] = {}

    def runs(self, index: int) -> list[_Run]:
        if index not in self._runs:
            self._runs[index] = _runs(self.reader.pages[index])
        return self._runs[index]


@functools.lru_cache(maxsize=4)
def _read(pdf: str, stamp: tuple[int, int]) -> _Pdf:
    return _Pdf(Path(pdf))


def _open(pdf: Path) -> _Pdf:
    stat = Path(pdf).stat()
    return _read(str(pdf), (stat.st_mtime_ns, stat.st_size))


def running_lines(pdf: Path) -> set[int]:
    """Baselines (whole points from the top) of the running header and footer: text marked as
    an artifact (page furniture) in the outer eighth of the page, at the same height on at least
    half the pages."""
    doc = _open(pdf)
    seen: Counter[int] = Counter()
    for i, page in enumerate(doc.reader.pages):
        height = float(page.mediabox.height)
        seen.update(
            {
                round(r.y)
                for r in doc.runs(i)
                if r.mcid is None and not 0.12 * height < r.y < 0.88 * height
            }
        )
    return {y for y, n in seen.items() if n >= max(2, len(doc.reader.pages) / 2)}


def cells_run_together(pdf: Path, pages: list[Page]) -> list[Fault]:
    """Text of one table cell running into the next: a word as ``pdftotext`` sees it (no gap
    between its letters) that holds the starts of text from two different cells."""
    doc = _open(pdf)
    owner: dict[tuple[int, int], int] = {}  # (page index, MCID) -> cell number
    for table in _tables(doc.reader):
        for row in table:
            for cell in row.cells:
                number = len(owner) + 1
                owner.update({(p, m): number for p, ids in cell.items() for m in ids})
    faults = []
    for page in pages:
        index = page.number - 1
        starts = [
            (r, owner[(index, r.mcid)])
            for r in (doc.runs(index) if any(k[0] == index for k in owner) else [])
            if r.mcid is not None and (index, r.mcid) in owner
        ]
        for word in page.words:
            inside = {
                cell
                for r, cell in starts
                if word.x0 - 0.5 <= r.x < word.x1 - 0.5 and word.y0 <= r.y <= word.y1 + 1
            }
            if len(inside) > 1:
                faults.append(
                    Fault(
                        page.number,
                        "table cells run together",
                        f"{word.text!r}: the text of one cell runs into the next",
                    )
                )
    return faults


def table_breaks(pdf: Path) -> list[Fault]:
    """Tables continued on a later page or column without their header row above the rows (a
    header left alone at the foot of a page is one), and rows split across two pages."""
    doc = _open(pdf)
    page_runs = doc.runs
    faults = []
    for table in _tables(doc.reader):
        header_runs = [
            r
            for row in table
            if row.header
            for p, ids in row.mcids.items()
            for r in page_runs(p)
            if r.mcid in ids
        ]
        header = _words(header_runs)
        name = " ".join(list(header)[:4]) or "a table"
        # where the last row seen sits (page index, top): the header's place to begin with, so
        # a header left alone at the foot of a page counts as a part without its header
        previous: tuple[int, float] | None = None
        if header_runs:
            first_page = min(p for row in table if row.header for p in row.mcids)
            previous = (first_page, min(r.y for r in header_runs if r in page_runs(first_page)))
        for row in (r for r in table if not r.header):
            placed = {p: [r for r in page_runs(p) if r.mcid in ids] for p, ids in row.mcids.items()}
            placed = {p: rs for p, rs in placed.items() if rs}
            if not placed:
                continue
            first = " ".join(r.text for r in next(iter(placed.values())))[:40].strip()
            if len(placed) > 1:
                pages = " and ".join(str(p + 1) for p in sorted(placed))
                faults.append(
                    Fault(
                        min(placed) + 1,
                        "table row split across pages",
                        f"the row {first!r} of the table headed {name!r} runs on pages {pages}",
                    )
                )
            page = min(placed)
            top = min(r.y for r in placed[page])
            xs = [r.x for r in placed[page]]
            if previous is not None and header and (page != previous[0] or top < previous[1] - 1):
                # a new part of the table: a new page, or a new column (the rows go back up)
                above = [
                    r
                    for r in page_runs(page)
                    if r.y < top - 1 and min(xs) - 60 <= r.x <= max(xs) + 60
                ]
                if header - _words(above):
                    faults.append(
                        Fault(
                            page + 1,
                            "table continues without its header",
                            f"the rows from {first!r} of the table headed "
                            f"{name!r} have no header row above them",
                        )
                    )
            previous = (page, top)
    return faults
