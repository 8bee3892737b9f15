"""A content-addressed store for the build's deterministic steps.

A step that turns inputs into outputs (a chart into SVG, tables into workbooks, a page through
pandoc, a PDF through Typst) asks the store first: the key is a sha256 of everything that
determines the output, so a hit is the very output the step would make, and a miss makes it and
keeps it. Entries live at ``root/<step>/<key>``; each holds a header with the sha256 of its
payload, and is written to a temporary file and renamed into place, so an interrupted build
never leaves half an entry. An entry that is missing, unreadable, truncated or corrupt is a
miss; failing to write one is not an error. ``wfscc clean`` removes the store with the cache.

    memo = Memo(cache_dir / "memo")              # Memo(None) keeps nothing
    key = digest("chart", frame, caption)        # or Memo.key(step, text, bytes...)
    svg = memo.bytes("figures", key, lambda: draw(frame))
    memo.put("tables", key, pack_files(tree_files(folder)))   # a folder as one entry

Every hash in wfscc goes through :func:`sha256` here, the one hashing function (a test fails if
another module of the package imports :mod:`hashlib`): the store's keys and checksums,
:func:`digest` (the key of every cache), :func:`files_digest` (the data hash the pages show), the
content-hashed names of published assets and the notebooks' per-LA keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar

__all__ = ["MAX_AGE_DAYS", "MAX_BYTES", "Memo", "code_hash", "digest", "files_digest", "pack_files",
           "prune", "reads", "sha256", "tables_of", "tree_files", "unpack_files"]

T = TypeVar("T")
_MAGIC = b"wfscc-memo 2\n"
_DIGEST = 64  # hex characters of a sha256
#: An entry not used for this many days is removed by :func:`prune`.
MAX_AGE_DAYS = 30
#: A store is pruned to at most this many bytes, least recently used entries first (a build of
#: the shipped data keeps about 12 MB in its three stores).
MAX_BYTES = 256 * 1024 * 1024


def sha256(data: bytes = b""):
    """A SHA-256 hash object, fed *data*: wfscc's one hashing function."""
    return hashlib.sha256(data)


