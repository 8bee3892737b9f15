"""Date a Typst PDF made by Quarto with the build's time, so that two builds give the same bytes.

The Typst CLI dates its PDFs from `SOURCE_DATE_EPOCH`, which the render sets; the Typst shim of
the offline Quarto bundle (`../shared/quarto`) ignores it and writes the time of the compile into
the document information, the XMP metadata and the document ID derived from them. `set_pdf_date`
rewrites those values in place with values of the same length (so every offset in the file
stays right): the dates become the build's, the ID a hash of the file's other bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

_INFO = re.compile(rb"/(CreationDate|ModDate)\(D:\d{14}(Z|[+-]\d\d'\d\d'?)\)")
_XMP = re.compile(rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>([^<]+)</xmp:\1>")
_INSTANCE = re.compile(rb"<xmpMM:InstanceID>([A-Za-z0-9+/=]+)</xmpMM:InstanceID>")


def set_pdf_date(path: Path, timestamp: datetime) -> None:
    """Give the PDF at *path* the date *timestamp* (see the module's doc)."""
    path = Path(path)
    data = path.read_bytes()
    when = timestamp.astimezone(UTC)

    def info(match: re.Match) -> bytes:
        value = f"/{match[1].decode()}(D:{when:%Y%m%d%H%M%S}Z)".encode()
        return value.ljust(len(match[0])) if len(value) <= len(match[0]) else match[0]

    def xmp(match: re.Match) -> bytes:
        value = f"{when:%Y-%m-%dT%H:%M:%S}+00:00".encode()
        if len(value) != len(match[2]):
            return match[0]
        return b"<xmp:%s>%s</xmp:%s>" % (match[1], value, match[1])

    data = _XMP.sub(xmp, _INFO.sub(info, data))
    instance = _INSTANCE.search(data)
    if instance is not None:
        old = instance[1]
        blank = data.replace(old, b"A" * len(old))
        digest = base64.b64encode(hashlib.md5(blank, usedforsecurity=False).digest())
        if len(digest) == len(old):
            data = blank.replace(b"A" * len(old), digest)
    path.write_bytes(data)
