"""The house style of the charts (docs/style.md), checked on what was drawn and saved.

Each test would fail if one of the defects the style fixed came back: a colour meaning two
things, a title inside the image, text printing under 8 pt, a suppressed value drawn as a bare
gap, an interval estimated by seaborn instead of the analysis', a heat map without a key, a
"Show the data" table headed by column names.
"""

from __future__ import annotations

import re
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from wfscc import analysis as an
from wfscc.contract import style as st
from wfscc.outputs import charts
from wfscc.outputs import figures as wf

NAMES = list(wf.CAPTIONS)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _figure(dataset, name, size=None, threshold=10):
    plot, table = wf._DRAW[name](dataset, threshold)
    return wf._draw(plot, size).figure, table


def _bar_colours(fig) -> set[str]:
    """Face colours of the drawn (non-empty) bars of every panel, as lower-case hex."""
    out = set()
    for ax in fig.axes:
        for p in ax.patches:
            if (
                isinstance(p, Rectangle)
                and np.isfinite(p.get_height())
                and np.isfinite(p.get_width())
                and p.get_height() * p.get_width() != 0
            ):
                out.add(to_hex(p.get_facecolor()))
    return out


def _legend_colours(fig) -> dict[str, str]:
    out = {}
    legends = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    for leg in legends:
        for handle, text in zip(leg.legend_handles, leg.get_texts(), strict=True):
            colour = (
                handle.get_facecolor()
                if hasattr(handle, "get_facecolor")
                and not hasattr(handle, "get_linestyle")
                or isinstance(handle, Rectangle)
                else handle.get_color()
            )
            out[text.get_text()] = to_hex(colour)
    return out


def _texts(fig):
    return [
        t
        for t in fig.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_fontsize"))
        if t.get_text().strip() and t.get_visible()
    ]


def test_groups_and_waves_keep_their_colours_in_every_chart(dataset):
    group = {h.lower() for h in st.GROUP_COLOURS.values()}
    wave = {h.lower() for h in st.WAVE_COLOURS.values()}
    assert not group & wave  # the two pairs never share a colour
    pilot_only = {st.GROUP_COLOURS["pilot"].lower(), st.REFERENCE_COLOUR.lower()}
    seen: dict[str, str] = {}
    for name in NAMES:
        if name == "priorities":
            continue  # a sequential scale with its own key (test below)
        fig, _ = _figure(dataset, name)
        colours = _bar_colours(fig)
        expected = {"takeup": group, "attitudes": wave}.get(name, pilot_only)
        assert colours and colours <= expected, (name, colours)
        for label, colour in _legend_colours(fig).items():
            assert seen.setdefault(label, colour) == colour, (name, label)
            assert st.meaning_of_colour(colour) is not None, (name, label, colour)
    assert seen["Pilot areas"] == st.GROUP_COLOURS["pilot"].lower()
    assert seen["Comparison areas"] == st.GROUP_COLOURS["comparison"].lower()
    assert seen["Wave one"] == st.WAVE_COLOURS[1].lower()
    assert seen["Wave two"] == st.WAVE_COLOURS[2].lower()


def test_saved_svgs_use_only_the_colours_of_their_meaning(dataset, tmp_path):
    figs = wf.report_figures(dataset, tmp_path)
    fills = {
        n: set(re.findall(r"fill:\s*(#[0-9a-f]{6})", f.path.read_text())) for n, f in figs.items()
    }
    waves = {c.lower() for c in st.WAVE_COLOURS.values()}
    groups = {c.lower() for c in st.GROUP_COLOURS.values()}
    assert groups <= fills["takeup"] and not waves & fills["takeup"]
    assert waves <= fills["attitudes"] and not groups & fills["attitudes"]
    comparison = st.GROUP_COLOURS["comparison"].lower()
    for name in ("referrals", "composition", "starts"):
        assert not (waves | {comparison}) & fills[name], name


