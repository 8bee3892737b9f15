"""Render the Quarto book: the built-in pandoc + Typst engine, or the Quarto CLI.

Public API::

    render_book(project_dir, out_dir, *, engine="pandoc", timestamp, provenance,
                cache_dir=None) -> RenderResult
    check_qmd_subset(*paths)            # raise RenderError listing file:line problems
    select_engine("auto"|"pandoc"|"quarto") -> "pandoc" | "quarto"
    load_book(project_dir) -> Book      # the book's parts, chapters and variables
    marked_variables(variables)         # each fact's value with its trace mark
    render_html(project_dir, out_dir, *, timestamp, provenance, cache: PageCache,
                cache_dir=None)      # the pages only, redoing only the edited pages' work
    read_ahead(cache_dir) -> ahead       # what a render reads first, read while waiting

See README.md in this package for page names, numbering and the notebook conventions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from ..contract import ENGINE_PANDOC, ENGINE_QUARTO
from ._engine import RenderResult, read_ahead, render_html, render_pandoc
from ._html import provenance_items
from ._incremental import PageCache
from ._project import Book, RenderError, load_book
from ._qmd import ALLOWED, check_qmd_subset
from ._quarto import render_quarto, select_engine
from ._trace import marked_variables

__all__ = ["ALLOWED", "Book", "PageCache", "RenderError", "RenderResult", "check_qmd_subset",
           "load_book", "marked_variables", "read_ahead", "render_book", "render_html",
           "select_engine"]


def render_book(project_dir: Path, out_dir: Path, *, engine: str = ENGINE_PANDOC,
                timestamp: datetime, provenance: Mapping[str, str],
                cache_dir: Path | None = None, html_only: bool = False,
                on_site: Callable[[], object] | None = None, ahead=None,
                on_pdfs: Callable[[], object] | None = None) -> RenderResult:
    """Render the book in *project_dir* into *out_dir*: the HTML site (with Pagefind search),
    `report.pdf` and `summary.pdf`.

    *timestamp* is the only time written into the outputs; *provenance* (package version, git
    commit, data hash, ...) is shown in every page's footer and in the PDFs' colophon.
    Raises `RenderError` listing every problem found (unknown variables, missing alt text,
    features outside the .qmd subset, broken cross-references) and `EngineNotFoundError`
    when *engine* is "quarto" and the Quarto CLI is not installed.

    *cache_dir* (pandoc engine only): a folder where the render keeps the results of its slow,
    deterministic steps (pandoc parses and conversions, Typst compiles, the Pagefind index),
    keyed by a hash of everything that determines each; a later render reuses them, so only the
    pages (and PDFs) whose inputs changed are made again. The output is byte-identical with and
    without it. None (the default): nothing is cached.

    *html_only* (pandoc engine only): the HTML pages and their assets, byte-identical to a full
    render's, but no PDFs and no search index; for `wfscc preview`, which shows a chapter edit
    first and makes the rest afterwards.

    *on_site* (pandoc engine only): called without arguments once the pages and their assets
    are written, while the PDFs are still being made and before the search index is (the
    build starts its privacy scan of the pages then). Not called when the pages fail.
    *on_pdfs* (pandoc engine only): likewise once the PDFs and review copies are in
    *out_dir* too, before the render's cache is saved (the build scans them then).

    *ahead* (pandoc engine only): :func:`read_ahead` of *cache_dir*, done while the caller
    waited for something else; the render takes what it read unless the cache has changed since.
    """
    chosen = select_engine(engine)
    if chosen == ENGINE_QUARTO:
        if html_only:
            raise ValueError("html_only=True is for the built-in (pandoc) engine only")
        pages, pdfs = render_quarto(Path(project_dir), Path(out_dir),
                                    footer_items=provenance_items(provenance, timestamp),
                                    epoch=int(timestamp.timestamp()))
        return RenderResult(html_pages=pages, pdfs=pdfs)
    return render_pandoc(Path(project_dir), Path(out_dir), timestamp=timestamp,
                         provenance=provenance,
                         cache_dir=None if cache_dir is None else Path(cache_dir),
                         html_only=html_only, on_site=on_site, ahead=ahead, on_pdfs=on_pdfs)
