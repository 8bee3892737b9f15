"""Chart helpers: what was drawn and the alt text, not pixels."""

from __future__ import annotations

import matplotlib._tight_layout as tight
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns

from wfscc import analysis as an
from wfscc.outputs import charts
from wfscc.outputs.charts import _report
from wfscc.outputs.charts._base import bars


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_takeup_chart(dataset):
    ax = charts.takeup_chart(an.takeup(dataset.survey))
    assert len(ax.patches) == 4  # two waves x two groups
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Wave one", "Wave two"]
    assert "per cent" in ax.get_ylabel().lower()
    text = charts.alt_text(ax)
    assert "pilot areas wave two" in text and "per cent" in text and "%" not in text


def test_monthly_starts_chart(dataset):
    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    fig, ax = plt.subplots()
    out = charts.monthly_starts_chart(monthly, "P03", ax=ax)
    assert out is ax
    assert len(ax.get_lines()) == 2
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"P03", "Average of pilot areas"}
    assert "P03" in charts.alt_text(ax) and "March 2011" in charts.alt_text(fig)


def test_engagement_chart(dataset):
    shares = an.engagement_shares(dataset.mi, "la_code")
    ax = charts.engagement_chart(shares, "P01")
    assert len(ax.patches) == 6
    assert "lone parents in receipt of benefit" in charts.alt_text(ax)


def test_referrals_chart_and_save(dataset, tmp_path):
    ax = charts.referrals_chart(an.referrals_by_quarter(dataset.referrals))
    assert sum(len(a.patches) for a in ax.figure.axes) == 18  # two panels of nine quarters
    assert "2009 Q1" in charts.alt_text(ax)
    a = charts.save(ax, tmp_path / "a.svg").read_bytes()
    again = charts.referrals_chart(an.referrals_by_quarter(dataset.referrals))
    b = charts.save(again, tmp_path / "b.svg").read_bytes()
    assert a == b  # same drawing, same bytes (no date, fixed hash salt)
    assert b"<dc:date>" not in a


def test_alt_text_missing():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        charts.alt_text(ax)


def test_suppressed_values_are_left_out_and_said(dataset):
    monthly = an.monthly_starts(dataset.mi, dataset.areas).astype({"starts": float})
    small = (monthly["la_code"] == "P01") & (monthly["starts"] < 10)
    monthly.loc[small, "starts"] = float("nan")
    ax = charts.monthly_starts_chart(monthly, "P01")
    assert "not shown" in charts.alt_text(ax)


def test_monthly_starts_chart_with_a_given_average(dataset):
    from wfscc.facts import monthly_average_starts

    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    own = monthly[monthly["la_code"] == "P03"]
    average = monthly_average_starts(dataset)
    ax = charts.monthly_starts_chart(own, "P03", average=average)
    la_line, avg_line = ax.get_lines()[1], ax.get_lines()[0]
    assert list(avg_line.get_ydata()) == list(average["starts"])
    assert len(la_line.get_ydata()) == len(own)
    # without the average, only the LA's own rows give an "average" equal to the LA itself
    ax2 = charts.monthly_starts_chart(own, "P03")
    assert list(ax2.get_lines()[0].get_ydata()) == list(own["starts"].astype(float))


@pytest.mark.parametrize("form", ["series", "frame", "reference"])
def test_engagement_chart_with_given_pilot_shares(dataset, form):
    from wfscc.facts import pilot_reference

    shares = an.engagement_shares(dataset.mi[dataset.mi["la_code"] == "P01"], "la_code")
    ref = pilot_reference(dataset)
    values = {m: float(ref.set_index("name").loc[f"{m}_share", "value"]) for m in an.MEASURES}
    pilot = {"series": pd.Series(values),
             "frame": pd.DataFrame({"measure": list(values), "estimate": list(values.values())}),
             "reference": ref}[form]
    ax = charts.engagement_chart(shares, "P01", pilot=pilot)
    assert len(ax.patches) == 6
    widths = [p.get_width() for p in ax.patches[3:]]
    assert widths == pytest.approx([values[m] * 100 for m in an.MEASURES])
    text = charts.alt_text(ax)
    assert "across the pilot" in text and "%" not in text
    ylabels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Non-traditional Jobcentre Plus customers" in ylabels


