"""Decode a CSV file's bytes, or say in one sentence why it is not text the build can read.

Supported (docs/contracts.md): UTF-8, with or without a byte-order mark (BOM); UTF-16 with a BOM;
and, for files saved by older spreadsheet programs, Windows-1252 when the bytes are not UTF-8.
Anything else is one problem for the whole file, "not a text file in a supported encoding (UTF-8)",
saying what the file looks like (an image, a workbook, UTF-16 without a BOM, binary data) and what
to do, instead of a list of garbled column names. A control character here and there in a file
that decodes cleanly is not an encoding problem: it is a problem of its cell (``_text``).
"""

from __future__ import annotations

import io
import re
import zipfile

_SAMPLE = 65536  # bytes looked at to tell text from binary data
_UTF16_NULS = 0.3  # share of NULs at odd (or even) byte positions that means UTF-16 without a BOM
_UTF8_CONTROLS = 0.1  # share of control characters above which valid UTF-8 is binary data
_CP1252_CONTROLS = 0.01  # the same for bytes that are not UTF-8 (weaker evidence of text)
_CP1252_NON_ASCII = 0.3  # share of non-ASCII characters above which Windows-1252 "text" is junk
_MIN_CONTROLS = 16  # fewer control characters than this are problems of their cells, never binary
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RESAVE = "save it again as CSV UTF-8 (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)')"

#: Leading bytes of formats people save or rename by mistake: (signature, what it is, suffix to
#: use instead or None).
_SIGNATURES: tuple[tuple[bytes, str, str | None], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", None),
    (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF87a", "a GIF image", None),
    (b"GIF89a", "a GIF image", None),
    (b"%PDF-", "a PDF document", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls) or Office file", None),
    (b"PAR1", "a Parquet file", ".parquet"),
    (b"$FL2", "an SPSS data file", ".sav"),
    (b"$FL3", "an SPSS data file", ".sav"),
    (b"\x1f\x8b", "a gzip-compressed file", None),
    (b"\x00\x00\xfe\xff", "UTF-32 text", None),
    (b"\xff\xfe\x00\x00", "UTF-32 text", None),
)


class NotText(Exception):
    """The bytes are not text in a supported encoding; says what they are and the fix."""

    def __init__(self, what: str, fix: str):
        self.what, self.fix = what, fix
        super().__init__(f"not a text file in a supported encoding (UTF-8): {what}; {fix}")


def decode(data: bytes, name: str = "data.csv") -> str:
    """Decode CSV bytes (``name``: the file's name, for advice); raise ``NotText`` if not text."""
    stem = name.rsplit(".", 1)[0]
    _check_signature(data, stem)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotText("it starts like UTF-16 but is not valid UTF-16", _RESAVE) from None
        return _checked(text, _UTF8_CONTROLS, stem)
    _check_utf16_without_bom(data, stem)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _checked(data.decode("utf-8"), _UTF8_CONTROLS, stem)
    except UnicodeDecodeError:
        pass
    junk = NotText("its bytes are not UTF-8, and as Windows-1252 they do not read as text", _RESAVE)
    try:
        text = data.decode("cp1252")  # fails on the five bytes Windows-1252 leaves undefined
    except UnicodeDecodeError:
        raise junk from None
    sample = text[:_SAMPLE]
    if sum(ord(ch) > 0x7F for ch in sample) > _CP1252_NON_ASCII * len(sample):
        raise junk  # Western text is mostly ASCII; this is random bytes or another encoding
    return _checked(text, _CP1252_CONTROLS, stem)


def _checked(text: str, share: float, stem: str) -> str:
    """``text``, unless more than ``share`` of its characters are control characters."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROLS.findall(sample))
    if controls >= _MIN_CONTROLS and controls > share * len(sample):
        raise NotText("it holds binary data, not text", _replace(stem))
    return text


def _replace(stem: str) -> str:
    return f"replace it with the {stem} table saved as CSV UTF-8"


def _check_utf16_without_bom(data: bytes, stem: str) -> None:
    sample = data[:_SAMPLE]
    if len(sample) < 4:
        return
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if max(even_nuls, odd_nuls) > _UTF16_NULS and min(even_nuls, odd_nuls) < _UTF16_NULS / 3:
        order = "little-endian" if odd_nuls > even_nuls else "big-endian"
        raise NotText(f"it looks like UTF-16 ({order}) without a byte-order mark", _RESAVE)
    if (even_nuls + odd_nuls) / 2 > _UTF16_NULS:
        raise NotText("it holds binary data (mostly NUL bytes), not text", _replace(stem))


def _check_signature(data: bytes, stem: str) -> None:
    if data.startswith(b"PK\x03\x04"):
        raise NotText(*_zip_kind(data, stem))
    for signature, what, suffix in _SIGNATURES:
        if data.startswith(signature):
            if suffix is not None:
                fix = f"if it holds the table, rename it to {stem}{suffix}"
            elif what.startswith("UTF-32"):
                fix = _RESAVE
            else:
                fix = _replace(stem)
            raise NotText(f"it is {what}", fix)


def _zip_kind(data: bytes, stem: str) -> tuple[str, str]:
    """What a ZIP container is (an Excel workbook, an OpenDocument spreadsheet, an archive)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        names, mimetype = set(), b""
    if "xl/workbook.xml" in names:
        return "it is an Excel workbook (.xlsx)", f"rename it to {stem}.xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        return "it is an OpenDocument spreadsheet (.ods)", f"save it as {stem}.xlsx or as CSV UTF-8"
    return "it is a ZIP archive", f"unzip it and use the {stem} CSV file inside"
