"""The privacy guard: scan every file about to be published and refuse to publish a leak.

`scan_outputs` walks an output tree and returns `Finding`s; `check_outputs` raises `PrivacyError`
listing them. What is searched in each file type, and what counts as a leak, is summarised in
the package docstring (`wfscc.guard`) and in `scan_outputs` below.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..contract import DEFAULT_THRESHOLD
from ..errors import PrivacyError
from . import _documents as D
from . import _images, _memo
from . import _text as T
from ._detect import Detector, detector_for, forget, small_counts
from ._finding import Finding, format_findings
from ._headers import raw_columns, raw_header_line
from ._manifest import check_manifest, manifest_csvs

TEXT_SUFFIXES = frozenset(
    [
        ".html",
        ".htm",
        ".xhtml",
        ".css",
        ".js",
        ".mjs",
        ".map",
        ".json",
        ".csv",
        ".tsv",
        ".txt",
        ".md",
        ".qmd",
        ".yml",
        ".yaml",
        ".svg",
        ".xml",
        ".tex",
        ".typ",
        ".bib",
        ".ris",
        ".rss",
        ".atom",
        ".log",
        ".py",
        ".r",
    ]
)
# Binary formats with no text of ours in them.
SKIP_SUFFIXES = frozenset(
    [
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".wasm",
        ".pagefind",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".ico",
        ".zip",
        ".gz",
    ]
)
# Third-party assets: only what could come from our data is searched (their licence headers and
# translator credits carry real e-mail addresses).
# A glob matches relative to the root or below any folder.
VENDORED = ("pagefind/*.js", "pagefind/*.css", "site_libs/*", "*.min.js", "*.min.css")


def scan_outputs(
    root: Path,
    *,
    identifiers: Iterable[str],
    names: Iterable[str],
    threshold: int = DEFAULT_THRESHOLD,
    places: Iterable[str] = (),
    vendored: Iterable[str] = VENDORED,
    cache_dir: Path | None = None,
    shipped_images: Iterable[str] = (),
) -> list[Finding]:
    """Every leak in the files under `root`, in file order.

    `identifiers` are the data's raw record ids (participant, interview, respondent, referral);
    `names` the people (and `places` the centre names) that must not appear; `threshold` the
    smallest count that may be published unsuppressed: it is checked in the CSV files that a
    `tables.json` manifest lists (their declared count columns) and in every other table (HTML
    tables in pages and notebook outputs, chart data, other CSV files) in the columns whose name
    says they count people or records (`_detect.is_count_column`), and in any text where a
    number below the threshold counts people or their records (`_prose`: "three parents");
    which counts are protected is decided by `wfscc.outputs.disclosure.unit_class`. Files matching a
    `vendored` glob (relative to `root`) are only searched for identifiers, names and NI-style
    numbers.
    A finding in a content-hashed asset (`assets/img-….svg`) also names the pages that show it.

    With `cache_dir`, each file's segments and clean verdicts are kept there (`_memo`), keyed by
    the file's bytes, its path and every parameter, so that a file seen before is not read again;
    the manifest and asset checks, which span files, run every time. The findings are the same.

    Raster images (`_images`) are refused: a PNG, JPEG, GIF or WebP output of a notebook, a raster
    file, or a raster data URI in a text file is a finding unless its sha256 is in
    `shipped_images` (`_images.shipped_images(project)`: the raster files the project ships).
    """
    root = Path(root)
    vendored = tuple(vendored)
    memo = None
    if cache_dir is not None:
        identifiers, names, places = set(identifiers), list(names), list(places)
        memo = _memo.GuardMemo(
            cache_dir, _memo.params_digest(identifiers, names, places, threshold, vendored)
        )
    if memo is None:
        detector = functools.cache(lambda: Detector(identifiers, names, places))
        detector()  # built up front, as before the cache (a bad parameter fails early)
    else:  # when needed; the early scans' one (`_early`) if they had these parameters
        detector = functools.cache(lambda: detector_for(memo.params, identifiers, names, places))
    files = sorted(p for p in root.rglob("*") if p.is_file())
    in_manifest = manifest_csvs(p for p in files if p.name == "tables.json")
    findings: list[Finding] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        findings.extend(
            _scan_file(path, rel, vendored, path in in_manifest, detector, threshold, memo)
        )
        if path.name == "tables.json":
            findings.extend(check_manifest(path, root, threshold))
    findings.extend(_images.raster_findings(root, files, frozenset(shipped_images)))
    if memo is not None:
        forget(memo.params)
        memo.flush(compact=True)
        if memo.wrote:
            memo.prune()
    return _with_pages(findings, root, files)


class _Unreadable(Exception):  # carries the name of the error that made a file unreadable
    pass


def _scan_file(
    path: Path,
    rel: str,
    vendored: tuple[str, ...],
    in_manifest: bool,
    detector: Callable[[], Detector],
    threshold: int,
    memo: _memo.GuardMemo | None,
) -> list[Finding]:
    """One file's findings; through `memo` when there is one."""

    def extract() -> list[T.Segment]:
        try:
            return _segments(path, rel, vendored)
        except Exception as exc:  # a file we cannot read is a file we cannot vouch for
            raise _Unreadable(type(exc).__name__) from exc

    def detect(segments: list[T.Segment]) -> list[Finding]:
        if in_manifest:  # its manifest names its count columns: check_manifest checks it
            for seg in segments:
                seg.tables = []
        return _scan_segments(detector(), rel, segments, threshold)

    try:
        if memo is None:
            return detect(extract())
        return memo.scan(path, rel, in_manifest, _is_vendored(rel, vendored), extract, detect)
    except _Unreadable as exc:
        return [Finding("unreadable", rel, "whole file", str(exc))]