def test_engagement_chart_rejects_an_unknown_pilot_frame(dataset):
    shares = an.engagement_shares(dataset.mi, "la_code")
    with pytest.raises(ValueError, match="pilot"):
        charts.engagement_chart(shares, "P01", pilot=pd.DataFrame({"x": [1]}))


def test_composition_chart(dataset):
    nat = an.engagement_shares(dataset.mi).assign(area="All pilot areas")
    la = an.engagement_shares(dataset.mi, "la_code").rename(columns={"la_code": "area"})
    long = pd.concat([nat, la], ignore_index=True)
    long.loc[(long["area"] == "P02") & (long["measure"] == "second_earner"), "estimate"] = None
    ax = charts.composition_chart(long)
    assert sum(len(a.patches) for a in ax.figure.axes) == 11 * 3  # a panel per measure
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["All pilot areas", "P01"]
    text = charts.alt_text(ax)
    assert text.startswith("Bar chart") and "across all pilot areas" in text
    assert "not shown" in text


def _bars_svg(tmp_path, name, draw) -> bytes:
    charts.style()
    fig, ax = plt.subplots(figsize=(4, 3))
    draw(ax)
    path = charts.save(ax, tmp_path / f"{name}.svg")
    plt.close(fig)
    return path.read_bytes()


def test_undodged_bars_one_call_per_colour_same_picture(tmp_path, monkeypatch):
    """Bars of one colour per category are drawn as one level per colour, not one per bar,
    without ``sns.barplot``, and the SVG is the same as seaborn's own, one hue level per bar."""
    areas = ["All", "A", "B", "C"]
    colours = {"All": "#3D3D3D", "A": "#12436D", "B": "#12436D", "C": "#12436D"}
    frame = pd.DataFrame({"cat": areas, "hue": areas, "estimate": [40.0, None, 25.0, 60.0]})

    def ours(ax):
        monkeypatch.setattr(sns, "barplot", None)  # not called
        drawn = bars(ax, frame, "cat", "hue", "estimate", order=areas, hue_order=areas,
                     colours=colours, horizontal=True, dodge=False)
        assert len(ax.containers) == 2  # one seaborn call per colour
        assert [round(drawn[(a, a)][0], 6) for a in areas] == [0, 1, 2, 3]
        assert pd.isna(drawn[("A", "A")][1].get_width())

    def seaborns(ax):
        data = frame.assign(_drawn=frame["estimate"].fillna(0.0))
        sns.barplot(data=data, y="cat", x="_drawn", hue="hue", order=areas, hue_order=areas,
                    palette=colours, errorbar=None, legend=False, ax=ax, saturation=1,
                    orient="h", width=0.8, dodge=False)
        assert len(ax.containers) == 4
        ax.containers[1].patches[0].set_width(float("nan"))

    expected = _bars_svg(tmp_path, "seaborn", seaborns)
    assert _bars_svg(tmp_path, "ours", ours) == expected


@pytest.mark.parametrize("horizontal", [False, True])
def test_dodged_bars_are_seaborns_picture_without_seaborns_grouping(tmp_path, monkeypatch,
                                                                     horizontal):
    """Side-by-side bars are drawn with seaborn's own Matplotlib calls, not through
    ``sns.barplot`` (which groups the frame once per level to average one value): the SVG,
    axis labels, limits and ticks included, is the one ``sns.barplot`` draws."""
    waves, groups = ["Wave one", "Wave two", "Wave three"], ["Pilot", "Comparison"]
    colours = {"Pilot": "#12436D", "Comparison": "#F46A25"}
    frame = pd.DataFrame({"wave": [w for w in waves for _ in groups], "group": groups * 3,
                          "estimate": [12.0, 8.5, None, 9.0, 30.25, 0.0]})
    kw = {"y": "wave", "x": "_drawn"} if horizontal else {"x": "wave", "y": "_drawn"}

    def seaborns(ax):
        data = frame.assign(_drawn=frame["estimate"].fillna(0.0))
        sns.barplot(data=data, **kw, hue="group", order=waves, hue_order=groups,
                    palette=colours, errorbar=None, legend=False, ax=ax, saturation=1,
                    orient="h" if horizontal else "v", width=0.8, dodge=True)
        (ax.containers[0].patches[1].set_width if horizontal
         else ax.containers[0].patches[1].set_height)(float("nan"))

    expected = _bars_svg(tmp_path, "seaborn", seaborns)

    def refuse(*args, **kwargs):
        raise AssertionError("sns.barplot called for side-by-side bars")

    monkeypatch.setattr(sns, "barplot", refuse)

    def ours(ax):
        drawn = bars(ax, frame, "wave", "group", "estimate", order=waves, hue_order=groups,
                     colours=colours, horizontal=horizontal)
        assert sorted(round(c, 6) for c, _ in drawn.values()) == [
            -0.2, 0.2, 0.8, 1.2, 1.8, 2.2]
        hidden = drawn[("Wave two", "Pilot")][1]
        assert pd.isna(hidden.get_width() if horizontal else hidden.get_height())

    assert _bars_svg(tmp_path, "ours", ours) == expected


