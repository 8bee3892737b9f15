"""wfscc.notebook.display: what the notebook API adds for the profile (the rest of display is
tested in tests/outputs/test_table_style.py and tests/outputs/test_house_style.py)."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from wfscc.notebook import display
from wfscc.outputs import charts
from wfscc.outputs.disclosure import protect
from wfscc.textsafe import plain_chart_text


def test_empty_markdown_shows_nothing(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    display.show_markdown("")
    display.show_markdown("Text")
    assert [s["text/markdown"] for s in shown] == ["Text"]


def test_profile_prose_keeps_a_number_and_its_unit_together(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    display.show_markdown("Starts fell to three per cent, against 14 percentage points.")
    assert shown[-1]["text/markdown"] == (
        "Starts fell to three\u00a0per\u00a0cent, against 14\u00a0percentage\u00a0points."
    )


def test_table_headers_keep_a_number_and_its_unit_together():
    frame = pd.DataFrame({"Measure": ["Used"], "Wave one: per cent (95 per cent interval)": [4]})
    assert "(95\u00a0per\u00a0cent interval)" in display.table_html(frame)


def test_the_c_wording_names_the_builds_threshold_for_a_reshaped_table():
    wide = pd.DataFrame({"Measure": ["Used"], "Wave one": ["[c]"]})
    assert "fewer than 5 people" in display.note_lines(wide, threshold=5)[0]
    assert "fewer than 10 people" in display.note_lines(wide)[0]
    table = protect(pd.DataFrame({"g": ["a", "b"], "n": [3, 40]}), ["n"], threshold=7)
    assert "fewer than 7 people" in display.note_lines(table, threshold=5)[0]


def test_base_and_source_lines_follow_the_c_wording(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    display.show_table(
        pd.DataFrame({"Measure": ["Used"], "n": [40]}), base="all starts", source="mi"
    )
    assert shown[-1]["text/markdown"] == "Base: all starts. Source: Pilot management information."


def _chart():
    charts.style()
    _, ax = plt.subplots(figsize=(6.3, 3))
    ax.bar(["One", "Two"], [3, 40])
    ax.set_ylabel("Starts (number)")
    ax.figure.supylabel("Starts per quarter (number)")
    return ax


def test_a_chart_is_drawn_once_and_saved_as_two_passes_would_save_it(monkeypatch):
    """tight_layout leaves a layout engine that makes savefig draw the figure twice; the
    chart is laid out already, so one pass must give the same SVG."""
    shown, draws = [], []
    monkeypatch.setattr(display, "display", lambda obj, **kw: shown.append(obj))
    draw = Figure.draw

    def counting(self, renderer):
        draws.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    display.show_chart(_chart(), alt="Bar chart of starts.")
    assert len(draws) == 1
    figure = _chart().figure  # as show_chart saved it before: two passes
    plain_chart_text(figure)
    display.house_figure(figure)
    charts.layout(figure)
    assert figure.get_layout_engine() is not None
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    assert len(draws) == 3
    assert shown[0]["image/svg+xml"] == buffer.getvalue()
