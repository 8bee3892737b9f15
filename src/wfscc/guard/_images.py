"""Raster images: text in pixels cannot be read by the guard, so they are not published.

Charts drawn with the `wfscc.outputs.charts` helpers (shown with
`wfscc.notebook.display.show_chart`) are SVG: their text, alt text and protected data are searched
like any page. A PNG, JPEG, GIF or WebP image that a notebook shows (`plt.plot` with the inline
backend, `IPython.display.Image`), a raster file in the output, or a raster image embedded as a
data URI in a page, an SVG or a stylesheet is a finding, unless its bytes are those of a file the
project ships (a logo under `report/`, say).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..contract import CACHE_DIRNAME
from ..memo import sha256
from ._finding import Finding

RASTER_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff")
RASTER_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".jpe", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".avif", ".ico"}
)
# Files whose text may embed a raster image as a data URI.
_EMBEDDING = frozenset({".html", ".htm", ".xhtml", ".svg", ".css", ".js", ".mjs", ".json", ".xml"})
_DATA_URI = re.compile(rb"data:image/(png|jpeg|jpg|gif|webp|bmp|tiff|avif)\s*[;,]", re.I)
_NOTEBOOK_MARK = re.compile(rb'"image/(?:png|jpeg|gif|webp|bmp|tiff)"')
# Folders of a project that are never shipped content (outputs, caches, environments).
_NOT_SHIPPED = {"_book", CACHE_DIRNAME, ".git", ".venv", "venv", "node_modules", "__pycache__"}
_MAX_SHIPPED_BYTES = 20 * 2**20


def digest(data: bytes) -> str:
    return sha256(data).hexdigest()


def shipped_images(project: Path | None) -> frozenset[str]:
    """The sha256 digests of the raster files a project ships (its own sources, not its outputs,
    caches, environments or hidden folders): the only raster images the guard lets through."""
    if project is None:
        return frozenset()
    out = set()
    for folder, dirs, names in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SHIPPED and not d.startswith("."))
        for name in names:
            path = Path(folder, name)
            if (
                path.suffix.lower() in RASTER_SUFFIXES
                and path.is_file()
                and path.stat().st_size <= _MAX_SHIPPED_BYTES
            ):
                out.add(digest(path.read_bytes()))
    return frozenset(out)


def _fix(where: str) -> str:
    return f"a raster image ({where}) cannot be checked for personal data"


def raster_findings(root: Path, files: Iterable[Path], shipped: frozenset[str]) -> list[Finding]:
    """Every raster image under `root` that the project does not ship: raster files, raster data
    URIs in text files and image outputs of executed notebooks."""
    out: list[Finding] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix in RASTER_SUFFIXES:
            if digest(path.read_bytes()) not in shipped:
                out.append(Finding("raster_image", rel, "whole file", _fix(suffix[1:].upper())))
        elif suffix == ".ipynb":
            out += notebook_rasters(path.read_bytes(), rel, shipped)
        elif suffix in _EMBEDDING:
            data = path.read_bytes()
            if b"data:image/" not in data.lower():
                continue  # what every match starts with (in ASCII, any case, as `re.I` on bytes)
            for m in _DATA_URI.finditer(data):
                if _embedded_digest(data, m.end()) in shipped:
                    continue
                line = data.count(b"\n", 0, m.start()) + 1
                mime = "image/" + m.group(1).decode().lower()
                out.append(Finding("raster_image", rel, f"line {line}", _fix(f"{mime} data URI")))
    return out


def _embedded_digest(data: bytes, at: int) -> str | None:
    """The digest of a base64 data URI's bytes, from just after its MIME type."""
    m = re.match(rb"(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)", data[at - 1 :])
    if not m:
        return None
    try:
        return digest(base64.b64decode(re.sub(rb"\s", b"", m.group(1))))
    except (binascii.Error, ValueError):
        return None


def notebook_rasters(data: bytes, rel: str, shipped: frozenset[str] = frozenset()) -> list[Finding]:
    """The raster outputs of a notebook, each located by LA, cell number and id, and output."""
    if not _NOTEBOOK_MARK.search(data):
        return []  # the common case: no need to parse the notebook
    try:
        nb = json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return []  # reported as unreadable by the text scan
    la = _la_of(nb) or Path(rel).stem
    out = []
    for i, cell in enumerate(nb.get("cells", []) or [], start=1):
        cell_id = cell.get("id")
        where = f"LA {la}, cell {i}" + (f" (id {cell_id})" if cell_id else "")
        for j, output in enumerate(cell.get("outputs", []) or [], start=1):
            for mime, value in (output.get("data") or {}).items():
                if mime.lower() not in RASTER_MIMES:
                    continue
                payload = "".join(value) if isinstance(value, list) else str(value)
                try:
                    if digest(base64.b64decode(payload)) in shipped:
                        continue
                except (binascii.Error, ValueError):
                    pass
                out.append(
                    Finding("raster_image", rel, f"{where}, output {j} ({mime})", _fix(mime))
                )
    return out


def _la_of(nb: dict) -> str | None:
    """The `la_code` parameter Papermill injected into an executed notebook."""
    params = (nb.get("metadata") or {}).get("papermill", {}).get("parameters") or {}
    if isinstance(params, dict) and isinstance(params.get("la_code"), str):
        return params["la_code"]
    for tag in ("injected-parameters", "parameters"):
        for cell in nb.get("cells", []) or []:
            if tag in ((cell.get("metadata") or {}).get("tags") or []):
                source = cell.get("source", "")
                source = "".join(source) if isinstance(source, list) else str(source)
                m = re.search(r"""la_code\s*=\s*["']([^"']+)["']""", source)
                if m:
                    return m.group(1)
    return None
