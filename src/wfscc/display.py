"""Showing results in a notebook the way the render engines expect them.

Charts are shown as SVG with their alt text in the output metadata and, beside them, the data
behind them as a ``text/csv`` output (the site shows it under "Show the data" with a download
link). Tables are shown as HTML after disclosure control. Nothing here shows raw records.
"""

from __future__ import annotations

import io

import pandas as pd
from IPython.display import display

from .charts import alt_text
from .disclosure import SUPPRESSED_MARK, ProtectedTable
from .textsafe import plain_chart_text, spreadsheet_frame


def _frame(table: ProtectedTable | pd.DataFrame) -> pd.DataFrame:
    return table.frame if isinstance(table, ProtectedTable) else table


def show_markdown(text: str) -> None:
    """Show ``text`` as Markdown (headings and prose built from facts).

    Text from the data (an LA's name) must go in escaped with :func:`wfscc.textsafe.markdown`,
    so that it shows as written and never as a link, tag or heading.
    """
    display({"text/markdown": text, "text/plain": text}, raw=True)


def show_chart(
    ax, data: ProtectedTable | pd.DataFrame | None = None, *, alt: str | None = None
) -> None:
    """Show the chart drawn on ``ax`` as SVG with its alt text, and its (protected) data.

    ``alt`` replaces the alt text the chart helper attached, for a chart whose titles the
    notebook changed (for example a small-multiples helper drawn for one area).
    """
    import matplotlib.pyplot as plt

    if alt is not None and not alt.strip():
        raise ValueError("alt text must describe the chart; got an empty string.")
    figure = ax.figure
    plain_chart_text(figure)  # no mathtext: "$" in a title from the data is a dollar sign
    figure.tight_layout()
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
        frame = spreadsheet_frame(_frame(data))  # no text cell may start a formula
        csv = frame.to_csv(index=False, na_rep=SUPPRESSED_MARK, lineterminator="\n")
        display({"text/csv": csv, "text/plain": "Data for the chart"}, raw=True)


def show_table(table: ProtectedTable | pd.DataFrame, *, labels: dict[str, str] | None = None):
    """Show a published table as HTML, suppressed cells marked, columns renamed by ``labels``."""
    frame = _frame(table).rename(columns=labels or {})
    for col in frame.columns:  # to_html's na_rep does not reach pd.NA in nullable columns
        if isinstance(frame[col].dtype, pd.api.extensions.ExtensionDtype) and frame[col].hasnans:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), SUPPRESSED_MARK)
    html = frame.to_html(
        index=False, na_rep=SUPPRESSED_MARK, border=0, float_format="{:.0f}".format
    )
    display({"text/html": html, "text/plain": "Table"}, raw=True)
