"""Shared chart machinery: the afcharts style, the house colours, seaborn bars with the
analysis' own intervals, ``[c]`` marks, alt text, and stable saving."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import afcharts
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from afcharts.af_colours import get_af_colours  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ... import housestyle as hs  # noqa: E402
from ...contract import style as st  # noqa: E402
from ._bars import dodged_bars, seaborn_bars  # noqa: E402
from ._seaborn import seaborn  # noqa: E402

_ATTR = "_wfscc_alt_text"


def _palette(kind: str, fallback: list[str], n: int | None = None) -> list[str]:
    try:
        return list(get_af_colours(kind, number_of_colours=n))
    except Exception:  # pragma: no cover - afcharts is a declared dependency
        return fallback


#: The afcharts categorical palette (dark blue, turquoise, dark pink, orange, ...).
PALETTE = _palette("categorical", ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D",
                                   "#A285D1"], 6)
#: The afcharts sequential palette, darkest first.
SEQUENTIAL = _palette("sequential", st.SEQUENTIAL)
TEXT_GREY = st.REFERENCE_COLOUR
#: Text sizes in points at the printed width (never below ``MIN_FONT_PT``).
FONT = {"text": 10.0, "tick": 9.0, "mark": 9.0}


#: The settings :func:`style` last applied (setting -> value as Matplotlib holds it).
_APPLIED: dict = {}


def style() -> None:
    """Apply the afcharts Matplotlib style (value gridlines, no box, left-aligned titles),
    the house text sizes and stable SVG output settings."""
    # Each chart calls this: when every setting it applies still holds, applying them again
    # (reading and checking the style sheet, 4 to 5 ms CPU a chart) would change nothing
    if _APPLIED and all(plt.rcParams[k] == v for k, v in _APPLIED.items()):
        return
    sheet = Path(afcharts.__file__).with_name("afcharts.mplstyle")
    keys = []
    if sheet.exists():
        plt.style.use(str(sheet))
        keys = list(matplotlib.rc_params_from_file(str(sheet), use_default_template=False))
    house = {
        "svg.hashsalt": "wfscc",
        "text.parse_math": False,  # "$" in a name from the data is a dollar sign
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": FONT["text"],
        "axes.labelsize": FONT["text"],
        "axes.titlesize": FONT["text"],
        "xtick.labelsize": FONT["tick"],
        "ytick.labelsize": FONT["tick"],
        "legend.fontsize": FONT["tick"],
        "figure.titlesize": FONT["text"],
        "figure.labelsize": FONT["text"],
        "axes.grid": True,
        "grid.color": st.GRID_COLOUR,
        # Titles sit at the top of their panel: no chart has ticks or labels above its plot
        # area, so Matplotlib's search for them (measuring every tick of the panel on each
        # draw, a tenth of the drawing) would leave the titles where they are.
        "axes.titley": 1.0,
    }
    plt.rcParams.update(house)
    _APPLIED.clear()
    _APPLIED.update({k: copy.copy(plt.rcParams[k]) for k in (*keys, *house) if k in plt.rcParams})


def new_axes(ax: Axes | None, size=None) -> Axes:
    """``ax``, or the Axes of a new styled figure of ``size`` inches (default: the printed
    width of the report, so text prints at its point size)."""
    if ax is None:
        style()
        _, ax = plt.subplots(figsize=size or (st.PRINT_WIDTH_IN, 3.4))
    return ax


def set_alt(ax: Axes, text: str) -> Axes:
    """Attach alt text to ``ax`` and its figure; return ``ax``."""
    if '"' in text:
        text = text.replace('"', "'")  # alt text goes into fig-alt="..." attributes
    setattr(ax, _ATTR, text)
    ax.figure._wfscc_alt_text = text  # the figure carries it too, for savers that get a figure
    return ax


def alt_text(ax_or_fig) -> str:
    """The alt text a helper attached to an Axes (or its Figure)."""
    text = getattr(ax_or_fig, _ATTR, None)
    if text is None:
        raise ValueError("This chart has no alt text: draw it with a wfscc.outputs.charts helper.")
    return text


def save(ax: Axes, path: Path | str) -> Path:
    """Save the figure of ``ax`` to ``path`` (SVG or PNG) with no date in its metadata."""
    path = Path(path)
    fig = ax.figure
    plt.rcParams["svg.hashsalt"] = "wfscc"
    layout(fig)
    # tight_layout leaves a placeholder layout engine on the figure, and savefig draws a figure
    # that has one twice (a first pass to lay it out); the layout is done, so one pass suffices
    fig.set_layout_engine(None)
    meta = {"Date": None} if path.suffix == ".svg" else {"Software": None}
    fig.savefig(path, metadata=meta)
    return path


def layout(fig) -> None:
    """Tight layout, leaving room above the panels for a figure-wide key when there is one."""
    # Without a rect, Matplotlib measures the figure's text once, not twice: a rect of the whole
    # figure gives the same margins from a second pass.
    rect = getattr(fig, "_wfscc_rect", None)
    if rect is None or not _one_cell(fig):
        fig.tight_layout(rect=rect)
        return
    # With a rect, Matplotlib measures every text of the figure again in a second pass. For one
    # panel that pass only moves the margins by the rect (every margin given, no space between
    # panels), so it is done here by the same arithmetic, without measuring anything twice
    # (a third of the time to lay out a profile's quarterly chart); tests/outputs/
    # test_chart_cost.py checks the result against Matplotlib's.
    before = _params(fig)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.tight_layout()
    margins = None if caught else _in_rect(_params(fig), rect)
    if margins is None:  # not laid out, or a margin Matplotlib would measure: its own way
        fig.subplots_adjust(**before)
        fig.tight_layout(rect=rect)
        return
    fig.subplots_adjust(**margins)


def _params(fig) -> dict:
    sp = fig.subplotpars
    return {"left": sp.left, "bottom": sp.bottom, "right": sp.right, "top": sp.top,
            "wspace": sp.wspace, "hspace": sp.hspace}


def _one_cell(fig) -> bool:
    """Whether every Axes of ``fig`` fills the one cell of a 1 x 1 grid (a one-panel chart)."""
    specs = [ax.get_subplotspec() for ax in fig.axes]
    return bool(specs) and all(s is not None and s.get_gridspec().get_geometry() == (1, 1)
                               for s in specs)


def _in_rect(first: dict, rect) -> dict | None:
    """The margins Matplotlib's second tight-layout pass (``matplotlib._tight_layout``
    ``get_tight_layout_figure`` then ``_auto_adjust_subplotpars`` with a rect) gives one panel
    whose first pass gave ``first``, in its order of operations; None when that pass would
    measure a margin or give up."""
    left, bottom, right, top = rect
    if left is not None:
        left += first["left"]
    if bottom is not None:
        bottom += first["bottom"]
    if right is not None:
        right -= 1 - first["right"]
    if top is not None:
        top -= 1 - first["top"]
    m_left, m_bottom = left, bottom
    m_right = 1 - right if right else None
    m_top = 1 - top if top else None
    if not (m_left and m_bottom and m_right and m_top):
        return None
    if m_left + m_right >= 1 or m_bottom + m_top >= 1:
        return None
    return {"left": m_left, "right": 1 - m_right, "bottom": m_bottom, "top": 1 - m_top}


def cap(text: str) -> str:
    """``text`` with its first letter upper case (unlike ``str.capitalize``, the rest is kept)."""
    return text[:1].upper() + text[1:]


def legend_above(ax: Axes, items: dict[str, str], ncol: int | None = None) -> None:
    """A frameless key of coloured squares above the plot area, outside the data (label ->
    colour, in order)."""
    handles = [Patch(facecolor=c, label=lab) for lab, c in items.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01),
              ncol=ncol or len(handles), frameon=False, borderaxespad=0.0,
              handlelength=1.0, columnspacing=1.2)


def legend_below(ax: Axes, ncol: int, offset: float = -0.14) -> None:
    """A frameless legend in one row under the plot, clear of the bars."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, offset), ncol=ncol, frameon=False)


