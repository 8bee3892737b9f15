"""'Show the data' tables: numbers right-aligned, labels left-aligned (GOV.UK table style), from
one reader of the chart's CSV (`render/filters/datatable.lua`) that both engines use."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from wfscc.build.stage import DATATABLE_COPY, copy_datatable_filter
from wfscc.render._pandoc import pandoc_path, resource

TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0", "commit": "abc1234def", "data_hash": "sha256:5eed"}

CSV = (
    "Area,Wave,Starts (number),Share (per cent),Change (percentage points)\n"
    'All pilot areas,Wave one,"2,075",61.7,−3.5\n'
    "P01,Wave two,290,[c],12\n"
    "P02,Wave two,[c],8.0,\n"
)
# the column each header names, and how it must be aligned
EXPECTED = {
    "Area": "left",
    "Wave": "left",
    "Starts (number)": "right",
    "Share (per cent)": "right",
    "Change (percentage points)": "right",
}


def _alignments(html: str) -> dict[str, set[str]]:
    """Header text -> the alignments of that column's header and cells (from their style)."""
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table")
    headers = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    found: dict[str, set[str]] = {h: set() for h in headers}

    def align(cell) -> str:
        match = re.search(r"text-align:\s*(\w+)", cell.get("style", ""))
        return match.group(1) if match else "default"

    for i, th in enumerate(table.find("thead").find_all("th")):
        found[headers[i]].add(align(th))
    for row in table.find("tbody").find_all("tr"):
        for i, cell in enumerate(row.find_all(["td", "th"])):
            found[headers[i]].add(align(cell))
    return found


def _reader_html(csv: str, tmp_path: Path) -> str:
    """*csv* read by the package's `datatable.lua` in pandoc, written as HTML."""
    script = tmp_path / "f.lua"
    script.write_text(
        f"local dt = dofile({str(resource('filters', 'datatable.lua'))!r})\n"
        f"function Pandoc(doc) return pandoc.Pandoc(dt.read({csv!r})) end\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [pandoc_path(), "--lua-filter", str(script), "-t", "html"],
        input="x",
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_reader_aligns_numbers_right_and_labels_left(tmp_path):
    html = _reader_html(CSV, tmp_path)
    assert _alignments(html) == {name: {align} for name, align in EXPECTED.items()}


def test_reader_keeps_a_number_and_its_unit_together(tmp_path):
    """As the prose does (wfscc.housestyle.keep_together): "95 per cent" in a header and
    "three per cent" in a cell never wrap after the number; the downloaded CSV is untouched."""
    csv = (
        "Area,Lower limit of 95 per cent interval,Note\n"
        "P01,3,three per cent; 2 percentage points\n"
    )
    html = _reader_html(csv, tmp_path)
    text = BeautifulSoup(html, "html.parser").get_text()
    assert "95\u00a0per\u00a0cent interval" in text
    assert "three\u00a0per\u00a0cent" in text and "2\u00a0percentage\u00a0points" in text


def test_reader_marks_thousands_in_numeric_columns_only(tmp_path):
    csv = "Area,Starts (number),Code\nAll pilot areas,2075,1234\nP01,\u221212345,x\nP02,999,y\n"
    html = _reader_html(csv, tmp_path)
    cells = [[td.get_text() for td in tr.find_all("td")]
             for tr in BeautifulSoup(html, "html.parser").find("tbody").find_all("tr")]
    assert [row[1] for row in cells] == ["2,075", "\u221212,345", "999"]
    assert [row[2] for row in cells] == ["1234", "x", "y"]  # a label column keeps its text


def test_built_in_engine_show_the_data_is_aligned(book, tmp_path):
    from wfscc.render import render_book

    (book / "report" / "figures" / "takeup.csv").write_text(CSV, encoding="utf-8")
    chapter = book / "report" / "01-introduction.qmd"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("{#fig-takeup ", '{#fig-takeup wfscc-data="figures/takeup.csv" ', 1),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    render_book(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE, html_only=True)
    page = next(p for p in out.rglob("*.html") if "figure-data" in p.read_text(encoding="utf-8"))
    panel = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(
        "details", class_="figure-data"
    )
    assert _alignments(str(panel)) == {name: {align} for name, align in EXPECTED.items()}


def test_quarto_filter_gets_the_same_reader(tmp_path):
    """Quarto's `_filters/wfscc-pre.lua` loads the copy `wfscc build` (staging) and `wfscc
    prepare` write into `_generated/`: the package's file, byte for byte, rewritten when it
    changes."""
    copied = copy_datatable_filter(tmp_path)
    assert copied == tmp_path.joinpath(*DATATABLE_COPY)
    assert copied.read_bytes() == resource("filters", "datatable.lua").read_bytes()
    copied.write_text("-- stale", encoding="utf-8")
    copy_datatable_filter(tmp_path)
    assert copied.read_bytes() == resource("filters", "datatable.lua").read_bytes()


def test_stage_writes_the_reader_for_quarto(repo_root, tmp_path):
    from wfscc.build.stage import stage_project

    variables = tmp_path / "_variables.yml"
    variables.write_text("x: 1\n", encoding="utf-8")
    root = stage_project(repo_root, tmp_path / "staging", {}, variables)
    assert (
        root.joinpath(*DATATABLE_COPY).read_bytes()
        == resource("filters", "datatable.lua").read_bytes()
    )
    pre = (root / "_filters" / "wfscc-pre.lua").read_text(encoding="utf-8")
    assert '"wfscc-datatable.lua"' in pre and "read_data(fh:read" in pre


NUMBER = re.compile(r"[-\u2212+]?\d[\d,]*(\.\d+)?%?|\[c\]|")


def _check_site(site) -> None:
    """Every "Show the data" panel of *site*: a column of numbers ("[c]" and blanks among them)
    right-aligned, any other column (labels, quarters, areas) left, header included."""
    pages = [p for p in site.rglob("*.html")
             if 'class="figure-data"' in p.read_text(encoding="utf-8")]
    assert pages, "no 'Show the data' panel on the site"
    checked = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for panel in soup.find_all("details", class_="figure-data"):
            aligns = _alignments(str(panel))
            rows = [[td.get_text(" ", strip=True) for td in tr.find_all(["td", "th"])]
                    for tr in panel.find("tbody").find_all("tr")]
            for i, header in enumerate(aligns):
                numeric = all(NUMBER.fullmatch(row[i]) for row in rows)
                expected = "right" if numeric else "left"
                assert aligns[header] == {expected}, (page.name, header, aligns[header])
            assert "right" in set().union(*aligns.values()), page.name
            checked += 1
    assert checked >= 5


@pytest.mark.slow
def test_built_site_show_the_data_is_aligned(built_site):
    _check_site(built_site)


@pytest.mark.slow
def test_quarto_show_the_data_is_aligned(quarto_site):
    _check_site(quarto_site)
