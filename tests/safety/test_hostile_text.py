"""Names from the data that look like markup or code are published as text, everywhere.

One real build (pandoc engine) of the shipped data with hostile values planted in the free-text
columns (LA names in ``areas``; centre and adviser names in ``centres``; an interview excerpt),
then a check of every published file type: HTML pages, PDF text and links, CSV, XLSX, ODS, JSON,
SVG, the executed notebooks and the search index.
"""

from __future__ import annotations

import csv
import gzip
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

#: LA code -> a hostile name: a Markdown link to javascript:, an HTML tag, Typst code, Markdown
#: emphasis with math, a citation, a shortcode and a formula, and a lone dollar (mathtext).
NAMES = {
    "P01": "Area [x](javascript:alert(1))",
    "P02": "<script>alert(2)</script> Town",
    "P03": "#set page(fill: red) Borough",
    "P04": "*bold* $x^2$ @fig-a {{< var la_name >}} `code` $\\nope$",
    "P05": "=SUM(A1)+1 Area $5 & <b>more</b>",
}
CENTRE = '=HYPERLINK("http://example.invalid") <b>centre</b>'
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _plant(project: Path) -> None:
    data = project / "data"
    areas = pd.read_csv(data / "areas.csv", dtype=str, keep_default_na=False)
    for code, name in NAMES.items():
        assert (areas["la_code"] == code).sum() == 1
        areas.loc[areas["la_code"] == code, "la_name"] = name
    areas.to_csv(data / "areas.csv", index=False)
    centres = pd.read_csv(data / "centres.csv", dtype=str, keep_default_na=False)
    centres.loc[0, "centre_name"] = CENTRE
    centres.loc[0, "adviser_name"] = "Adviser <i>Jo</i> [Smith](javascript:x)"
    centres.to_csv(data / "centres.csv", index=False)
    interviews = pd.read_csv(data / "interviews.csv", dtype=str, keep_default_na=False)
    interviews.loc[0, "excerpt"] = "See <script>alert(3)</script> and [here](javascript:y)."
    interviews.to_csv(data / "interviews.csv", index=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory, make_project, build_project) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    _plant(project)
    build_project(project, engine="pandoc")
    return project / "_book"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


