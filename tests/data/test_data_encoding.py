"""A CSV file that is not text in a supported encoding is one clear problem naming the file.

Not a list of garbled column names, and not confused with a control character in one cell of a
file that decodes cleanly (that is a problem of the cell: ``test_data_text``).
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from wfscc.data import load_dataset

from .data_helpers import edit_cell, only, problems_of, read_rows, write_rows

NOT_TEXT = "not a text file in a supported encoding (UTF-8)"
RESAVE = "save it again as CSV UTF-8"


def _text(small: Path) -> str:
    return (small / "areas.csv").read_text(encoding="utf-8")


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _noise(seed: int, lo: int, hi: int, size: int = 3000) -> bytes:
    """``size`` random bytes from ``lo`` to ``hi - 1``."""
    rng = random.Random(seed)
    return bytes(rng.randrange(lo, hi) for _ in range(size))


def _parquet(small: Path) -> bytes:
    buffer = io.BytesIO()
    pd.read_csv(small / "areas.csv", dtype=str).to_parquet(buffer)
    return buffer.getvalue()


def _sav(small: Path) -> bytes:
    path = small.parent / "areas.sav"
    pyreadstat.write_sav(pd.read_csv(small / "areas.csv", dtype=str), str(path))
    return path.read_bytes()


# case -> (the bytes, given the data folder; words the message must contain)
CASES = {
    "utf16-le-without-bom": (
        lambda d: _text(d).encode("utf-16-le"),
        "UTF-16 (little-endian) without a byte-order mark",
    ),
    "utf16-be-without-bom": (
        lambda d: _text(d).encode("utf-16-be"),
        "UTF-16 (big-endian) without a byte-order mark",
    ),
    "utf32": (lambda d: _text(d).encode("utf-32"), "UTF-32"),
    "png": (
        lambda d: b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000),
        "it is a PNG image; replace it with the areas table saved as CSV UTF-8",
    ),
    "pdf": (lambda d: b"%PDF-1.7\n" + random.Random(2).randbytes(500), "a PDF document"),
    "zip": (lambda d: _zip({"notes.txt": "hello " * 50}), "it is a ZIP archive; unzip it"),
    "xlsx-renamed": (
        lambda d: _zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>"}),
        "it is an Excel workbook (.xlsx); rename it to areas.xlsx",
    ),
    "parquet-renamed": (_parquet, "a Parquet file; if it holds the table, rename it to areas.parq"),
    "sav-renamed": (_sav, "an SPSS data file; if it holds the table, rename it to areas.sav"),
    "random-bytes": (
        lambda d: random.Random(3).randbytes(3000),
        "its bytes are not UTF-8, and as Windows-1252 they do not read as text",
    ),
    "latin1-junk": (
        lambda d: _noise(4, 0xA0, 0x100),  # accented letters and symbols only
        "its bytes are not UTF-8, and as Windows-1252 they do not read as text",
    ),
    "ascii-binary": (
        lambda d: _noise(5, 0, 0x80),  # valid UTF-8, but full of control characters
        "it holds binary data, not text",
    ),
    "nul-bytes": (lambda d: bytes(4096), "binary data (mostly NUL bytes)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_that_is_not_text_is_one_problem(small: Path, case: str) -> None:
    make, words = CASES[case]
    (small / "areas.csv").write_bytes(make(small))
    problems = [p for p in problems_of(small) if p.file == "areas.csv"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.row, problem.column, problem.value) == (None, None, None)
    assert NOT_TEXT in problem.expected and words in problem.expected
    assert len(str(problem)) < 300
    # the other tables are still checked in the same pass: areas' LAs are unknown, nothing more
    assert {p.file for p in problems_of(small)} == {"areas.csv"}


def test_an_empty_or_blank_file_says_so(small: Path) -> None:
    (small / "areas.csv").write_bytes(b"")
    (small / "centres.csv").write_bytes(b"\xef\xbb\xbf \r\n\r\n")  # a BOM and blank lines
    problems = problems_of(small)
    assert "the file is empty" in only(problems, file="areas.csv").expected
    assert "the file is blank" in only(problems, file="centres.csv").expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_the_supported_encodings_still_load(small: Path, encoding: str) -> None:
    before = load_dataset(small)
    (small / "areas.csv").write_bytes(_text(small).encode(encoding))
    pd.testing.assert_frame_equal(load_dataset(small).areas, before.areas)


def test_windows_1252_text_with_accents_loads(small: Path) -> None:
    edit_cell(small / "areas.csv", 2, "la_name", "Cr\u00e8me \u2013 \u00a3 \u20ac area")
    (small / "areas.csv").write_bytes(_text(small).encode("cp1252"))
    assert load_dataset(small).areas.loc[0, "la_name"] == "Cr\u00e8me \u2013 \u00a3 \u20ac area"


def test_a_nul_in_valid_utf8_is_a_problem_of_its_cell_not_of_the_file(small: Path) -> None:
    edit_cell(small / "areas.csv", 4, "la_name", "Pilot\x00area")
    problem = only(problems_of(small), file="areas.csv")
    assert (problem.row, problem.column, problem.value) == (4, "la_name", "Pilot\x00area")
    assert NOT_TEXT not in problem.expected


def test_a_header_row_naming_no_column_is_one_problem(small: Path) -> None:
    rows = read_rows(small / "areas.csv")
    write_rows(small / "areas.csv", rows[1:])  # the header row was deleted
    problem = only(problems_of(small), file="areas.csv")
    assert (problem.row, problem.column) == (1, None)
    assert problem.expected.startswith("a header row naming the columns (la_code, la_name")
    assert problem.value.startswith(", ".join(rows[1][:2]))


def test_a_parquet_file_naming_no_column_is_one_problem(small: Path) -> None:
    frame = pd.DataFrame({"x": [1, 2], "y": ["a", "b"], "z": [0.5, 1.5]})
    frame.to_parquet(small / "areas.parquet")
    (small / "areas.csv").unlink()
    problem = only(problems_of(small), file="areas.parquet")
    assert (problem.row, problem.column, problem.value) == (None, None, "x, y, z")
    assert problem.expected.endswith("it names none of them")
