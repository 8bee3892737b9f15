"""The PDFs: pandoc's Typst writer with our templates, compiled by Typst as PDF/UA-1.

Fonts: Typst's embedded fonts plus DejaVu Sans from matplotlib's bundled fonts (a project
dependency), with system fonts ignored, so the PDF does not depend on the machine.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import gc
import importlib.util
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from functools import partial
from pathlib import Path

from ._chapters import Page, slug
from ._memo import Memo, asset_parts, folder_digest, package_identity
from ._pandoc import (
    meta_raw,
    meta_str,
    pandoc_key,
    resource,
    run_pandoc,
    text_inlines,
    walk,
)
from ._project import Book, RenderError


def font_paths() -> list[str]:
    """Font folders given to Typst: matplotlib's bundled DejaVu fonts (found without importing
    matplotlib, which is slow to import: its data folder is `mpl-data` beside its code)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RenderError("matplotlib is not installed; its DejaVu fonts are needed for the PDFs")
    return [str(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf")]


def typst_str(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


#: A Typst comment before each page's blocks, so that a compile error can name the page.
PAGE_MARK = "// wfscc-page: "


def page_mark(page: Page) -> dict:
    """The raw Typst block that marks where *page* starts in a combined document."""
    return {"t": "RawBlock", "c": ["typst", PAGE_MARK + str(page.chapter.html)]}


def _copy_finding(page: Page) -> tuple[Page, tuple[list[dict], list[dict]]]:
    """A copy of *page* whose blocks the caller may change, and the headings and links of the
    copy, in document order: found while the copy is decoded (each element is complete before
    the next one starts, and a heading holds no heading), which is cheaper than a walk."""
    headers: list[dict] = []
    links: list[dict] = []

    def hook(el: dict) -> dict:
        t = el.get("t")
        if t == "Header":
            headers.append(el)
        elif t == "Link":
            links.append(el)
        return el

    # A copy through JSON: the trees are JSON data, and this is much faster than deepcopy.
    blocks = json.loads(json.dumps(page.doc["blocks"]), object_hook=hook)
    copy = Page(page.chapter, {**page.doc, "blocks": blocks}, page.label, page.title, page.anchor)
    return copy, (headers, links)


def _dedupe_ids(pages: list[Page], found: list[tuple[list[dict], list[dict]]]
                ) -> dict[str, str]:
    """Give headings unique ids across the combined document; fix links; return anchors.
    *found*: each page's headings and links (`_copy_finding`)."""
    used: set[str] = set()
    renames: dict[tuple[str, str], str] = {}
    for page, (headers, _) in zip(pages, found, strict=True):
        html = str(page.chapter.html)
        for el in headers:
            if not el["c"][1][0]:
                continue
            ident = new = el["c"][1][0]
            n = 1
            while new in used:
                n += 1
                new = f"{ident}-{n}"
            used.add(new)
            if new != ident:
                renames[(html, ident)] = new
                el["c"][1][0] = new
    for page, (_, links) in zip(pages, found, strict=True):
        html = str(page.chapter.html)
        page.anchor = renames.get((html, page.anchor), page.anchor)
        for el in links:
            target = el["c"][2]
            if target[0].startswith("#"):
                target[0] = "#" + renames.get((html, target[0][1:]), target[0][1:])
            elif target[0].startswith("wfscc:"):
                other, _, frag = target[0][6:].partition("#")
                if frag:
                    target[0] = f"wfscc:{other}#{renames.get((other, frag), frag)}"
    return {str(p.chapter.html): p.anchor for p in pages}


def shift_headings(blocks: list, by: int) -> None:
    """Move every heading in *blocks* down (or up, with a negative *by*) by *by* levels."""
    for el in walk(blocks):
        if el["t"] == "Header":
            el["c"][0] = max(1, min(6, el["c"][0] + by))


def combine(pages: list[Page]) -> tuple[list, dict[str, str]]:
    """All chapters as one block list, parts as level-1 headings over their chapters."""
    copies = [_copy_finding(page) for page in pages]
    pages = [page for page, _ in copies]
    found = [headings_and_links for _, headings_and_links in copies]
    anchors = _dedupe_ids(pages, found)
    headers = [h for h, _ in found]
    blocks: list = []
    part = None
    for i, page in enumerate(pages):
        ch = page.chapter
        if i:
            blocks.append({"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]})
        if ch.part is not None and ch.part != part and not ch.part_page:
            ident = "part-" + slug(ch.part)
            blocks.append({"t": "Header", "c": [1, [ident, ["wfscc-part"], []],
                                                text_inlines(ch.part)]})
            blocks.append({"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]})
        part = ch.part
        if ch.part is not None and not ch.part_page:  # a part page's heading is the part's
            for el in headers[i]:  # as shift_headings(page.doc["blocks"], 1)
                el["c"][0] = max(1, min(6, el["c"][0] + 1))
        blocks.append(page_mark(page))
        blocks.extend(page.doc["blocks"])
    return blocks, anchors


COMPILE_OPTIONS = {"ignore_system_fonts": True, "pdf_standards": ["ua-1"]}


_AT = re.compile(r"\S*?([\w.-]+\.typ):(\d+):(\d+)")
_SHOWN_ERRORS = 1  # the first error; those after it are most often its echoes


def compile_failure(pdf_name: str, typ_name: str, source: str, detail: str) -> str:
    """Typst's diagnostic for a failed compile, in the user's terms: the page each error is on
    (from the page marks), Typst's own words, no temporary paths; the first error only."""
    lines = source.splitlines()
    errors = [e.strip() for e in re.split(r"\n(?=error:)", str(detail).strip()) if e.strip()]
    shown = []
    for error in errors[:_SHOWN_ERRORS]:
        at = _AT.search(error)
        page = None
        if at and at.group(1) == typ_name:
            before = lines[: int(at.group(2))]
            page = next((x[len(PAGE_MARK):] for x in reversed(before) if x.startswith(PAGE_MARK)),
                        None)
        error = _AT.sub(lambda m: f"{m.group(1)}:{m.group(2)}:{m.group(3)}", error)
        shown.append((f"on page {page}: " if page else "") + error)
    more = len(errors) - len(shown)
    tail = f"\n(and {more} more error{'s' if more != 1 else ''})" if more > 0 else ""
    return (f"{pdf_name}: Typst could not compile the PDF; a page's text may hold something "
            "Typst cannot set:\n" + "\n".join(shown) + tail)


#: The script that compiles one PDF in a short-lived process of its own (see there)
RUNNER = Path(__file__).with_name("_typst_run.py")


#: A document of at least this many top-level blocks is large (the report of 150 LAs has 5,089,
#: 1.5 million characters of Typst; the shipped data's 609, 0.17 million): before it is
#: compiled, the memory this process has let go of is handed back (:func:`release_memory`), and
#: the report's review copy is made after its PDF, not beside it (`_engine`).
LARGE_BLOCKS = 3_000


def is_large(blocks: list) -> bool:
    """Whether the document of *blocks* is large (:data:`LARGE_BLOCKS`)."""
    return len(blocks) >= LARGE_BLOCKS


def compile_pdf(typ: Path, pdf: Path, timestamp: datetime, *, release: bool = False) -> None:
    """Compile *typ* to *pdf* in a process of its own (:mod:`._typst_run`), the same bytes as
    ``typst.compile`` in this process gives. The report of 150 LAs takes Typst about 0.8 GB,
    which it keeps until its process ends: in the build process it came on top of all the build
    held and stayed there (the build's peak, 1.5 to 1.65 GB); in its own process it is given
    back as soon as the PDF is written. With *release* (a large document), what this process
    has let go of is handed back to the system first, as that is when the two are at their
    largest together; it costs a garbage collection (0.1 to 0.2 s of CPU at 150 LAs, with the
    lock that Python threads share held), which a small document does not repay."""
    request = {"input": str(typ), "output": str(pdf), "root": str(typ.parent),
               "font_paths": font_paths(), "timestamp": timestamp.isoformat(), **COMPILE_OPTIONS}
    if release:
        release_memory()
    # Two malloc arenas for Typst's threads, not one each: 45 MB less at the same speed
    # -P: the script's folder (this package's modules) is not put first on the child's path
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    done = subprocess.run([sys.executable, "-P", str(RUNNER), json.dumps(request)], env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          check=False)
    if done.returncode == 1 and done.stdout.strip():
        source = typ.read_text(encoding="utf-8")
        raise RenderError(compile_failure(pdf.name, typ.name, source, done.stdout))
    if done.returncode != 0:  # killed (short of memory?) or Typst missing
        raise RenderError(f"{pdf.name}: Typst's process ended with status {done.returncode}: "
                          + (done.stderr.strip()[-2000:] or "no message"))


def release_memory() -> None:
    """Collect garbage and give the C library's free heap pages back to the system (glibc's
    ``malloc_trim``; nothing elsewhere): 50 to 70 MB of the build's 0.7 GB before the report
    is compiled."""
    gc.collect()
    with contextlib.suppress(AttributeError, OSError, TypeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


# A path in the media or assets folder, as a compile's source names it; looked for at every place
_MEDIA_PATH = re.compile(r"(?=((?:assets|media)/[\w.-]+))")
_MEDIA_NAME = re.compile(r"(?:assets|media)/[\w.-]+")


def named_files(source: str, files: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The (relative path, path) pairs of *files* whose relative path is in *source*: ``rel in
    source``, but a media or asset path is looked up among the paths *source* names, found in
    one pass (the report of 150 LAs names 456 of 1,800 files in 1.5 MB: 0.3 s of CPU for a
    search of the whole source per file, 0.03 s this way)."""
    paths = sorted(set(_MEDIA_PATH.findall(source)))

    def named(rel: str) -> bool:
        if not _MEDIA_NAME.fullmatch(rel):
            return rel in source
        i = bisect.bisect_left(paths, rel)
        return i < len(paths) and paths[i].startswith(rel)

    return [(rel, path) for rel, path in files if named(rel)]


def _compile_key(memo: Memo, typ: Path, source: str, timestamp: datetime) -> str:
    """Everything a compile reads: the source, the files under its root that the source names
    (images), the fonts, the timestamp, the options and Typst itself."""
    root = typ.parent
    files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*")
                   if p.is_file() and p != typ)
    named = [part for rel, path in named_files(source, files) for part in (rel, path.read_bytes())]
    return memo.key("pdf", source, timestamp.isoformat(), json.dumps(COMPILE_OPTIONS),
                    *compile_identity(), *named)


def compile_identity() -> tuple[str, ...]:
    """The parts of every compile's key that no document changes: Typst itself and the fonts
    (each remembered by this process once found: reading the fonts takes about 0.02 s)."""
    return (package_identity("typst", "typst"), *(folder_digest(Path(f)) for f in font_paths()))


def _slot_token(name: str) -> str:
    return "WfsccSlot" + name.replace("-", "")  # a word the Typst writer leaves as it is


def _slot_text(name: str, value: dict, api_version: list, folder: Path, memo: Memo) -> str:
    """The meta *value* as pandoc's Typst writer puts `$name$` into a template."""
    template = folder / f"slot-{name}.typ"
    template.write_text(f"${name}$", encoding="utf-8")
    doc = json.dumps({"pandoc-api-version": api_version, "meta": {name: value}, "blocks": []})
    args = ["-f", "json", "-t", "typst", "--wrap=none"]
    key = pandoc_key(memo, "typst", doc, *args, "slot", name) if memo.enabled else ""
    out = memo.text("typst", key, lambda: run_pandoc([*args, "--template", str(template)], doc,
                                                      what=name))
    return out.removesuffix("\n")


def render_pdf(meta: dict, blocks: list, anchors: dict[str, str], template: str, build: Path,
               pdf: Path, timestamp: datetime, api_version: list,
               memo: Memo | None = None, slots: tuple[str, ...] = ()) -> Path:
    """Write *blocks* through pandoc's Typst writer and *template*, then compile to *pdf*.

    With *memo*, the Typst source and the PDF made before from the same inputs are reused.
    *slots*: names of one-line *meta* values that change from build to build (the colophon's
    provenance): the document goes through pandoc with a placeholder for each, and each value
    on its own, so that the document's conversion made before is reused.
    """
    memo = memo or Memo(None)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    filled = {_slot_token(name): _slot_text(name, meta[name], api_version, pdf.parent, memo)
              for name in slots if name in meta}
    config = {"target": "typst", "root": "", "page": "", "anchors": anchors}
    meta = dict(meta, **{"wfscc-config": meta_str(json.dumps(config, sort_keys=True))},
                **{name: meta_str(_slot_token(name)) for name in slots if name in meta})
    doc = json.dumps({"pandoc-api-version": api_version, "meta": meta, "blocks": blocks})
    args = ["-f", "json", "-t", "typst", "--template", str(resource("templates", template)),
            "--lua-filter", str(resource("filters", "render.lua")),
            "--syntax-highlighting=none", "--wrap=none"]
    key = pandoc_key(memo, "typst", doc, *args, *asset_parts(doc, build)) \
        if memo.enabled else ""
    source = memo.text("typst", key, partial(run_pandoc, args, doc, cwd=build,
                                                     what=template))
    release = is_large(blocks)
    del doc, blocks  # not needed while Typst compiles
    for token, text in filled.items():
        source = source.replace(token, text)
    typ = build / (pdf.stem + ".typ")
    typ.write_text(source, encoding="utf-8")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    if not memo.enabled:
        compile_pdf(typ, pdf, timestamp, release=release)
        return pdf

    compiled = []

    def compiled_bytes() -> bytes:
        compile_pdf(typ, pdf, timestamp, release=release)
        compiled.append(pdf)
        return pdf.read_bytes()

    data = memo.bytes("pdf", _compile_key(memo, typ, source, timestamp), compiled_bytes)
    if not compiled:
        pdf.write_bytes(data)
    return pdf


def common_meta(book: Book, title: str, authors: list[str]) -> dict:
    """Template variables both PDFs use."""
    author_list = "(" + "".join(typst_str(a) + ", " for a in authors) + ")"
    return {
        "wfscc-title": meta_raw("typst", typst_str(title)),
        "wfscc-authors": meta_raw("typst", author_list),
        "wfscc-authors-text": meta_str(" and ".join(
            [", ".join(authors[:-1]), authors[-1]] if len(authors) > 1 else authors)),
        "wfscc-date": meta_str(book.date),
        "wfscc-subtitle": meta_str(book.subtitle),
        "wfscc-short-title": meta_str(book.title),
    }


#: `wfscc.publication` keys shown on the report's title page and verso
PUBLICATION_KEYS = ("series", "number", "isbn", "publisher", "research-by", "copyright",
                    "licence", "licence-url")


def publication_meta(book: Book) -> dict:
    """Template variables for the title page and verso: `wfscc-pub-<key>`, set when given."""
    return {f"wfscc-pub-{key}": meta_str(book.publication[key])
            for key in PUBLICATION_KEYS if book.publication.get(key)}
