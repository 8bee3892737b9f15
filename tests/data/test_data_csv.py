"""CSV records: a row with too many fields is a problem of that row, never a shifted table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wfscc.data import load_dataset

from .data_helpers import only, problems_of


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_unquoted_comma_is_a_problem_of_its_row(small: Path) -> None:
    """pandas would take the first column as the index and shift every row of the table."""
    areas = _lines(small / "areas.csv")
    name = areas[1].split(",")[1]
    areas[1] = areas[1].replace(name, name.replace(" ", ", ", 1))  # first data row: one too many
    _write(small / "areas.csv", areas)
    centres = _lines(small / "centres.csv")
    centres[3] = centres[3] + ",,"  # trailing empty fields are ignored
    centres[4] = centres[4] + ",extra"
    _write(small / "centres.csv", centres)
    problems = problems_of(small)
    first = only(problems, file="areas.csv", row=2)
    assert first.expected == (
        "5 fields, as in the header row; found 6: a value holding a comma must be in double quotes"
    )
    assert not [p for p in problems if p.file == "areas.csv" and p.row != 2]
    extra = only(problems, file="centres.csv", row=5)
    assert extra.column is None and "found 5" in extra.expected
    # the LA and centre on the rows left out are not called unknown in the other tables
    assert len(problems) == 2, problems


def test_semicolon_files_name_the_semicolon(small: Path) -> None:
    lines = [line.replace(",", ";") for line in _lines(small / "referrals.csv")]
    lines[2] += ";x"
    _write(small / "referrals.csv", lines)
    problem = only(problems_of(small), file="referrals.csv")
    assert problem.row == 3 and "a value holding a semicolon" in problem.expected


def test_quoted_fields_spanning_lines_keep_record_numbers(small: Path) -> None:
    lines = _lines(small / "interviews.csv")
    cells = lines[1].split(",", len(lines[0].split(",")) - 1)
    cells[-1] = '"Two\nlines, and a comma"'
    lines[1] = ",".join(cells)
    _write(small / "interviews.csv", lines)
    assert load_dataset(small).interviews.loc[0, "excerpt"] == "Two\nlines, and a comma"
    lines[2] = lines[2].replace(lines[2].split(",")[1], "bogus", 1)
    _write(small / "interviews.csv", lines)
    problem = only(problems_of(small), file="interviews.csv")  # on line 4, but record 3
    assert (problem.row, problem.column, problem.value) == (3, "interview_type", "bogus")


def test_leading_blank_lines_and_short_rows(small: Path) -> None:
    lines = _lines(small / "delivery.csv")
    lines[3] = lines[3].rsplit(",", 1)[0]  # the last field is missing: a blank cell
    _write(small / "delivery.csv", ["", *lines])
    problem = only(problems_of(small), file="delivery.csv")
    assert (problem.row, problem.column) == (5, "priority")  # blank line 1, header row 2
    assert problem.expected == "a value (this column cannot be blank)"


def test_a_file_of_only_delimiters_has_no_header_row(small: Path) -> None:
    (small / "areas.csv").write_text(" , ,\n,,\n", encoding="utf-8")
    problem = only(problems_of(small), file="areas.csv")
    assert problem.expected.startswith("a header row naming the columns (la_code")


def test_the_shipped_csv_files_read_as_pandas_reads_them() -> None:
    from wfscc.data._readers import read_table

    data = Path(__file__).resolve().parents[2] / "data"
    for path in sorted(data.glob("*.csv")):
        raw, problems = read_table(path.stem, path)
        expected = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert not problems
        pd.testing.assert_frame_equal(raw.frame, expected)
        assert list(raw.rows) == list(range(2, len(expected) + 2))
