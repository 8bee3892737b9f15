"""The composition and priority charts keep a bounded size with many areas: up to
``MAX_AREA_ROWS`` areas one row per area; beyond it a summary of fixed size (areas counted in
bands), whose alt text still summarises every area (a row per area was 0.24 and 0.3 inches:
about 240 and 300 inches tall at 1,000 areas)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from wfscc.analysis import MEASURES
from wfscc.outputs import charts
from wfscc.outputs.charts import _many

LABELS = {"a": "Element A", "b": "Element B", "c": "Element C", "d": "Element D"}


def _shares(n_las: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    areas = ["All pilot areas"] + [f"P{i:04d}" for i in range(1, n_las + 1)]
    rows = [(a, m, float(rng.uniform(0.05, 0.9))) for a in areas for m in MEASURES]
    frame = pd.DataFrame(rows, columns=["area", "measure", "estimate"])
    frame.loc[frame.index % 11 == 5, "estimate"] = np.nan  # withheld
    return frame


def _delivery(n_las: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(1, n_las + 1):
        ranks = rng.permutation(len(LABELS)) + 1
        rows += [(f"P{i:04d}", e, int(r)) for e, r in zip(LABELS, ranks, strict=True)]
    return pd.DataFrame(rows, columns=["la_code", "element", "priority"])


def _shape(ax) -> tuple:
    """(height in inches, Axes, rectangles, texts) of the figure of ``ax``."""
    fig = ax.figure
    fig.canvas.draw()
    out = (
        round(float(fig.get_size_inches()[1]), 3),
        len(fig.axes),
        len(fig.findobj(Rectangle)),
        len(fig.findobj(lambda a: hasattr(a, "get_text"))),
    )
    plt.close(fig)
    return out


def test_composition_beyond_the_rows_has_the_same_size_and_artists_at_any_number_of_areas():
    few = _shape(charts.composition_chart(_shares(_many.MAX_AREA_ROWS + 1)))
    many = _shape(charts.composition_chart(_shares(400)))
    assert many[:3] == few[:3]
    # texts: only the number-of-areas axes' tick labels may differ (a tick or two a panel)
    assert abs(many[3] - few[3]) <= 2 * len(MEASURES)
    assert many[0] <= 8.5
    assert many[1] == len(MEASURES)


def test_priority_beyond_the_rows_has_the_same_size_and_artists_at_any_number_of_areas():
    few = _shape(charts.priority_chart(_delivery(_many.MAX_AREA_ROWS + 1), LABELS))
    many = _shape(charts.priority_chart(_delivery(400), LABELS))
    assert many == few
    assert many[0] <= 8.5


@pytest.mark.parametrize("n_las", [10, _many.MAX_AREA_ROWS])
def test_up_to_the_rows_each_area_has_its_row(n_las):
    ax = charts.composition_chart(_shares(n_las))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["All pilot areas"] + [f"P{i:04d}" for i in range(1, n_las + 1)]
    assert ax.figure.get_size_inches()[1] == pytest.approx(1.3 + 0.24 * (n_las + 1))
    plt.close(ax.figure)
    ax = charts.priority_chart(_delivery(n_las), LABELS)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        f"P{i:04d}" for i in range(1, n_las + 1)
    ]
    assert "one row per area" in charts.alt_text(ax)
    plt.close(ax.figure)


def test_the_summaries_say_what_they_show_for_every_area():
    delivery = _delivery(400)
    ax = charts.priority_chart(delivery, LABELS)
    text = charts.alt_text(ax)
    assert "how many of the 400 pilot areas" in text and "one row per rank" in text
    firsts = delivery[delivery["priority"] == 1]["element"].value_counts()
    top = firsts.index[0]
    assert f"{LABELS[top]} in {firsts[top]}" in text
    # the counts written in the cells add up to every area, in each column
    cells = [int(t.get_text().replace(",", "")) for t in ax.texts]
    assert sum(cells) == 400 * len(LABELS)
    plt.close(ax.figure)
    shares = _shares(400)
    ax = charts.composition_chart(shares)
    text = charts.alt_text(ax)
    assert text.startswith("Histograms") and "each of the 400 pilot areas" in text
    assert "not shown" in text  # withheld shares are said
    bars = [p.get_width() for p in ax.patches]
    shown = shares[(shares["area"] != "All pilot areas") & shares["estimate"].notna()]
    assert sum(bars) == (shown["measure"] == next(iter(MEASURES))).sum()
    plt.close(ax.figure)


def _contrast(a, b) -> float:
    lum = [_many._luminance(c) for c in (a, b)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_the_counts_written_in_the_cells_have_a_contrast_of_at_least_4_5():
    ax = charts.priority_chart(_delivery(400), LABELS)
    mesh = ax.collections[0]
    faces = mesh.to_rgba(np.ravel(mesh.get_array()))
    assert len(faces) == len(ax.texts)
    for face, text in zip(faces, ax.texts, strict=True):
        assert _contrast(to_rgb(face), to_rgb(text.get_color())) >= 4.5
    plt.close(ax.figure)
