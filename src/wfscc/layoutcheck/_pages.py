"""Where words and ink land on the pages of a PDF, and the faults a reader sees in that.

* :func:`overprints`: words printed on top of other words (a table set over itself, a long word
  running into the next column);
* :func:`off_page`: words that run off the paper;
* :func:`parted_notes`: a page that opens with the Note, Base or Source line of a table or
  figure on the page before;
* :func:`sparse_pages`: a page blank but for its running header and footer, or filled less than a
  third when the next page does not open with a heading (a block pushed whole to the next page).

Word boxes come from poppler's ``pdftotext -bbox``, ink from ``pdftoppm`` page images.
Coordinates are PDF points from the top-left corner of the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdf
from PIL import Image

from ..errors import WfsccError

#: The least share of the smaller of two word boxes that must be covered to call it overprinting
#: (words on one line are apart, lines are further apart than the type is tall: any real overlap
#: is a fault; this only allows for rounding).
OVERLAP_SHARE = 0.02
#: A page filled less than this share of its text area is "nearly blank".
MIN_FILL = 1 / 3
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LETTERS = re.compile(r"\w")


class LayoutToolMissing(WfsccError):
    """poppler-utils (pdftotext, pdftoppm) is needed to check a PDF's layout."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.0) * max(self.y1 - self.y0, 0.0)


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float
    height: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Fault:
    """One layout fault: the page (from 1), what kind, and what a reader would see."""

    page: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"p. {self.page}: {self.kind}: {self.detail}"


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise LayoutToolMissing(
            f"{name} not found: install poppler-utils (apt-get install "
            "poppler-utils) to check the layout of the PDFs"
        )
    return exe


def read_pages(pdf: Path) -> list[Page]:
    """Every page of *pdf* with the box of each word on it (``pdftotext -bbox``)."""
    proc = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True
    )
    # pdftotext writes XHTML; its <title> may carry entities XML does not know
    body = proc.stdout.decode("utf-8", "replace")
    body = re.sub(r"<head>.*?</head>", "", body, flags=re.S)
    root = ET.fromstring(body)
    pages = []
    for n, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        words = tuple(
            Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter(f"{_XHTML}word")
        )
        pages.append(Page(n, float(page.get("width")), float(page.get("height")), words))
    return pages


def _shared(a: Word, b: Word) -> float:
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    return dx * dy if dx > 0 and dy > 0 else 0.0


def overprints(page: Page, share: float = OVERLAP_SHARE) -> list[Fault]:
    """Pairs of words on *page* whose boxes cover each other by at least *share* of the smaller.
    Two marks with no letter or digit (the dots of a leader in a contents list) may touch."""
    words = sorted((w for w in page.words if w.area > 0 and w.text.strip()), key=lambda w: w.y0)
    faults = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.y0 >= a.y1:
                break
            if not _LETTERS.search(a.text) and not _LETTERS.search(b.text):
                continue
            if _shared(a, b) >= share * min(a.area, b.area):
                faults.append(
                    Fault(
                        page.number,
                        "words overprint",
                        f"{a.text!r} and {b.text!r} at y={a.y0:.0f}pt",
                    )
                )
    return faults


def off_page(page: Page, tolerance: float = 0.5) -> list[Fault]:
    """Words whose box runs off the paper."""
    return [
        Fault(
            page.number,
            "off the page",
            f"{w.text!r} at x={w.x0:.0f}-{w.x1:.0f}, "
            f"y={w.y0:.0f}-{w.y1:.0f} on a {page.width:.0f}x{page.height:.0f}pt page",
        )
        for w in page.words
        if w.x0 < -tolerance
        or w.y0 < -tolerance
        or w.x1 > page.width + tolerance
        or w.y1 > page.height + tolerance
    ]


def into_margin(pages: list[Page], tolerance: float = 1.0) -> list[Fault]:
    """Words that run past the right edge of the text area into the margin (a table wider than
    the text, a word too wide for its column at the table's edge). The text area is taken to
    be centred on the page: its left edge is the leftmost word of the document."""
    lefts = [w.x0 for page in pages for w in page.words if w.text.strip()]
    if not lefts:
        return []
    left = max(min(lefts), 0.0)
    return [
        Fault(
            page.number,
            "into the margin",
            f"{w.text!r} ends at x={w.x1:.0f}pt, past the text area's right edge at "
            f"{page.width - left:.0f}pt",
        )
        for page in pages
        for w in page.words
        if w.x1 > page.width - left + tolerance and w.x1 <= page.width + 0.5
    ]


# --- blank and nearly blank pages -----------------------------------------------------------


#: pdftoppm's option and file suffix for each image format :func:`_rendered_pages` makes
_FORMATS = {"png": ("-png", ".png"), "gray": ("-gray", ".pgm")}