def test_one_layout_pass_and_fixed_titles_draw_the_same_chart(dataset, tmp_path, monkeypatch):
    """Saving measures the figure for its layout once (no second pass of tight_layout with a
    rect of the whole figure), and titles are not searched for a place (``axes.titley``): the
    SVG is the one Matplotlib's automatic title placement and two-pass layout give."""
    quarterly = an.referrals_by_quarter(dataset.referrals)
    passes = []
    adjust = tight._auto_adjust_subplotpars
    monkeypatch.setattr(tight, "_auto_adjust_subplotpars",
                        lambda *a, **k: passes.append(1) or adjust(*a, **k))
    fast = charts.save(charts.referrals_chart(quarterly), tmp_path / "fast.svg").read_bytes()
    assert len(passes) == 1
    assert plt.rcParams["axes.titley"] == 1.0
    styled = _report.style
    monkeypatch.setattr(_report, "style", lambda: (  # Matplotlib places the titles itself
        styled(), plt.rcParams.update({"axes.titley": None})))
    fig = charts.referrals_chart(quarterly).figure
    fig.tight_layout(rect=(0, 0, 1, 1))  # two passes
    fig.savefig(tmp_path / "auto.svg", metadata={"Date": None})
    assert len(passes) == 3 and plt.rcParams["axes.titley"] is None
    assert (tmp_path / "auto.svg").read_bytes() == fast


def test_priority_chart(dataset):
    labels = {e: e.replace("_", " ").capitalize() for e in an.ELEMENTS}
    ax = charts.priority_chart(dataset.delivery, labels)
    image = ax.collections[0].get_array()
    assert image.shape == (10, 5)
    assert len(ax.texts) == 50
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "P01"
    text = charts.alt_text(ax)
    assert "10 pilot areas" in text and "first" in text


def test_attitudes_chart(dataset):
    att = an.attitudes(dataset.survey)
    ax = charts.attitudes_chart(att)
    assert len(ax.patches) == 6  # three measures x two waves
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Confidence", "Aspiration",
                                                            "Awareness"]
    text = charts.alt_text(ax)
    assert "pilot areas" in text and "at wave two" in text


def test_bedding_in_chart(dataset):
    mi = an.add_derived(dataset.mi)
    q = mi.groupby(["la_code", "quarter"]).size().rename("starts").reset_index()
    year, qn = q["quarter"].str[:4].astype(int), q["quarter"].str[-1].astype(int)
    q["quarter_start"] = pd.to_datetime(dict(year=year, month=3 * qn - 2, day=1))
    q["starts"] = q["starts"].astype(float).where(q["starts"] >= 10)
    steady = an.bedding_in(dataset.mi, dataset.areas)[["la_code", "steady_month"]]
    axes = charts.bedding_in_chart(q, steady)
    visible = [ax for ax in axes.flat if ax.get_visible()]
    assert len(visible) == 10
    assert sum(len(ax.patches) for ax in visible) == len(q)
    assert all(len(ax.get_lines()) == 1 for ax in visible)  # the steady-month line
    text = charts.alt_text(axes[0, 0])
    assert "P01 in" in text and "not shown" in text