def pct(x: float) -> str:
    """A proportion in house style ("14 per cent")."""
    return hs.percent(x)


def bars(ax: Axes, frame: pd.DataFrame, cat: str, hue: str, value: str, *, order: list,
         hue_order: list, colours: dict, horizontal: bool = False,
         dodge: bool = True) -> dict:
    """Grouped bars as seaborn's ``barplot`` draws them (``errorbar=None``: the intervals are
    the analysis' own, drawn by :func:`intervals`) from an aggregated frame, one row per
    ``cat`` x ``hue``. Side-by-side bars are drawn with seaborn's own Matplotlib calls
    (:mod:`._bars`), which give the same SVG without its grouping of one value per bar.

    Missing values (suppressed cells) get no bar; their position is returned so they can be
    marked ``[c]``. Returns ``(cat, hue) -> (centre, patch)``.
    """
    data = frame[[cat, hue, value]].copy()
    if not dodge:
        runs = _colour_runs(data, cat, hue, order, hue_order, colours)
        if runs is not None:
            return _undodged_bars(ax, data, cat, hue, value, order, colours, runs,
                                  horizontal)
    if dodge and not data.duplicated([cat, hue]).any():
        return _side_by_side(ax, data, cat, hue, value, order, hue_order, colours, horizontal)
    if dodge:  # every category x level gets a bar (zero-filled, then hidden if missing)
        grid = pd.MultiIndex.from_product([order, hue_order],
                                          names=[cat, hue]).to_frame(index=False)
        data = grid.merge(data, on=[cat, hue], how="left")
    else:
        data = data.reset_index(drop=True)
    missing = data[value].isna().to_numpy()
    data["_drawn"] = data[value].fillna(0.0).astype(float)
    axis = {"y": cat, "x": "_drawn"} if horizontal else {"x": cat, "y": "_drawn"}
    sns = seaborn()  # imported on first use (._seaborn)

    sns.barplot(data=data, **axis, hue=hue, order=order, hue_order=hue_order,
                palette=colours, errorbar=None, legend=False, ax=ax, saturation=1,
                orient="h" if horizontal else "v", width=0.8, dodge=dodge)
    out = {}
    for level, container in zip(hue_order, ax.containers, strict=False):
        keys = [level] if not dodge else order  # undodged: one bar per level, at its category
        for key, patch in zip(keys, container.patches, strict=False):
            out[(key, level)] = (_centre(patch, horizontal), patch)
    for (key, level), (_, patch) in out.items():
        row = data[(data[cat] == key) & (data[hue] == level)]
        if len(row) and bool(missing[row.index[0]]):
            (patch.set_width if horizontal else patch.set_height)(float("nan"))
    return out


