"""Showing results in a notebook the way the render engines expect them, in the house style.

Charts are shown as SVG with their alt text in the output metadata and, beside them, the data
behind them as a ``text/csv`` output with the chart's labels as headers (the site shows it under
"Show the data" with a download link). :func:`show_chart` applies the house style to what a
notebook drew: no title inside the image (the cell's ``fig-cap`` is the one title), the report's
printed width, no text under 9 pt. Tables are shown as HTML after disclosure control, in the
GOV.UK table style (:func:`table_html`): numerals in numeric columns, numbers right-aligned and
labels left-aligned, a unit found in every cell moved into the header. A "Base:" and a
"Source:" line (and the one ``[c]`` wording when a value is withheld) go under a table or chart
when given. Nothing here shows raw records.
"""

from __future__ import annotations

import html
import io
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.text import Annotation

from .. import housestyle as hs
from ..contract import style as st
from ..outputs.charts import FONT, alt_text, layout
from ..outputs.disclosure import SUPPRESSED_MARK, ProtectedTable
from ..outputs.tables import labelled
from ..textsafe import markdown, plain_chart_text, spreadsheet_frame

_WORD = {w: i for i, w in enumerate(hs.WORDS)}
_UNIT = " per cent"


def _frame(table: ProtectedTable | pd.DataFrame) -> pd.DataFrame:
    return table.frame if isinstance(table, ProtectedTable) else table


def show_markdown(text: str) -> None:
    """Show ``text`` as Markdown (headings and prose built from facts); nothing when it is empty.

    Text from the data (an LA's name) must go in escaped with :func:`wfscc.textsafe.markdown`,
    so that it shows as written and never as a link, tag or heading.
    """
    if text:
        text = hs.keep_together(text)  # "three per cent" never wraps after "three"
        display({"text/markdown": text, "text/plain": text}, raw=True)


