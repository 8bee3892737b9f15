"""Every kind of bad input is reported with file, row, column, value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfscc.data import load_dataset
from wfscc.errors import DataError

from .data_helpers import cell, edit_cell, only, problems_of, read_rows, write_rows


def rename_column(path: Path, old: str, new: str) -> None:
    rows = read_rows(path)
    rows[0][rows[0].index(old)] = new
    write_rows(path, rows)


def drop_column(path: Path, name: str) -> None:
    rows = read_rows(path)
    index = rows[0].index(name)
    write_rows(path, [r[:index] + r[index + 1 :] for r in rows])


def test_the_small_dataset_is_valid(small: Path) -> None:
    assert len(load_dataset(small).mi) > 10


def test_column_names_missing_misspelt_extra(small: Path) -> None:
    drop_column(small / "areas.csv", "region")
    rename_column(small / "centres.csv", "la_code", "la_cod")
    rows = read_rows(small / "referrals.csv")
    write_rows(
        small / "referrals.csv", [r + ["x"] for r in rows[:1]] + [r + [""] for r in rows[1:]]
    )
    rename_column(small / "referrals.csv", "x", "notes")
    rename_column(small / "survey.csv", "weight", " Weight ")  # case and spaces are forgiven
    problems = problems_of(small)
    missing = only(problems, file="areas.csv", column="region")
    assert (missing.row, missing.value, missing.expected) == (
        1,
        None,
        "a column named 'region' (areas)",
    )
    misspelt = only(problems, file="centres.csv", column="la_cod")
    assert misspelt.row == 1 and misspelt.value == "la_cod"
    assert "did you mean 'la_code'?" in misspelt.expected
    assert not [p for p in problems if p.file == "centres.csv" and p.column == "la_code"]
    extra = only(problems, file="referrals.csv", column="notes")
    assert extra.row == 1 and "referral_id" in extra.expected
    assert not [p for p in problems if p.file == "survey.csv"]


def test_wrong_types_are_reported_with_the_raw_value(small: Path) -> None:
    edit_cell(small / "survey.csv", 3, "weight", "heavy")
    edit_cell(small / "mi_starts.csv", 4, "start_date", "2009-13-01")
    edit_cell(small / "mi_starts.csv", 5, "start_date", "10/02/2010")
    edit_cell(small / "mi_starts.csv", 6, "lone_parent", "2")
    edit_cell(small / "survey.csv", 7, "confidence", "3.5")
    problems = problems_of(small)
    weight = only(problems, file="survey.csv", row=3, column="weight")
    assert (weight.value, weight.expected) == ("heavy", "a number")
    month = only(problems, file="mi_starts.csv", row=4, column="start_date")
    assert (month.value, month.expected) == ("2009-13-01", "a date in YYYY-MM-DD form")
    assert only(problems, row=5, column="start_date").value == "10/02/2010"
    flag = only(problems, file="mi_starts.csv", row=6, column="lone_parent")
    assert (flag.value, flag.expected) == ("2", "0 or 1")
    scale = only(problems, file="survey.csv", row=7, column="confidence")
    assert (scale.value, scale.expected) == ("3.5", "a whole number")
    message = str(DataError(problems))
    assert "survey.csv, row 3, column 'weight': found 'heavy'; expected a number" in message


def test_unknown_codes_and_patterns(small: Path) -> None:
    edit_cell(small / "mi_starts.csv", 2, "benefit", "jsa")
    edit_cell(small / "mi_starts.csv", 3, "participant_id", "AB123456C")
    edit_cell(small / "areas.csv", 2, "region", "Wessex")
    edit_cell(small / "interviews.csv", 2, "themes", "flexible_role;gossip")
    problems = problems_of(small)
    benefit = only(problems, file="mi_starts.csv", row=2, column="benefit")
    assert benefit.value == "jsa"
    assert benefit.expected.startswith("one of: none, income_support, jobseekers_allowance")
    pid = only(problems, file="mi_starts.csv", row=3, column="participant_id")
    assert (pid.value, pid.expected) == ("AB123456C", "a code like 'QQ123456C'")
    assert only(problems, file="areas.csv", row=2, column="region").value == "Wessex"
    theme = only(problems, file="interviews.csv", row=2, column="themes")
    assert "unknown: gossip" in theme.expected


def test_links_between_tables(small: Path) -> None:
    edit_cell(small / "mi_starts.csv", 2, "la_code", "P99")
    edit_cell(small / "referrals.csv", 2, "centre_code", "P01-Z")
    edit_cell(small / "survey.csv", 2, "centre_code", "P02-A")  # row 2 is in LA P01
    edit_cell(small / "centres.csv", 2, "la_code", "P77")
    edit_cell(small / "delivery.csv", 2, "la_code", "C01")  # delivery is for pilot LAs only
    problems = problems_of(small)
    la = only(problems, file="mi_starts.csv", row=2, column="la_code")
    assert (la.value, la.expected) == ("P99", "an la_code listed in areas.csv")
    centre = only(problems, file="referrals.csv", row=2, column="centre_code")
    assert (centre.value, centre.expected) == ("P01-Z", "a centre_code listed in centres.csv")
    owner = only(problems, file="survey.csv", row=2, column="centre_code")
    assert owner.value == "P02-A"
    assert owner.expected == "a centre of LA 'P01' (centres.csv lists 'P02-A' under LA 'P02')"
    assert only(problems, file="centres.csv", row=2, column="la_code").value == "P77"
    pilot = only(problems, file="delivery.csv", row=2, column="la_code")
    assert pilot.expected == "a pilot LA (areas.csv lists 'C01' as 'comparison')"


def test_duplicate_ids_name_the_first_row(small: Path) -> None:
    first = cell(small / "mi_starts.csv", 2, "participant_id")
    edit_cell(small / "mi_starts.csv", 9, "participant_id", first)
    edit_cell(small / "delivery.csv", 3, "priority", cell(small / "delivery.csv", 2, "priority"))
    problems = problems_of(small)
    dup = only(problems, file="mi_starts.csv", column="participant_id")
    assert (dup.row, dup.value) == (9, first)
    assert dup.expected == "a unique participant_id; already used in row 2"
    prio = only(problems, file="delivery.csv", column="priority")
    assert prio.row == 3 and prio.expected.endswith("already used in row 2")


def test_dates_outside_the_pilot_and_before_the_la_start(small: Path) -> None:
    edit_cell(small / "referrals.csv", 2, "date", "2011-04-01")
    edit_cell(small / "areas.csv", 2, "pilot_start", "2010-02-01")
    edit_cell(small / "areas.csv", 4, "pilot_start", "2009-03-01")  # a comparison LA
    edit_cell(small / "areas.csv", 3, "pilot_start", "")  # a pilot LA
    start = cell(small / "areas.csv", 2, "pilot_start")
    assert start == "2010-02-01"
    rows = read_rows(small / "mi_starts.csv")
    p01 = next(i for i, r in enumerate(rows) if r[1] == "P01") + 1
    edit_cell(small / "mi_starts.csv", p01, "start_date", "2009-01-02")
    edit_cell(small / "mi_starts.csv", p01 + 1, "job_entry_date", "2009-01-01")
    problems = problems_of(small)
    late = only(problems, file="referrals.csv", row=2, column="date")
    assert (late.value, late.expected) == ("2011-04-01", "a date from 2009-01-01 to 2011-03-31")
    outside = only(problems, file="areas.csv", row=2, column="pilot_start")
    assert outside.expected == "a date from 2009-01-01 to 2009-12-31"
    comp = only(problems, file="areas.csv", row=4, column="pilot_start")
    assert comp.expected == "a blank cell for a comparison LA"
    blank = only(problems, file="areas.csv", row=3, column="pilot_start")
    assert (blank.value, blank.expected) == ("", "a date in 2009 for a pilot LA")
    outcome = only(problems, file="mi_starts.csv", row=p01 + 1, column="job_entry_date")
    assert outcome.value == "2009-01-01" and outcome.expected.startswith("a date after start_date")


def test_start_before_the_la_pilot_start(small: Path) -> None:
    start = cell(small / "areas.csv", 3, "pilot_start")  # P02
    rows = read_rows(small / "mi_starts.csv")
    row = next(i for i, r in enumerate(rows) if r[1] == "P02") + 1
    edit_cell(small / "mi_starts.csv", row, "start_date", "2009-01-05")
    problem = only(problems_of(small), file="mi_starts.csv", column="start_date")
    assert (problem.row, problem.value) == (row, "2009-01-05")
    assert problem.expected == f"a date on or after P02's pilot_start ({start})"


def test_weights_and_survey_groups(small: Path) -> None:
    edit_cell(small / "survey.csv", 2, "weight", "")
    edit_cell(small / "survey.csv", 3, "weight", "0")
    edit_cell(small / "survey.csv", 4, "weight", "-1.5")
    edit_cell(small / "survey.csv", 5, "group", "comparison")  # an LA in the pilot group
    problems = problems_of(small)
    missing = only(problems, file="survey.csv", row=2, column="weight")
    assert (missing.value, missing.expected) == ("", "a value (this column cannot be blank)")
    zero = only(problems, file="survey.csv", row=3, column="weight")
    assert (zero.value, zero.expected) == ("0", "a value greater than 0")
    assert only(problems, file="survey.csv", row=4, column="weight").value == "-1.5"
    group = only(problems, file="survey.csv", row=5, column="group")
    assert group.value == "comparison"
    assert group.expected == "'pilot', the group of LA 'P01' in areas.csv"


def test_blank_rows_are_reported_and_rows_keep_their_numbers(small: Path) -> None:
    path = small / "referrals.csv"
    lines = path.read_text().splitlines()
    lines.insert(3, "")  # a blank line: becomes row 4
    lines.insert(6, ",,,,,")  # a row of empty cells: row 7
    lines.append("")  # trailing blank lines are not a problem
    path.write_text("\n".join(lines) + "\n\n")
    edit_cell(path, 9, "service", "bingo")
    problems = problems_of(small)
    assert [p.row for p in problems if p.file == "referrals.csv" and p.column is None] == [4, 7]
    assert only(problems, row=4).expected == "a data row; this row is blank"
    assert only(problems, file="referrals.csv", column="service").row == 9


def test_empty_and_header_only_files(small: Path) -> None:
    (small / "delivery.csv").write_bytes(b"")
    header = read_rows(small / "interviews.csv")[0]
    write_rows(small / "interviews.csv", [header])
    problems = problems_of(small)
    empty = only(problems, file="delivery.csv")
    assert empty.row is None and "the file is empty" in empty.expected
    assert "la_code, element, delivered, priority" in empty.expected
    header_only = only(problems, file="interviews.csv")
    assert (header_only.row, header_only.expected) == (1, "at least one data row")


def test_missing_ambiguous_and_foreign_files(small: Path) -> None:
    (small / "survey.csv").unlink()
    (small / "areas.xlsx").write_bytes(b"not really a workbook")
    (small / "notes.txt").write_text("ignored")
    problems = problems_of(small)
    missing = only(problems, file="survey.csv")
    assert "a file named survey (.csv, .xlsx, .parquet or .sav)" in missing.expected
    ambiguous = only(problems, file="areas.csv and areas.xlsx")
    assert ambiguous.expected == "exactly one file for table 'areas'; keep one"


def test_unreadable_excel_file(small: Path) -> None:
    (small / "areas.csv").unlink()
    (small / "areas.xlsx").write_bytes(b"not really a workbook")
    problem = only(problems_of(small), file="areas.xlsx")
    assert problem.expected.startswith("a readable xlsx file")


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_data_folder_is_one_line(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("")
    with pytest.raises(DataError) as caught:
        load_dataset(target)
    message = str(caught.value)
    assert "\n" not in message and str(target) in message
    assert caught.value.problems[0].file == str(target)


def test_all_problems_in_one_pass(small: Path) -> None:
    edit_cell(small / "areas.csv", 2, "group", "pilott")
    edit_cell(small / "mi_starts.csv", 3, "benefit", "")
    edit_cell(small / "survey.csv", 4, "preferred_place", "pub")
    edit_cell(small / "interviews.csv", 5, "role", "mayor")
    (small / "referrals.csv").write_bytes(b"")
    problems = problems_of(small)
    assert {p.file for p in problems} >= {
        "areas.csv",
        "mi_starts.csv",
        "survey.csv",
        "interviews.csv",
        "referrals.csv",
    }
    # a bad code is reported once: survey rows of that LA are not blamed for the LA's group
    assert [(p.row, p.column) for p in problems if p.file == "survey.csv"] == [
        (4, "preferred_place")
    ]
    error = DataError(problems)
    assert "Nothing was built" in str(error)
    assert (
        "areas.csv, row 2, column 'group': found 'pilott'; expected one of: pilot, comparison"
        in (str(error))
    )