def _is_vendored(rel: str, vendored: tuple[str, ...]) -> bool:
    return _vendored_regex(vendored).match(rel) is not None


@functools.lru_cache(maxsize=8)
def _vendored_regex(vendored: tuple[str, ...]) -> re.Pattern[str]:
    """`fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, f"*/{g}")` for any glob `g`, as one regex
    (`fnmatch.translate`; on POSIX, `fnmatch` does not change the case of names)."""
    globs = [x for g in vendored for x in (g, f"*/{g}")]
    return re.compile("|".join(f"(?:{fnmatch.translate(x)})" for x in globs) or "(?!)")


# The render engine's assets have content-hash names ("assets/img-4a88….svg"): a finding in one
# also says which pages show it.
_ASSET = re.compile(r"(?:^|/)assets/|(?:^|/)(?:img|data)-[0-9a-f]{8,}\.\w+$")


def _with_pages(findings: list[Finding], root: Path, files: list[Path]) -> list[Finding]:
    assets = {f.file for f in findings if _ASSET.search(f.file) and not f.file.endswith(".html")}
    if not assets:
        return findings
    pages: dict[str, list[str]] = {a: [] for a in assets}
    names = {a: a.rsplit("/", 1)[-1] for a in assets}
    for path in files:
        if path.suffix.lower() not in {".html", ".htm", ".xhtml"}:
            continue
        text = path.read_text("utf-8", "replace")
        for asset, name in names.items():
            if name in text:
                pages[asset].append(path.relative_to(root).as_posix())
    out = []
    for f in findings:
        shown = pages.get(f.file)
        if shown:
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            where = f"{f.location} (shown on {', '.join(shown[:3])}{more})"
            f = Finding(f.kind, f.file, where, f.masked_text)
        out.append(f)
    return out


