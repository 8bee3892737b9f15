"""Published tables start no formula in any text cell: CSV, XLSX and ODS, through the writer."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd

from wfscc.outputs.disclosure import protect
from wfscc.outputs.tables import write_tables

LABELS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "Area"]


def _table():
    frame = pd.DataFrame(
        {
            "label": LABELS,
            "starts": [12, 15, 20, 11, 30, 40],
            "change": [-1.5, 2.0, -3.0, 0.5, -0.25, 1.0],
        }
    )
    return protect(frame, ["starts"], threshold=10, row_totals=False, col_totals=False)


def test_text_cells_are_neutralised_and_numbers_kept(tmp_path):
    paths = write_tables({"hostile": _table()}, tmp_path)
    with paths["hostile"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["label"] for r in rows] == ["'" + v if v != "Area" else v for v in LABELS]
    assert [float(r["change"]) for r in rows] == [-1.5, 2.0, -3.0, 0.5, -0.25, 1.0]

    from openpyxl import load_workbook

    sheet = load_workbook(paths["xlsx"])["hostile"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://example.invalid","x")' in texts
    assert not [t for t in texts if t.startswith(("=", "+", "@", "\t"))]
    assert -1.5 in [c.value for c in cells]  # a negative number is still a number

    with zipfile.ZipFile(paths["ods"]) as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert "table:formula" not in content
    ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    texts = ["".join(p.itertext()) for p in ET.fromstring(content).iter(f"{ns}p")]
    assert "'@SUM(A1)" in texts and "@SUM(A1)" not in texts


def test_chart_data_shown_by_a_notebook_starts_no_formula(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from wfscc.notebook import display

    shown = []
    monkeypatch.setattr(display, "display", lambda data, **kw: shown.append(data))
    fig, ax = plt.subplots()
    ax.set_title("Starts in Area $5")  # one dollar: no mathtext either way
    data = pd.DataFrame({"Area": ["=1+2", "Town"], "Starts": [-3, 12]})
    display.show_chart(ax, data=data, alt="A bar chart of starts by area.")
    csv_text = next(d["text/csv"] for d in shown if "text/csv" in d)
    assert list(csv.reader(csv_text.splitlines())) == [
        ["Area", "Starts"],
        ["'=1+2", "-3"],
        ["Town", "12"],
    ]
