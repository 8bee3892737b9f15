"""The report's figures: what was drawn, the alt text, the protected data, stable SVG files."""

from __future__ import annotations

import re
from dataclasses import replace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.facts import compute_facts
from wfscc.memo import Memo
from wfscc.outputs import charts
from wfscc.outputs import figures as wf
from wfscc.outputs.disclosure import ProtectedTable

NAMES = ["priorities", "referrals", "composition", "starts", "takeup", "attitudes"]


@pytest.fixture(scope="module")
def dataset():
    return make_dataset()


@pytest.fixture(scope="module")
def written(dataset, tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    return root, wf.report_figures(dataset, root)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_every_figure_is_written_with_alt_text_and_data(written):
    root, figs = written
    assert list(figs) == NAMES
    for name, fig in figs.items():
        assert fig.path == root / "report" / "figures" / f"{name}.svg"
        assert fig.relpath.as_posix() == f"report/figures/{name}.svg"
        svg = fig.path.read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<dc:date>" not in svg
        assert isinstance(fig.data, ProtectedTable)
        assert len(fig.alt) > 80 and '"' not in fig.alt and "%" not in fig.alt
        assert fig.caption and not re.search(r"[{}\d]", fig.caption)  # typed into the chapters


def test_markdown_lines(written):
    _, figs = written
    assert figs["takeup"].markdown == (
        "![Use of Jobcentre Plus services at the centre, by survey wave and group]"
        '(figures/takeup.svg){#fig-takeup fig-alt="{{< var fig_alt_takeup >}}" '
        'wfscc-data="figures/takeup.csv"}'
    )


def test_svgs_are_deterministic(dataset, written, tmp_path):
    root, figs = written
    again = wf.report_figures(dataset, tmp_path)
    for name in NAMES:
        assert again[name].path.read_bytes() == figs[name].path.read_bytes(), name


def test_figure_facts(written):
    _, figs = written
    facts = wf.figure_facts(figs)
    assert [f.name for f in facts] == sorted(
        [f"fig_{k}_{n}" for n in NAMES for k in ("alt", "note", "base", "source")]
        + [f"fig_caption_{n}" for n in wf.MANY_CAPTIONS])
    by = {f.name: f for f in facts}
    assert by["fig_note_takeup"].text == figs["takeup"].note
    assert by["fig_base_takeup"].text.startswith("centre users surveyed")
    assert by["fig_source_takeup"].text.startswith("Survey of children's centre users")
    assert by["fig_alt_takeup"].text == figs["takeup"].alt
    assert by["fig_alt_takeup"].source == "wfscc.outputs.figures._takeup"


def test_report_facts_merge_the_facts_of_the_data_and_of_the_charts(dataset, written):
    _, figs = written
    data = compute_facts(dataset)
    assert not [f.name for f in data if f.name.startswith("fig_")]  # facts draw no chart
    merged = wf.report_facts(dataset, figures=figs)
    names = [f.name for f in merged]
    assert names == sorted(names) and len(names) == len(set(names))
    assert set(names) == {f.name for f in data} | {f.name for f in wf.figure_facts(figs)}
    by = {f.name: f for f in merged}
    drawn = {f.name: f for f in wf.report_facts(dataset)}  # no figures given: drawn to get them
    for name in NAMES:
        assert by[f"fig_alt_{name}"].text == drawn[f"fig_alt_{name}"].text == figs[name].alt
    assert by["takeup_pilot_w2"] == {f.name: f for f in data}["takeup_pilot_w2"]


def _drawn(dataset, name, threshold=10):
    plot, table = wf._DRAW[name](dataset, threshold)
    return wf._draw(plot), table


def test_a_store_gives_the_same_charts_without_drawing(dataset, written, tmp_path, monkeypatch):
    _, figs = written
    store = Memo(tmp_path / "memo")
    first = wf.report_figures(dataset, tmp_path / "a", store=store)
    # each chart, and the summary's charts again at the summary's column width
    assert len(list((tmp_path / "memo" / "figures").iterdir())) == len(NAMES) + len(wf.SUMMARY)

    def no_drawing(plot, size=None):
        raise AssertionError(f"drew {plot[0]} although the store holds it")

    monkeypatch.setattr(wf, "_draw", no_drawing)
    again = wf.report_figures(dataset, tmp_path / "b", store=store)
    for name in NAMES:
        assert again[name].path.read_bytes() == figs[name].path.read_bytes(), name
        assert again[name].alt == first[name].alt == figs[name].alt
        assert again[name].data.frame.equals(first[name].data.frame)


def test_a_store_redraws_a_chart_whose_data_changed(dataset, tmp_path, monkeypatch):
    store = Memo(tmp_path / "memo")
    wf.report_figures(dataset, tmp_path / "a", store=store)
    survey = dataset.survey.copy()
    survey["uses_jcp_at_centre"] = ~survey["uses_jcp_at_centre"].astype(bool)
    changed = replace(dataset, survey=survey)
    drawn: list[str] = []
    real = wf._draw
    monkeypatch.setattr(wf, "_draw",
                        lambda plot, size=None: drawn.append(plot[0]) or real(plot, size))
    figs = wf.report_figures(changed, tmp_path / "b", store=store)
    # the only chart drawn from that survey answer, for the report and for the summary
    assert drawn == ["takeup_chart", "takeup_chart"]
    fresh = wf.report_figures(changed, tmp_path / "c")
    assert figs["takeup"].path.read_bytes() == fresh["takeup"].path.read_bytes()
    assert figs["takeup"].alt == fresh["takeup"].alt


def test_a_corrupt_store_entry_is_drawn_again(dataset, written, tmp_path):
    _, figs = written
    store = Memo(tmp_path / "memo")
    wf.report_figures(dataset, tmp_path / "a", store=store)
    for entry in (tmp_path / "memo" / "figures").iterdir():
        entry.write_bytes(b"not a chart")
    again = wf.report_figures(dataset, tmp_path / "b", store=store)
    for name in NAMES:
        assert again[name].path.read_bytes() == figs[name].path.read_bytes(), name


def test_takeup_figure(dataset):
    ax, table = _drawn(dataset, "takeup")
    assert len(ax.patches) == 4
    assert list(table.frame.columns) == ["wave", "group", "respondents", "percent", "lower",
                                         "upper"]
    text = charts.alt_text(ax)
    assert "Pilot areas wave one" in text and "95 per cent interval" in text


def test_composition_figure(dataset):
    ax, table = _drawn(dataset, "composition")
    panels = [a for a in ax.figure.axes if a.patches]
    assert [len(a.patches) for a in panels] == [11, 11, 11]  # a panel per measure, 11 areas
    assert table.frame["area"].iloc[0] == "All pilot areas"
    assert "lone_parent_benefit_percent" in table.frame


def test_starts_figure_hides_what_the_table_suppresses(dataset):
    ax, table = _drawn(dataset, "starts")
    quarters = [c for c in table.frame.columns if re.fullmatch(r"\d{4} Q\d", c)]
    assert len(quarters) == 9
    assert table.primary > 0  # the first quarters of late starters are small
    heights = [p.get_height() for a in ax.figure.axes if a.get_visible() for p in a.patches]
    shown = int(table.frame[quarters].notna().sum().sum())
    assert sum(1 for h in heights if h == h) == shown  # NaN bars are not drawn
    assert "steady_month" in table.frame
    assert "not shown" in charts.alt_text(ax)


def test_referrals_figure(dataset):
    ax, table = _drawn(dataset, "referrals")
    panels = [a for a in ax.figure.axes if a.patches]
    assert [len(a.patches) for a in panels] == [9, 9]  # one panel per direction
    assert list(table.frame.columns) == ["quarter", "jcp_to_centre", "centre_to_jcp"]
    assert "Referrals in both directions together rose" in charts.alt_text(ax)


def test_priorities_figure(dataset):
    ax, table = _drawn(dataset, "priorities")
    assert ax.collections[0].get_array().shape == (10, 5)
    assert table.suppressed_cells == 0
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Jobcentre Plus provision"
    assert "Areas ranking each element first" in charts.alt_text(ax)


def test_attitudes_figure(dataset):
    ax, table = _drawn(dataset, "attitudes")
    assert len(ax.patches) == 6
    assert set(table.frame["wave"]) == {1, 2}
    assert "Confidence:" in charts.alt_text(ax)


def test_small_survey_cells_are_left_out(dataset):
    s = dataset.survey
    few = pd.concat([s[~((s["group"] == "comparison") & (s["wave"] == 1))],
                     s[(s["group"] == "comparison") & (s["wave"] == 1)].head(5)])
    ax, table = _drawn(replace(dataset, survey=few), "takeup")
    hidden = table.frame["percent"].isna()
    assert hidden.sum() >= 1  # the small cell, and any whose base hides it (secondary)
    assert len(ax.patches) == 4
    assert sum(1 for p in ax.patches if p.get_height() == p.get_height()) == (~hidden).sum()
    assert "too few respondents are not shown" in charts.alt_text(ax)
    assert "comparison areas wave one" not in charts.alt_text(ax)


def test_every_figure_is_shown_in_a_chapter_with_its_alt_text_and_data(repo_root):
    """Each chart appears in the report with exactly the line Figure.markdown gives."""
    from wfscc.outputs.figures import CAPTIONS, Figure

    chapters = "\n".join(p.read_text() for p in sorted((repo_root / "report").glob("*.qmd"))
                         if p.name != "summary.qmd")
    for name, caption in CAPTIONS.items():
        line = Figure(name, None, "", caption, None).markdown
        assert line in chapters, f"report/*.qmd does not show the {name} chart as: {line}"