def house_figure(figure) -> None:
    """Apply the house style to a drawn figure: no title above a single chart or over the
    figure (the caption is the title), the report's printed width, text at least 9 pt."""
    panels = [a for a in figure.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    if getattr(figure, "_suptitle", None) is not None:
        figure._suptitle.set_text("")
    if len(panels) == 1:
        for loc in ("center", "left", "right"):
            panels[0].set_title("", loc=loc)
    for ax in figure.axes:
        _one_mark_per_value(ax)
    w, h = figure.get_size_inches()
    if abs(w - st.PRINT_WIDTH_IN) > 0.01:
        figure.set_size_inches(st.PRINT_WIDTH_IN, h * st.PRINT_WIDTH_IN / w)
    for text in figure.findobj(lambda o: hasattr(o, "get_fontsize") and hasattr(o, "get_text")):
        if text.get_text() and text.get_fontsize() < FONT["tick"]:
            text.set_fontsize(FONT["tick"])


def _one_mark_per_value(ax) -> None:
    """Drop a ``[c]`` a notebook wrote where a chart helper already marked the value."""
    marked = {round(float(ax.xaxis.convert_units(t.xy[0])), 3) for t in ax.texts
              if isinstance(t, Annotation) and t.get_text() == SUPPRESSED_MARK}
    for t in list(ax.texts):
        if not isinstance(t, Annotation) and t.get_text() == SUPPRESSED_MARK:
            x = t.get_position()[0]
            if round(float(ax.xaxis.convert_units(x)), 3) in marked:
                t.remove()


def _note(lines: list[str]) -> None:
    if lines:
        show_markdown(" ".join(lines))


def note_lines(table=None, *, base: str | None = None, source: str | None = None,
               threshold: int | None = None) -> list[str]:
    """The lines under a table or chart: the ``[c]`` wording when ``table`` withholds a value,
    then "Base:" and "Source:" (``source`` a key of :data:`wfscc.contract.style.SOURCES` or the
    words themselves). The ``[c]`` wording names the threshold of a protected table, else
    ``threshold`` (for a table reshaped after protection), else 10."""
    lines = []
    if table is not None:
        frame = _frame(table)
        if frame.isna().to_numpy().any() or (frame.astype(str) == SUPPRESSED_MARK).any().any():
            threshold = getattr(table, "threshold", None) or threshold or 10
            lines.append(markdown(st.suppressed_note(threshold)))
    if base:
        lines.append(st.base_line(base))
    if source:
        lines.append(st.source_line(source) if source in st.SOURCES
                     else f"Source: {source.rstrip('.')}.")
    return lines


def show_chart(
    ax, data: ProtectedTable | pd.DataFrame | None = None, *, alt: str | None = None,
    base: str | None = None, source: str | None = None,
) -> None:
    """Show the chart drawn on ``ax`` as SVG with its alt text, and its (protected) data with
    the chart's labels as headers; then the ``[c]``, Base and Source lines when given.

    ``alt`` replaces the alt text the chart helper attached, for a chart whose titles the
    notebook changed (for example a small-multiples helper drawn for one area).
    """
    if alt is not None and not alt.strip():
        raise ValueError("alt text must describe the chart; got an empty string.")
    figure = ax.figure
    plain_chart_text(figure)  # no mathtext: "$" in a title from the data is a dollar sign
    house_figure(figure)
    layout(figure)
    # tight_layout leaves a placeholder layout engine on the figure, and savefig draws a figure
    # that has one twice (a first pass to lay it out); the layout is done, so one pass suffices
    figure.set_layout_engine(None)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    alt = (alt or alt_text(ax)).replace('"', "'")
    display(
        {"image/svg+xml": buffer.getvalue(), "text/plain": alt},
        metadata={"image/svg+xml": {"alt": alt}},
        raw=True,
    )
    if data is not None:
        frame = spreadsheet_frame(labelled(_frame(data)))  # no text cell may start a formula
        csv = frame.to_csv(index=False, na_rep=SUPPRESSED_MARK, lineterminator="\n")
        display({"text/csv": csv, "text/plain": "Data for the chart"}, raw=True)
    _note(note_lines(data, base=base, source=source))


def _numeral(value) -> str | None:
    """A cell as a numeral ("3", "1,234", "12.5", "[c]"), or None when it is not a number."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return SUPPRESSED_MARK
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        v = float(value)
        return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"
    text = str(value).strip()
    if text == SUPPRESSED_MARK:
        return text
    if text.lower() in _WORD:
        return str(_WORD[text.lower()])
    if re.fullmatch(r"-?\d[\d,]*(\.\d+)?( \(-?\d[\d,.]* to -?\d[\d,.]*\))?", text):
        return text
    return None


def _columns(frame: pd.DataFrame) -> list[tuple[str, list[str], bool]]:
    """(header, cells, numeric) per column: a column whose every cell ends in "per cent" gets
    the unit in its header; a column of numbers (or number words) gets numerals."""
    out = []
    for col in frame.columns:
        values = list(frame[col])
        header = str(col)
        texts = [v for v in values if isinstance(v, str) and v != SUPPRESSED_MARK]
        if texts and all(t.endswith(_UNIT) for t in texts) and "per cent" not in header:
            values = [v[: -len(_UNIT)] if isinstance(v, str) and v.endswith(_UNIT) else v
                      for v in values]
            header += " (per cent)"
        cells = [_numeral(v) for v in values]
        numeric = bool(values) and all(c is not None for c in cells) and any(
            c != SUPPRESSED_MARK for c in cells)
        shown = cells if numeric else [
            SUPPRESSED_MARK if v is None or (not isinstance(v, str) and pd.isna(v))
            else hs.keep_together(str(v)) for v in values]
        out.append((header, shown, numeric))
    return out


def table_html(frame: pd.DataFrame) -> str:
    """``frame`` as an HTML table in the GOV.UK style: numbers right-aligned (header too),
    labels left-aligned, numerals, units in headers, suppressed cells ``[c]``."""
    cols = _columns(frame)

    def cell(tag, text, numeric):
        side = "right" if numeric else "left"
        return f'<{tag} style="text-align: {side};">{html.escape(text)}</{tag}>'

    head = "".join(cell("th", hs.keep_together(h), n) for h, _, n in cols)
    rows = []
    for i in range(len(frame)):
        rows.append("<tr>" + "".join(cell("td", c[i], n) for _, c, n in cols) + "</tr>")
    return ('<table class="wfscc-table">\n<thead>\n<tr>' + head + "</tr>\n</thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>")


def show_table(table: ProtectedTable | pd.DataFrame, *, labels: dict[str, str] | None = None,
               base: str | None = None, source: str | None = None,
               threshold: int | None = None) -> None:
    """Show a published table as HTML in the house style (:func:`table_html`), columns
    renamed by ``labels`` (then the house labels of known codes), suppressed cells marked;
    then the ``[c]``, Base and Source lines when given (``threshold``: see
    :func:`note_lines`)."""
    frame = _frame(table).rename(columns=labels or {})
    frame = frame.rename(columns={c: st.column_label(c) for c in frame.columns
                                  if c in st.COLUMN_LABELS})
    display({"text/html": table_html(frame), "text/plain": "Table"}, raw=True)
    _note(note_lines(table, base=base, source=source, threshold=threshold))