class _Page(HTMLParser):
    """Text content, elements and attributes of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _no_markup_from_data(page: _Page, where: str) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("b", "i"), f"{where}: a <{tag}> from the data became a tag"
        if tag == "script":
            assert attrs.get("src"), f"{where}: an inline <script> element"
        for key, value in attrs.items():
            assert not (value or "").strip().lower().startswith("javascript:"), (
                f"{where}: {tag} {key}={value!r}"
            )
    assert not any("alert(" in s for s in page.scripts), f"{where}: script from the data"


def test_html_pages_show_names_as_text(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        _no_markup_from_data(_parse(path), str(path.relative_to(site)))
    for code, name in NAMES.items():
        page = _parse(site / "profiles" / f"{code}.html")
        text = _flat(" ".join(page.text))
        assert text.count(name) >= 4, (code, text[:500])
        assert f"{name} ({code})" in text
    # the navigation of every page lists the profiles by name
    assert all(name in _flat(" ".join(_parse(site / "index.html").text)) for name in NAMES.values())


def _pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        [pdftotext, "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return _flat(out)


def test_pdfs_show_names_as_text_and_link_nowhere(site):
    text = _pdf_text(site / "report.pdf")
    for code, name in NAMES.items():
        assert f"{name} ({code})" in text, code
    # Typst code from the data did not run: the page is not filled, the words are there as text
    assert "#set page(fill: red) Borough" in text
    from pypdf import PdfReader

    for pdf in ("report.pdf", "summary.pdf"):
        for page in PdfReader(site / pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                uri = str(action.get("/URI", ""))
                assert not uri.lower().startswith("javascript"), (pdf, uri)
                assert action.get("/S") != "/JavaScript", pdf


def _check_cells(values, where: str) -> None:
    for value in values:
        if isinstance(value, str) and FORMULA.match(value) and not NUMBER.match(value):
            pytest.fail(f"{where}: a text cell starts a formula: {value!r}")


def test_csv_files_start_no_formula(site):
    files = sorted(site.glob("data/*.csv")) + sorted(site.glob("assets/*.csv"))
    assert len(files) > 20
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                _check_cells(row, str(path.relative_to(site)))


def test_workbooks_hold_no_formula(site):
    from openpyxl import load_workbook

    book = load_workbook(site / "data" / "wfscc-tables.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"xlsx {sheet.title}!{cell.coordinate}"
                _check_cells([cell.value], f"xlsx {sheet.title}!{cell.coordinate}")
    with zipfile.ZipFile(site / "data" / "wfscc-tables.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert "table:formula" not in content
    root = ET.fromstring(content)
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    _check_cells(["".join(p.itertext()) for p in root.iter(f"{text_ns}p")], "ods")


def test_json_files_parse_and_carry_plain_text(site):
    for path in [site / "facts.json", *site.glob("data/*.json")]:
        json.loads(path.read_text(encoding="utf-8"))


def test_svg_charts_are_plain_drawings(site):
    svgs = sorted(site.glob("assets/*.svg"))
    assert svgs
    for path in svgs:
        root = ET.parse(path).getroot()  # well-formed XML: no text broke out of its element
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "b"), (path.name, tag)
            for key, value in el.attrib.items():
                assert "javascript:" not in value.lower(), (path.name, key, value)
    # charts carry no titles (the caption, outside the image, is the title) and label areas by
    # code, so no planted name may reach a drawing, escaped or not
    drawn = " ".join(path.read_text(encoding="utf-8") for path in svgs)
    for name in NAMES.values():
        assert name not in drawn and html.escape(name, quote=False) not in drawn, name


def _markdown_kinds(text: str) -> set[str]:
    import pypandoc

    kinds: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if "t" in node:
                kinds.add(node["t"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(pypandoc.convert_text(text, "json", format="markdown"))["blocks"])
    return kinds


def test_notebooks_show_names_as_text(site):
    notebooks = sorted(site.glob("notebooks/*.ipynb"))
    assert {p.stem for p in notebooks} >= set(NAMES)
    unsafe = {"RawInline", "RawBlock", "Link", "Image", "Math", "Cite", "Code", "Emph", "Strong"}
    for path in notebooks:
        if path.stem not in NAMES:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        markdown = [
            "".join(out["data"]["text/markdown"])
            for cell in nb["cells"]
            for out in cell.get("outputs", [])
            if "text/markdown" in out.get("data", {})
        ]
        assert markdown
        for text in markdown:
            text = text.replace("**Key points**", "Key points")  # the notebook's own label
            assert not (_markdown_kinds(text) & unsafe), (path.name, text[:200])
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                html = "".join(out.get("data", {}).get("text/html", ""))
                if html:
                    page = _Page()
                    page.feed(html)
                    _no_markup_from_data(page, path.name)


def test_search_index_carries_names_as_text(site):
    titles = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        fragment = json.loads(raw[raw.index(b"{") :])
        titles[fragment["url"]] = fragment
    for code, name in NAMES.items():
        fragment = next(f for url, f in titles.items() if url.endswith(f"profiles/{code}.html"))
        assert fragment["meta"]["title"] == name
        assert name in _flat(fragment["content"])


def test_text_that_reaches_no_page_is_nowhere(site):
    """Centre and adviser names and interview excerpts are used (redaction) but not shown."""
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".ipynb", ".svg", ".js"):
            text = path.read_text(encoding="utf-8")
            for needle in ("alert(3)", "example.invalid", "<i>Jo</i>"):
                assert needle not in text, (path.relative_to(site), needle)
