"""PDF, spreadsheet (XLSX, ODS), Pagefind and PNG files as searchable segments."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree as ET

import pikepdf
from pypdf import PdfReader
from pypdf.generic import (
    DecodedStreamObject,
    NameObject,
)

from ._pike import pike_segments
from ._text import Segment, json_segment

# --- PDF -------------------------------------------------------------------------------------


def pdf_segments(path: Path) -> list[Segment]:
    """Page text (poppler's pdftotext, else pypdf), document metadata, and the strings of the
    structure tree (alt text), outline (bookmarks) and annotations (link targets).

    pdftotext runs while pikepdf (qpdf) reads the rest: the same strings pypdf finds, in the
    same order, in about half its time, and pikepdf is loaded by the build already
    (`wfscc.pdfpages`), where pypdf costs 0.2 s to import. If pdftotext is missing or fails,
    the page text is extracted with pypdf instead (slower; the rest is read by pikepdf alike)."""
    with pikepdf.open(path) as pdf, ThreadPoolExecutor(1) as pool:
        poppler = pool.submit(_poppler_pages, path, len(pdf.pages))
        segs, pages = pike_segments(pdf)
        texts = poppler.result()
    if texts is None:
        texts = _pypdf_pages(path)
    for seg, text in zip(pages, texts, strict=True):
        seg.text = text
    return segs


def _pypdf_pages(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it: the guard's page text without poppler."""
    forms: set[int] = set()
    return [_page_text(page, _content_bytes(page), forms) for page in PdfReader(str(path)).pages]


# Only what text extraction needs: text objects, the graphics state stack and transforms, and
# form XObjects (charts). Paths (most of a chart's bytes) are dropped, halving extraction time.
_TEXT_OPS = re.compile(
    rb"BT\b.*?\bET\b|(?:[-+\d.]+\s+){6}cm\b|(?<![\w/])[qQ](?![\w*'\"])"
    rb"|/[^\s/\[\]()<>{}]+\s+Do\b",
    re.S,
)


def _poppler_pages(path: Path, n_pages: int) -> list[str] | None:
    """Each page's text from poppler's ``pdftotext -layout`` when it is installed (several times
    faster than pypdf on the report; the layout mode keeps table cells apart so that a value is
    not glued to its neighbour); None when it is not installed or its pages do not match."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "-q", "-layout", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, timeout=300, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages if len(pages) == n_pages else None


def _content_bytes(page) -> bytes:
    contents = page.get_contents()
    return contents.get_data() if contents is not None else b""


def _page_text(page, content: bytes, forms: set[int]) -> str:
    """The page's text as pypdf extracts it, from a content stream cut down to text operators;
    the full stream is used if the cut-down one cannot be read."""
    try:
        slim = DecodedStreamObject()
        slim.set_data(b"\n".join(m.group() for m in _TEXT_OPS.finditer(content)))
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            form = ref.get_object()
            if form.get("/Subtype") == "/Form" and id(form) not in forms:
                forms.add(id(form))
                form.set_data(b"\n".join(m.group() for m in _TEXT_OPS.finditer(form.get_data())))
        page[NameObject("/Contents")] = slim
        return page.extract_text() or ""
    except Exception:  # an unusual stream: extract from a fresh copy of the page instead
        fresh = PdfReader(page.pdf.stream).pages[page.page_number]
        return fresh.extract_text() or ""


# --- spreadsheets ----------------------------------------------------------------------------

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def _col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _cells_segment(cells: list[tuple[str, str]], headers: list) -> Segment:
    lines = [v.replace("\n", " ").replace("\r", " ") for _, v in cells]
    return Segment(
        "\n".join(lines),
        lines=[w for w, _ in cells] or ["workbook"],
        headers=headers,
        header_lines=False,
    )


def xlsx_segments(path: Path) -> list[Segment]:
    """Cell text by sheet and cell reference; every other XML part (properties, drawings with
    alt text, comments, charts) as raw text, reporting only what the cells did not show."""
    segs = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root.findall("m:si", _NS)]
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        cells: list[tuple[str, str]] = []
        headers = []
        used = {"xl/sharedStrings.xml"}
        for sheet in wb.findall("m:sheets/m:sheet", _NS):
            title = sheet.get("name", "")
            cells.append((f"sheet name '{title}'", title))
            t = target.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            part = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
            if part not in names:
                continue
            used.add(part)
            rows: dict[int, list[str]] = {}
            for c in ET.fromstring(z.read(part)).iter(f"{{{_NS['m']}}}c"):
                ref = c.get("r", "")
                kind = c.get("t")
                if kind == "inlineStr":
                    value = "".join(c.find("m:is", _NS).itertext())
                else:
                    v = c.find("m:v", _NS)
                    if v is None or v.text is None:
                        continue
                    value = shared[int(v.text)] if kind == "s" else v.text
                cells.append((f"sheet '{title}', cell {ref}", value))
                row = int(re.sub(r"\D", "", ref) or 0)
                rows.setdefault(row, []).append(value)
            headers += [(f"sheet '{title}', row {r}", v) for r, v in sorted(rows.items())]
        segs.append(_cells_segment(cells, headers))
        for part in sorted(names - used):
            if part.endswith((".xml", ".rels", ".vml")):
                text = z.read(part).decode("utf-8", "replace")
                segs.append(
                    Segment(text, f"part {part}", "code", fallback=True, header_lines=False)
                )
    return segs


def ods_segments(path: Path) -> list[Segment]:
    """Cell text by sheet and cell reference (repeated rows and columns expanded in the count),
    plus the raw XML of every part, reporting only what the cells did not show."""
    t = f"{{{_NS['table']}}}"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rdf"))}
    cells: list[tuple[str, str]] = []
    headers = []
    root = ET.fromstring(parts.get("content.xml", b"<x/>"))
    for sheet in root.iter(f"{t}table"):
        title = sheet.get(f"{t}name", "")
        cells.append((f"sheet name '{title}'", title))
        r = 0
        for row in sheet.iter(f"{t}table-row"):
            r += 1
            c = 0
            values = []
            for cell in row:
                if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                    continue
                c += 1
                text = " ".join(s.strip() for s in cell.itertext() if s.strip())
                if text:
                    cells.append((f"sheet '{title}', cell {_col_letter(c)}{r}", text))
                    values.append(text)
                c += int(cell.get(f"{t}number-columns-repeated", "1")) - 1
            if values:
                headers.append((f"sheet '{title}', row {r}", values))
            r += int(row.get(f"{t}number-rows-repeated", "1")) - 1
    segs = [_cells_segment(cells, headers)]
    for name, data in sorted(parts.items()):
        text = data.decode("utf-8", "replace")
        segs.append(Segment(text, f"part {name}", "code", fallback=True, header_lines=False))
    return segs


# --- Pagefind --------------------------------------------------------------------------------

PAGEFIND_SIGNATURE = b"pagefind_dcd"


def _pagefind_payload(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data[len(PAGEFIND_SIGNATURE) :] if data.startswith(PAGEFIND_SIGNATURE) else data


def pagefind_fragment_segments(path: Path) -> list[Segment]:
    """A fragment is gzip(`pagefind_dcd` + JSON): the page's URL, text, meta and anchors."""
    obj = json.loads(_pagefind_payload(path).decode("utf-8"))
    url = obj.get("url", "") if isinstance(obj, dict) else ""
    return [json_segment(obj, f"fragment of {url}:" if url else "")]


def pagefind_index_segments(path: Path) -> list[Segment]:
    """Index, filter and meta files are CBOR: their text strings (single words) one per line."""
    words = [w.replace("\n", " ") for w in _cbor_strings(_pagefind_payload(path))]
    where = [f"index string {i + 1}" for i in range(len(words))] or ["index"]
    return [Segment("\n".join(words), lines=where, mode="vendored", header_lines=False)]


def _cbor_strings(data: bytes) -> list[str]:
    """Every text string in a CBOR stream (a minimal reader, enough for Pagefind's files)."""
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        major, info = data[i] >> 5, data[i] & 31
        i += 1
        if info < 24:
            length = info
        elif info in (24, 25, 26, 27):
            size = 1 << (info - 24)
            length = int.from_bytes(data[i : i + size], "big")
            i += size
        else:  # indefinite lengths and "break": nothing to read
            continue
        if major == 3:
            out.append(data[i : i + length].decode("utf-8", "replace"))
            i += length
        elif major == 2:
            i += length
    return out


# --- PNG -------------------------------------------------------------------------------------


def png_segments(path: Path) -> list[Segment]:
    """PNG text chunks (tEXt, zTXt, iTXt): titles, descriptions, software."""
    data = path.read_bytes()
    out = []
    i = 8
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        body = data[i + 8 : i + 8 + length]
        i += 12 + length
        if kind == b"tEXt":
            out.append(body.replace(b"\0", b": ").decode("latin-1"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            out.append(key.decode("latin-1") + ": " + zlib.decompress(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            flag, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\0")
            _, _, text = rest.partition(b"\0")
            text = zlib.decompress(text) if flag else text
            out.append(key.decode("latin-1") + ": " + text.decode("utf-8", "replace"))
        elif kind == b"IEND":
            break
    return [Segment("\n".join(out), "PNG text")] if out else []
