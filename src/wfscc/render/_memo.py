"""A content-addressed cache for the render's expensive, deterministic steps.

Each step (a pandoc parse, a page conversion, a Typst compile, the Pagefind index) asks the
cache before it runs: the key is a sha256 of everything that determines the step's output (the
exact input, the filter and template files, the tool binaries' identity, the fonts, the
timestamp, and :data:`RENDER_VERSION`), so a hit is the very output the step would make.

Entries live at ``cache_dir/<step>/<key>``. Each holds a header with the sha256 of its payload,
and is written to a temporary file and renamed into place, so an interrupted render never leaves
half an entry; an entry that is missing, unreadable, truncated or corrupt is a miss, and the
step runs and rewrites it. Failing to write an entry is not an error. Nothing is ever evicted:
delete the folder to reclaim the space.

    memo = Memo(cache_dir)                       # Memo(None) caches nothing
    key = memo.key("parse", text, filter_bytes, tool_id)
    out = memo.text("parse", key, lambda: run(text))
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

# Bump when a change to the render code changes what a cached step produces from the same key
# parts (for instance the arguments a step is run with, when they are not part of its key).
RENDER_VERSION = "1"

T = TypeVar("T")
_MAGIC = b"wfscc-render-memo 1\n"
_DIGEST = 64  # hex characters of a sha256


class Memo:
    """The cache under *cache_dir*; with None, every lookup misses and nothing is kept.

    ``hits`` and ``misses`` count lookups per step (a Counter), for tests and timing reports.
    """

    def __init__(self, cache_dir: Path | str | None):
        self.root = None if cache_dir is None else Path(cache_dir)
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._constants: dict[str, object] = {}

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

    @staticmethod
    def key(step: str, *parts: bytes | str) -> str:
        """The sha256 key of *parts* for *step*; each part is length-prefixed so that no two
        different part lists share a key."""
        h = hashlib.sha256(f"wfscc.render {RENDER_VERSION} {step}\0".encode())
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
            head = len(_MAGIC) + _DIGEST + 1
            if raw.startswith(_MAGIC) and raw[head - 1:head] == b"\n":
                payload = raw[head:]
                if hashlib.sha256(payload).hexdigest().encode() == raw[len(_MAGIC):head - 1]:
                    data = payload
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
                out.write(_MAGIC + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def bytes(self, step: str, key: str, make: Callable[[], bytes]) -> bytes:
        """The payload under *key*, or ``make()``'s result, which is then kept."""
        data = self.get(step, key)
        if data is None:
            data = make()
            self.put(step, key, data)
        return data

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


ASSET = re.compile(r"assets/[\w.-]+")


def asset_parts(text: str, build: Path) -> list[str | bytes]:
    """Key parts for the files under *build* that *text* names (`assets/...`) and a filter may
    read (a chart's CSV data): each file's name and bytes."""
    parts: list[str | bytes] = []
    for name in sorted(set(ASSET.findall(text))):
        path = build / name
        if path.is_file():
            parts += [name, path.read_bytes()]
    return parts


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


def file_identity(path: str | Path) -> str:
    """A cheap identity of a binary: its path, size and modification time."""
    st = os.stat(path)
    return f"{Path(path).resolve()} {st.st_size} {st.st_mtime_ns}"


@cache
def package_identity(name: str, module: str) -> str:
    """Version of the distribution *name* and the identity of the files of *module*."""
    spec = importlib.util.find_spec(module)
    where = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(p for d in where for p in Path(d).iterdir()
                   if p.suffix in (".so", ".pyd", ".py"))
    return " ".join([name, importlib.metadata.version(name), *map(file_identity, files)])


def folder_digest(folder: Path) -> str:
    """sha256 over the names and bytes of the files in *folder* (fonts, templates, filters);
    remembered while the files' sizes and modification times stay the same."""
    listing = tuple(sorted((p.relative_to(folder).as_posix(), file_identity(p))
                           for p in Path(folder).rglob("*") if p.is_file()))
    return _folder_digest(str(folder), listing)


@cache
def _folder_digest(folder: str, listing: tuple[tuple[str, str], ...]) -> str:
    # *listing* (names, sizes, times) is here only to be part of the cache's key.
    return Memo.key("folder", *(part for rel, data in tree_files(Path(folder))
                                for part in (rel, data)))