def test_profile_charts_draw_the_area_in_the_pilot_colour(dataset):
    ax = charts.engagement_chart(an.engagement_shares(dataset.mi, "la_code"), "P01")
    legend = _legend_colours(ax.figure)
    assert legend == {
        "P01": st.GROUP_COLOURS["pilot"].lower(),
        "All pilot areas": st.REFERENCE_COLOUR.lower(),
    }
    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    ax = charts.monthly_starts_chart(monthly, "P01")
    colours = [to_hex(line.get_color()) for line in ax.get_lines()]
    assert colours == [st.REFERENCE_COLOUR.lower(), st.GROUP_COLOURS["pilot"].lower()]


@pytest.mark.parametrize("name", NAMES)
def test_no_title_inside_the_image(dataset, name):
    fig, _ = _figure(dataset, name)
    assert fig._suptitle is None or not fig._suptitle.get_text()
    panels = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    allowed = {re.sub(r"\s+", " ", v) for v in st.VALUE_LABELS.values()}
    allowed |= set(dataset.areas["la_code"])
    for ax in panels:
        for loc in ("center", "left", "right"):
            title = ax.get_title(loc=loc)
            if len(panels) == 1:
                assert not title, (name, title)  # the caption is the one title
            elif title:  # a small multiple's panel is named by a label, not a title
                assert re.sub(r"\s+", " ", title) in allowed, (name, title)
    words = " ".join(t.get_text() for t in _texts(fig)).lower()
    assert "nationally" not in words


@pytest.mark.parametrize(
    "name,summary", [(n, False) for n in NAMES] + [(n, True) for n in wf.SUMMARY]
)
def test_text_prints_at_8pt_or_more(dataset, name, summary, tmp_path):
    """Every text at the size it prints: the chart is shown at the report's text width (or a
    column of the summary), so its point size is scaled by printed width / drawn width."""
    printed = st.SUMMARY_WIDTH_IN if summary else st.PRINT_WIDTH_IN
    fig, _ = _figure(dataset, name, wf._summary_size(name) if summary else None)
    charts.layout(fig)
    scale = printed / fig.get_size_inches()[0]
    small = [
        (t.get_text(), t.get_fontsize() * scale)
        for t in _texts(fig)
        if t.get_fontsize() * scale < st.MIN_FONT_PT
    ]
    assert not small, (name, small)
    path = tmp_path / "x.svg"
    fig.savefig(path)
    width_pt = float(re.search(r'width="([\d.]+)pt"', path.read_text()).group(1))
    assert width_pt == pytest.approx(printed * 72, rel=0.01)


def _marks(fig) -> int:
    return sum(1 for t in _texts(fig) if t.get_text() == st.SUPPRESSED_MARK)


def test_suppressed_values_are_marked(dataset):
    fig, table = _figure(dataset, "starts")
    quarters = [c for c in table.frame.columns if re.fullmatch(r"\d{4} Q\d", c)]
    hidden = int(table.frame[quarters].isna().sum().sum())
    assert hidden > 0 and _marks(fig) == hidden
    fig, table = _figure(dataset, "referrals")
    hidden = int(table.frame[["jcp_to_centre", "centre_to_jcp"]].isna().sum().sum())
    assert hidden > 0 and _marks(fig) == hidden


def test_suppressed_survey_cells_are_marked(dataset):
    s = dataset.survey
    few = pd.concat(
        [
            s[~((s["group"] == "comparison") & (s["wave"] == 1))],
            s[(s["group"] == "comparison") & (s["wave"] == 1)].head(5),
        ]
    )
    fig, table = _figure(replace(dataset, survey=few), "takeup")
    hidden = int(table.frame["percent"].isna().sum())
    assert hidden >= 1 and _marks(fig) == hidden
    assert st.SUPPRESSED_MARK in wf._note("takeup", table, 10)


