"""A content-addressed store for the build's deterministic steps.

A step that turns inputs into files (a chart into SVG, tables into workbooks) asks the store
first: the key is a hash of everything that determines the output (:func:`digest`), so a hit is
the very output the step would make, and a miss makes it and keeps it. Entries are written to a
temporary name and renamed into place, so an interrupted build never leaves half an entry; an
entry that cannot be read is a miss. ``wfscc clean`` removes the store with the rest of the cache.

    store = Store(cache_dir / "memo")
    svg = store.get("chart", key)          # bytes, or None
    store.put("chart", key, svg_bytes)
    if not store.copy_dir("tables", key, out_dir):  # a folder of files
        write(out_dir); store.put_dir("tables", key, out_dir)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["Store", "digest"]


def _update(h, part: object) -> None:
    if isinstance(part, pd.DataFrame):
        h.update(b"frame\0" + repr(list(map(str, part.dtypes))).encode())
        h.update(part.to_csv(lineterminator="\n").encode())
    elif isinstance(part, pd.Series):
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
    h = hashlib.sha256()
    for part in parts:
        _update(h, part)
    return h.hexdigest()


class Store:
    """Entries under ``root/<kind>/<key>``; ``root=None`` is a store that keeps nothing."""

    def __init__(self, root: Path | str | None):
        self.root = Path(root) if root is not None else None

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.root is None else self.root / kind / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The bytes kept under ``key``, or None."""
        path = self._path(kind, key)
        try:
            return path.read_bytes() if path is not None and path.is_file() else None
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (atomically; a failure to write is not an error)."""
        path = self._path(kind, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            return

    def copy_dir(self, kind: str, key: str, dest: Path) -> bool:
        """Copy the folder kept under ``key`` into ``dest``; False when there is none."""
        path = self._path(kind, key)
        if path is None or not (path / ".complete").is_file():
            return False
        dest.mkdir(parents=True, exist_ok=True)
        for item in sorted(path.rglob("*")):
            target = dest / item.relative_to(path)
            if item.name == ".complete":
                continue
            if item.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item, target)
        return True

    def put_dir(self, kind: str, key: str, source: Path) -> None:
        """Keep a copy of the folder ``source`` under ``key``."""
        path = self._path(kind, key)
        if path is None or (path / ".complete").is_file():
            return
        tmp: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=".tmp-"))
            shutil.copytree(source, tmp, dirs_exist_ok=True)
            (tmp / ".complete").write_bytes(b"")
            shutil.rmtree(path, ignore_errors=True)  # an incomplete older entry
            os.replace(tmp, path)
        except OSError:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
