"""The per-LA profile notebook (``notebooks/la_profile.ipynb``, Annex A): what it publishes.

The notebook is run the way the build runs it (parameters injected, warm kernels, outputs
normalised) against a profile store written from the shipped data, and its outputs are checked
against the rules every published page must meet: an H1 with the LA's name, the required sections,
charts with alt text and their data, no errors or warnings, no small counts, no records, and the
same bytes from the same data. A second store, where one LA has only a handful of records, checks
that the notebook still runs and withholds what it cannot show. These tests run a kernel and are
marked ``slow``; the facts and display helpers the notebook relies on are tested fast, at the end.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.contract import DEFAULT_THRESHOLD
from wfscc.data import load_dataset
from wfscc.execute import NotebookRun, run_notebooks
from wfscc.facts import la_facts, pilot_reference
from wfscc.guard import identifiers_of, names_of, redact_interviews, scan_outputs
from wfscc.notebook import display
from wfscc.notebook.store import LA_TABLES, reference_tables, write_store
from wfscc.outputs.disclosure import protect

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "la_profile.ipynb"
SECTIONS = (
    "Starts over time and bedding in",
    "Who it engaged",
    "Referrals",
    "Delivery of the core elements",
    "Survey of centre users",
    "Themes from the interviews",
)
THRESHOLD = 10
ELEMENTS = ("jcp_provision", "support_packages", "partnership_working", "adviser_integration",
            "customer_engagement")
THEMES = ("flexible_role", "role_tension", "line_manager_targets",
          "manager_understands_employment", "accessible_adviser", "more_time_than_office",
          "partnership_growth", "limited_other_partners", "holistic_support", "faster_service",
          "new_skills_for_jcp", "outreach_success", "closer_to_work", "time_to_bed_in")
SMALL_LA = "P02"  # cut down to a handful of records in the second store
PLACEHOLDER_ALT = re.compile(r"^(chart|image|figure|graph|plot|no description.*)\.?$", re.I)
PERCENT_HEADER = re.compile(r"per ?cent|interval|lower|upper", re.I)
# A digit 1-9 standing alone in prose (not part of a year, a quarter "Q1", a code "P01" or "[c]").
LONE_DIGIT = re.compile(r"(?<![\w.,])[1-9](?![\w.,])")


# --- running the notebook as the build does ------------------------------------------------------


def _dataset():
    dataset = load_dataset(REPO / "data")
    return replace(dataset, interviews=redact_interviews(dataset.interviews, dataset.centres))


def _small(dataset, la: str):
    """``dataset`` with ``la`` cut to a few records in every table (bases and counts below 10)."""

    def cut(frame: pd.DataFrame, n: int, by: str | None = None) -> pd.DataFrame:
        own = frame[frame["la_code"] == la]
        own = own.groupby(by, group_keys=False).head(n) if by else own.head(n)
        return pd.concat([frame[frame["la_code"] != la], own], ignore_index=True)

    return replace(dataset, mi=cut(dataset.mi, 6), referrals=cut(dataset.referrals, 7),
                   survey=cut(dataset.survey, 5, by="wave"), interviews=cut(dataset.interviews, 3))


def _run(dataset, root: Path, runs: list[NotebookRun]) -> dict[str, Path]:
    store = root / "store"
    write_store({name: getattr(dataset, name) for name in LA_TABLES}, reference_tables(dataset),
                store, "test")
    report = run_notebooks(NOTEBOOK, runs, out_dir=root / "out", staging_dir=root / "staging",
                           jobs=2, timeout=120, cwd=root)
    report.raise_for_failures()
    return report.succeeded


def _params(la: str) -> dict:
    return {"la_code": la, "store_dir": "store"}


@pytest.fixture(scope="module")
def shipped():
    return _dataset()


@pytest.fixture(scope="module")
def executed(shipped, tmp_path_factory) -> dict[str, Path]:
    """P01 and P04 run on the shipped data."""
    root = tmp_path_factory.mktemp("profiles")
    return _run(shipped, root, [NotebookRun("P01", _params("P01")),
                                NotebookRun("P04", _params("P04"))])


@pytest.fixture(scope="module")
def small(shipped, tmp_path_factory) -> tuple[object, Path]:
    """The notebook run for an LA with a handful of records, and that dataset."""
    data = _small(shipped, SMALL_LA)
    root = tmp_path_factory.mktemp("small")
    return data, _run(data, root, [NotebookRun(SMALL_LA, _params(SMALL_LA))])[SMALL_LA]


# --- reading outputs -----------------------------------------------------------------------------


def _nb(path: Path):
    return nbformat.read(path, as_version=4)


def _outputs(nb):
    """(cell index, output) for every output of every code cell, in order."""
    return [(i, out) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", [])]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _markdown(nb) -> list[str]:
    """Markdown as published: markdown cells and text/markdown outputs."""
    parts = [_text(c.source) for c in nb.cells if c.cell_type == "markdown"]
    parts += [_text(o["data"]["text/markdown"]) for _, o in _outputs(nb)
              if "text/markdown" in o.get("data", {})]
    return parts


class _Cells(HTMLParser):
    """The rows of an HTML table, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(html.unescape("".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(nb) -> list[tuple[str, list[list[str]]]]:
    """Every published table (chart data as CSV, HTML tables) as (kind, rows with a header)."""
    out = []
    for _, o in _outputs(nb):
        data = o.get("data", {})
        if "text/csv" in data:
            out.append(("csv", list(csv.reader(io.StringIO(_text(data["text/csv"]))))))
        if "text/html" in data:
            parser = _Cells()
            parser.feed(_text(data["text/html"]))
            out.append(("html", parser.rows))
    return out


def _small_counts(nb) -> list[str]:
    """Cells outside percentage columns holding a whole number from 1 to THRESHOLD - 1."""
    found = []
    for kind, rows in _tables(nb):
        header, body = rows[0], rows[1:]
        for row in body:
            for col, cell in zip(header, row, strict=False):
                if PERCENT_HEADER.search(col):
                    continue
                try:
                    value = float(cell.replace(",", ""))
                except ValueError:
                    continue
                if 0 < value < THRESHOLD:
                    found.append(f"{kind} column {col!r}: {cell}")
    return found


# --- the committed notebook ----------------------------------------------------------------------


def test_the_committed_notebook_is_clean_and_parameterised():
    nb = _nb(NOTEBOOK)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[0]
    assert 'la_code = "P01"' in tagged[0].source and 'store_dir = "store"' in tagged[0].source
    # the contract's default, which the build replaces with its own threshold
    assert f"threshold = {DEFAULT_THRESHOLD}" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    # one notebook makes every profile: each figure and table id carries the notebook's name
    # (`{notebook}`: the LA code), so ids never collide across the book's profiles
    source = "".join(_text(c.source) for c in nb.cells)
    assert not re.search(r"\{#(fig|tbl)-", source)
    labels = re.findall(r"#\|\s*label:\s*(\S+)", source)
    assert len(labels) == 5, labels  # three figures and two tables
    assert all(re.fullmatch(r"(fig|tbl)-\{notebook\}-[a-z-]+", x) for x in labels), labels
    assert len(re.findall(r"#\|\s*(?:fig|tbl)-cap:", source)) == len(labels)


def test_the_notebook_only_calls_the_notebook_package():
    """No helper lives in the notebook: no definitions, loops or branches, imports only from
    wfscc.notebook (and warnings), and short cells (the logic is unit-tested in
    tests/notebook/)."""
    import ast

    nb = _nb(NOTEBOOK)
    for cell in nb.cells[1:]:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in _text(cell.source).splitlines()
                         if not line.startswith("#|"))
        tree = ast.parse(code)
        kinds = {type(node).__name__ for node in ast.walk(tree)}
        assert not kinds & {"FunctionDef", "Lambda", "ClassDef", "For", "While", "If",
                            "ListComp", "DictComp", "GeneratorExp"}, (kinds, code)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module.startswith("wfscc.notebook"), node.module
            elif isinstance(node, ast.Import):
                assert [a.name for a in node.names] == ["warnings"]
        assert len(code.strip().splitlines()) <= 12, code


# --- one LA on the shipped data -------------------------------------------------------------------


@pytest.mark.slow
def test_first_output_is_the_la_name_as_h1(executed, shipped):
    names = shipped.areas.set_index("la_code")["la_name"]
    for la, path in executed.items():
        _, first = _outputs(_nb(path))[0]
        text = _text(first["data"]["text/markdown"])
        assert text.startswith(f"# {names[la]}\n"), text[:80]
        assert sum(line.startswith("# ") for part in _markdown(_nb(path))
                   for line in part.splitlines()) == 1


@pytest.mark.slow
def test_every_required_section_is_there_in_order(executed):
    nb = _nb(executed["P01"])
    headings = [line[3:].strip() for part in _markdown(nb) for line in part.splitlines()
                if line.startswith("## ")]
    assert headings == list(SECTIONS)


@pytest.mark.slow
def test_charts_have_alt_text_and_their_data_after_them(executed, shipped):
    ids = identifiers_of(shipped)
    for path in executed.values():
        nb = _nb(path)
        charts = 0
        for cell in nb.cells:
            outs = cell.get("outputs", []) if cell.cell_type == "code" else []
            for k, out in enumerate(outs):
                if "image/svg+xml" not in out.get("data", {}):
                    continue
                charts += 1
                alt = out["metadata"]["image/svg+xml"]["alt"]
                assert len(alt) > 40 and not PLACEHOLDER_ALT.match(alt.strip())
                assert not any(word in ids for word in re.findall(r"[\w-]+", alt))
                assert k + 1 < len(outs) and "text/csv" in outs[k + 1]["data"]
                assert "%" not in alt
        assert charts == 3


@pytest.mark.slow
def test_every_chart_and_table_has_its_base_and_source_under_it(executed):
    nb = _nb(executed["P01"])
    for cell in nb.cells:
        outs = cell.get("outputs", []) if cell.cell_type == "code" else []
        shown = [k for k, o in enumerate(outs)
                 if {"image/svg+xml", "text/html"} & set(o.get("data", {}))]
        for k in shown:
            last = k + 2 if "image/svg+xml" in outs[k]["data"] else k + 1  # a chart's CSV first
            note = _text(outs[last]["data"]["text/markdown"])
            assert re.search(r"Base: [^.]+\. Source: [^.]+\.$", note), note


@pytest.mark.slow
def test_no_errors_warnings_or_raw_output(executed):
    for path in executed.values():
        for _, out in _outputs(_nb(path)):
            assert out["output_type"] == "display_data", out["output_type"]
            plain = _text(out["data"].get("text/plain", ""))
            assert "<" not in plain and "0x" not in plain  # no reprs or memory addresses


@pytest.mark.slow
def test_no_small_counts_in_tables_or_chart_data(executed):
    for path in executed.values():
        assert _small_counts(_nb(path)) == []


@pytest.mark.slow
def test_prose_follows_house_style(executed):
    for path in executed.values():
        for part in _markdown(_nb(path)):
            assert "%" not in part
            assert not LONE_DIGIT.findall(part), part


@pytest.mark.slow
def test_no_records_ids_or_names_reach_the_outputs(executed, shipped):
    out_dir = executed["P01"].parent
    findings = scan_outputs(out_dir, identifiers=identifiers_of(shipped),
                            names=names_of(shipped), threshold=THRESHOLD)
    assert findings == []
    text = json.dumps([o for _, o in _outputs(_nb(executed["P01"]))])
    assert "participant_id" not in text and "excerpt" not in text
    for excerpt in shipped.interviews.loc[shipped.interviews["la_code"] == "P01", "excerpt"]:
        assert excerpt[:40] not in text


@pytest.mark.slow
def test_the_same_data_gives_the_same_bytes(shipped, executed, tmp_path):
    again = _run(shipped, tmp_path, [NotebookRun("P01", _params("P01"))])["P01"]
    assert again.read_bytes() == executed["P01"].read_bytes()


@pytest.mark.slow
def test_figures_come_from_the_data(executed, shipped):
    nb = _nb(executed["P01"])
    text = "\n".join(_markdown(nb))
    starts = int((shipped.mi["la_code"] == "P01").sum())
    referrals = int((shipped.referrals["la_code"] == "P01").sum())
    assert f"records {starts:,} starts" in text
    assert f"made {referrals:,} referrals" in text
    data = [rows for kind, rows in _tables(nb) if kind == "csv"][0]
    assert data[0] == ["Quarter", "Starts"]
    shown = [int(r[1]) for r in data[1:] if r[1] != "[c]"]
    assert sum(shown) <= starts and max(shown) >= THRESHOLD


# --- an LA with too few records -------------------------------------------------------------------


@pytest.mark.slow
def test_an_la_with_few_records_runs_and_withholds_what_it_cannot_show(small):
    data, path = small
    nb = _nb(path)
    assert [o["output_type"] for _, o in _outputs(nb)] == ["display_data"] * len(_outputs(nb))
    assert _small_counts(nb) == []
    text = "\n".join(_markdown(nb))
    assert "fewer than 10 starts" in text and "not shown (too few)" in text
    for part in _markdown(nb):
        assert not LONE_DIGIT.findall(part), part
    csvs = [rows for kind, rows in _tables(nb) if kind == "csv"]
    assert any("[c]" in row for rows in csvs for row in rows)
    assert scan_outputs(path.parent, identifiers=identifiers_of(data), names=names_of(data),
                        threshold=THRESHOLD) == []


# --- the facts and display helpers the notebook uses (fast) --------------------------------------


@pytest.fixture(scope="module")
def fake():
    return make_dataset()


def test_la_facts_give_the_profile_its_words(fake):
    by = {f.name: f for f in la_facts(fake, "P01", pilot=pilot_reference(fake))}
    assert by["la_disclosure_threshold"].text == "10" and by["la_ci_level"].text == "95 per cent"
    assert by["la_region"].text == "London"
    priorities = sorted(by[f"la_priority_{e}"].text for e in ELEMENTS)
    assert priorities == sorted(["first", "second", "third", "fourth", "fifth"])
    assert {by[f"la_delivered_{e}"].text for e in ELEMENTS} <= {"yes", "no"}
    assert by["la_steady_month"].text == "not reached" or by["la_steady_month"].text[-4:].isdigit()
    assert by["la_pref_centre_w2"].text.endswith("per cent")
    assert by["la_pref_centre_w2_pilot"].text.endswith("per cent")  # in the reference now
    words = {by[f"la_theme_{t}_words"].text for t in THEMES}
    assert not any(ch.isdigit() for w in words for ch in w)  # themes only in words
    assert all(by[f"la_theme_{t}_label"].text != t for t in THEMES)  # each has its words
    first, last = by["la_referrals_first_year"], by["la_referrals_last_year"]
    assert first.value + last.value <= by["la_referrals_total"].value


def test_la_facts_hide_a_share_that_counts_few_starts(fake):
    mi = fake.mi.copy()
    own = mi.index[mi["la_code"] == "P01"]
    mi.loc[own, "second_earner"] = False
    mi.loc[own[:4], "second_earner"] = True  # four of a few hundred: base fine, count too small
    by = {f.name: f for f in la_facts(replace(fake, mi=mi), "P01")}
    assert by["la_starts"].value >= 10
    assert by["la_second_earner_share"].text == "not shown (too few)"
    assert by["la_second_earner_share"].value is None
    assert by["la_lone_parent_benefit_share"].text.endswith("per cent")


def test_show_chart_takes_alt_text_and_shows_the_data_after_the_chart(fake, monkeypatch):
    import matplotlib.pyplot as plt

    from wfscc import analysis as an
    from wfscc.outputs import charts

    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append((obj, kw)))
    table = protect(pd.DataFrame({"Quarter": ["2009 Q1", "2009 Q2"], "Starts": [3, 40]}),
                    ["Starts"])
    ax = charts.engagement_chart(an.engagement_shares(fake.mi, "la_code"), "P01")
    display.show_chart(ax, data=table, alt='Bar chart of "starts" per quarter')
    (svg, svg_kw), (csv_out, _), (note, _) = shown  # the note: the one [c] wording
    assert "withheld to protect confidentiality" in note["text/markdown"]
    assert svg_kw["metadata"]["image/svg+xml"]["alt"] == "Bar chart of 'starts' per quarter"
    assert csv_out["text/csv"] == "Quarter,Starts\n2009 Q1,[c]\n2009 Q2,[c]\n"
    with pytest.raises(ValueError, match="alt text"):
        display.show_chart(charts.engagement_chart(an.engagement_shares(fake.mi, "la_code"),
                                                   "P01"), alt=" ")
    plt.close("all")


