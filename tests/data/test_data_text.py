"""Text cells: control characters and over-long values are problems of their cell, in every format.

Each bad cell is one problem naming file, row (as the user counts it), column, the value and the
fix, collected with every other problem in the same pass; and no message echoes a huge value.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import xlsxwriter

from wfscc.contract import NAME_MAX, TEXT_MAX, THEMES, THEMES_MAX
from wfscc.data import load_dataset
from wfscc.errors import DataError, Problem, shown

from .data_helpers import edit_cell, only, problems_of, read_rows

# (character, words the message must use to name it)
FORBIDDEN = [
    ("\x00", "NUL (U+0000)"),
    ("\x07", "BEL (U+0007)"),
    ("\x1b", "ESC (U+001B)"),
    ("\x0b", "VT (U+000B)"),
    ("\x7f", "DEL (U+007F)"),
    ("\x85", "C1 control character (U+0085)"),
    ("\x9b", "C1 control character (U+009B)"),
    ("\u2028", "line break (U+2028)"),
    ("\u202e", "bidirectional control character (U+202E)"),
    ("\t", "tab (U+0009)"),
    ("\n", "line break (U+000A)"),
    ("\r", "line break (U+000D)"),
]


def _problems_in(problems: list[Problem], file: str) -> list[Problem]:
    return [p for p in problems if p.file == file]


@pytest.mark.parametrize(("char", "named"), FORBIDDEN, ids=[repr(c) for c, _ in FORBIDDEN])
def test_a_control_character_in_a_name_is_one_problem_of_its_cell(
    small: Path, char: str, named: str
) -> None:
    value = f"Pilot{char}area"
    rows = read_rows(small / "areas.csv")
    rows[2][rows[0].index("la_name")] = value
    with (small / "areas.csv").open("w", newline="", encoding="utf-8") as handle:
        # quoted, as a spreadsheet writes it (Python's csv writer leaves a lone CR unquoted)
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    problems = problems_of(small)
    problem = only(problems, file="areas.csv")  # nothing else in the file, no shifted rows
    assert (problem.row, problem.column, problem.value) == (3, "la_name", value)
    assert f"{named} at character 6: delete it" in problem.expected
    if char in "\t\n\r":
        assert "allowed only in interviews.excerpt" in problem.expected


def test_nul_is_kept_by_the_csv_reader_wherever_it_is(small: Path) -> None:
    """pandas' C parser must not cut a field or a line at NUL: every row keeps its number."""
    edit_cell(small / "areas.csv", 2, "la_name", "\x00")
    edit_cell(small / "areas.csv", 4, "la_name", "Area\x00\x00\x00 three NULs")
    last = len(read_rows(small / "centres.csv"))
    edit_cell(small / "centres.csv", last, "adviser_name", "Adviser\x00")  # last cell of the file
    problems = problems_of(small)
    assert [(p.row, p.value) for p in _problems_in(problems, "areas.csv")] == [
        (2, "\x00"),
        (4, "Area\x00\x00\x00 three NULs"),
    ]
    assert "(and 2 more)" in only(problems, file="areas.csv", row=4).expected
    tail = only(problems, file="centres.csv")
    assert (tail.row, tail.column, tail.value) == (last, "adviser_name", "Adviser\x00")


def test_control_characters_in_code_number_and_date_cells_are_reported_once(small: Path) -> None:
    edit_cell(small / "mi_starts.csv", 2, "benefit", "none\x00")
    edit_cell(small / "survey.csv", 3, "wave", "1\x07")
    edit_cell(small / "mi_starts.csv", 4, "start_date", "2009-06-01\x1b")
    edit_cell(small / "areas.csv", 2, "pilot_start", "2009-03-04\x00")
    edit_cell(small / "referrals.csv", 3, "referral_id", "R\x00000123")
    problems = problems_of(small)
    for file, row, column in [
        ("mi_starts.csv", 2, "benefit"),
        ("survey.csv", 3, "wave"),
        ("mi_starts.csv", 4, "start_date"),
        ("areas.csv", 2, "pilot_start"),
        ("referrals.csv", 3, "referral_id"),
    ]:
        problem = only(problems, file=file, row=row, column=column)
        assert "without control characters" in problem.expected, problem
    # the bad cells are skipped by the later checks: no "blank", type, code or link problems
    assert len(_problems_in(problems, "mi_starts.csv")) == 2
    assert len(_problems_in(problems, "survey.csv")) == 1
    assert len(_problems_in(problems, "areas.csv")) == 1
    assert len(_problems_in(problems, "referrals.csv")) == 1
    assert not [p for p in problems if "cannot be blank" in p.expected]


