"""The chart machinery's shortcuts (one layout pass for one panel, year ticks without rrule, a
style applied once, one drawing pass when saving) give what Matplotlib's own way gives: the
same margins, ticks and SVG bytes, every text inside the picture."""

from __future__ import annotations

import copy
import io
import re

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from wfscc import analysis as an
from wfscc.contract import style as st
from wfscc.notebook import display
from wfscc.outputs import charts
from wfscc.outputs.charts import _base
from wfscc.outputs.charts._starts import YearStarts


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _quarterly(starts, steady="2009-11-01", label="Referrals per quarter (number)"):
    """One area's quarterly chart as :func:`wfscc.notebook.quarters.quarterly_chart` draws it."""
    quarters = pd.date_range("2009-01-01", periods=len(starts), freq="QS")
    frame = pd.DataFrame(
        {"la_code": "P01", "quarter_start": quarters, "starts": np.asarray(starts, dtype=float)}
    )
    month = pd.Timestamp(steady) if steady else pd.NaT
    ax = charts.bedding_in_chart(
        frame, pd.DataFrame({"la_code": ["P01"], "steady_month": [month]}), ncols=1
    )[0, 0]
    ax.figure.supylabel(label, fontsize=charts.FONT["text"])
    ax.figure.set_size_inches(st.PRINT_WIDTH_IN, 2.9)
    return ax


def _svg(fig) -> str:
    fig.set_layout_engine(None)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


CASES = [
    ([12, 40, 55, 61, 58, 70, 66, 64, 59], "2009-11-01", "Starts per quarter (number)"),
    (
        [3, np.nan, 120, 1450, 1380, 1510, 1490, 1502, 1470],
        "2010-02-01",
        "Referrals per quarter (number)",
    ),
    ([np.nan, np.nan, 20, 22], None, "Starts per quarter (number)"),
    ([0, 0, 0, 0, 0, 0], None, "Starts per quarter (number)"),
]


@pytest.mark.parametrize(("starts", "steady", "label"), CASES)
def test_one_panel_is_laid_out_as_matplotlibs_two_passes_lay_it_out(starts, steady, label):
    ours = _quarterly(starts, steady, label)
    theirs = _quarterly(starts, steady, label)
    assert getattr(ours.figure, "_wfscc_rect", None) is not None  # the key's room: two passes
    charts.layout(ours.figure)
    theirs.figure.tight_layout(rect=theirs.figure._wfscc_rect)
    assert vars(ours.figure.subplotpars) == vars(theirs.figure.subplotpars)
    assert _svg(ours.figure) == _svg(theirs.figure)


def test_many_panels_are_laid_out_by_matplotlib(dataset):
    """A grid of panels (space between them to measure) takes Matplotlib's own two passes."""
    quarterly = an.add_derived(dataset.mi).groupby(["la_code", "quarter"]).size()
    frame = quarterly.rename("starts").reset_index()
    year, q = frame["quarter"].str[:4].astype(int), frame["quarter"].str[-1].astype(int)
    frame["quarter_start"] = pd.to_datetime(dict(year=year, month=3 * q - 2, day=1))
    steady = an.bedding_in(dataset.mi, dataset.areas)[["la_code", "steady_month"]]
    ours, theirs = (charts.bedding_in_chart(frame, steady)[0, 0].figure for _ in range(2))
    assert not _base._one_cell(ours)
    charts.layout(ours)
    theirs.tight_layout(rect=theirs._wfscc_rect)
    assert vars(ours.subplotpars) == vars(theirs.subplotpars)
    assert _svg(ours) == _svg(theirs)


def test_a_layout_matplotlib_would_not_apply_is_left_to_matplotlib():
    """A panel whose labels cannot fit: Matplotlib warns and leaves the margins; so does
    layout (no margins made up from a first pass that was not applied)."""
    ours = _quarterly([1, 2, 3], label="A very long label " * 30).figure
    theirs = _quarterly([1, 2, 3], label="A very long label " * 30).figure
    for fig in (ours, theirs):
        fig.set_size_inches(1.2, 0.8)
    with pytest.warns(UserWarning, match="Tight layout not applied"):
        charts.layout(ours)
    with pytest.warns(UserWarning, match="Tight layout not applied"):
        theirs.tight_layout(rect=theirs._wfscc_rect)
    assert vars(ours.subplotpars) == vars(theirs.subplotpars)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2009-01-01", "2011-06-30"),
        ("2008-12-17", "2011-10-14"),
        ("2010-03-05", "2010-09-01"),
        ("2011-10-14", "2008-12-17"),
        ("1999-12-31 23:00", "2000-01-01 01:00"),
    ],
)
def test_year_ticks_are_where_the_year_locator_puts_them(start, end):
    lo, hi = mdates.date2num(pd.Timestamp(start)), mdates.date2num(pd.Timestamp(end))
    expected = mdates.YearLocator().tick_values(*(mdates.num2date(v) for v in sorted((lo, hi))))
    assert np.array_equal(YearStarts().tick_values(lo, hi), expected)
    fig, ax = plt.subplots()
    ax.xaxis_date()
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(YearStarts())
    assert np.array_equal(ax.xaxis.get_majorticklocs(), expected)


