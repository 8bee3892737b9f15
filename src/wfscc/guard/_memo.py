"""A content-addressed cache for the guard's per-file work, so that a rebuild re-reads only the
files that changed.

Two kinds of entry are kept under ``cache_dir/guard-<version>/``:

* ``segments/<key>``: a file's searchable segments (`_text.Segment`), the expensive step for PDFs
  and notebooks. They depend only on the file, so the key is its bytes (sha256), its suffix and
  whether it is a vendored asset (all that `scan._segments` reads besides the bytes). A change of
  identifiers, names or threshold (a data change) keeps them.
* ``clean/<key>``: "this file was scanned with these parameters and nothing was found". The key
  adds the file's path (findings name it), whether a `tables.json` manifest lists it (its tables
  are then checked by the manifest) and a digest of every scan parameter. Only clean verdicts are
  kept: a file with findings is searched again on every scan (from its cached segments), so a
  cache can never hide a leak, only skip work whose answer was "nothing".

`<version>` hashes the guard's source files and the disclosure rules, the Python version and the
PDF extractors (pypdf's version, the `pdftotext` executable found), so a change of any of them
starts a fresh cache; the folders of other versions are removed. The entries are kept in the
build's one store, :class:`wfscc.memo.Memo` (written atomically; each holds its own key and a
checksum of its payload), and every key is a :func:`wfscc.memo.digest`. One that cannot be read,
does not match or does not parse is a miss (and is removed). After a scan that wrote any entry the
store is pruned (:func:`wfscc.memo.prune`: by age, `MAX_AGE_DAYS`, and by size). Nothing here is
needed for correctness: any error is a miss.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

from ..memo import MAX_BYTES, Memo, digest, prune
from ..outputs import disclosure
from ._text import Segment, Table

FORMAT = 2  # bump when the entry format or the meaning of a key changes
MAX_AGE_DAYS = 14
F = TypeVar("F")
_VERSION_DIR = re.compile(r"guard-[0-9a-f]{24}")


def code_version() -> str:
    """A digest of everything besides a file and the parameters that can change a scan's result:
    the guard's source, the Python version and the PDF text extractors."""
    # The disclosure rules (which counts are protected) live in `wfscc.outputs.disclosure`.
    sources = [(src.name, src.read_bytes())
               for src in [*sorted(Path(__file__).parent.glob("*.py")), Path(disclosure.__file__)]]
    try:
        pypdf = version("pypdf")
    except Exception:
        pypdf = "?"
    try:  # reads a PDF's tags, bookmarks, links and metadata
        pikepdf = version("pikepdf")
    except Exception:
        pikepdf = "?"
    exe = shutil.which("pdftotext")
    if exe is not None:
        with contextlib.suppress(OSError):
            st = os.stat(exe)
            exe = f"{os.path.realpath(exe)} {st.st_size} {st.st_mtime_ns}"
    return digest("guard", FORMAT, sys.version, sources, f"pypdf {pypdf}", f"pikepdf {pikepdf}",
                  f"pdftotext {exe}")


def params_digest(
    identifiers: Iterable[object],
    names: Iterable[object],
    places: Iterable[object],
    threshold: object,
    vendored: Iterable[str],
) -> str:
    """A digest of a scan's parameters (identifiers compared as text, in any order)."""
    doc = {
        "identifiers": sorted({str(i) for i in identifiers}),
        "names": sorted(str(n) for n in names),
        "places": sorted(str(p) for p in places),
        "threshold": repr(threshold),
        "vendored": list(vendored),
    }
    return digest(doc)


def file_digest(data: bytes) -> str:
    return digest(data)


def _digest_of(path: Path) -> str | None:
    try:
        return file_digest(path.read_bytes())
    except OSError:
        return None


