"""Text from data is text: one escaping function for each place such text lands.

A name in the data (an LA's name, a centre's name) may hold any characters. Wherever it reaches a
published file it must read as the same characters, never as markup or code. Each function here
makes a value safe for one target; the build calls them at the boundary where text enters it:

* :func:`markdown`: pandoc / Quarto Markdown (the fact texts in ``_variables.yml``, which both
  engines insert as Markdown, and the Markdown the profile notebooks show);
* :func:`html`: HTML text and attribute values;
* :func:`typst_string`: a Typst string literal (``"..."``) in raw Typst;
* :func:`spreadsheet_cell` / :func:`spreadsheet_frame`: CSV, XLSX and ODS cells, so that no text
  cell starts a formula (OWASP "CSV injection");
* Matplotlib text: :mod:`wfscc.outputs.charts` turns off mathtext (``text.parse_math``), so
  ``$`` in a label is a dollar sign (:func:`plain_chart_text` does it for a figure drawn elsewhere).

JSON needs nothing of its own: ``json.dumps`` escapes every string it writes.
"""

from __future__ import annotations

import csv
import html as _html
import io
import re
import string

__all__ = [
    "FORMULA_START",
    "html",
    "markdown",
    "plain_chart_text",
    "spreadsheet_cell",
    "spreadsheet_csv",
    "spreadsheet_frame",
    "typst_string",
]

# Every ASCII punctuation mark is backslash-escaped, but for those that are markup nowhere in
# pandoc's or CommonMark's Markdown (",", ";", "?") and the apostrophe, left alone so that
# "King's Lynn" keeps its typographic apostrophe: on its own it starts nothing (smart quotes only
# pair it with another one into curly quotes). Checked with the real Quarto CLI too: a value
# escaped so reads as written both in prose and in an attribute (fig-alt="{{< var x >}}").
_MD_SPECIAL = frozenset(string.punctuation) - {"'", ",", ";", "?"}
_MD_TABLE = {ord(c): "\\" + c for c in _MD_SPECIAL}
_SPACE_RUN = re.compile(r"\s+")

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def markdown(text: object) -> str:
    """``text`` as pandoc Markdown that shows exactly these characters, inline.

    Every ASCII punctuation mark (but the apostrophe, comma, semicolon and question mark) gets a
    backslash (pandoc reads ``\\x`` as ``x`` for any punctuation, in text and in quoted
    attribute values alike), so no link, image, emphasis, raw HTML, math, citation, shortcode or
    list marker can start from it. Line breaks, tabs and runs of white space become one space and
    the ends are trimmed: a value is one line of text, so it can start no block (heading, list,
    code block, table) either.
    """
    flat = _SPACE_RUN.sub(" ", str(text)).strip()
    return flat.translate(_MD_TABLE)


def html(text: object) -> str:
    """``text`` escaped for HTML text or a quoted attribute value."""
    return _html.escape(str(text), quote=True)


def typst_string(text: object) -> str:
    """A Typst string literal (with its quotes) holding ``text`` on one line."""
    flat = _SPACE_RUN.sub(" ", str(text))
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def spreadsheet_cell(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, with ``'`` put in front.

    Only strings change, and only those starting with ``=``, ``+``, ``-``, ``@``, a tab or a line
    break; a string that is just a number ("-1.5") is left as it is, as are numbers themselves,
    so negative values stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_frame(frame):
    """A copy of ``frame`` with :func:`spreadsheet_cell` applied to its text columns and its
    column names (numeric columns are not touched)."""
    # on use: wfscc.render imports this module and loads neither pandas (0.8 s to import,
    # python -X importtime) nor Matplotlib; a frame given here means pandas is loaded already
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
            out[col] = out[col].map(spreadsheet_cell, na_action="ignore")
    out.columns = [spreadsheet_cell(c) for c in out.columns]
    return out


def spreadsheet_csv(text: str) -> str:
    """CSV ``text`` with :func:`spreadsheet_cell` applied to every field; the same text when no
    field needed it (so files already safe keep their bytes)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    safe = [[spreadsheet_cell(field) for field in row] for row in rows]
    if safe == rows:
        return text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(safe)
    return out.getvalue()


def plain_chart_text(figure) -> None:
    """Turn off mathtext for every text of a Matplotlib ``figure`` but its tick labels (a
    formatter may use mathtext on purpose), so ``$`` in a title or label is a dollar sign."""
    # on use: 0.45 s to import without Matplotlib loaded (python -X importtime); see above
    from matplotlib.text import Text

    # the labels of the major ticks that exist now: a tick made later takes the rcParams
    # default. Not ``get_xticklabels()``, which places and formats every tick first (a sixth of
    # the cost of showing a profile chart), only for the figure's drawing to do it again
    ticks = set()
    for ax in figure.get_axes():
        for tick in [*ax.xaxis.majorTicks, *ax.yaxis.majorTicks]:
            ticks.update(id(t) for t in (tick.label1, tick.label2) if t.get_visible())
    for text in figure.findobj(Text):
        if id(text) not in ticks:
            text.set_parse_math(False)