def test_style_is_applied_again_when_a_setting_changed():
    charts.style()
    applied = copy.deepcopy(dict(plt.rcParams))
    plt.rcParams["font.size"] = 22.0
    plt.rcParams["axes.titley"] = None
    plt.rcParams["font.sans-serif"].append("Comic Sans MS")  # changed in place
    charts.style()
    assert dict(plt.rcParams) == applied
    _base._APPLIED.clear()  # a first call applies everything: nothing more than the shortcut
    charts.style()
    assert dict(plt.rcParams) == applied


def _texts(fig):
    """(text, extent) of every text drawn: tick labels of the ticks in view (a tick out of
    view keeps a label that is never drawn), every other visible text."""
    renderer = FigureCanvasAgg(fig).get_renderer()  # the shown figure is closed
    in_view, ticks = [], set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            axis.get_ticklabels()  # places and labels the ticks
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                ticks.update((id(tick.label1), id(tick.label2)))
                if ax.get_visible() and lo <= tick.get_loc() <= hi:
                    in_view += [tick.label1, tick.label2]
    out = []
    for text in [
        *in_view,
        *fig.findobj(
            lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize") and id(a) not in ticks
        ),
    ]:
        if (
            text.get_visible()
            and text.get_text()
            and (text.axes is None or text.axes.get_visible())
        ):
            out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def _shown_profile_charts(monkeypatch, dataset):
    """The three charts of P01's profile as show_chart shows them: (Axes, SVG) pairs."""
    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    monthly = an.monthly_starts(dataset.mi[dataset.mi["la_code"] == "P01"], dataset.areas)
    by_q = monthly.groupby(monthly["month"].dt.to_period("Q"))["starts"].sum()
    quarters = pd.DataFrame(
        {
            "la_code": "P01",
            "quarter_start": [p.start_time for p in by_q.index],
            "starts": by_q.to_numpy(dtype=float),
        }
    )
    quarters.loc[1, "starts"] = np.nan  # one quarter withheld: marked [c]
    steady = an.bedding_in(dataset.mi, dataset.areas)[["la_code", "steady_month"]]
    shares = an.engagement_shares(dataset.mi, "la_code")
    shares.loc[shares.index[0], "estimate"] = np.nan  # one share withheld: marked [c]
    drawn = []
    for label in ("Starts per quarter (number)", "Referrals per quarter (number)"):
        ax = charts.bedding_in_chart(quarters, steady, ncols=1)[0, 0]
        ax.figure.supylabel(label, fontsize=charts.FONT["text"])
        ax.figure.set_size_inches(st.PRINT_WIDTH_IN, 2.9)
        drawn.append(ax)
    drawn.append(charts.engagement_chart(shares, "P01"))
    for ax in drawn:
        display.show_chart(ax)
    svgs = [s["image/svg+xml"] for s in shown if "image/svg+xml" in s]
    return list(zip(drawn, svgs, strict=True))


def test_every_text_of_a_shown_chart_is_in_its_svg_and_inside_the_picture(monkeypatch, dataset):
    for ax, svg in _shown_profile_charts(monkeypatch, dataset):
        fig = ax.figure
        width, height = fig.get_size_inches() * 72
        view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
        assert (float(view[1]), float(view[2])) == pytest.approx((width, height))
        texts = _texts(fig)
        assert "[c]" in [t for t, _ in texts]
        drawn = set(re.findall(r"<!-- (.*?) -->", svg))  # each text drawn as paths, named
        box = fig.bbox
        for text, extent in texts:
            assert text.replace("&", "&amp;") in drawn, text
            assert (
                extent.x0 >= box.x0 - 0.5
                and extent.x1 <= box.x1 + 0.5
                and extent.y0 >= box.y0 - 0.5
                and extent.y1 <= box.y1 + 0.5
            ), text
        assert "<image" not in svg  # vector only (the privacy guard reads every text)
        assert sum(t.isdigit() for t, _ in texts) >= 3  # the tick labels were checked too


def test_a_shown_chart_has_the_same_bytes_when_drawn_again(monkeypatch, dataset):
    first = [svg for _, svg in _shown_profile_charts(monkeypatch, dataset)]
    again = [svg for _, svg in _shown_profile_charts(monkeypatch, dataset)]
    assert first == again
    assert len(set(first)) == 3


def test_a_saved_chart_is_drawn_once_with_the_bytes_of_two_passes(tmp_path, dataset, monkeypatch):
    draws = []
    draw = plt.Figure.draw

    def counting(self, renderer):
        draws.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(plt.Figure, "draw", counting)
    ax = charts.takeup_chart(an.takeup(dataset.survey))
    ours = charts.save(ax, tmp_path / "a.svg").read_bytes()
    assert len(draws) == 1
    theirs = charts.takeup_chart(an.takeup(dataset.survey)).figure
    theirs.tight_layout()
    theirs.savefig(tmp_path / "b.svg", metadata={"Date": None})  # lays out again, then draws
    assert len(draws) == 3
    assert ours == (tmp_path / "b.svg").read_bytes()
