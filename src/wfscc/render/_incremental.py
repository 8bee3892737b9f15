"""The site's pages again after an edit, redoing only the edited pages' work (`wfscc preview`).

A :class:`PageCache` remembers, from the last render into it, every page: what it was parsed
from (:func:`~._chapters.source_key`), the files its images and chart data came from, the count
of figures and tables it started from and left, the ids it numbered, its HTML, and the assets.
The next render parses, resolves, numbers and converts only the pages whose source (or one of
whose files) changed. When each of them leaves the book's numbering as it was (the same label,
title, anchor, figure and table ids and captions, and the same count after it), every other
page is, byte for byte, what it was, and is written from memory. Otherwise (a figure, table or
chapter heading added, removed or retitled; another book, variables or provenance; more than
:data:`MAX_REDO` pages changed), every page is rendered as a full render does, and remembered.

Either way the pages are those :func:`~._engine.render_pandoc` with ``html_only`` writes.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path, PurePosixPath

from ._chapters import (
    Page,
    book_chapters,
    hashed,
    number_page,
    parse_pages,
    resolve_media,
    resolve_xrefs,
    source_key,
)
from ._engine import RenderResult, _notice, book_pages
from ._html import provenance_items, render_site, static_assets
from ._lists import add_lists
from ._memo import Memo
from ._project import Book, RenderError, load_book
from ._where import reraise_in_user_terms

MAX_REDO = 4  # more pages changed than this: render them all (pandoc runs in parallel then)


class PageCache:
    """What :func:`render_html` keeps from one render for the next (in memory)."""

    def __init__(self) -> None:
        self.key = ""  # the book, provenance and timestamp the pages were rendered for
        self.pages: list[Page] = []
        self.xref: dict[str, dict] = {}
        self.html: dict[PurePosixPath, bytes] = {}
        self.assets: dict[str, bytes] = {}  # "assets/img-....png" -> bytes
        self.names: dict[tuple, str] = {}  # (file, its stat) -> the asset it makes
        self.redone: list[PurePosixPath] = []  # the pages the last render made again
        self.lock = threading.Lock()


def render_html(project_dir: Path, out_dir: Path, *, timestamp: datetime,
                provenance: Mapping[str, str], cache: PageCache,
                cache_dir: Path | None = None) -> RenderResult:
    """The HTML pages and their assets of the book in *project_dir* into *out_dir*, as
    ``render_pandoc(..., html_only=True)`` writes them, redoing only what changed since the
    last render with *cache* (see the module's documentation)."""
    memo = Memo(cache_dir)
    book = load_book(project_dir)
    try:
        with cache.lock:
            return _render(book, Path(out_dir), timestamp, provenance, memo, cache)
    except RenderError as exc:  # say where in the user's terms, not by staging or temp paths
        raise reraise_in_user_terms(exc, book) from exc


def _render(book: Book, out_dir: Path, timestamp: datetime, provenance: Mapping[str, str],
            memo: Memo, cache: PageCache) -> RenderResult:
    key = repr((book, list(provenance.items()), timestamp.isoformat()))
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wfscc-render-") as tmp:
        build = Path(tmp) / "build"
        (build / "media").mkdir(parents=True)
        (build / "assets").mkdir()
        redone = _redo_changed(book, build, memo, cache) if key == cache.key else None
        if redone is None:
            pages, xref = book_pages(book, build, memo)
            redo = {p.chapter.html for p in pages}
        else:
            pages, xref, redo = redone
        for page in pages:  # a notebook's outputs are saved from it: its bytes tell they changed
            if page.chapter.html in redo:
                page.media = [(None if path.is_relative_to(build) else path, asset)
                              for path, asset in page.media]
        summary = next((p for p in pages if p.chapter == book.summary), None)
        items = provenance_items(provenance, timestamp)
        notice = _notice(book, summary, items) if summary else []
        render_site(book, pages, build, out_dir, footer_items=items, notice=notice,
                    summary_pdf=summary is not None, memo=memo, only=redo)
        html = {}
        for page in pages:
            name = page.chapter.html
            if name in redo:
                html[name] = (out_dir / name).read_bytes()
            else:
                html[name] = cache.html[name]
                (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
                (out_dir / name).write_bytes(html[name])
        assets = {}
        for asset in sorted({asset for page in pages for _, asset in page.media}):
            made = build / asset
            assets[asset] = made.read_bytes() if made.is_file() else cache.assets[asset]
        (out_dir / "assets").mkdir(exist_ok=True)
        for asset, data in assets.items():
            (out_dir / asset).write_bytes(data)
        static_assets(out_dir / "assets")
    cache.key, cache.pages, cache.xref, cache.html, cache.assets = key, pages, xref, html, assets
    cache.redone = sorted(redo)
    ordered = sorted(pages, key=lambda p: p.chapter != book.summary)  # as render_site
    return RenderResult(html_pages=[out_dir / p.chapter.html for p in ordered])


def _same_media(page: Page, cache: PageCache) -> bool:
    """Whether the files *page*'s images and data came from still make the same assets."""
    for path, asset in page.media:
        if path is None:
            continue
        try:
            st = path.stat()
        except OSError:
            return False
        stamp = (path, st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp not in cache.names:
            prefix = asset.removeprefix("assets/").split("-", 1)[0]
            cache.names[stamp] = "assets/" + hashed(path, prefix)[0]
        if cache.names[stamp] != asset:
            return False
    return True


def _redo_changed(book: Book, build: Path, memo: Memo, cache: PageCache
                  ) -> tuple[list[Page], dict[str, dict], set[PurePosixPath]] | None:
    """The pages with only the changed ones made again, the cross-reference map and the names
    of the pages made again; None when the other pages would change too."""
    problems: list[str] = []
    chapters = book_chapters(book)
    if [c.html for c in chapters] != [p.chapter.html for p in cache.pages]:
        return None
    changed = [ch for ch, old in zip(chapters, cache.pages, strict=True)
               if source_key(ch, book, problems) != old.source_key or not _same_media(old, cache)]
    if problems:
        raise RenderError(list(dict.fromkeys(problems)))
    if len(changed) > MAX_REDO:
        return None
    fresh = dict(zip((ch.html for ch in changed),
                     parse_pages(book, build / "media", problems, memo, chapters=changed),
                     strict=True))
    pages = [fresh.get(old.chapter.html, old) for old in cache.pages]
    others = {i: r for i, r in cache.xref.items() if PurePosixPath(r["page"]) not in fresh}
    for page, old in zip(pages, cache.pages, strict=True):
        if page is old:
            continue
        resolve_media(page, book, build / "assets", problems)
        number_page(page, book, problems, others, old.numbering[0])
        if ((page.label, page.title, page.anchor, page.ids, page.numbering)
                != (old.label, old.title, old.anchor, old.ids, old.numbering)
                or any(others[i] != cache.xref[i] for i in page.ids)):
            if problems:
                raise RenderError(list(dict.fromkeys(problems)))
            return None
    xref = {i: others[i] for page in pages for i in page.ids}  # in book order, as number_pages
    resolve_xrefs(list(fresh.values()), xref, problems)
    if problems:
        raise RenderError(list(dict.fromkeys(problems)))
    summary_page = {str(book.summary.html)} if book.summary else set()
    add_lists([p.doc for p in fresh.values()], xref, summary_page)
    return pages, xref, set(fresh)
