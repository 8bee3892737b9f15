"""Loading every accepted format and encoding gives the same typed tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from wfscc.data import TABLES, Dataset, load_dataset, synth

from .conftest import SMALL
from .data_helpers import only, problems_of, read_rows, write_rows


def assert_same(a: Dataset, b: Dataset) -> None:
    for name in ("areas", "centres", "delivery", "mi", "referrals", "survey", "interviews"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=True)


def test_types_follow_the_contract(small: Path) -> None:
    ds = load_dataset(small)
    assert set(ds.source_files) == set(TABLES)
    assert ds.mi["start_date"].dtype == "datetime64[ns]"
    assert ds.mi["job_entry_date"].dtype == "datetime64[ns]"
    assert ds.mi["lone_parent"].dtype == bool
    assert ds.delivery["priority"].dtype == "int64"
    assert ds.survey["weight"].dtype == "float64"
    assert str(ds.survey["adviser_view"].dtype) == "Int64"
    assert ds.survey["adviser_view"].isna().any()
    assert pd.api.types.is_string_dtype(ds.mi["benefit"])
    assert ds.areas.loc[ds.areas["group"] == "comparison", "pilot_start"].isna().all()
    with pytest.raises(AttributeError):
        ds.mi = ds.mi  # frozen


def test_csv_with_bom_and_cp1252_and_semicolons(small: Path) -> None:
    before = load_dataset(small)
    areas = small / "areas.csv"
    areas.write_bytes(b"\xef\xbb\xbf" + areas.read_bytes())  # UTF-8 with BOM
    rows = read_rows(small / "centres.csv")
    rows[1][rows[0].index("centre_name")] = "Centre Beaum\u00e9 \u00a3"
    text = "\n".join(";".join(r) for r in rows) + "\n"
    (small / "centres.csv").write_bytes(text.encode("cp1252"))  # Windows-1252 and semicolons
    for stem in ("mi_starts", "survey"):
        write_rows(small / f"{stem}.csv", read_rows(small / f"{stem}.csv"), delimiter=";")
    after = load_dataset(small)
    assert list(after.areas.columns)[0] == "la_code"
    assert after.centres.loc[0, "centre_name"] == "Centre Beaum\u00e9 \u00a3"
    pd.testing.assert_frame_equal(after.mi, before.mi)
    pd.testing.assert_frame_equal(after.survey, before.survey)


def test_xlsx_with_title_rows_and_sheet_row_numbers(small: Path) -> None:
    before = load_dataset(small)
    rows = read_rows(small / "referrals.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Referrals between Jobcentre Plus and centres"])
    sheet.append(["Source: pilot clerical data"])
    sheet.append(rows[0])
    for row in rows[1:]:
        values: list[object] = list(row)
        values[1] = dt.datetime.fromisoformat(row[1])  # a real Excel date cell
        sheet.append(values)
    bad_row = 3 + 2  # sheet row of the second data row
    sheet.cell(row=bad_row, column=rows[0].index("service") + 1, value="bingo")
    book.save(small / "referrals.xlsx")
    (small / "referrals.csv").unlink()
    problem = only(problems_of(small), column="service")
    assert (problem.file, problem.row, problem.value) == ("referrals.xlsx", bad_row, "bingo")
    assert "job_search" in problem.expected
    sheet.cell(row=bad_row, column=rows[0].index("service") + 1, value=rows[2][5])
    book.save(small / "referrals.xlsx")
    after = load_dataset(small)
    assert after.source_files["referrals"].name == "referrals.xlsx"
    pd.testing.assert_frame_equal(after.referrals, before.referrals)


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "sav"])
def test_generated_formats_load_the_same(tmp_path: Path, small_source: Path, fmt: str) -> None:
    synth.generate(SMALL["seed"], tmp_path, areas=SMALL["areas"], scale=SMALL["scale"], fmt=fmt)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [f".{fmt}"] * len(TABLES)
    assert_same(load_dataset(tmp_path), load_dataset(small_source))


def test_sav_value_labels_are_mapped_back_to_codes(small: Path) -> None:
    ds = load_dataset(small)
    frame = pd.read_csv(small / "survey.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", np.nan)
    places = {"centre": 1.0, "jcp_office": 2.0, "no_preference": 3.0}
    frame["preferred_place"] = frame["preferred_place"].map(places)
    works = {"employed": 1.0, "seeking_work": 2.0, "not_seeking": 3.0}
    frame["work_status"] = frame["work_status"].map(works)
    for name in (
        "wave",
        "weight",
        "uses_jcp_at_centre",
        "adviser_view",
        "confidence",
        "aspiration",
        "awareness",
    ):
        frame[name] = frame[name].astype(float)
    labels = {
        # labels as a research agency writes them: words, capitals, spaces
        "preferred_place": {1.0: "Centre", 2.0: "JCP office", 3.0: "No preference"},
        "work_status": {1.0: "Employed", 2.0: "Seeking work", 3.0: "Not seeking"},
        "uses_jcp_at_centre": {0.0: "No", 1.0: "Yes"},  # a flag: the numbers are kept
    }
    pyreadstat.write_sav(frame, str(small / "survey.sav"), variable_value_labels=labels)
    (small / "survey.csv").unlink()
    after = load_dataset(small)
    pd.testing.assert_frame_equal(after.survey, ds.survey)


def test_sav_rows_are_case_numbers(small: Path) -> None:
    frame = pd.read_csv(small / "areas.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "group"] = "pilots"
    pyreadstat.write_sav(frame, str(small / "areas.sav"))
    (small / "areas.csv").unlink()
    problem = only(problems_of(small), file="areas.sav", column="group")
    assert (problem.row, problem.value) == (2, "pilots")  # SPSS Data View case 2


def test_parquet_rows_count_as_a_csv_export(small: Path) -> None:
    frame = pd.read_csv(small / "delivery.csv")
    frame.loc[3, "priority"] = 9
    frame.to_parquet(small / "delivery.parquet")
    (small / "delivery.csv").unlink()
    problem = only(problems_of(small), file="delivery.parquet", column="priority")
    assert (problem.row, problem.value, problem.expected) == (5, 9, "a value from 1 to 5")