def _side_by_side(ax: Axes, data: pd.DataFrame, cat: str, hue: str, value: str, order: list,
                  hue_order: list, colours: dict, horizontal: bool) -> dict:
    """Dodged bars, one value per ``cat`` x ``hue`` (see :func:`._bars.dodged_bars`);
    ``(cat, hue) -> (centre, patch)`` as :func:`bars`."""
    grid = pd.MultiIndex.from_product([order, hue_order], names=[cat, hue]).to_frame(index=False)
    data = grid.merge(data, on=[cat, hue], how="left")
    values = data[value].to_numpy(dtype=float).reshape(len(order), len(hue_order)).T
    drawn = dodged_bars(ax, np.nan_to_num(values, nan=0.0), cat, "_drawn", order, hue_order,
                        colours, horizontal)
    out = {}
    for j, level in enumerate(hue_order):
        for i, key in enumerate(order):
            patch = drawn[j][i]
            if np.isnan(values[j, i]):
                (patch.set_width if horizontal else patch.set_height)(float("nan"))
            out[(key, level)] = (_centre(patch, horizontal), patch)
    return out


def _centre(patch, horizontal: bool) -> float:
    return (patch.get_y() + patch.get_height() / 2 if horizontal
            else patch.get_x() + patch.get_width() / 2)


