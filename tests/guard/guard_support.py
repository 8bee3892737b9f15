"""Builders of small, realistic output files for the guard's tests: clean ones and leaky ones."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "src" / "wfscc" / "render" / "templates"

PARTICIPANT = "QQ123456C"
INTERVIEW = "INT-0042"
RESPONDENT = "S004321"
REFERRAL = "R000777"
IDENTIFIERS = {PARTICIPANT, "QQ654321A", INTERVIEW, RESPONDENT, REFERRAL}
ADVISER = "Priya Shahbaz"
NAMES = {ADVISER, "Tomasz Ellingham"}

PROSE = (
    "In pilot area P01 (centres P01-A and P01-B) and comparison area C03, 14 per cent of users "
    "met the adviser in 2009-10, and 2,345 parents started between 2009-01-01 and 2011-03-31. "
    "Nine in ten managers (90 per cent) said the role was flexible. Table 3.2; Figure 4.1; "
    "wave 2 in 2011; 1.6 percentage points; see annex A1 and Level 2 qualifications."
)


def guard_kwargs() -> dict:
    """The guard's parameters for the built outputs; the test chart PNG (`png_bytes`) stands for
    an image the project ships (a raster image it does not ship is a finding of its own)."""
    return {
        "identifiers": IDENTIFIERS,
        "names": NAMES,
        "threshold": 10,
        "shipped_images": {hashlib.sha256(png_bytes()).hexdigest()},
    }


def png_bytes() -> bytes:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(["P01", "P02", "C03"], [120, 95, 40])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def svg_text(title: str = "Starts by pilot area, 2009 to 2011") -> str:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "wfscc"
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["P01", "P02", "C03"], [120, 95, 40])
    ax.set_title(title)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def html_page(body: str, title: str = "Findings") -> str:
    """A page shaped like the render engine's template, with its CSS and search script inline."""
    css = (TEMPLATES / "wfscc.css").read_text() if (TEMPLATES / "wfscc.css").exists() else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{css}\n</style>\n"
        '<link rel="stylesheet" href="pagefind/pagefind-ui.css">\n</head>\n<body>\n'
        '<header class="site-header"><div id="search" role="search"></div></header>\n'
        f'<main id="main" data-pagefind-body>\n{body}\n</main>\n'
        '<footer class="site-footer"><p>Built by wfscc.</p></footer>\n'
        '<script src="pagefind/pagefind-ui.js"></script>\n</body>\n</html>\n'
    )


def clean_body(n: int = 1) -> str:
    png = base64.b64encode(png_bytes()).decode()
    return (
        f"<h1>Chapter {n}: Findings</h1>\n<p>{PROSE}</p>\n"
        "<table>\n<thead><tr><th>la_code</th><th>group</th><th>starts</th><th>per cent</th></tr>"
        "</thead>\n<tbody><tr><td>P01</td><td>pilot</td><td>120</td><td>14</td></tr>\n"
        "<tr><td>C03</td><td>comparison</td><td>[c]</td><td>[c]</td></tr></tbody>\n</table>\n"
        f'<figure id="fig-starts"><img src="data:image/png;base64,{png}" '
        'alt="Bar chart: starts in P01 were highest, at 120"><figcaption>Figure 1</figcaption>'
        f"</figure>\n{svg_text()}\n"
    )


def write_notebook(path: Path, outputs: list[dict], source: str = "profile_table(ds, la_code)"):
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "c1",
                "metadata": {"tags": ["parameters"]},
                "outputs": [],
                "source": 'la_code = "P01"\ndata_dir = "data"',
            },
            {
                "cell_type": "code",
                "execution_count": 2,
                "id": "c2",
                "metadata": {},
                "outputs": outputs,
                "source": source,
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, indent=1))
    return path


def display(data: dict, metadata: dict | None = None) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def clean_notebook_outputs() -> list[dict]:
    import pandas as pd

    table = pd.DataFrame({"la_code": ["P01", "P02"], "starts": [120, 95], "per_cent": [14, 11]})
    png = base64.b64encode(png_bytes()).decode()
    return [
        display({"text/plain": repr(table), "text/html": table.to_html()}),
        display(
            {"image/png": png, "text/plain": "<Figure size 200x150 with 1 Axes>"},
            {"image/png": {"alt": "Starts by pilot area: P01 highest"}},
        ),
        {"output_type": "stream", "name": "stdout", "text": PROSE},
    ]