class GuardMemo:
    """The cache of one scan: `params` is `params_digest(...)` of that scan."""

    def __init__(self, cache_dir: Path | str, params: str):
        base = Path(cache_dir)
        version = code_version()
        self.root = base / f"guard-{version[:24]}"
        self.params = params
        self.wrote = False
        self.store = Memo(self.root)
        if base.is_dir():  # a changed guard makes the other versions' entries useless
            for old in base.glob("guard-*"):
                if old != self.root and _VERSION_DIR.fullmatch(old.name) and old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)

    def scan(
        self,
        path: Path,
        rel: str,
        in_manifest: bool,
        vendored: bool,
        extract: Callable[[], list[Segment]],
        detect: Callable[[list[Segment]], list[F]],
    ) -> list[F]:
        """`detect(extract())` for the file at `path` (`rel` under the scanned root), skipping
        `extract` when its segments are cached and both when the file was found clean before."""
        try:
            sha = file_digest(path.read_bytes())
        except OSError:
            return detect(extract())  # reported unreadable, never cached
        clean = self.clean_key(sha, rel, in_manifest)
        if self.is_clean(clean):
            return []
        seg_key = self.segments_key(sha, path.suffix.lower(), vendored)
        segments = self.get_segments(seg_key)
        payload = None
        if segments is None:
            segments = extract()
            payload = _segments_payload(segments)  # as read: `detect` may change them
        found = detect(segments)
        if (payload is not None or not found) and _digest_of(path) == sha:
            # not rewritten while it was read and searched (one check for both entries)
            if payload is not None:
                self._put("segments", seg_key, payload)
            if not found:
                self.put_clean(clean)
        return found

    # --- keys --------------------------------------------------------------------------------

    @staticmethod
    def segments_key(sha: str, suffix: str, vendored: bool) -> str:
        return _key("segments", sha, suffix, vendored)

    def clean_key(self, sha: str, rel: str, in_manifest: bool) -> str:
        return _key("clean", sha, rel, in_manifest, self.params)

    # --- entries -----------------------------------------------------------------------------

    def get_segments(self, key: str) -> list[Segment] | None:
        payload = self._get("segments", key)
        if payload is None:
            return None
        try:
            return [_segment(d) for d in json.loads(payload)]
        except Exception:
            self._drop("segments", key)
            return None

    def is_clean(self, key: str) -> bool:
        return self._get("clean", key) == b"clean"

    def put_clean(self, key: str) -> None:
        self._put("clean", key, b"clean")

    def prune(self, max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES) -> None:
        """Remove entries (and stray temporary files) not used for `max_age_days`, then the least
        recently used ones beyond `max_bytes` (:func:`wfscc.memo.prune`)."""
        prune(self.root, max_bytes, max_age_days)

    # --- storage -----------------------------------------------------------------------------

    def _get(self, kind: str, key: str) -> bytes | None:
        """The payload kept under `key`, or None if there is none or it is damaged (removed)."""
        data = self.store.get(kind, key)
        if data is None:
            self._drop(kind, key)
        return data

    def _put(self, kind: str, key: str, payload: bytes) -> None:
        self.store.put(kind, key, payload)
        self.wrote = self.wrote or (self.root / kind / key).is_file()

    def _drop(self, kind: str, key: str) -> None:
        self.store.drop(kind, key)


def _key(*parts: object) -> str:
    return digest("guard", FORMAT, *parts)


# --- segments as JSON (text round-trips exactly: json escapes every non-ASCII character) ---


def _segments_payload(segments: list[Segment]) -> bytes:
    return json.dumps([_segment_doc(s) for s in segments]).encode()


def _segment_doc(seg: Segment) -> dict:
    return {
        "text": seg.text,
        "label": seg.label,
        "mode": seg.mode,
        "lines": seg.lines,
        "fallback": seg.fallback,
        "headers": seg.headers,
        "tables": [[t.where, t.columns, t.rows] for t in seg.tables],
        "header_lines": seg.header_lines,
    }


def _segment(doc: dict) -> Segment:
    def rows(items: list) -> list[tuple[str, list[str]]]:
        return [(_str(where), [_str(c) for c in cells]) for where, cells in items]

    lines = doc["lines"]
    return Segment(
        _str(doc["text"]),
        _str(doc["label"]),
        _str(doc["mode"]),
        None if lines is None else [_str(x) for x in lines],
        bool(doc["fallback"]),
        rows(doc["headers"]),
        [Table(_str(w), [_str(c) for c in cols], rows(r)) for w, cols, r in doc["tables"]],
        bool(doc["header_lines"]),
    )


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value
