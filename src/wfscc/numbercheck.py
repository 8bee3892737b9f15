"""The "Number check": where every fact comes from and where it appears.

:func:`prepare` runs on the staged project, before it is rendered. It finds every
`{{< var name >}}` in each page's source (includes followed, notebooks' Markdown cells read), and
writes:

* `report/number-check.qmd` in the project: every cited fact with its value after disclosure
  control, base, interval, the function that computed it, the data it was computed from and the
  pages where it appears; then the facts computed but cited nowhere; then the numbers on pages
  that are not facts (tables typed into a page, charts, notebook tables);
* `data/number-check.csv` and `data/number-check.json` in the site (the same rows);
* `assets/trace-data.js` in the site: the panel data of "Show where numbers come from".

A withheld fact shows only its text ("fewer than 10"), never a value.
"""

from __future__ import annotations

import csv
import functools
import importlib
import inspect
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import YAML_DUMPER, YAML_LOADER
from .contract import ATTRIBUTES
from .diff import md
from .pdfpages import fact_pdf_pages, fill_page
from .render import Book, load_book, marked_variables
from .textsafe import markdown as md_escape
from .textsafe import spreadsheet_csv

PAGE = "report/number-check.qmd"
TITLE = "Number check"
TABLES = ATTRIBUTES
_VAR = re.compile(r"\{\{<\s*var\s+([A-Za-z0-9_.-]+)\s*>\}\}")
_INCLUDE = re.compile(r"\{\{<\s*include\s+([^>]+?)\s*>\}\}")
_FIGURE = re.compile(r"!\[([^\]]*)\]\([^)]*\)\{[^}]*#(fig-[\w-]+)")
_DIGIT = re.compile(r"\d")
PDF_PENDING = "see data/number-check.csv"
NOT_IN_PDF = "not in the PDFs' text (an alt text, or a page not in the PDFs)"
CSV_COLUMNS = (
    "kind",
    "name",
    "shown",
    "base",
    "interval",
    "source",
    "inputs",
    "pages",
    "pdf_pages",
    "where",
)


@dataclass
class Check:
    """What the number check found in a project."""

    uses: dict[str, list[str]] = field(default_factory=dict)  # fact -> pages (site paths)
    others: list[dict] = field(default_factory=list)  # numbers on pages that are not facts
    sources: dict[str, str] = field(default_factory=dict)  # page -> source, from report/
    rows: dict[str, dict] = field(default_factory=dict)  # fact -> its record (`records`)


def _read_with_includes(path: Path, seen: tuple[Path, ...] = ()) -> str:
    path = path.resolve()
    if path in seen or not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    return _INCLUDE.sub(
        lambda m: _read_with_includes(path.parent / m.group(1).strip("\"'"), (*seen, path)), text
    )


