"""Which watched files changed: a polling watcher of the standard library only.

Each scan reads the size and modification time of every watched file (a few hundred, listed with
``os.scandir``: a couple of milliseconds for them all); a file whose stat moved is read and
compared by content, so an editor that saves an unchanged file, or touches it, triggers nothing.
Editor droppings (dot-files, `~` and swap files, `__pycache__`) are not watched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from ..memo import sha256

_SKIP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".pyc", "~")
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".git"}


def _wanted_name(name: str) -> bool:
    return not (name.startswith((".", "#")) or name in _SKIP_PARTS or name.endswith(_SKIP_SUFFIXES))


def _files(folder: str, found: dict[Path, tuple[int, int]]) -> None:
    """Add the wanted files under *folder* (not following links to folders) to *found*."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name.startswith(".") or entry.name in _SKIP_PARTS:
                continue
            if entry.is_dir(follow_symlinks=False):
                _files(entry.path, found)
            elif _wanted_name(entry.name) and entry.is_file():
                st = entry.stat()
                found[Path(entry.path)] = (st.st_mtime_ns, st.st_size)
        except OSError:  # gone meanwhile
            continue


def _digest(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Watcher:
    """Watches files and folders (recursively); :meth:`changes` lists what changed since the
    last call, by content."""

    def __init__(self, roots: Iterable[Path]):
        self.roots = [Path(r).resolve() for r in roots]
        self._stats = self._scan()
        self._digests = {p: _digest(p) for p in self._stats}

    def _scan(self) -> dict[Path, tuple[int, int]]:
        found: dict[Path, tuple[int, int]] = {}
        for root in self.roots:
            if root.is_dir():
                _files(str(root), found)
                continue
            try:
                st = root.stat()
            except OSError:
                continue
            if _wanted_name(root.name) and root.is_file():
                found[root] = (st.st_mtime_ns, st.st_size)
        return found

    def changes(self, settle: float = 0.03) -> set[Path]:
        """Files added, removed or changed in content since the last call. When something
        moved, waits until the files stop moving for *settle* seconds (at most half a second),
        so the several writes of one save are taken together."""
        moved = self._moved()
        if moved:
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline:
                time.sleep(settle)
                more = self._moved()
                if not more:
                    break
                moved |= more
        out = set()
        for path in moved:
            digest = _digest(path) if path in self._stats else None
            if digest != self._digests.get(path):
                out.add(path)
            if digest is None:
                self._digests.pop(path, None)
            else:
                self._digests[path] = digest
        return out

    def _moved(self) -> set[Path]:
        """Files whose size or modification time moved (or that came or went) since the last
        scan."""
        stats = self._scan()
        moved = {p for p in stats.keys() | self._stats.keys() if stats.get(p) != self._stats.get(p)}
        self._stats = stats
        return moved