def test_show_table_marks_suppressed_cells(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    table = protect(pd.DataFrame({"Direction": ["a", "b", "Both"], "n": [5, 40, 45]}), ["n"],
                    total_row=("Direction", "Both"))
    display.show_table(table)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", shown[0]["text/html"])
    assert cells == ["a", "[c]", "b", "[c]", "Both", "45"]
    assert "NA" not in shown[0]["text/html"]


def test_la_ranks_follow_the_areas_order(shipped):
    """Each area's place among the pilot areas, by starts (1 = most) and by time to settle
    (1 = quickest), matches the order of the areas' own figures."""
    from wfscc import analysis as an

    reference = pilot_reference(shipped)
    pilots = sorted(shipped.areas.loc[shipped.areas["group"] == "pilot", "la_code"])
    starts = shipped.mi["la_code"].value_counts()
    months = an.bedding_in(shipped.mi, shipped.areas).set_index("la_code")["months_to_steady"]
    for la in pilots:
        by = {f.name: f for f in la_facts(shipped, la, pilot=reference)}
        assert by["la_starts_rank"].value == 1 + sum(starts[o] > starts[la] for o in pilots)
        assert by["la_bedding_in_rank"].value == 1 + sum(months[o] < months[la] for o in pilots)
        assert by["la_starts_rank"].text.endswith(f"of the {len(pilots)} pilot areas")
        tied = sum(months[o] == months[la] for o in pilots) > 1
        assert ("joint" in by["la_bedding_in_rank"].text) == tied
    top = starts.idxmax()
    first = {f.name: f for f in la_facts(shipped, top, pilot=reference)}["la_starts_rank"]
    assert first.text == f"the highest number of starts of the {len(pilots)} pilot areas"


def test_a_small_survey_base_gets_a_caveat(shipped):
    """An area with fewer than SMALL_BASE respondents at a wave (but at least the threshold) gets
    the caveat; one with more does not."""
    from wfscc.facts._profile import SMALL_BASE

    la = "P01"
    full = {f.name: f for f in la_facts(shipped, la)}
    assert min(full["la_respondents_w1"].value, full["la_respondents_w2"].value) >= SMALL_BASE
    assert "la_small_base" not in full
    survey = shipped.survey
    mine = survey.index[(survey["la_code"] == la) & (survey["wave"] == 2)]
    keep = survey.drop(mine[SMALL_BASE - 20 :])
    small = replace(shipped, survey=keep)
    by = {f.name: f for f in la_facts(small, la)}
    assert by["la_small_base"].value == SMALL_BASE - 20
    assert by["la_small_base"].text.startswith(f"fewer than {SMALL_BASE} centre users")


def test_notebook_labels_name_the_area(tmp_path):
    """`{notebook}` in a label becomes the notebook's name, so every profile's figures and
    tables have ids of their own (and both engines number them: they share this converter)."""
    import json

    from wfscc.render._notebook import notebook_markdown

    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1,
            "source": "#| label: tbl-{notebook}-survey\n#| tbl-cap: Results\nshow_table(x)",
            "outputs": [{"output_type": "display_data", "metadata": {},
                         "data": {"text/html": "<table><tr><td>1</td></tr></table>"}}]}
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "P07.ipynb").write_text(json.dumps(nb))
    problems: list[str] = []
    md = notebook_markdown(tmp_path / "P07.ipynb", {}, tmp_path, problems)
    assert problems == []
    assert '::: {#tbl-p07-survey .wfscc-nbtable tbl-cap="Results"}' in md