def test_free_text_keeps_tabs_and_line_breaks_but_not_other_controls(small: Path) -> None:
    path = small / "interviews.csv"
    edit_cell(path, 2, "excerpt", "First line.\nSecond line,\tafter a tab.")
    edit_cell(path, 3, "excerpt", "A quote\x00 with a NUL")
    problem = only(problems_of(small), file="interviews.csv")
    assert (problem.row, problem.column) == (3, "excerpt")
    assert "tabs and line breaks are allowed here" in problem.expected
    edit_cell(path, 3, "excerpt", "A quote without one")
    ds = load_dataset(small)
    assert ds.interviews.loc[0, "excerpt"] == "First line.\nSecond line,\tafter a tab."


def test_white_space_at_the_ends_of_a_cell_is_trimmed_not_reported(small: Path) -> None:
    edit_cell(small / "areas.csv", 3, "la_name", "\t Pilot area\r\n")
    ds = load_dataset(small)
    assert ds.areas.loc[1, "la_name"] == "Pilot area"


@pytest.mark.parametrize(
    ("file", "column", "limit"),
    [
        ("areas.csv", "la_name", NAME_MAX),
        ("centres.csv", "centre_name", NAME_MAX),
        ("centres.csv", "adviser_name", NAME_MAX),
        ("interviews.csv", "excerpt", TEXT_MAX),
        ("interviews.csv", "themes", THEMES_MAX),
    ],
)
def test_text_longer_than_the_contract_allows(
    small: Path, file: str, column: str, limit: int
) -> None:
    path = small / file
    fits = "x" * limit
    if column == "themes":  # every theme code once, with spaces after the first ';' to the limit
        codes = "; ".join(THEMES)
        fits = codes.replace("; ", ";" + " " * (limit - len(codes) + 1), 1)
    assert len(fits) == limit
    too_long = "y" * (limit + 1)
    edit_cell(path, 2, column, fits)
    edit_cell(path, 3, column, too_long)
    problems = problems_of(small)
    problem = only(problems, file=file, row=3, column=column)
    assert problem.expected == (
        f"text of at most {limit:,} characters; it has {limit + 1:,}: shorten it"
    )
    assert not [p for p in problems if p.file == file and p.row == 2]
    assert f"…({limit + 1:,} characters)" in str(problem)


def test_a_huge_value_is_cut_in_every_message(small: Path) -> None:
    huge = "q" * 10_000
    edit_cell(small / "referrals.csv", 2, "service", huge)  # a code column: the code check
    edit_cell(small / "areas.csv", 3, "la_name", "n" * 2_417)  # a name: the length check
    edit_cell(small / "interviews.csv", 2, "themes", "gossip;" + "z" * 290)  # unknown theme codes
    with pytest.raises(DataError) as caught:
        load_dataset(small)
    message = str(caught.value)
    assert "'" + "q" * 80 + "'…(10,000 characters)" in message
    assert "…(2,417 characters)" in message
    assert max(len(line) for line in message.splitlines()) < 400, message
    assert "q" * 81 not in message and "n" * 81 not in message and "z" * 81 not in message


def test_a_huge_column_name_is_cut(small: Path) -> None:
    rows = read_rows(small / "areas.csv")
    text = "\n".join(",".join(r + ["x"]) for r in [rows[0][:-1] + ["c" * 5_000]] + rows[1:])
    (small / "areas.csv").write_text(text + "\n", encoding="utf-8")
    message = str(pytest.raises(DataError, load_dataset, small).value)
    assert "…(5,000 characters)" in message and "c" * 81 not in message