class Memo:
    """The cache under *cache_dir*; with None, every lookup misses and nothing is kept.

    ``hits`` and ``misses`` count lookups per step (a Counter), for tests and timing reports.
    A user's keys start with :attr:`salt` (its name and the version of its code).
    """

    salt = "wfscc"

    def __init__(self, cache_dir: Path | str | None):
        self.root = None if cache_dir is None else Path(cache_dir)
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._constants: dict[str, object] = {}
        self._frames: dict[int, tuple[object, str]] = {}

    @property
    def enabled(self) -> bool:
        """Whether entries are looked up and kept at all."""
        return self.root is not None

    def once(self, name: str, make: Callable[[], T]) -> T:
        """``make()``, computed once for this Memo (that is, once per render): for key parts
        such as a tool's identity, which every entry of a step shares."""
        with self._lock:
            if name not in self._constants:
                self._constants[name] = make()
            return self._constants[name]  # type: ignore[return-value]

    @classmethod
    def key(cls, step: str, *parts: bytes | str) -> str:
        """The sha256 key of *parts* for *step*; each part is length-prefixed so that no two
        different part lists share a key."""
        h = sha256(f"{cls.salt} {step}\0".encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
            h.update(f"{'s' if isinstance(part, str) else 'b'}{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()

    def _path(self, step: str, key: str) -> Path | None:
        return None if self.root is None else self.root / step / key

    def get(self, step: str, key: str) -> bytes | None:
        """The payload kept under *key*, or None (no entry, or one that fails its checksum)."""
        path = self._path(step, key)
        data = None
        if path is not None:
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b""
            header = _MAGIC + key.encode() + b"\n"
            head = len(header) + _DIGEST + 1
            if raw.startswith(header) and raw[head - 1:head] == b"\n":
                payload = raw[head:]
                if sha256(payload).hexdigest().encode() == raw[len(header):head - 1]:
                    data = payload
                    with contextlib.suppress(OSError):
                        os.utime(path)  # used now: pruned last
        with self._lock:
            (self.hits if data is not None else self.misses)[step] += 1
        return data

    def put(self, step: str, key: str, data: bytes) -> None:
        """Keep *data* under *key*: written to a temporary file, then renamed into place."""
        path = self._path(step, key)
        if path is None:
            return
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                checksum = sha256(data).hexdigest().encode()
                out.write(_MAGIC + key.encode() + b"\n" + checksum + b"\n" + data)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def drop(self, step: str, key: str) -> None:
        """Remove the entry under *key*, if any."""
        path = self._path(step, key)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()

    def prune(self, max_bytes: int = MAX_BYTES, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Bound this store (see :func:`prune`); returns the number of files removed."""
        return 0 if self.root is None else prune(self.root, max_bytes, max_age_days)

    def bytes(self, step: str, key: str, make: Callable[[], bytes]) -> bytes:
        """The payload under *key*, or ``make()``'s result, which is then kept."""
        data = self.get(step, key)
        if data is None:
            data = make()
            self.put(step, key, data)
        return data

    def value(self, step: str, key: str, make: Callable[[], T]) -> T:
        """As :meth:`bytes`, for any object :mod:`pickle` can keep (facts, frames, protected
        tables): an entry that cannot be loaded (made by other versions of the libraries) is a
        miss. Only this build's own cache folder is ever read back."""
        data = self.get(step, key)
        if data is not None:
            try:
                return pickle.loads(data)  # noqa: S301 - the build's own cache folder
            except Exception:  # noqa: BLE001 - a stale or damaged entry is made again
                pass
        out = make()
        if self.root is not None:
            self.put(step, key, pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
        return out

    def inputs_key(self, step: str, *parts: object) -> str:
        """The key of an output of the package's code made from *parts* (frames, mappings,
        numbers, text): :func:`digest` of *step*, :func:`code_hash` and the parts, each frame
        hashed once for this Memo (the frames of a build are never changed in place)."""
        code = self.once("code", code_hash)
        return digest(step, code, *(self._frame_part(p) for p in parts))

    def _frame_part(self, part: object) -> object:
        if isinstance(part, dict):
            return {k: self._frame_part(v) for k, v in part.items()}
        if isinstance(part, list | tuple):
            return [self._frame_part(v) for v in part]
        pd = sys.modules.get("pandas")
        if pd is None or not isinstance(part, pd.DataFrame):
            return part
        with self._lock:
            kept = self._frames.get(id(part))
        if kept is None or kept[0] is not part:
            kept = (part, digest(part))  # the frame is kept, so its id is not reused meanwhile
            with self._lock:
                self._frames[id(part)] = kept
        return ("frame", kept[1])

    def made_from(self, step: str, function: Callable, dataset, *args: object,
                  run: Callable[..., T] | None = None) -> T:
        """``function(tables, *args)`` (or ``run(function, tables, *args)``) with ``tables`` the
        input tables it reads (:func:`tables_of`), or what it made before from the same tables,
        arguments and code."""
        tables = tables_of(function, dataset)

        def make() -> T:
            return function(tables, *args) if run is None else run(function, tables, *args)

        if self.root is None:
            return make()
        key = self.inputs_key(step, function.__module__, function.__qualname__, vars(tables),
                              list(args))
        return self.value(step, key, make)

    def text(self, step: str, key: str, make: Callable[[], str]) -> str:
        """As :meth:`bytes`, for UTF-8 text."""
        data = self.get(step, key)
        if data is not None:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        out = make()
        self.put(step, key, out.encode("utf-8"))
        return out


def reads(*tables: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Mark a function of the data with the input tables it reads (``Dataset`` attributes):
    :meth:`Memo.made_from` gives it those tables alone and keys what it makes by them, so it is
    made again exactly when one of them (or the code, or its other arguments) changed."""

    def mark(function: Callable[..., T]) -> Callable[..., T]:
        function.reads = tables  # type: ignore[attr-defined]
        return function

    return mark


def tables_of(function: Callable, dataset) -> SimpleNamespace:
    """The input tables ``function`` reads (:func:`reads`), taken from ``dataset``, as the only
    attributes of a namespace: reading any other table is an AttributeError, never a result
    that a change of that table would leave stale."""
    return SimpleNamespace(**{name: getattr(dataset, name) for name in function.reads})


def prune(root: Path | str, max_bytes: int = MAX_BYTES,
          max_age_days: float = MAX_AGE_DAYS) -> int:
    """Remove from the store at *root* every file (entry, or temporary file left by a killed
    writer) not used for *max_age_days* days, then the least recently used entries until the
    rest take at most *max_bytes*. Returns the number of files removed; errors are ignored."""
    cutoff = time.time() - max_age_days * 86400
    files = []
    for path in Path(root).rglob("*"):
        with contextlib.suppress(OSError):
            st = path.stat()
            if path.is_file():
                files.append((st.st_mtime, st.st_size, path))
    files.sort(key=lambda f: (f[0], str(f[2])))  # oldest use first
    total, removed = sum(size for _, size, _ in files), 0
    for mtime, size, path in files:
        if mtime >= cutoff and total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
            removed += 1
    return removed


def _update(h, part: object) -> None:
    # pandas is not imported for this: a part can only be a frame once pandas is loaded, and a
    # build that finds nothing changed (or a render) does not load it
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(part, pd.DataFrame):
        h.update(b"frame\0" + repr(list(map(str, part.dtypes))).encode())
        h.update(part.to_csv(lineterminator="\n").encode())
    elif pd is not None and isinstance(part, pd.Series):
        _update(h, part.to_frame())
    elif isinstance(part, bytes):
        h.update(b"bytes\0" + part)
    elif isinstance(part, dict):
        h.update(b"dict\0")
        for key in sorted(part, key=str):
            _update(h, str(key))
            _update(h, part[key])
    elif isinstance(part, list | tuple):
        h.update(f"seq{len(part)}\0".encode())
        for item in part:
            _update(h, item)
    else:
        h.update(f"{type(part).__name__}\0{part!r}".encode())
    h.update(b"\1")


def digest(*parts: object) -> str:
    """A sha256 key of ``parts``: frames by dtypes and full text, mappings in key order,
    sequences item by item, anything else by its ``repr``."""
    h = sha256()
    for part in parts:
        _update(h, part)
    return h.hexdigest()


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """A sha256 over the files' names relative to *root* and their bytes, independent of where
    *root* is: the data hash that the published pages show (so its format stays as it is)."""
    h = sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(sha256(path.read_bytes()).digest())
    return h.hexdigest()


def pack_files(files: Iterable[tuple[str, bytes]]) -> bytes:
    """Several files (relative POSIX name, bytes) as one payload."""
    out = bytearray()
    for name, data in files:
        encoded = name.encode("utf-8")
        out += f"{len(encoded)} {len(data)}\n".encode() + encoded + data
    return bytes(out)


def unpack_files(payload: bytes) -> list[tuple[str, bytes]]:
    """The files of :func:`pack_files`; raise ValueError on a malformed payload."""
    files, pos = [], 0
    while pos < len(payload):
        end = payload.index(b"\n", pos)
        name_len, data_len = (int(x) for x in payload[pos:end].split(b" "))
        start = end + 1 + name_len
        name = payload[end + 1:start].decode("utf-8")
        if (min(name_len, data_len) < 0 or start + data_len > len(payload) or not name
                or name.startswith("/") or ".." in name.split("/")):
            raise ValueError("malformed file list")
        files.append((name, payload[start:start + data_len]))
        pos = start + data_len
    return files


def tree_files(root: Path, skip: str | None = None) -> list[tuple[str, bytes]]:
    """Every file under *root* (sorted by relative name), except under the folder *skip*."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not (skip and (rel == skip or rel.startswith(skip + "/"))):
            files.append((rel, path.read_bytes()))
    return sorted(files)


_CODE: dict[tuple, str] = {}


def code_hash() -> str:
    """The version of the package's own code, for the key of an output that code makes: a
    :func:`digest` of every file of the package (relative name and bytes; compiled files left
    out), so it is the same for a copy of the package anywhere. Kept for as long as no file of
    the package changes its name, size or modification time (reading every file takes about
    20 ms, and a build asks a dozen times)."""
    root = Path(__file__).resolve().parent
    stamp = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if "__pycache__" not in rel.split("/"):
            with contextlib.suppress(OSError):
                st = path.stat()
                if path.is_file():
                    stamp.append((rel, st.st_size, st.st_mtime_ns))
    signature = tuple(sorted(stamp))
    if signature not in _CODE:
        _CODE.clear()
        _CODE[signature] = digest("code", [(name, data) for name, data in tree_files(root)
                                           if "__pycache__" not in name.split("/")])
    return _CODE[signature]
