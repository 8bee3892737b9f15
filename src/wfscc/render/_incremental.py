"""The pages again after a change, redoing only the changed pages' work: the site's pages for
`wfscc preview` (:func:`~._engine.render_html`) and every render with a cache folder (the
build's), whose :class:`PageCache` is kept in that folder from one render to the next.

A :class:`PageCache` remembers, from the last render into it, every page: what it was parsed
from (:func:`~._chapters.source_key`: a chapter's expanded text, a notebook's bytes and the
facts it cites), the files its images and chart data came from, the count of figures and tables
it started from and left, the ids it numbered, its numbered tree, its conversion to HTML (with
the navigation, pager and footer still to fill in), and the assets. The next render runs the
page steps (`_steps`) only on the pages whose source (or one of whose files) changed. When each
of them leaves the book's numbering as it was (the same label, title, anchor, figure and table
ids and captions, and the same count after it), every other page is, byte for byte, what it
was, and is taken from the cache. Otherwise (a figure, table or chapter heading added, removed
or retitled; another book or render code), every page is made as a whole render makes it, and
remembered. A new provenance changes only the footers (filled in afterwards), the summary's
publication notice (its page is converted again) and the PDFs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import pickle
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..memo import sha256
from ._chapters import Chapter, Page, book_chapters, hashed, parse_pages, source_key
from ._memo import RENDER_VERSION, Memo, package_identity
from ._pandoc import pandoc_identity
from ._project import Book, RenderError
from ._steps import book_pages, link_pages, place_page

INCLUDE = re.compile(rb"\{\{<\s*include\b")
_KEPT = ("key", "pages", "xref", "files", "html", "notice", "variables", "raw")


class PageCache:
    """What a render keeps for the next: in memory, but the assets' files in *folder* if
    given, from where they are hard-linked into the next render's folder (on the same file
    system: nothing is copied). :meth:`load` and :meth:`save` keep it on disk between
    processes."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.key = ""  # the book and render code the pages were made for
        self.pages: list[Page] = []
        self.xref: dict[str, dict] = {}
        self.files: dict[str, Path | bytes] = {}  # "assets/img-....png" -> kept file
        self.html: dict[str, str] = {}  # "02-x.html" -> its conversion, slots not filled
        self.notice = ""  # the summary's publication notice its conversion was made with
        self.variables: dict[str, str] = {}  # the book's variables the pages were made with
        self.raw: dict[PurePosixPath, bytes] = {}  # a chapter's bytes before its source_key
        self.names: dict[tuple, str] = {}  # (file, its stat) -> the asset it makes
        self.redone: list[PurePosixPath] = []  # the pages the last render made again
        self.lock = threading.Lock()
        self._count = 0
        self._raw: dict[PurePosixPath, bytes] = {}  # this render's chapter bytes
        self._pending: tuple = ()  # this render's key, pages and cross-references

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

    @classmethod
    def load(cls, folder: Path, ahead: ReadAhead | None = None) -> PageCache:
        """The cache kept in *folder* by :meth:`save`; an empty one when there is none or it
        cannot be read (damaged, or made by other code). *ahead*: the state read from *folder*
        before (:meth:`read_ahead`), taken when the file is still the one it was read from."""
        cache = cls(folder)
        with contextlib.suppress(Exception):  # any damage: start afresh
            if ahead is not None and ahead.folder == folder and ahead.stamp == _stamp(folder):
                state = ahead.state
            else:
                state = _read_state(folder)
            if state is not None and all(
                    not isinstance(p, Path) or p.is_file() for p in state["files"].values()):
                for name in _KEPT:
                    setattr(cache, name, state[name])
        if folder.is_dir():
            cache._count = max(
                (int(p.stem) for p in folder.iterdir() if p.stem.isdigit()), default=0
            )
        return cache

    @staticmethod
    def read_ahead(folder: Path) -> ReadAhead:
        """The state :meth:`save` kept in *folder*, read (and unpickled: 0.05 s for the shipped
        book, more on a busy machine) before the render that takes it with :meth:`load`, so that
        the build can do it while it waits for its notebooks. Without the render's lock: a state
        saved meanwhile by another process has another inode, and :meth:`load` reads that."""
        stamp = _stamp(folder)
        state = None
        with contextlib.suppress(Exception):  # any damage: load() starts afresh
            state = _read_state(folder)
        return ReadAhead(folder, stamp, state)

    def save(self) -> None:
        """Keep this cache beside its folder for :meth:`load` (written whole, then renamed)."""
        assert self.folder is not None
        payload = pickle.dumps(
            {name: getattr(self, name) for name in _KEPT}, protocol=pickle.HIGHEST_PROTOCOL
        )
        path = _state_file(self.folder)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(sha256(payload).digest() + payload)
        os.replace(tmp, path)

    @contextlib.contextmanager
    def using(self, across_processes: bool = False) -> Iterator[PageCache]:
        """Hold the cache for one render: its lock in this process, and *across_processes*
        (a cache kept with :meth:`save`), a lock beside its folder that another process's
        render waits for."""
        with self.lock:
            if not across_processes or self.folder is None:
                yield self
                return
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            with open(self.folder.parent / f"{self.folder.name}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                yield self

    def begin(self, book: Book, build: Path, memo: Memo) -> tuple[list[Page], set]:
        """The book's numbered pages, made again only where they changed (the assets of the
        others linked into `build/assets`), and the names of the pages to convert."""
        key = _key(book)
        self._raw = {}
        redone = _redo_changed(book, build, memo, self) if key == self.key else None
        if redone is not None:
            pages, xref, redo = redone
            for page in pages:
                if page.chapter.html not in redo:
                    for _, asset in page.media:
                        held = self.files.get(asset)
                        if held is None:
                            redone = None
                            break
                        if not (build / asset).exists():
                            _place(held, build / asset)
        if redone is None:
            self._raw = {}
            pages, xref = book_pages(book, build, memo)
            redo = {p.chapter.html for p in pages}
        for page in pages:  # a notebook's outputs are saved from it: its bytes tell they changed
            if page.chapter.html in redo:
                page.media = [
                    (None if path is None or path.is_relative_to(build) else path, asset)
                    for path, asset in page.media
                ]
        self._pending = (key, pages, xref)  # remembered when the render has finished
        return pages, redo

    def finish(self, book: Book, build: Path, redo: set, made: dict[str, str], notice: str) -> None:
        """Remember the pages of the render begun with :meth:`begin`, their conversions
        (*made* holds those made in this render) and assets (in `build/assets`)."""
        self.key, self.pages, self.xref = self._pending
        files: dict[str, Path | bytes] = {}
        for asset in sorted({asset for page in self.pages for _, asset in page.media}):
            # an asset's name is a hash of its bytes: one kept under the name is the same
            files[asset] = self.files.get(asset) or self.hold(build / asset)
        self.html = {
            str(p.chapter.html): made.get(str(p.chapter.html)) or self.html[str(p.chapter.html)]
            for p in self.pages
        }
        self.notice, self.variables, self.raw = notice, dict(book.variables), self._raw
        self.commit(files)
        self.redone = sorted(redo)


@dataclasses.dataclass(frozen=True)
class ReadAhead:
    """A cache's state read before its render (:meth:`PageCache.read_ahead`): the folder, the
    state file's identity then (inode, size, modification time; None: no file) and its
    contents (None: none, or damaged)."""

    folder: Path
    stamp: tuple | None
    state: dict | None = dataclasses.field(repr=False, compare=False)


def _state_file(folder: Path) -> Path:
    return folder.parent / f"{folder.name}.state"


def _stamp(folder: Path) -> tuple | None:
    """The identity of *folder*'s state file: :meth:`PageCache.save` replaces it whole (a new
    inode), so the same identity is the same contents."""
    try:
        st = _state_file(folder).stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _read_state(folder: Path) -> dict | None:
    """The state :meth:`PageCache.save` wrote beside *folder*, or None when its checksum fails;
    raises when it cannot be read."""
    data = _state_file(folder).read_bytes()
    digest, payload = data[:32], data[32:]
    if sha256(payload).digest() != digest:
        return None
    return pickle.loads(payload)  # noqa: S301 - our own cache folder


def _key(book: Book) -> str:
    """What every page depends on: the book (but its variables: a page depends on those it
    cites, which its `source_key` holds), the render's code, pandoc and its filters."""
    return repr(
        (
            dataclasses.replace(book, variables={}),
            RENDER_VERSION,
            package_identity("wfscc", "wfscc.render"),
            pandoc_identity(),
        )
    )


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


def _changed(
    ch: Chapter, book: Book, old: Page, cache: PageCache, same_variables: bool, problems: list[str]
) -> bool:
    """Whether *ch* is no longer what *old* was made from. A chapter whose bytes are those read
    before its last `source_key` and that includes no file is not expanded again when the
    book's variables are the same."""
    if ch.source.suffix != ".ipynb":
        raw = cache._raw[ch.html] = ch.source.read_bytes()  # before it is expanded
        same = same_variables and cache.raw.get(ch.html) == raw and not INCLUDE.search(raw)
        if not same and source_key(ch, book, problems) != old.source_key:
            return True
    elif source_key(ch, book, problems) != old.source_key:
        return True
    return not _same_media(old, cache)


def _redo_changed(
    book: Book, build: Path, memo: Memo, cache: PageCache
) -> tuple[list[Page], dict[str, dict], set[PurePosixPath]] | None:
    """The pages with only the changed ones made again, the cross-reference map and the names
    of the pages made again; None when the other pages would change too."""
    problems: list[str] = []
    chapters = book_chapters(book)
    if [c.html for c in chapters] != [p.chapter.html for p in cache.pages]:
        return None
    same_variables = book.variables == cache.variables
    changed = [
        ch
        for ch, old in zip(chapters, cache.pages, strict=True)
        if _changed(ch, book, old, cache, same_variables, problems)
    ]
    if problems:
        raise RenderError(list(dict.fromkeys(problems)))
    fresh = dict(
        zip(
            (ch.html for ch in changed),
            parse_pages(book, build / "media", problems, memo, chapters=changed),
            strict=True,
        )
    )
    pages = [fresh.get(old.chapter.html, old) for old in cache.pages]
    others = {i: r for i, r in cache.xref.items() if PurePosixPath(r["page"]) not in fresh}
    for page, old in zip(pages, cache.pages, strict=True):
        if page is old:
            continue
        place_page(page, book, build, problems, others, old.numbering[0])
        if (page.label, page.title, page.anchor, page.ids, page.numbering) != (
            old.label,
            old.title,
            old.anchor,
            old.ids,
            old.numbering,
        ) or any(others[i] != cache.xref[i] for i in page.ids):
            if problems:
                raise RenderError(list(dict.fromkeys(problems)))
            return None
    xref = {i: others[i] for page in pages for i in page.ids}  # in book order, as number_pages
    link_pages(list(fresh.values()), book, xref, problems)
    return pages, xref, set(fresh)