def test_shown_escapes_and_cuts() -> None:
    assert shown("a\x00b") == "'a\\x00b'"
    assert shown("x" * 80) == "'" + "x" * 80 + "'"
    assert shown("x" * 81) == "'" + "x" * 80 + "'…(81 characters)"
    assert str(Problem("f.csv", 2, "c\x00" * 100, "v", "e")).count("\\x00") == 40


def test_every_bad_cell_is_collected_in_one_pass(small: Path) -> None:
    edit_cell(small / "areas.csv", 2, "la_name", "Bell\x07")
    edit_cell(small / "centres.csv", 3, "centre_name", "c" * (NAME_MAX + 5))
    edit_cell(small / "interviews.csv", 4, "excerpt", "e" * (TEXT_MAX + 1))
    edit_cell(small / "survey.csv", 5, "preferred_place", "pub")  # an ordinary problem
    problems = problems_of(small)
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("areas.csv", 2, "la_name"),
        ("centres.csv", 3, "centre_name"),
        ("interviews.csv", 4, "excerpt"),
        ("survey.csv", 5, "preferred_place"),
    }


def _csv_frame(small: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(small / f"{stem}.csv", dtype=str, keep_default_na=False)


def test_xlsx_control_characters_and_lengths_name_the_sheet_row(small: Path) -> None:
    """Excel stores control characters as _x0007_; the reader reads them as the characters."""
    frame = _csv_frame(small, "centres")
    frame.loc[0, "centre_name"] = "Centre\x07bell"  # xlsxwriter writes _x0007_
    frame.loc[2, "adviser_name"] = "Adviser\x00"
    frame.loc[3, "centre_name"] = "w" * (NAME_MAX + 1)
    book = xlsxwriter.Workbook(str(small / "centres.xlsx"))
    sheet = book.add_worksheet("centres")
    sheet.write_row(0, 0, ["Centres"])  # a title row: the header is sheet row 2
    sheet.write_row(1, 0, list(frame.columns))
    for i, row in enumerate(frame.itertuples(index=False)):
        sheet.write_row(i + 2, 0, list(row))
    book.close()
    (small / "centres.csv").unlink()
    problems = _problems_in(problems_of(small), "centres.xlsx")
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "centre_name", "Centre\x07bell"),
        (5, "adviser_name", "Adviser\x00"),
        (6, "centre_name", "w" * (NAME_MAX + 1)),
    ]
    assert "BEL (U+0007)" in problems[0].expected and "NUL" in problems[1].expected


def test_parquet_control_characters_and_lengths(small: Path) -> None:
    frame = _csv_frame(small, "interviews")
    frame["wave"] = frame["wave"].astype(int)
    frame.loc[0, "excerpt"] = "Fine\nwith a line break"
    frame.loc[1, "excerpt"] = "Not fine\x00"
    frame.loc[2, "excerpt"] = "e" * (TEXT_MAX + 1)
    frame.loc[3, "role"] = "adviser\x7f"
    frame.to_parquet(small / "interviews.parquet")
    (small / "interviews.csv").unlink()
    problems = _problems_in(problems_of(small), "interviews.parquet")
    assert [(p.row, p.column) for p in problems] == [(3, "excerpt"), (4, "excerpt"), (5, "role")]
    assert "DEL (U+007F)" in problems[2].expected


def test_sav_control_characters_name_the_case(small: Path) -> None:
    frame = _csv_frame(small, "areas")
    frame.loc[1, "la_name"] = "Area\x1bwith an escape"
    frame.loc[2, "la_name"] = "a" * (NAME_MAX + 1)
    pyreadstat.write_sav(frame, str(small / "areas.sav"))
    (small / "areas.csv").unlink()
    problems = _problems_in(problems_of(small), "areas.sav")
    assert [(p.row, p.column) for p in problems] == [(2, "la_name"), (3, "la_name")]
    assert "ESC (U+001B)" in problems[0].expected
    assert "at most 120 characters" in problems[1].expected