def test_profile_referral_growth_counts_from_the_areas_own_start(shipped):
    """A profile compares the area's first months from its own start with the pilot's final
    months (the report's measure), not calendar 2009; the ratio and its direction are withheld
    when a count is below the threshold."""
    from wfscc.facts import la_facts

    la = "P04"  # started in the autumn of 2009: calendar 2009 would hold only its first months
    start = shipped.areas.set_index("la_code").loc[la, "pilot_start"].to_period("M")
    refs = shipped.referrals[shipped.referrals["la_code"] == la]
    month = refs["date"].dt.to_period("M")
    first = int(((month >= start) & (month < start + 6)).sum())
    last = int((month > pd.Period("2011-03", "M") - 6).sum())
    low = {f.name: f for f in la_facts(shipped, la, threshold=2)}
    assert low["la_referral_growth_window"].text == "six months"
    assert low["la_referrals_own_first"].value == first
    assert low["la_referrals_own_last"].value == last
    assert low["la_referral_ratio_own_start"].value == pytest.approx(last / first)
    ratio = last / first
    expected = "rose" if ratio >= 1.1 else "fell" if ratio <= 0.9 else "stayed about the same"
    assert low["la_referrals_direction"].text == expected
    high = {f.name: f for f in la_facts(shipped, la, threshold=first + 1)}
    assert high["la_referral_ratio_own_start"].suppressed
    assert "la_referrals_direction" not in high


