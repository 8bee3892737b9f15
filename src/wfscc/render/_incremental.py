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

import os
import re
import shutil
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
from ._project import Book, Chapter, RenderError, load_book
from ._where import reraise_in_user_terms

INCLUDE = re.compile(rb"\{\{<\s*include\b")
MAX_REDO = 4  # more pages changed than this: render them all (pandoc runs in parallel then)


class PageCache:
    """What :func:`render_html` keeps from one render for the next: in memory, but the pages'
    and assets' files in *folder* if given, from where they are hard-linked into the next
    render's folder (on the same file system: nothing is copied)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.key = ""  # the book, provenance and timestamp the pages were rendered for
        self.pages: list[Page] = []
        self.xref: dict[str, dict] = {}
        self.files: dict[str, Path | bytes] = {}  # "02-x.html", "assets/img-....png"
        self.raw: dict[PurePosixPath, bytes] = {}  # a chapter's bytes before its source_key
        self.names: dict[tuple, str] = {}  # (file, its stat) -> the asset it makes
        self.redone: list[PurePosixPath] = []  # the pages the last render made again
        self.lock = threading.Lock()
        self._count = 0

    def hold(self, made: Path) -> Path | bytes:
        """Keep the file *made* for later renders."""
        if self.folder is None:
            return made.read_bytes()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        held = self.folder / f"{self._count}{made.suffix}"
        held.unlink(missing_ok=True)
        _link(made, held)
        return held

    def commit(self, files: dict[str, Path | bytes]) -> None:
        self.files = files
        if self.folder is not None and self.folder.is_dir():
            used = {p for p in files.values() if isinstance(p, Path)}
            for path in self.folder.iterdir():
                if path not in used:
                    path.unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def _place(held: Path | bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(held, bytes):
        target.write_bytes(held)
    else:
        _link(held, target)


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
        raw: dict[PurePosixPath, bytes] = {}
        redone = _redo_changed(book, build, memo, cache, raw) if key == cache.key else None
        if redone is None:
            raw = {}
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
        files: dict[str, Path | bytes] = {}
        for page in pages:
            name = str(page.chapter.html)
            if page.chapter.html in redo:
                files[name] = cache.hold(out_dir / name)
            else:
                files[name] = cache.files[name]
                _place(files[name], out_dir / name)
        (out_dir / "assets").mkdir(exist_ok=True)
        for asset in sorted({asset for page in pages for _, asset in page.media}):
            # an asset's name is a hash of its bytes: one kept under the name is the same
            files[asset] = cache.files.get(asset) or cache.hold(build / asset)
            _place(files[asset], out_dir / asset)
        static_assets(out_dir / "assets")
    cache.key, cache.pages, cache.xref, cache.raw = key, pages, xref, raw
    cache.commit(files)
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


def _changed(ch: Chapter, book: Book, old: Page, cache: PageCache, raw: dict,
             problems: list[str]) -> bool:
    """Whether *ch* is no longer what *old* was made from. A chapter whose bytes are those read
    before its last `source_key` and that includes no file is not expanded again (the book's
    variables are the same: they are part of the cache's key)."""
    if ch.source.suffix != ".ipynb":
        raw[ch.html] = ch.source.read_bytes()  # before it is expanded: a save meanwhile shows
        same = cache.raw.get(ch.html) == raw[ch.html] and not INCLUDE.search(raw[ch.html])
        if not same and source_key(ch, book, problems) != old.source_key:
            return True
    elif source_key(ch, book, problems) != old.source_key:
        return True
    return not _same_media(old, cache)


def _redo_changed(book: Book, build: Path, memo: Memo, cache: PageCache, raw: dict
                  ) -> tuple[list[Page], dict[str, dict], set[PurePosixPath]] | None:
    """The pages with only the changed ones made again, the cross-reference map and the names
    of the pages made again; None when the other pages would change too. Fills *raw* with the
    chapters' bytes (see `_changed`)."""
    problems: list[str] = []
    chapters = book_chapters(book)
    if [c.html for c in chapters] != [p.chapter.html for p in cache.pages]:
        return None
    changed = [ch for ch, old in zip(chapters, cache.pages, strict=True)
               if _changed(ch, book, old, cache, raw, problems)]
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
