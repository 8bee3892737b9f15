"""Write generated tables as CSV, Excel, Parquet or SPSS, byte for byte the same on every run.

CSV (the default) is written with ``\\n`` line ends, ISO dates, 0/1 flags and weights with four
decimals. Excel files get fixed document dates and zip timestamps; SPSS files a fixed creation
stamp in the header, so that the same seed gives the same bytes in every format.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import CODE_COLUMNS, PUBLICATION_DATE, SPEC

FORMATS = ("csv", "xlsx", "parquet", "sav")


def _text_columns(stem: str, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every cell as the text that goes in a CSV file (blank for missing), quoted where needed."""
    out = {}
    for col in SPEC[stem]:
        values = frame[col.name]
        if col.kind == "date":
            text = np.datetime_as_string(values.to_numpy().astype("datetime64[D]"), unit="D")
            out[col.name] = np.where(text == "NaT", "", text)
        elif col.kind == "flag":
            out[col.name] = np.where(values.to_numpy(dtype=bool), "1", "0")
        elif col.kind == "float":
            out[col.name] = _fixed4(values.to_numpy(dtype=float))
        elif col.kind == "int":
            missing = values.isna().to_numpy()
            number = values.fillna(0).to_numpy(dtype=np.int64).astype(str)
            out[col.name] = np.where(missing, "", number)
        else:
            out[col.name] = _strings(values)
    return out


def _strings(values: pd.Series) -> np.ndarray:
    """Text cells as a numpy string array ('' for missing); categoricals without a round trip."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = _quote(np.append(np.asarray(values.cat.categories, dtype=str), ""))
        return labels[values.cat.codes.to_numpy()]  # code -1 (missing) picks the final ''
    return _quote(values.fillna("").to_numpy().astype(str))


def _fixed4(values: np.ndarray) -> np.ndarray:
    """Non-negative numbers with exactly four decimals, vectorised (``1.2500``)."""
    scaled = np.round(values * 10_000).astype(np.int64)
    whole = (scaled // 10_000).astype(str)
    return np.strings.add(
        np.strings.add(whole, "."), np.strings.zfill((scaled % 10_000).astype(str), 4)
    )


def _quote(text: np.ndarray) -> np.ndarray:
    """CSV minimal quoting: fields with a comma, quote or line break are quoted, quotes doubled."""
    needs = np.zeros(len(text), dtype=bool)
    for ch in (",", '"', "\n", "\r"):
        needs |= np.strings.find(text, ch) >= 0
    if not needs.any():
        return text
    quoted = np.strings.add(np.strings.add('"', np.strings.replace(text, '"', '""')), '"')
    return np.where(needs, quoted, text)


def _write_csv(stem: str, frame: pd.DataFrame, path: Path) -> None:
    """Header and rows joined with commas and ``\\n`` (what ``DataFrame.to_csv`` writes, faster)."""
    cols = _text_columns(stem, frame)
    lines = map(",".join, zip(*(text.tolist() for text in cols.values()), strict=True))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(cols) + "\n")
        for line in lines:
            out.write(line)
            out.write("\n")


def write_table(stem: str, frame: pd.DataFrame, out_dir: Path, fmt: str) -> Path:
    """Write one typed table; return the file written."""
    path = out_dir / f"{stem}.{fmt}"
    if fmt == "csv":
        _write_csv(stem, frame, path)
    elif fmt == "parquet":
        _plain(stem, frame).to_parquet(path, index=False, engine="pyarrow", compression="zstd")
    elif fmt == "xlsx":
        _write_xlsx(stem, frame, path)
    elif fmt == "sav":
        _write_sav(stem, frame, path)
    else:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return path


def _plain(stem: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Typed columns as Parquet/SPSS hold them: flags 0/1, dates at day resolution."""
    out = frame[[c.name for c in SPEC[stem]]].copy()
    for col in SPEC[stem]:
        if col.kind == "flag":
            out[col.name] = out[col.name].astype(np.int8)
        elif col.kind == "date":
            out[col.name] = pd.to_datetime(out[col.name]).astype("datetime64[ms]")
        elif col.kind == "str":
            out[col.name] = out[col.name].astype(object).where(out[col.name].notna(), None)
    return out


def _write_xlsx(stem: str, frame: pd.DataFrame, path: Path) -> None:
    import openpyxl  # on use: 0.2 s to import (python -X importtime); the default format is CSV

    if len(frame) > 1_048_575:
        raise ValueError(f"{stem} has {len(frame):,} rows: more than an Excel sheet holds")
    book = openpyxl.Workbook(write_only=True)
    book.properties.created = book.properties.modified = PUBLICATION_DATE
    sheet = book.create_sheet(stem)
    plain = _plain(stem, frame)
    sheet.append(list(plain.columns))
    for row in plain.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    book.save(path)
    _fix_zip(path)


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _fix_zip(path: Path) -> None:
    """Rewrite a zip container with fixed timestamps and member order."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    stamp = PUBLICATION_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = [  # openpyxl writes the save time as the "modified" date
        (name, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, data))
        if name == "docProps/core.xml"
        else (name, data)
        for name, data in members
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=PUBLICATION_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def _write_sav(stem: str, frame: pd.DataFrame, path: Path) -> None:
    """SPSS file: code columns stored as numbers 1..k with the codes as value labels."""
    import pyreadstat  # on use: 30 ms to import (python -X importtime), only for SPSS files

    plain = _plain(stem, frame)
    labels = {}
    for name, codes in CODE_COLUMNS[stem].items():
        number = {code: i + 1 for i, code in enumerate(codes)}
        plain[name] = plain[name].map(number).astype(float)
        labels[name] = {float(i + 1): code for i, code in enumerate(codes)}
    for col in SPEC[stem]:
        if col.kind == "int":
            plain[col.name] = plain[col.name].astype("Float64").astype(float)
    pyreadstat.write_sav(plain, str(path), variable_value_labels=labels)
    data = bytearray(path.read_bytes())
    data[92:109] = b"01 Aug 1100:00:00"  # creation date (9 bytes) and time (8 bytes)
    path.write_bytes(bytes(data))