def test_flags_compare_the_area_with_the_other_pilot_areas(shipped):
    """A share is flagged against the same share in the other pilot areas (not a pilot-wide
    figure that includes the area): far above them reads "significantly higher", the same as
    them "not significantly different"."""
    la = "P03"
    mi = shipped.mi.copy()
    mine = mi["la_code"] == la
    rest = float(mi.loc[~mine, "referred_on"].mean())
    reference = pilot_reference(shipped)
    by_name = reference.set_index("name")["value"]
    assert by_name[f"rest_referred_on_rate_{la}"] == pytest.approx(rest, abs=0.0005)
    mi.loc[mine, "referred_on"] = True  # every start in the area referred on
    high = replace(shipped, mi=mi)
    by = {f.name: f for f in la_facts(high, la, pilot=pilot_reference(high))}
    higher = "significantly higher than in the other pilot areas"
    assert by["la_referred_on_rate_flag"].text == higher
    assert by["la_referred_on_rate_flag"].source == "wfscc.facts._wording.comparison"
    # the same share as the others (to the start): no significant difference
    n = int(mine.sum())
    same = mi.copy()
    same.loc[mine, "referred_on"] = [i < round(rest * n) for i in range(n)]
    alike = replace(shipped, mi=same)
    by = {f.name: f for f in la_facts(alike, la, pilot=pilot_reference(alike))}
    assert by["la_referred_on_rate_flag"].text == (
        "not significantly different from the other pilot areas")
