"""The PDFs: pandoc's Typst writer with our templates, compiled by Typst as PDF/UA-1.

Fonts: Typst's embedded fonts plus DejaVu Sans from matplotlib's bundled fonts (a project
dependency), with system fonts ignored, so the PDF does not depend on the machine.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

from ._chapters import Page, slug
from ._pandoc import meta_raw, meta_str, resource, run_pandoc, text_inlines, walk
from ._project import Book, RenderError


def font_paths() -> list[str]:
    """Font folders given to Typst: matplotlib's bundled DejaVu fonts."""
    import matplotlib

    return [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


def typst_str(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dedupe_ids(pages: list[Page]) -> dict[str, str]:
    """Give headings unique ids across the combined document; fix links; return anchors."""
    used: set[str] = set()
    renames: dict[tuple[str, str], str] = {}
    for page in pages:
        html = str(page.chapter.html)
        for el in walk(page.doc["blocks"]):
            if el["t"] != "Header" or not el["c"][1][0]:
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
    for page in pages:
        html = str(page.chapter.html)
        page.anchor = renames.get((html, page.anchor), page.anchor)
        for el in walk(page.doc["blocks"]):
            if el["t"] != "Link":
                continue
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
    pages = [Page(p.chapter, copy.deepcopy(p.doc), p.label, p.title, p.anchor) for p in pages]
    anchors = _dedupe_ids(pages)
    blocks: list = []
    part = None
    for i, page in enumerate(pages):
        ch = page.chapter
        if i:
            blocks.append({"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]})
        if ch.part is not None and ch.part != part:
            ident = "part-" + slug(ch.part)
            blocks.append({"t": "Header", "c": [1, [ident, ["wfscc-part"], []],
                                                text_inlines(ch.part)]})
            blocks.append({"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]})
        part = ch.part
        if ch.part is not None:
            shift_headings(page.doc["blocks"], 1)
        blocks.extend(page.doc["blocks"])
    return blocks, anchors


def _compile(typ: Path, pdf: Path, timestamp: datetime) -> None:
    import typst

    try:
        typst.compile(str(typ), output=str(pdf), root=str(typ.parent), font_paths=font_paths(),
                      ignore_system_fonts=True, pdf_standards=["ua-1"], timestamp=timestamp)
    except Exception as exc:  # typst raises its own TypstError types
        detail = getattr(exc, "diagnostic", None) or exc
        raise RenderError(f"{typ.name}: Typst could not compile the PDF:\n{detail}") from exc


def render_pdf(meta: dict, blocks: list, anchors: dict[str, str], template: str, build: Path,
               pdf: Path, timestamp: datetime, api_version: list) -> Path:
    """Write *blocks* through pandoc's Typst writer and *template*, then compile to *pdf*."""
    config = {"target": "typst", "root": "", "page": "", "anchors": anchors}
    meta = dict(meta, **{"wfscc-config": meta_str(json.dumps(config, sort_keys=True))})
    doc = {"pandoc-api-version": api_version, "meta": meta, "blocks": blocks}
    args = ["-f", "json", "-t", "typst", "--template", str(resource("templates", template)),
            "--lua-filter", str(resource("filters", "render.lua")),
            "--syntax-highlighting=none", "--wrap=none"]
    source = run_pandoc(args, json.dumps(doc), cwd=build, what=template)
    typ = build / (pdf.stem + ".typ")
    typ.write_text(source, encoding="utf-8")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    _compile(typ, pdf, timestamp)
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