@contextmanager
def _rendered_pages(pdf: Path, dpi: int, fmt: str) -> Iterator[list[Path]]:
    """Every page of *pdf* as an image at *dpi* ("png", or "gray": 8-bit grey PGM), in page
    order, in a temporary folder that is removed when the ``with`` block ends."""
    option, suffix = _FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="wfscc-pages-") as tmp:
        subprocess.run(
            [_tool("pdftoppm"), option, "-r", str(dpi), str(pdf), f"{tmp}/p"],
            check=True,
            capture_output=True,
        )
        yield sorted(Path(tmp).glob(f"p-*{suffix}"), key=lambda p: int(p.stem[2:]))


def ink_rows(pdf: Path, dpi: int = 36) -> list[list[bool]]:
    """For each page, whether each pixel row of the page image at *dpi* has any ink."""
    rows = []
    with _rendered_pages(pdf, dpi, "gray") as images:
        for image_path in images:
            with Image.open(image_path) as image:
                width, height = image.size
                data = image.tobytes()
            rows.append([min(data[y * width : (y + 1) * width]) < 200 for y in range(height)])
    return rows


def _body_band(page: Page, furniture: set[int]) -> tuple[float, float]:
    """Top and bottom (points) of the page's text area: between the running header and footer
    (*furniture*: the baselines of the lines they print), with 3 mm around each for a rule."""
    pad = 8.5
    top, bottom = 0.0, page.height
    for y in furniture:
        if y < 0.12 * page.height:
            top = max(top, y + 3 + pad)
        elif y > 0.88 * page.height:
            bottom = min(bottom, y - 10 - pad)
    return top, bottom


def _first_line(page: Page, top: float) -> str:
    words = sorted((w for w in page.words if w.y0 >= top), key=lambda w: (round(w.y0), w.x0))
    if not words:
        return ""
    y = round(words[0].y0)
    return " ".join(w.text for w in words if abs(round(w.y0) - y) <= 2)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def sparse_pages(
    pages: list[Page],
    ink: list[list[bool]],
    headings: list[str],
    furniture: set[int] = frozenset(),
    min_fill: float = MIN_FILL,
) -> list[Fault]:
    """Pages blank but for their header and footer, and pages filled less than *min_fill* of
    their text area when the next page does not open with one of *headings* (a page break
    before a heading is a chapter ending; anywhere else, something too tall was pushed over).

    *furniture* holds the baselines (points from the top) of the running header and footer
    lines, which do not count as content (:func:`running_lines` finds them in a tagged PDF)."""
    starts = {_norm(h)[:40] for h in headings if _norm(h)}
    fills: list[float | None] = []  # share of the text area below its first ink; None: blank
    for page, rows in zip(pages, ink, strict=True):
        top, bottom = _body_band(page, furniture)
        scale = len(rows) / page.height
        body = range(int(top * scale), min(int(bottom * scale), len(rows)))
        inked = [y for y in body if rows[y]]
        fills.append((inked[-1] - inked[0]) / max(body.stop - inked[0], 1) if inked else None)
    faults = []
    for page, fill in zip(pages, fills, strict=True):
        if fill is None:
            faults.append(
                Fault(page.number, "blank page", "nothing but the running header and footer")
            )
            continue
        if fill >= min_fill or page.number == len(pages) or fills[page.number] is None:
            continue  # a full page, the last page, or one before a blank page (reported)
        following = pages[page.number]  # the next page (numbers start at 1)
        opening = _norm(_first_line(following, _body_band(following, furniture)[0]))
        if not any(
            opening.startswith(s[: len(opening)]) or s.startswith(opening[:40])
            for s in starts
            if opening
        ):
            faults.append(
                Fault(
                    page.number,
                    "nearly blank page",
                    f"only the top {fill:.0%} of the text area is used, and the next "
                    f"page opens with {opening[:50]!r}, not a heading",
                )
            )
    return faults


#: The lines set under a table or figure (docs/style.md): they belong on its page.
NOTE_STARTS = ("Note:", "Base:", "Source:")


def parted_notes(pages: list[Page], furniture: set[int] = frozenset()) -> list[Fault]:
    """Pages that open with a Note, Base or Source line: parted from the table or figure it
    describes, which ended on the page before."""
    faults = []
    for page in pages[1:]:
        opening = _first_line(page, _body_band(page, furniture)[0])
        if opening.startswith(NOTE_STARTS):
            faults.append(
                Fault(page.number, "note parted from its table or figure",
                      f"the page opens with {opening[:60]!r}")
            )
    return faults


def outline_titles(pdf: Path) -> list[str]:
    """The titles of every entry of the PDF's outline (bookmarks), at every depth."""
    titles = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(pypdf.PdfReader(pdf).outline)
    return titles
