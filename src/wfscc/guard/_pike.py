"""A PDF's tags (alt text), bookmarks, link targets and metadata read with pikepdf (qpdf): the
same strings as the pypdf reading in `_documents`, in the same order (the metadata lines in key
order), in about half its time; pikepdf is loaded by the build already (`wfscc.pdfpages`)."""

from __future__ import annotations

import re

import pikepdf
from pypdf.generic import create_string_object

from ._text import Segment

# What the PDF reading of `_documents` (pypdf) and this module share.
_PDF_TEXT_KEYS = ("/Alt", "/ActualText", "/T", "/E", "/Contents", "/URI", "/Title", "/Lang")
_INLINE_ALT = re.compile(rb"/(?:Alt|ActualText)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)")


def _pdf_literal(raw: bytes) -> str:
    """A PDF string token (literal or hex) as text."""
    if raw.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode() or "")
    else:
        data = re.sub(rb"\\(.)", rb"\1", raw[1:-1])
    return str(create_string_object(data)).replace("\n", " ")


def pike_segments(pdf) -> tuple[list[Segment], list[Segment]]:
    """A PDF's segments, its pages' text left empty (filled by the caller): each page's inline
    alt text and annotations (link targets), the document metadata, and the strings of the
    structure tree (alt text) and outline (bookmarks). Returns (all segments, page segments)."""
    segs, pages = [], []
    for n, page in enumerate(pdf.pages, start=1):
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Array):
            content = b"\n".join(s.read_bytes() for s in contents)
        else:
            content = contents.read_bytes() if isinstance(contents, pikepdf.Stream) else b""
        pages.append(Segment("", f"page {n}"))
        segs.append(pages[-1])
        inline = [_pdf_literal(m.group(1)) for m in _INLINE_ALT.finditer(content)]
        if inline:
            segs.append(Segment("\n".join(inline), f"page {n} alt text"))
        strings: list[str] = []
        for annot in page.obj.get("/Annots") or []:
            _pike_strings(annot, strings, set())
        if strings:
            segs.append(Segment("\n".join(strings), f"page {n} annotations"))
    lines = []
    for key, value in pdf.trailer.get("/Info", {}).items():  # by key (pypdf: file order)
        text = _pike_text(value)
        if text is not None:
            lines.append(f"{key}: {text}")
    if lines:
        segs.append(Segment("\n".join(lines), "PDF metadata"))
    root = pdf.Root
    for key, label in (("/StructTreeRoot", "PDF tags (alt text)"), ("/Outlines", "PDF bookmarks")):
        if key in root:
            strings = []
            _pike_strings(root[key], strings, set())
            if strings:  # alt text already found on its page is not reported twice
                segs.append(Segment("\n".join(strings), label, fallback=True))
    return segs, pages


def _pike_text(value) -> str | None:
    """A pikepdf string as pypdf reads it (UTF-16 or UTF-8 with a byte order mark, else
    PDFDocEncoding); None for anything else, and for bytes that are no text (pypdf's byte
    strings)."""
    if not isinstance(value, pikepdf.String):
        return None
    text = create_string_object(bytes(value))
    return str(text) if isinstance(text, str) else None


def _pike_strings(obj, out: list[str], seen: set[tuple[int, int]], depth: int = 0) -> None:
    """Collect text-bearing entries of a PDF object graph, following children only (not /P)."""
    if depth > 200 or not isinstance(obj, pikepdf.Object):
        return
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            _pike_strings(item, out, seen, depth + 1)
    elif isinstance(obj, pikepdf.Dictionary):
        keys = obj.keys()  # once: each look-up by key is a call into qpdf
        for key in _PDF_TEXT_KEYS:
            if key in keys:
                text = _pike_text(obj.get(key))
                if text is not None:
                    out.append(text.replace("\n", " "))
        action = obj.get("/A") if "/A" in keys else None
        if action is not None:
            _pike_strings(action, out, seen, depth + 1)
        for key in ("/K", "/First", "/Next"):
            if key in keys:
                _pike_strings(obj[key], out, seen, depth + 1)