def test_suppressed_shares_are_marked_in_the_composition(dataset):
    nat = an.engagement_shares(dataset.mi).assign(area="All pilot areas")
    la = an.engagement_shares(dataset.mi, "la_code").rename(columns={"la_code": "area"})
    long = pd.concat([nat, la], ignore_index=True)
    long.loc[(long["area"] == "P02") & (long["measure"] == "second_earner"), "estimate"] = None
    ax = charts.composition_chart(long)
    assert _marks(ax.figure) == 1


def test_error_bars_are_the_analysis_intervals(dataset):
    tk = an.takeup(dataset.survey)
    ax = charts.takeup_chart(tk)
    segments = [seg for coll in ax.collections for seg in coll.get_segments()]
    drawn = sorted((round(min(s[:, 1]), 6), round(max(s[:, 1]), 6)) for s in segments)
    expected = sorted(
        (round(lo * 100, 6), round(hi * 100, 6))
        for lo, hi in zip(tk["lower"], tk["upper"], strict=True)
    )
    assert drawn == expected  # not seaborn's bootstrap: there is one row per bar anyway
    assert len(ax.patches) == len(tk)


def test_the_heat_map_has_a_colour_key(dataset):
    fig, _ = _figure(dataset, "priorities")
    keys = [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert len(keys) == 1
    ticks = [t.get_text() for t in keys[0].get_yticklabels()]
    assert ticks[0] == "1 (highest)" and ticks[-1].endswith("(lowest)")
    assert keys[0].get_ylabel() == "Priority rank"


@pytest.mark.parametrize("name", NAMES)
def test_axes_have_titles_and_value_gridlines(dataset, name):
    fig, _ = _figure(dataset, name)
    panels = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    labelled = any(a.get_xlabel() or a.get_ylabel() for a in panels) or fig.supylabel
    assert labelled
    if name != "priorities":
        assert any(
            line.get_visible() for a in panels for line in a.get_xgridlines() + a.get_ygridlines()
        )


def test_show_the_data_uses_the_chart_labels(dataset):
    figs = wf.draw_figures(dataset)
    for name, fig in figs.items():
        headers = list(fig.shown_data().columns)
        raw = [h for h in headers if h in st.COLUMN_LABELS or "_" in h]
        assert not raw, (name, raw)
        cells = fig.shown_data().astype(str).to_numpy().ravel()
        assert not {"pilot", "comparison", "jcp_to_centre"} & set(cells), name
    headers = list(figs["composition"].shown_data().columns)
    assert "Lone parents on benefit (per cent of starts)" in headers


def test_every_figure_note_has_base_and_source(dataset):
    figs = wf.draw_figures(dataset)
    for name, fig in figs.items():
        assert fig.base and fig.source and fig.note, name
        assert re.search(r"Base: [^.]+\. Source: [^.]+\.$", fig.lines), name
    assert st.error_bar_note() in figs["takeup"].note
    assert st.error_bar_note() not in figs["referrals"].note


def test_show_chart_keeps_one_mark_and_no_title(dataset):
    from wfscc.notebook import display

    q = pd.DataFrame(
        {
            "la_code": "P01",
            "starts": [float("nan"), 20.0],
            "quarter_start": pd.to_datetime(["2009-01-01", "2009-04-01"]),
        }
    )
    steady = pd.DataFrame({"la_code": ["P01"], "steady_month": [pd.NaT]})
    ax = charts.bedding_in_chart(q, steady, ncols=1)[0, 0]
    ax.text(pd.Timestamp("2009-01-01") + pd.Timedelta(days=45), 0, "[c]", fontsize=6)
    ax.figure.suptitle("A title inside the image")
    ax.figure.set_size_inches(8, 3.4)
    display.house_figure(ax.figure)
    assert _marks(ax.figure) == 1
    assert not ax.figure._suptitle.get_text() and not ax.get_title(loc="left")
    assert ax.figure.get_size_inches()[0] == pytest.approx(st.PRINT_WIDTH_IN)
    assert min(t.get_fontsize() for t in _texts(ax.figure)) >= st.MIN_FONT_PT
