"""The render's use of the build's store (:mod:`wfscc.memo`), and the key parts it needs.

Each step (a pandoc parse, a page conversion, a Typst compile, the Pagefind index) asks the
cache before it runs: the key is a sha256 of everything that determines the step's output (the
exact input, the filter and template files, the tool binaries' identity, the fonts, the
timestamp, and :data:`RENDER_VERSION`), so a hit is the very output the step would make.

Entries live at ``cache_dir/<step>/<key>``, checksummed and written atomically (see
:mod:`wfscc.memo`); the build prunes the store after each build (:func:`wfscc.memo.prune`:
entries unused for 30 days, then the least recently used beyond 256 MB).

    memo = Memo(cache_dir)                       # Memo(None) caches nothing
    key = memo.key("parse", text, filter_bytes, tool_id)
    out = memo.text("parse", key, lambda: run(text))
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
from functools import cache
from pathlib import Path

from ..memo import Memo as _Store
from ..memo import pack_files, tree_files, unpack_files

__all__ = ["RENDER_VERSION", "Memo", "asset_parts", "file_identity", "folder_digest",
           "pack_files", "package_identity", "tree_files", "unpack_files"]

# Bump when a change to the render code changes what a cached step produces from the same key
# parts (for instance the arguments a step is run with, when they are not part of its key).
RENDER_VERSION = "1"


class Memo(_Store):
    """The render's store (:class:`wfscc.memo.Memo`): its keys carry :data:`RENDER_VERSION`."""

    salt = f"wfscc.render {RENDER_VERSION}"


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
