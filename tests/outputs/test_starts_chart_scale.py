"""The starts chart's cost does not grow with panels: beyond ``MAX_PANELS`` areas it is one heat
map (a panel per area cost over 24 CPU-minutes at 1,000 areas, most of it in the tight layout
measuring every panel); its alt text still names every area."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from wfscc.outputs import charts
from wfscc.outputs.charts import _starts


def _frames(n_las: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    las = [f"P{i:04d}" for i in range(1, n_las + 1)]
    quarters = pd.date_range("2009-04-01", "2011-01-01", freq="QS")
    q = pd.DataFrame(
        [(la, d) for la in las for d in quarters], columns=["la_code", "quarter_start"]
    )
    starts = rng.integers(0, 60, len(q)).astype(float)
    starts[starts < 10] = np.nan  # withheld
    q["starts"] = starts
    months = [quarters[0] + pd.DateOffset(months=int(m)) for m in rng.integers(0, 20, n_las)]
    steady = pd.DataFrame({"la_code": las, "steady_month": months})
    steady.loc[steady.index % 7 == 3, "steady_month"] = pd.NaT
    return q, steady


def _measured(n_las: int, tmp_path, monkeypatch) -> tuple[int, int, int]:
    """(Axes in the figure, text artists, Axes measured for the layout) for ``n_las`` areas."""
    measured = []
    real = Axes.get_tightbbox
    monkeypatch.setattr(
        Axes, "get_tightbbox", lambda self, *a, **k: measured.append(1) or real(self, *a, **k)
    )
    q, steady = _frames(n_las)
    axes = charts.bedding_in_chart(q, steady)
    fig = axes[0, 0].figure
    charts.save(axes[0, 0], tmp_path / f"starts-{n_las}.svg")
    counts = (len(fig.axes), len(fig.findobj(lambda a: hasattr(a, "get_text"))), len(measured))
    plt.close(fig)
    return counts


def test_beyond_the_panels_the_chart_costs_the_same_at_any_number_of_areas(tmp_path, monkeypatch):
    few = _measured(_starts.MAX_PANELS + 1, tmp_path, monkeypatch)
    many = _measured(400, tmp_path, monkeypatch)
    assert many[0] == few[0] <= 2  # the heat map and its colour key
    assert many[2] == few[2]  # the layout measures the same Axes
    # row names: at most MAX_ROW_LABELS, each tick with its two text artists
    assert many[1] <= few[1] + 2 * _starts.MAX_ROW_LABELS


def test_up_to_the_panels_each_area_has_its_panel():
    q, steady = _frames(_starts.MAX_PANELS)
    axes = charts.bedding_in_chart(q, steady)
    assert sum(ax.get_visible() for ax in axes.flat) == _starts.MAX_PANELS
    plt.close(axes[0, 0].figure)


@pytest.mark.parametrize("n_las", [_starts.MAX_PANELS + 1, 150])
def test_the_heat_map_describes_every_area(n_las, tmp_path):
    q, steady = _frames(n_las, seed=n_las)
    axes = charts.bedding_in_chart(q, steady)
    ax = axes[0, 0]
    text = charts.alt_text(ax)
    assert text.startswith("Heat map of pilot starts per quarter")
    for la, month in zip(steady["la_code"], steady["steady_month"], strict=True):
        assert la in text
        if pd.isna(month):
            assert la in text.split("Not reached in ")[1]
    assert "left blank" in text
    mesh = ax.collections[0].get_array()
    assert mesh.size == len(q) and int(np.ma.count_masked(mesh)) == int(q["starts"].isna().sum())
    marks = ax.get_lines()[0].get_xydata()
    assert len(marks) == int(steady["steady_month"].notna().sum())
    first = charts.save(ax, tmp_path / "a.svg").read_bytes()
    plt.close(ax.figure)
    again = charts.bedding_in_chart(q, steady)[0, 0]
    assert charts.save(again, tmp_path / "b.svg").read_bytes() == first
    plt.close(again.figure)
