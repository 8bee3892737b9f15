"""Keys outside the plot area (docs/style.md): no chart's legend is drawn over the data of any
of its panels, at the report's width and at the Research Summary's column width. (Defect of
issue 16: "legends drawn over the data".)"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from wfscc.outputs import charts
from wfscc.outputs import figures as wf

CASES = [(n, False) for n in wf.CAPTIONS] + [(n, True) for n in wf.SUMMARY]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _overlap(a, b) -> float:
    """The area two display boxes share (pixels squared)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


@pytest.mark.parametrize(("name", "summary"), CASES)
def test_no_legend_lies_over_a_plot_area(dataset, name, summary):
    plot, _ = wf._DRAW[name](dataset, 10)
    fig = wf._draw(plot, wf._summary_size(name) if summary else None).figure
    charts.layout(fig)
    renderer = fig.canvas.get_renderer()
    panels = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    legends = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    if name in ("takeup", "attitudes"):  # keys of groups and waves
        assert legends, name
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in panels:
            shared = _overlap(box, ax.get_window_extent(renderer))
            assert shared <= 0.02 * box.width * box.height, (name, summary, ax.get_label())


def test_the_check_sees_a_legend_inside_the_plot():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2], label="bars")
    legend = ax.legend(loc="upper left")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert _overlap(legend.get_window_extent(renderer), ax.get_window_extent(renderer)) > 0
