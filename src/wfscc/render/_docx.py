"""The review copy: `report.docx` and `summary.docx`, for comments and tracked changes.

Made by pandoc from the same numbered syntax trees as the PDFs (headings, tables, figures with
their alt text as the picture's description, captions). The first paragraph says that it is a
review copy, not the publication. Byte-identical across builds: the zip entries get one fixed
date and `docProps/core.xml` the build's timestamp.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

from ._memo import Memo, asset_parts
from ._pandoc import pandoc_command, pandoc_key, text_inlines, walk
from ._project import RenderError

NOTICE = (
    "Review copy for comments. This is not the publication: the published report is the "
    "PDF. Numbers, tables and figures come from the same build."
)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _clean(blocks: list) -> list:
    """Drop raw Typst/HTML blocks; make the engine's page links plain text."""
    out = [b for b in blocks if not (b["t"] == "RawBlock" and b["c"][0] in ("typst", "html"))]
    for el in walk(out):
        if el["t"] == "Link" and el["c"][2][0].startswith("wfscc:"):
            el["c"][2][0] = "#" + (el["c"][2][0].split("#", 1) + [""])[1]
    return out


def _normalise(path: Path) -> None:
    """Rewrite the zip with fixed entry dates and sorted-as-written entries."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def write_docx(
    blocks: list,
    title: str,
    api: list,
    out: Path,
    cwd: Path,
    timestamp: datetime,
    memo: Memo | None = None,
    *,
    own: bool = False,
) -> Path:
    """Write *blocks* (the engine's numbered tree) as a review-copy docx at *out*; with *memo*,
    a copy made before from the same tree, images and timestamp is reused. *own*: nothing else
    reads *blocks* (now or later), so they are changed in place instead of copied (the
    report of 150 LAs: 0.6 s of CPU)."""
    notice = {"t": "Para", "c": [{"t": "Strong", "c": text_inlines(NOTICE)}]}
    doc = {
        "pandoc-api-version": api,
        "meta": {
            "title": {"t": "MetaInlines", "c": text_inlines(title)},
            "date": {"t": "MetaInlines", "c": text_inlines(timestamp.date().isoformat())},
        },
        "blocks": [notice, *_clean(blocks if own else json.loads(json.dumps(blocks)))],
    }
    memo = memo or Memo(None)
    source = json.dumps(doc)
    key = pandoc_key(memo, "docx", source, timestamp.isoformat(), *asset_parts(source, cwd))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(memo.bytes("docx", key, lambda: _make(source, out, cwd, timestamp)))
    return out


def _make(source: str, out: Path, cwd: Path, timestamp: datetime) -> bytes:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(timestamp.timestamp())))
    proc = subprocess.run(
        pandoc_command("-f", "json", "-t", "docx", "-o", str(out)),
        input=source,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RenderError(
            f"{out.name}: pandoc could not write the review copy: {proc.stderr.strip()}"
        )
    _normalise(out)
    return out.read_bytes()


def set_docx_date(path: Path, timestamp: datetime) -> None:
    """Date a docx made elsewhere (Quarto's review copy) with the build's *timestamp* in
    `docProps/core.xml` and give its zip entries the fixed date (see `_normalise`), so two
    builds give the same bytes."""
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            zout.writestr(name, data)
    _normalise(path)
