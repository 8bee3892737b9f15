"""The layout of a PDF as a reader sees it: words printed over words, words off the page, blank
or nearly blank pages, a Note, Base or Source line parted from its table or figure, tables broken
across pages without their header, the text of one table cell running into the next.

``check_pdf(pdf)`` returns every :class:`Fault` found, page by page; ``page_images`` writes the
pages as PNG files for a person to look at. Needs poppler-utils (``pdftotext``, ``pdftoppm``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ._pages import (
    MIN_FILL,
    Fault,
    LayoutToolMissing,
    Page,
    Word,
    _rendered_pages,
    ink_rows,
    into_margin,
    off_page,
    outline_titles,
    overprints,
    parted_notes,
    read_pages,
    sparse_pages,
)
from ._tables import cells_run_together, running_lines, table_breaks

__all__ = [
    "Fault",
    "LayoutToolMissing",
    "Page",
    "Word",
    "cells_run_together",
    "check_pdf",
    "ink_rows",
    "into_margin",
    "off_page",
    "outline_titles",
    "overprints",
    "page_images",
    "parted_notes",
    "read_pages",
    "running_lines",
    "sparse_pages",
    "table_breaks",
]


def check_pdf(pdf: Path, *, min_fill: float = MIN_FILL) -> list[Fault]:
    """Every layout fault of *pdf* that the checks find, in page order."""
    pages = read_pages(pdf)
    faults = []
    for page in pages:
        faults += overprints(page) + off_page(page)
    faults += into_margin(pages)
    furniture = running_lines(pdf)
    faults += sparse_pages(pages, ink_rows(pdf), outline_titles(pdf), furniture, min_fill)
    faults += parted_notes(pages, furniture)
    faults += table_breaks(pdf) + cells_run_together(pdf, pages)
    return sorted(faults, key=lambda f: (f.page, f.kind, f.detail))


def page_images(pdf: Path, folder: Path, prefix: str, dpi: int = 60) -> list[Path]:
    """Each page of *pdf* as ``{folder}/{prefix}-p001.png``, ``-p002.png`` … (older images of
    the same prefix are removed first, so the folder shows one build)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{prefix}-p*.png"):
        old.unlink()
    made = []
    with _rendered_pages(pdf, dpi, "png") as images:
        for image in images:
            target = folder / f"{prefix}-p{int(image.stem[2:]):03d}.png"
            shutil.move(image, target)
            made.append(target)
    return made