def check_outputs(
    root: Path,
    *,
    identifiers: Iterable[str],
    names: Iterable[str],
    threshold: int = DEFAULT_THRESHOLD,
    places: Iterable[str] = (),
    vendored: Iterable[str] = VENDORED,
    cache_dir: Path | None = None,
    shipped_images: Iterable[str] = (),
) -> None:
    """Raise `PrivacyError` (with `.findings`) if `scan_outputs` finds anything under `root`;
    `cache_dir` keeps per-file work for the next check and `shipped_images` lists the digests of
    the raster files the project ships (see `scan_outputs`)."""
    findings = scan_outputs(
        root,
        identifiers=identifiers,
        names=names,
        threshold=threshold,
        places=places,
        vendored=vendored,
        cache_dir=cache_dir,
        shipped_images=shipped_images,
    )
    if findings:
        error = PrivacyError(format_findings(findings, root))
        error.findings = findings  # type: ignore[attr-defined]
        raise error


def _segments(path: Path, rel: str, vendored: tuple[str, ...]) -> list[T.Segment]:
    suffix = path.suffix.lower()
    if suffix == ".pf_fragment":
        return D.pagefind_fragment_segments(path)
    if suffix in {".pf_index", ".pf_meta", ".pf_filter"}:
        return D.pagefind_index_segments(path)
    if suffix == ".pdf":
        return D.pdf_segments(path)
    if suffix == ".xlsx":
        return D.xlsx_segments(path)
    if suffix == ".ods":
        return D.ods_segments(path)
    if suffix == ".png":
        return D.png_segments(path)
    if suffix in SKIP_SUFFIXES:
        return []
    data = path.read_bytes()
    if suffix not in TEXT_SUFFIXES and b"\0" in data[:8192]:
        return []  # an unknown binary: no text to search
    text = data.decode("utf-8", "replace")
    if suffix == ".ipynb":
        return T.notebook_segments(json.loads(text))
    is_vendored = _is_vendored(rel, vendored)
    if suffix == ".json" and not is_vendored:
        try:
            return [T.json_segment(json.loads(text))]
        except ValueError:
            pass
    return T.text_segments(text, suffix, vendored=is_vendored)


def _scan_segments(
    detector: Detector, rel: str, segments: list[T.Segment], threshold: int = DEFAULT_THRESHOLD
) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    seen_anywhere: set[tuple[str, str]] = set()

    def add(kind: str, location: str, text: str, masked: str, fallback: bool) -> None:
        if (kind, text, location) in seen or (fallback and (kind, text) in seen_anywhere):
            return
        seen.add((kind, text, location))
        seen_anywhere.add((kind, text))
        out.append(Finding(kind, rel, location, masked))

    for seg in sorted(segments, key=lambda s: s.fallback):
        found = detector.analyse(
            seg.text,
            seg.mode,
            threshold,
            one_value_per_line=seg.lines is not None,  # spreadsheet cells, JSON values
            header_lines=seg.header_lines,
        )
        for hit in found.hits:
            add(hit.kind, seg.locate(hit.start), hit.text, hit.masked, seg.fallback)
        for start, end, unit in found.counts:
            phrase = f"{seg.text[start:end].lower()} {unit}"
            add(
                "small_count",
                seg.locate(start),
                phrase,
                f"a count below {threshold} ({unit}) in text",
                seg.fallback,
            )
        headers = list(seg.headers)
        for start, line in found.headers:
            headers.append((seg.locate(start), line.split()))
        for where, cells in headers:
            cols = raw_columns(cells) or raw_header_line(" ".join(cells))
            if cols:
                if seg.label and not where.startswith(seg.label):
                    where = f"{seg.label}, {where}"
                add("raw_records", where, ",".join(cols), "columns " + ", ".join(cols), False)
        for table in seg.tables:
            if raw_columns(table.columns):
                continue  # a record listing (reported above), not a table of counts
            for row, column in small_counts(table.columns, table.rows, threshold):
                where = ", ".join(x for x in (seg.label, table.where, row) if x)
                where += f", column '{column}'"
                add("small_count", where, where, f"a count below {threshold}", False)
    return out