def _colour_runs(data: pd.DataFrame, cat: str, hue: str, order: list, hue_order: list,
                 colours: dict) -> list[str] | None:
    """For undodged bars with one level per category (each bar its own colour), the colours
    in the order they are drawn, when each colour's bars follow one another; else None.

    Seaborn draws each hue level with its own call (grouping and unit conversion each time):
    one level per colour draws the same bars, in the same order, with the same colours, so
    the SVG is the same."""
    if (list(data[cat]) != list(order) or list(data[hue]) != list(hue_order)
            or not set(hue_order) <= set(colours)):
        return None
    tones = [colours[level] for level in hue_order]
    runs = list(dict.fromkeys(tones))
    if sum(1 for i, t in enumerate(tones) if i == 0 or t != tones[i - 1]) != len(runs):
        return None  # a colour comes back after another: drawing by colour changes the order
    return runs


def _undodged_bars(ax: Axes, data: pd.DataFrame, cat: str, hue: str, value: str,
                   order: list, colours: dict, runs: list[str], horizontal: bool) -> dict:
    """One level per colour run (see :func:`_colour_runs`); ``(cat, hue) -> (centre,
    patch)`` as :func:`bars`."""
    data = data.reset_index(drop=True)
    heights = data[value].to_numpy(dtype=float)
    tones = [colours[level] for level in data[hue]]
    where = [np.array([i for i, t in enumerate(tones) if t == run], dtype=float)
             for run in runs]
    levels = [(run, at, np.nan_to_num(heights[at.astype(int)], nan=0.0))
              for run, at in zip(runs, where, strict=True)]
    drawn = seaborn_bars(ax, levels, cat, "_drawn", order, horizontal, dodge=False)
    out = {}
    for at, patches in zip(where, drawn, strict=True):
        for i, patch in zip(at.astype(int), patches, strict=True):
            if np.isnan(heights[i]):
                (patch.set_width if horizontal else patch.set_height)(float("nan"))
            out[(data[cat][i], data[hue][i])] = (_centre(patch, horizontal), patch)
    return out


def intervals(ax: Axes, centres, est, lower, upper, *, horizontal: bool = False) -> None:
    """Error bars from the analysis' design-based interval (``lower``..``upper``) at each bar;
    rows with a missing estimate get none."""
    est, lo, hi = (np.asarray(v, dtype=float) for v in (est, lower, upper))
    keep = ~(np.isnan(est) | np.isnan(lo) | np.isnan(hi))
    if not keep.any():
        return
    c = np.asarray(centres, dtype=float)[keep]
    err = np.vstack([est[keep] - lo[keep], hi[keep] - est[keep]])
    kw = {"fmt": "none", "ecolor": st.TEXT_COLOUR, "color": st.TEXT_COLOUR, "elinewidth": 1,
          "capsize": 3}
    if horizontal:
        ax.errorbar(est[keep], c, xerr=err, **kw)
    else:
        ax.errorbar(c, est[keep], yerr=err, **kw)


def mark_suppressed(ax: Axes, position, *, horizontal: bool = False, at=0.0) -> None:
    """Write ``[c]`` where a suppressed value's bar would be."""
    if horizontal:
        ax.annotate(st.SUPPRESSED_MARK, (at, position), xytext=(3, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=FONT["mark"],
                    color=st.TEXT_COLOUR)
    else:
        ax.annotate(st.SUPPRESSED_MARK, (position, at), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom",
                    fontsize=FONT["mark"], color=st.TEXT_COLOUR)
