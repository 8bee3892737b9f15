"""The Number check lists every cited fact with the pages it appears on, facts cited nowhere,
and numbers on pages that are not facts; the engine marks each cited number data-fact=name."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
import yaml

from wfscc.numbercheck import PAGE, add_pdf_pages, prepare
from wfscc.render import render_book
from wfscc.render._trace import in_attributes, plain_lines

FIXTURE = Path(__file__).resolve().parent.parent / "render" / "fixtures" / "book"


def _facts(book: Path, extra: dict) -> Path:
    variables = yaml.safe_load((book / "_variables.yml").read_text(encoding="utf-8"))
    facts = {
        k: {"text": str(v), "value": 1, "base": 200, "source": "wfscc.analysis.survey.takeup"}
        for k, v in variables.items()
    }
    facts.update(extra)
    path = book.parent / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    return path


@pytest.fixture
def planted(tmp_path):
    """The fixture book with an uncited fact, a withheld fact and a hand-typed number in a table."""
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    page = book / "report" / "02-findings.qmd"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n| Area | Starts |\n|---|---|\n| North | 4711 |\n",
        encoding="utf-8",
    )
    facts = _facts(
        book,
        {
            "planted_uncited": {"text": "93 per cent", "value": 0.93, "base": 300, "source": "x.y"},
            "planted_withheld": {
                "text": "fewer than 10",
                "value": None,
                "base": None,
                "source": "x.y",
                "suppressed": True,
            },
        },
    )
    site = tmp_path / "site"
    check = prepare(book, facts, site)
    return book, site, check


def test_uncited_fact_and_typed_number_are_listed(planted):
    book, site, _ = planted
    rows = list(csv.DictReader((site / "data" / "number-check.csv").open(encoding="utf-8")))
    kinds = {r["name"]: r["kind"] for r in rows if r["name"]}
    assert kinds["planted_uncited"] == "uncited fact"
    assert kinds["takeup_wave2_pilot_pct"] == "cited fact"
    typed = [r for r in rows if r["kind"] == "not a fact" and "4711" in r["where"]]
    assert typed and typed[0]["pages"] == "02-findings.html"
    text = (book / PAGE).read_text(encoding="utf-8")
    uncited = text.split("## Facts computed but cited nowhere")[1].split("## ")[0]
    assert "planted\\_uncited" in uncited
    assert "4711" in text.split("## Numbers on pages that are not facts")[1]


def test_cited_facts_list_their_pages(planted):
    _, site, check = planted
    data = json.loads((site / "data" / "number-check.json").read_text(encoding="utf-8"))
    pages = data["facts"]["takeup_wave2_pilot_pct"]["pages"]
    # cited in chapter 1 directly and through an include, and in the summary
    assert pages == ["01-introduction.html", "summary.html"]
    assert data["facts"]["n_pilot_las"]["pages"] == [
        "index.html",
        "profiles/P01.html",
        "summary.html",
    ]


def test_withheld_fact_shows_no_value(planted):
    _, site, _ = planted
    js = (site / "assets" / "trace-data.js").read_text(encoding="utf-8")
    data = json.loads((site / "data" / "number-check.json").read_text(encoding="utf-8"))
    withheld = data["facts"]["planted_withheld"]
    assert withheld["shown"] == "fewer than 10" and withheld["base"] is None
    assert "value" not in withheld and '"value"' not in js


def test_marks_only_where_a_span_can_stand():
    line = '![Cap {{< var a >}}](x.svg){#fig-x fig-alt="{{< var a >}}"}'
    first, second = (m.start() for m in re.finditer(r"\{\{<", line))
    assert not in_attributes(line, first) and in_attributes(line, second)
    text = "---\ntitle: x\n---\n\nprose\n```\ncode\n```\n<div>\n"
    assert plain_lines(text) == {1, 2, 3, 6, 7, 8, 9}


@pytest.mark.slow
def test_number_check_pages_agree_with_the_built_pages(planted, tmp_path):
    book, site, check = planted
    config = book / "_quarto.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    - report/annex-b-technical.qmd\n",
            "    - report/annex-b-technical.qmd\n    - report/number-check.qmd\n",
        ),
        encoding="utf-8",
    )
    render_book(book, site, timestamp=datetime(2024, 5, 1, tzinfo=UTC), provenance={})
    assert (site / "number-check.html").is_file()
    assert 'id="fact-takeup_wave2_pilot_pct"' in (site / "number-check.html").read_text()
    # the Number check is on the site only: not in the report PDF
    report = " ".join(p.extract_text() for p in pypdf.PdfReader(site / "report.pdf").pages)
    assert "Technical annex" in report and "Number check" not in report
    add_pdf_pages(book, site, check)
    rows = json.loads((site / "data" / "number-check.json").read_text(encoding="utf-8"))["facts"]
    assert rows["takeup_wave2_pilot_pct"]["pdf_pages"].startswith("report p")
    assert "summary p" in rows["n_pilot_las"]["pdf_pages"]
    page = (site / "number-check.html").read_text(encoding="utf-8")
    where = rows["takeup_wave2_pilot_pct"]["pdf_pages"]
    assert f'<span data-pdf-pages="takeup_wave2_pilot_pct">{where}</span>' in page
    data = json.loads((site / "data" / "number-check.json").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for html in site.rglob("*.html"):
        if "pagefind" in html.parts:
            continue
        for name in re.findall(r'data-fact="([^"]+)"', html.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(html.relative_to(site).as_posix())
    listed = {n: set(r["pages"]) for n, r in data["facts"].items() if r["pages"]}
    assert found == listed
    # the alt text that cites a fact stays plain text
    assert "data-fact" not in re.findall(r'alt="[^"]*"', (site / "summary.html").read_text())[0]


def test_marked_variables_are_plain_in_attributes_and_marked_once_in_prose(tmp_path):
    from wfscc.numbercheck import mark_variables
    from wfscc.render._qmd import expand_text

    path = tmp_path / "_variables.yml"
    path.write_text("pct: 31 per cent\nodd: Area \\[x\\]\nnested:\n  a: b\n", encoding="utf-8")
    mark_variables(path)
    variables = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert variables["pct"] == '[31 per cent]{data-fact="pct"}'
    assert variables["nested"] == {"a": "b"}
    text = (
        "---\ntitle: At {{< var pct >}}\n---\n\n"
        'Rose to {{< var pct >}}.\n\n![c](x.svg){fig-alt="Up to {{< var odd >}}"}\n'
    )
    problems: list[str] = []
    out = expand_text(text, tmp_path / "x.qmd", variables, problems)
    assert not problems
    assert "title: At 31 per cent\n" in out
    assert 'Rose to [31 per cent]{data-fact="pct"}.' in out
    assert 'fig-alt="Up to Area \\[x\\]"' in out