def write_pdf(path: Path, text: str, alt: str = "Bar chart of starts by area") -> Path:
    import typst

    svg = path.parent / "_chart.svg"
    svg.write_text(svg_text())
    src = (
        '#set document(title: "Work-focused services: findings")\n#set text(lang: "en")\n'
        f"= Findings\n{text}\n"
        f'#figure(image("{svg.name}", alt: "{alt}"), caption: [Starts])\n'
    )
    typ = path.with_suffix(".typ")
    typ.write_text(src)
    typst.compile(str(typ), output=str(path), pdf_standards=["ua-1"])
    typ.unlink()
    svg.unlink()
    return path


def write_xlsx(path: Path, cells: dict[str, object], sheet: str = "Table_1") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list[object]], sheet: str = "Table_1") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, int | float):
                tc = TableCell(valuetype="float", value=value)
            else:
                tc = TableCell(valuetype="string")
            tc.addElement(P(text=str(value)))
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_fragment(path: Path, content: str, url: str = "/chapter-1.html", **meta) -> Path:
    """A Pagefind fragment as Pagefind writes it: gzip(`pagefind_dcd` + JSON)."""
    obj = {
        "url": url,
        "content": content,
        "word_count": len(content.split()),
        "filters": {},
        "meta": {"title": "Findings", **meta},
        "anchors": [],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(obj).encode()))
    return path


def write_tables(root: Path, counts: list[object], name: str = "starts_by_la") -> Path:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    lines = ["la_code,starts,per_cent"] + [
        f"P{i + 1:02d},{'' if c is None else c},12" for i, c in enumerate(counts)
    ]
    (data / f"{name}.csv").write_text("\n".join(lines) + "\n")
    manifest = {
        name: {
            "title": "Starts by pilot area",
            "csv": f"{name}.csv",
            "count_columns": ["starts"],
            "threshold": 10,
            "suppressed_cells": sum(c is None for c in counts),
        }
    }
    (data / "tables.json").write_text(json.dumps(manifest, indent=1))
    return data / "tables.json"


def run_pagefind(site: Path) -> None:
    """Index `site` with the real Pagefind binary (from the `pagefind-bin` wheel)."""
    from pagefind_bin import get_executable

    subprocess.run(
        [str(get_executable()), "--site", str(site)], check=True, capture_output=True, timeout=120
    )


def build_clean_site(root: Path, pages: int = 3) -> Path:
    """A small published site: pages, a notebook, a PDF, XLSX/ODS tables, CSVs with a manifest,
    images, the template's CSS/JS, and a real Pagefind index with its UI bundle."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, pages + 1):
        (root / f"chapter-{n}.html").write_text(html_page(clean_body(n), f"Chapter {n}"))
    assets = root / "assets"
    assets.mkdir(exist_ok=True)
    for f in ("wfscc.css", "search.js"):
        if (TEMPLATES / f).exists():
            shutil.copyfile(TEMPLATES / f, assets / f)
    (assets / "chart.png").write_bytes(png_bytes())
    (assets / "chart.svg").write_text(svg_text())
    nbdir = root / "notebooks"
    nbdir.mkdir(exist_ok=True)
    write_notebook(nbdir / "la_profile_P01.ipynb", clean_notebook_outputs())
    write_pdf(root / "report.pdf", PROSE)
    write_xlsx(
        root / "tables.xlsx",
        {
            "A1": "Starts by pilot area",
            "A2": "la_code",
            "B2": "starts",
            "A3": "P01",
            "B3": 120,
            "A4": "C03",
            "B4": "[c]",
        },
    )
    write_ods(
        root / "tables.ods",
        [["Starts by pilot area"], ["la_code", "starts"], ["P01", 120], ["C03", "[c]"]],
    )
    write_tables(root, [120, 95, None, 40])
    (root / "facts.json").write_text(
        json.dumps({"takeup_pct": {"value": 0.14, "text": "14 per cent", "base": 2345}})
    )
    (root / "search.json").write_text(json.dumps([{"title": "Findings", "text": PROSE}]))
    run_pagefind(root)
    return root