def _notebook_parts(path: Path) -> tuple[str, list[str]]:
    """A notebook's Markdown cells, and a description of each table or chart it outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    text, outputs = [], []
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            text.append(source)
            continue
        label = re.search(r"#\|\s*(?:fig-cap|tbl-cap|label):\s*(.+)", source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            kind = (
                "chart"
                if any(k.startswith("image/") for k in data)
                else "table"
                if ("text/html" in data or "text/markdown" in data)
                else None
            )
            if kind:
                outputs.append(f"{kind} output: {label.group(1).strip() if label else 'unnamed'}")
    return "\n".join(text), outputs


def scan(book: Book) -> Check:
    """Find the facts each page cites and the numbers on it that are not facts."""
    check = Check()
    chapters = book.chapters + ([book.summary] if book.summary else [])
    for ch in chapters:
        if ch.site_only:  # the build's own pages (QA log, changes): not the report's numbers
            continue
        page = str(ch.html)
        if ch != book.summary:  # the summary is not a chapter: links to it are not resolved
            check.sources[page] = os.path.relpath(ch.source, book.project_dir / "report")
        if ch.source.suffix == ".ipynb":
            text, outputs = _notebook_parts(ch.source)
            check.others += [{"page": page, "what": o} for o in outputs]
        else:
            text = _read_with_includes(ch.source)
            for line in text.splitlines():
                bare = _VAR.sub("", line)
                if line.lstrip().startswith("|") and _DIGIT.search(bare.strip("|-: ")):
                    check.others.append(
                        {"page": page, "what": "typed in a table: " + " ".join(bare.split())}
                    )
                fig = _FIGURE.search(line)
                if fig:
                    check.others.append(
                        {
                            "page": page,
                            "what": f"chart {fig.group(2)}: "
                            f"{fig.group(1)} (its numbers are in its data file)",
                        }
                    )
        for name in _VAR.findall(text):
            pages = check.uses.setdefault(name, [])
            if page not in pages:
                pages.append(page)
    return check


@functools.cache  # about 440 facts come from about 50 functions; reading one's source costs 0.5 ms
def inputs_of(source: str) -> str:
    """The data a fact's function reads: its parameters that name the dataset's tables, and the
    columns its code subscripts (`["col"]`), derived from the function itself."""
    module, _, attr = source.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        return ""
    if not callable(obj):
        return ""
    try:
        params = [p for p in inspect.signature(obj).parameters if p in TABLES]
        code = inspect.getsource(obj)
    except (TypeError, ValueError, OSError):
        return ""
    columns = sorted(set(re.findall(r"\[\s*[\"']([a-z][a-z0-9_]*)[\"']\s*\]", code)))
    parts = list(params)
    if columns:
        parts.append("columns " + ", ".join(columns))
    return "; ".join(parts)


def _interval(name: str, facts: dict) -> str:
    ci = facts.get(f"{name}_ci")
    if name.endswith("_ci") or not ci:
        return ""
    return ci.get("text", "")


def records(facts: dict, check: Check) -> dict[str, dict]:
    """The panel data of every fact: what is shown, base, interval, rule, source, inputs, pages.
    Nothing of a withheld fact but its text."""
    out = {}
    for name in sorted(facts):
        f = facts[name]
        out[name] = {
            "shown": f.get("text", ""),
            "base": None if f.get("suppressed") else f.get("base"),
            "interval": "" if f.get("suppressed") else _interval(name, facts),
            "rule": f.get("rule") or f.get("wording") or "",
            "source": f.get("source", ""),
            "inputs": f.get("inputs") or inputs_of(f.get("source", "")),
            "suppressed": bool(f.get("suppressed")),
            "pages": check.uses.get(name, []),
            "pdf_pages": "",
        }
    return out


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return md_escape(text).replace("|", "\\|")


def _links(pages: list[str], sources: dict[str, str]) -> str:
    """Links to the pages (written to their sources, as the engines want)."""
    return ", ".join(f"[{_cell(p)}]({sources[p]})" if p in sources else _cell(p) for p in pages)


def page_markdown(rows: dict[str, dict], check: Check) -> str:
    """The Number check page."""
    cited = [n for n in rows if rows[n]["pages"]]
    uncited = [n for n in rows if not rows[n]["pages"]]
    unknown = sorted(set(check.uses) - set(rows))
    out = [
        "---",
        "wfscc-site-only: true",
        "---",
        "",
        f"# {TITLE} {{.unnumbered}}",  # unlettered, as every page of "About this build"
        "",
        "Every number the report's text cites is a named fact, computed from the data. This "
        "page lists each cited fact with what is shown (after disclosure control), its base "
        "and interval, the function that computed it, the data it read, and the pages where "
        "it appears. The same list is in [number-check.csv](data/number-check.csv).",
        "",
        "## Cited facts",
        "",
    ]
    for name in cited:
        r = rows[name]
        out += [f"### {_cell(name)} {{#fact-{name}}}", "", f"- Shown: {_cell(r['shown'])}"]
        for label, key in (
            ("Base", "base"),
            ("Interval", "interval"),
            ("Wording rule", "rule"),
            ("Computed by", "source"),
            ("Computed from", "inputs"),
        ):
            if r[key] not in (None, ""):
                out.append(f"- {label}: {_cell(r[key])}")
        out += [
            f"- Appears on: {_links(r['pages'], check.sources)}",
            f'- In the PDFs: [{PDF_PENDING}]{{data-pdf-pages="{name}"}}',
            "",
        ]
    out += ["## Facts computed but cited nowhere", ""]
    out += [f"- {_cell(n)}: {_cell(rows[n]['shown'])}" for n in uncited] or ["None."]
    out += [""]
    if unknown:
        out += ["## Cited names that are not facts", ""]
        out += [f"- {_cell(n)}" for n in unknown] + [""]
    out += [
        "## Numbers on pages that are not facts",
        "",
        "Tables and charts carry numbers of their own: these come from the published data "
        "tables and chart data, not from facts.",
        "",
    ]
    out += [f"- {_cell(o['page'])}: {_cell(o['what'])}" for o in check.others] or ["None."]
    return "\n".join(out) + "\n"


def csv_text(rows: dict[str, dict], check: Check) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for name, r in rows.items():
        kind = "cited fact" if r["pages"] else "uncited fact"
        w.writerow(
            [
                spreadsheet_csv(str(v)) if isinstance(v, str) else v
                for v in (
                    kind,
                    name,
                    r["shown"],
                    "" if r["base"] is None else r["base"],
                    r["interval"],
                    r["source"],
                    r["inputs"],
                    " ".join(r["pages"]),
                    r["pdf_pages"],
                    "",
                )
            ]
        )
    for o in check.others:
        w.writerow(["not a fact", *[""] * 6, o["page"], "", spreadsheet_csv(o["what"])])
    return buf.getvalue()


def trace_js(rows: dict[str, dict]) -> str:
    panel = {
        n: {k: r[k] for k in ("shown", "base", "interval", "rule", "source", "inputs", "pdf_pages")}
        for n, r in rows.items()
        if r["pages"]
    }
    data = json.dumps(panel, sort_keys=True, ensure_ascii=True, indent=1)
    return "window.wfsccFacts = " + data.replace("</", "<\\/") + ";\n"


def prepare(project: Path, facts_json: Path, site: Path, pages: Path | None = None) -> Check:
    """Write the Number check page into *project* (or under *pages*: `wfscc prepare` writes it
    beside the project's committed placeholder) and its CSV, JSON and panel data into *site*."""
    facts = json.loads(Path(facts_json).read_text(encoding="utf-8"))
    check = scan(load_book(project))
    rows = records(facts, check)
    page = Path(pages or project) / PAGE
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(page_markdown(rows, check), encoding="utf-8")
    check.rows = rows
    write_outputs(site, check)
    return check


def link_changes(changes: Path, check: Check) -> None:
    """Link each changed fact on the changes page to the pages where it appears and to its
    entry on the Number check page, so a reviewer re-checks only what moved."""
    if not changes.is_file():
        return
    lines = changes.read_text(encoding="utf-8").splitlines()
    names = {f"| {md(n)} |": n for n in check.uses}
    for i, line in enumerate(lines):
        for head, name in names.items():
            if line.startswith(head):
                pages = _links(check.uses[name], check.sources)
                entry = f"[number check](number-check.qmd#fact-{name})"
                cell = f"| {md(name)} (on {pages}; {entry}) |"
                lines[i] = cell + line[len(head) :]
                break
    changes.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mark_variables(path: Path) -> None:
    """Rewrite a staged `_variables.yml` with each value marked `[text]{data-fact="name"}`, so
    Quarto marks cited numbers as the built-in engine does (see `wfscc.render._trace`)."""
    if not path.is_file():
        return
    values = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    texts = marked_variables({k: v for k, v in values.items() if isinstance(v, str)})
    path.write_text(
        yaml.dump({**values, **texts}, Dumper=YAML_DUMPER, sort_keys=True, allow_unicode=True,
                  width=1000),
        encoding="utf-8",
    )


def write_outputs(site: Path, check: Check) -> None:
    """`data/number-check.csv`, `data/number-check.json` and `assets/trace-data.js`."""
    rows = check.rows
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "data" / "number-check.csv").write_text(csv_text(rows, check), encoding="utf-8")
    (site / "data" / "number-check.json").write_text(
        json.dumps(
            {"facts": rows, "not_facts": check.others}, indent=1, sort_keys=True, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    (site / "assets").mkdir(parents=True, exist_ok=True)
    (site / "assets" / "trace-data.js").write_text(trace_js(rows), encoding="utf-8")


def add_pdf_pages(project: Path, site: Path, check: Check) -> None:
    """After the render: add the PDF pages where each cited fact appears (`wfscc.pdfpages`) to
    the CSV, the JSON and the panel data."""
    texts = {n: r["shown"] for n, r in check.rows.items()}
    summary = site / "summary.pdf"
    found = fact_pdf_pages(
        load_book(project),
        {"number-check.html"},
        check.uses,
        texts,
        site / "report.pdf",
        summary if summary.is_file() else None,
    )
    for name, where in found.items():
        if name in check.rows:
            check.rows[name]["pdf_pages"] = where
    write_outputs(site, check)
    # the built-in engine's page is at the site's root, Quarto's under report/ like its source
    for page in (site / "number-check.html", site / PAGE.replace(".qmd", ".html")):
        fill_page(page, check.rows, PDF_PENDING, NOT_IN_PDF)
