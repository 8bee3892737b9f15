"""A content-addressed cache for the guard's per-file work, so that a rebuild re-reads only the
files that changed.

Two kinds of result are kept under ``cache_dir/guard-<version>/``:

* a file's searchable segments (`_text.Segment`), the expensive step for PDFs and notebooks.
  They depend only on the file, so their key is its bytes (sha256), its suffix and whether it is
  a vendored asset (all that `scan._segments` reads besides the bytes). A change of identifiers,
  names or threshold (a data change) keeps them.
* clean verdicts: "this file was scanned with these parameters and nothing was found". The key
  adds the file's path (findings name it), whether a `tables.json` manifest lists it (its tables
  are then checked by the manifest) and a digest of every scan parameter. Only clean verdicts are
  kept: a file with findings is searched again on every scan (from its cached segments), so a
  cache can never hide a leak, only skip work whose answer was "nothing".

They are kept by scan, not by file (creating a file costs more than reading most of them): what a
scan adds goes into one ``segments/<batch>`` entry (every new file's segments, by key) and one
``index/<batch>`` entry (the new clean keys, and which batch holds each segments key), written
when the scan ends (`GuardMemo.flush`). A scan reads every index entry when it starts and a
segments batch only when it needs one of its files' segments. The check of a whole site
(`compact=True`) then replaces the index entries by one that lists only what that site uses, and
removes the segments batches nothing lists any more, so the store holds about one site's worth.

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
import functools
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

FORMAT = 3  # bump when the entry format or the meaning of a key changes
MAX_AGE_DAYS = 14
F = TypeVar("F")
_PARAMS_KEPT = 8  # the clean verdicts of a file kept, for the latest sets of parameters
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
    return _params_digest(
        tuple(sorted({str(i) for i in identifiers})),
        tuple(sorted(str(n) for n in names)),
        tuple(sorted(str(p) for p in places)),
        repr(threshold),
        tuple(vendored),
    )


@functools.lru_cache(maxsize=4)  # a build's scans share theirs: hashing 5,000 ids takes 5 ms
def _params_digest(
    identifiers: tuple[str, ...],
    names: tuple[str, ...],
    places: tuple[str, ...],
    threshold: str,
    vendored: tuple[str, ...],
) -> str:
    doc = {
        "identifiers": list(identifiers),
        "names": list(names),
        "places": list(places),
        "threshold": threshold,
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
        self._clean: dict[str, list[str]] = {}  # a file's clean key -> the parameters found clean
        self._where: dict[str, str] = {}  # segments key -> the batch that holds it
        self._batches: dict[str, dict | None] = {}  # the batches read (None: unreadable)
        self._indexes = self._read_indexes()
        self._new_clean: set[str] = set()
        self._new_segments: dict[str, str] = {}  # segments key -> JSON of the segments
        self._used_clean: set[str] = set()  # the files this scan met: kept by `compact`
        self._used_segments: set[str] = set()

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
        seg_key = self.segments_key(sha, path.suffix.lower(), vendored)
        self._used_segments.add(seg_key)
        if self.is_clean(clean):
            return []
        segments = self.get_segments(seg_key)
        payload = None
        if segments is None:
            segments = extract()
            payload = _segments_payload(segments)  # as read: `detect` may change them
        found = detect(segments)
        if (payload is not None or not found) and _digest_of(path) == sha:
            # not rewritten while it was read and searched (one check for both entries)
            if payload is not None:
                self._new_segments[seg_key] = payload
            if not found:
                self.put_clean(clean)
        return found

    # --- keys --------------------------------------------------------------------------------

    @staticmethod
    def segments_key(sha: str, suffix: str, vendored: bool) -> str:
        return _key("segments", sha, suffix, vendored)

    @staticmethod
    def clean_key(sha: str, rel: str, in_manifest: bool) -> str:
        """The key of a file's clean verdicts (one per set of parameters, `params`)."""
        return _key("clean", sha, rel, in_manifest)

    # --- entries -----------------------------------------------------------------------------

    def get_segments(self, key: str) -> list[Segment] | None:
        """The segments kept under `key` (this scan's own included), or None."""
        try:
            if key in self._new_segments:
                docs = json.loads(self._new_segments[key])
            else:
                batch = self._where.get(key)
                found = None if batch is None else self._batch(batch)
                docs = None if found is None else found.get(key)
            if docs is None:
                return None
            return [_segment(d) for d in docs]
        except Exception:
            self._where.pop(key, None)
            self._new_segments.pop(key, None)
            return None

    def is_clean(self, key: str) -> bool:
        """Whether the file of this `clean_key` was found clean with this scan's parameters."""
        self._used_clean.add(key)
        return self.params in self._clean.get(key, ())

    def put_clean(self, key: str) -> None:
        if not self.is_clean(key):  # (which marks the key used)
            self._clean.setdefault(key, []).append(self.params)
            self._new_clean.add(key)

    def kept(self) -> tuple[set[str], set[str]]:
        """(the clean keys, the segments keys) this cache holds, as read when it was opened and
        added since."""
        return set(self._clean), set(self._where) | set(self._new_segments)

    def flush(self, compact: bool = False) -> None:
        """Write what this scan added: its segments as one batch and one index entry naming
        them and its clean keys. With `compact` (the scan of a whole site), the index is then
        one entry listing what this scan used, and the batches it does not list are removed."""
        batch = None
        if self._new_segments:
            payload = ("{" + ",".join(f'"{k}":{v}' for k, v in sorted(self._new_segments.items()))
                       + "}").encode()
            batch = digest("guard segments", sorted(self._new_segments))  # they name the content
            if self._put("segments", batch, payload):
                self._where.update(dict.fromkeys(self._new_segments, batch))
            else:
                batch = None
        new = {k: batch for k in self._new_segments} if batch is not None else {}
        self._new_segments = {}
        if compact and (self.wrote or self._new_clean or len(self._indexes) > 1):
            used = sorted(self._used_clean & self._clean.keys())
            clean = {k: self._clean[k][-_PARAMS_KEPT:] for k in used}
            where = {k: self._where[k] for k in sorted(self._used_segments) if k in self._where}
            written = self._write_index(clean, where)
            if written is not None:
                for name in self._indexes:
                    if name != written:
                        self.store.drop("index", name)
                self._indexes = [written]
                keep = set(where.values())
                for name in _names(self.root / "segments"):
                    if name not in keep:
                        self.store.drop("segments", name)
        elif self._new_clean or new:
            self._write_index({k: [self.params] for k in self._new_clean}, new)
        self._new_clean = set()

    def prune(self, max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES) -> None:
        """Remove entries (and stray temporary files) not used for `max_age_days`, then the least
        recently used ones beyond `max_bytes` (:func:`wfscc.memo.prune`)."""
        prune(self.root, max_bytes, max_age_days)

    # --- storage -----------------------------------------------------------------------------

    def _read_indexes(self) -> list[str]:
        """Read every index entry (the clean keys and where each segments key is kept)."""
        names = []
        for name in _names(self.root / "index"):
            data = self._get("index", name)
            try:
                doc = json.loads(data) if data is not None else None
                clean, where = doc["clean"], doc["segments"]
                params = [p for v in clean.values() for p in v]
                if not all(isinstance(k, str) for k in [*clean, *params, *where, *where.values()]):
                    raise ValueError("not keys")
            except Exception:
                self._drop("index", name)
                continue
            for key, found in clean.items():
                have = self._clean.setdefault(key, [])
                have += [p for p in found if p not in have]
            self._where.update(where)
            names.append(name)
        return names

    def _write_index(self, clean: dict[str, list[str]], where: dict[str, str]) -> str | None:
        """Write an index entry; its name, or None if it could not be written."""
        payload = json.dumps({"clean": clean, "segments": where}, sort_keys=True).encode()
        name = digest("guard index", payload)
        if not self._put("index", name, payload):
            return None
        if name not in self._indexes:
            self._indexes.append(name)
        return name

    def _batch(self, name: str) -> dict | None:
        """A segments batch (segments key -> segment documents), read once; None if unreadable."""
        if name not in self._batches:
            data = self._get("segments", name)
            try:
                found = json.loads(data) if data is not None else None
                if found is not None and not isinstance(found, dict):
                    raise ValueError("not a batch")
            except Exception:
                self._drop("segments", name)
                found = None
            self._batches[name] = found
        return self._batches[name]

    def _get(self, kind: str, key: str) -> bytes | None:
        """The payload kept under `key`, or None if there is none or it is damaged (removed)."""
        data = self.store.get(kind, key)
        if data is None:
            self._drop(kind, key)
        return data

    def _put(self, kind: str, key: str, payload: bytes) -> bool:
        self.store.put(kind, key, payload)
        written = (self.root / kind / key).is_file()
        self.wrote = self.wrote or written
        return written

    def _drop(self, kind: str, key: str) -> None:
        self.store.drop(kind, key)


def _names(folder: Path) -> list[str]:
    """The entries in `folder` (not the temporary files of a writer), oldest first."""
    try:
        found = [(e.stat().st_mtime_ns, e.name) for e in os.scandir(folder)
                 if not e.name.startswith(".") and e.is_file()]
    except OSError:
        return []
    return [name for _, name in sorted(found)]


def _key(*parts: object) -> str:
    return digest("guard", FORMAT, *parts)


# --- segments as JSON (text round-trips exactly: json escapes every non-ASCII character) ---


def _segments_payload(segments: list[Segment]) -> str:
    return json.dumps([_segment_doc(s) for s in segments])


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
