"""The steps that make a page's numbered tree, in their order, for the whole render
(:func:`book_pages`) and the incremental one (`_incremental`), which runs the same steps on the
changed pages only:

1. parse (`parse_pages`: shortcodes, notebooks, pandoc; one process per page, in parallel);
2. place (`place_page`: images and data copied to `assets/`, then the page numbered, from the
   count the pages before it left; both from one walk of its tree, `page_elements`);
3. link (`link_pages`: cross-references resolved, then the lists of tables and figures).
"""

from __future__ import annotations

from pathlib import Path

from ._chapters import (
    Page,
    number_page,
    page_elements,
    parse_pages,
    resolve_media,
    resolve_xrefs,
)
from ._lists import add_lists
from ._memo import Memo
from ._project import Book, RenderError


def place_page(
    page: Page, book: Book, build: Path, problems: list[str], xref: dict[str, dict], state: tuple
) -> tuple:
    """Step 2 for one page: its media into `build/assets`, then its numbers, from *state* (the
    count the pages before it left); returns the count it leaves."""
    page_elements(page)
    resolve_media(page, book, build / "assets", problems)
    return number_page(page, book, problems, xref, state)


def link_pages(pages: list[Page], book: Book, xref: dict[str, dict], problems: list[str]) -> None:
    """Step 3 for *pages*: their cross-references and lists, once every page is numbered.
    Raises `RenderError` listing the problems found so far."""
    resolve_xrefs(pages, xref, problems)
    if problems:
        raise RenderError(list(dict.fromkeys(problems)))
    summary_page = {str(book.summary.html)} if book.summary else set()
    add_lists([p.doc for p in pages], xref, summary_page)


def book_pages(book: Book, build: Path, memo: Memo) -> tuple[list[Page], dict[str, dict]]:
    """Every page parsed (notebook outputs saved in `build/media`), its images and data copied
    to `build/assets`, numbered, its cross-references and lists filled in; and the
    cross-reference map. Raises `RenderError` listing the problems found."""
    problems: list[str] = []
    pages = parse_pages(book, build / "media", problems, memo)
    xref: dict[str, dict] = {}
    state: tuple = (0, {})
    for page in pages:
        state = place_page(page, book, build, problems, xref, state)
    link_pages(pages, book, xref, problems)
    return pages, xref
