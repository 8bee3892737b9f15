"""The chart of pilot starts per quarter in each area and the month each area reached a steady
level of starts (the report's ``starts`` figure, and one area's chart in its profile).

Up to :data:`MAX_PANELS` areas it is small multiples, one panel per area. Beyond that, panels
would not fit a printed page and cost time and memory with every panel (each has its own axes,
ticks and labels, and the tight layout measures them all), so the chart becomes one heat map of
area by quarter: its cost grows only with its cells, and the chart's data table and alt text
still give every area.
"""

from __future__ import annotations

import datetime
import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ... import housestyle as hs
from ...contract import style as st
from ._base import FONT, mark_suppressed, set_alt, style
from ._seaborn import seaborn

#: The most areas drawn as small multiples (six rows of two panels: one printed page).
MAX_PANELS = 12
#: The most area names beside the heat map's rows; beyond it every k-th area is named.
MAX_ROW_LABELS = 40
#: The heat map's height in inches at most (a printed page, the caption and notes below it).
MAX_HEIGHT_IN = 8.5


def bedding_in_chart(
    quarterly: pd.DataFrame, steady: pd.DataFrame, *, ncols: int = 2, mark: bool = True
):
    """Pilot starts per quarter in each LA, and the month each reached a steady level.

    Up to :data:`MAX_PANELS` LAs: small multiples, one panel per LA: starts per quarter (bars,
    the pilot colour), and a dashed line (the reference colour) at the month the LA reached a
    steady level of starts; the key sits above the panels. More LAs: one heat map, a row per
    LA and a column per quarter, starts in the sequential blues (darker for more), a marker
    (the reference colour) at the steady month, withheld quarters left blank.

    ``quarterly``: ``la_code``, ``quarter_start`` (first day), ``starts`` (missing where
    suppressed: marked ``[c]`` when ``mark``). ``steady``: ``la_code``, ``steady_month`` (NaT if
    never reached). Returns the array of Axes (alt text on each and on the figure).
    """
    style()
    las = sorted(quarterly["la_code"].unique())
    month = steady.set_index("la_code")["steady_month"]
    hidden = int(quarterly["starts"].isna().sum())
    if len(las) > MAX_PANELS:
        ax = _heat_map(quarterly, las, month)
        form = (
            f"Heat map of pilot starts per quarter, one row for each of the "
            f"{hs.count(len(las))} pilot areas and one column for each quarter, darker for "
            "more starts, with a marker at the month each area reached a steady level of "
            "starts: "
        )
        axes = np.array([[ax]], dtype=object)
        blank = " Quarters with small numbers are not shown and are left blank."
    else:
        axes = _panels(quarterly, las, month, ncols, mark)
        form = (
            f"Bar charts of pilot starts per quarter, one panel for each of the "
            f"{hs.count(len(las))} pilot areas, with a dashed line at the month each area "
            "reached a steady level of starts: "
        )
        blank = " Quarters with small numbers are not shown and are marked [c]."
    reached = [(la, month.get(la, pd.NaT)) for la in las]
    parts = [f"{la} in {hs.month_year(m)}" for la, m in reached if pd.notna(m)]
    never = [la for la, m in reached if pd.isna(m)]
    text = form + "; ".join(parts) + "."
    if never:
        text += f" Not reached in {', '.join(never)}."
    if hidden:
        text += blank
    for ax in axes.flat:
        set_alt(ax, text)
    return axes


def _panels(quarterly: pd.DataFrame, las: list, month: pd.Series, ncols: int, mark: bool):
    """Small multiples, one panel per LA (at most :data:`MAX_PANELS` in the report)."""
    nrows = max(math.ceil(len(las) / ncols), 1)
    # Common scales set by hand: shared axes cost time quadratic in the number of panels.
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(st.PRINT_WIDTH_IN, 1.5 * nrows + 0.9), squeeze=False
    )
    starts = pd.to_datetime(quarterly["quarter_start"])
    xlim = (
        mdates.date2num(starts.min() - pd.Timedelta(days=15)),
        mdates.date2num(starts.max() + pd.Timedelta(days=105)),
    )
    top = float(np.nanmax(quarterly["starts"].to_numpy(dtype=float), initial=0.0))
    ylim = (0.0, max(top, 1.0) * 1.05)
    by_la = dict(iter(quarterly.groupby("la_code", sort=False)))
    for ax, la in zip(axes.flat, las, strict=False):
        sub = by_la[la].sort_values("quarter_start")
        centres = pd.to_datetime(sub["quarter_start"]) + pd.Timedelta(days=45)
        values = sub["starts"].to_numpy(dtype=float)
        ax.bar(centres, values, width=80, color=st.GROUP_COLOURS["pilot"])
        if mark:
            for c in centres[np.isnan(values)]:
                mark_suppressed(ax, mdates.date2num(c))
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_autoscale_on(False)
        m = month.get(la, pd.NaT)
        if pd.notna(m):
            ax.axvline(pd.Timestamp(m), color=st.REFERENCE_COLOUR, linestyle="--", linewidth=1.5)
        ax.set_title(la, fontsize=FONT["tick"], loc="left")
    for i, ax in enumerate(axes.flat):
        if i + ncols < len(las):  # only the lowest panel of each column labels the years
            ax.tick_params(labelbottom=False)
        ax.xaxis.set_major_locator(YearStarts())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.tick_params(labelsize=FONT["tick"])
    for ax in list(axes.flat)[len(las) :]:
        ax.set_visible(False)
    fig.supylabel("Starts per quarter (number)", fontsize=FONT["text"])
    fig.supxlabel("Quarter", fontsize=FONT["text"])
    fig.legend(
        handles=[
            Line2D(
                [],
                [],
                color=st.REFERENCE_COLOUR,
                linestyle="--",
                label="Month a steady level was reached",
            )
        ],
        loc="upper left",
        frameon=False,
        fontsize=FONT["tick"],
    )
    fig._wfscc_rect = (0, 0, 1, 1 - 0.3 / fig.get_size_inches()[1])  # room for the key
    return axes


class YearStarts(mdates.DateLocator):
    """Ticks on the first day of each year in view, where ``matplotlib.dates.YearLocator()``
    puts them, found without its recurrence rule (dateutil's ``rrule``, which took a tenth of
    the time to lay out and save a quarterly chart)."""

    def __call__(self):
        vmin, vmax = self.axis.get_view_interval()
        return self.tick_values(vmin, vmax)

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((vmin, vmax))
        first, last = mdates.num2date(lo, self.tz).year, mdates.num2date(hi, self.tz).year
        return mdates.date2num([datetime.datetime(y, 1, 1, tzinfo=self.tz)
                                for y in range(first, last + 1)])


def _heat_map(quarterly: pd.DataFrame, las: list, month: pd.Series):
    """One heat map (seaborn), a row per LA and a column per quarter; its Axes."""
    frame = quarterly.assign(quarter_start=pd.to_datetime(quarterly["quarter_start"]))
    wide = frame.pivot(index="la_code", columns="quarter_start", values="starts")
    wide = wide.reindex(index=las, columns=sorted(wide.columns)).astype(float)
    quarters = list(wide.columns)
    fig, ax = plt.subplots(figsize=(st.PRINT_WIDTH_IN, min(1.6 + 0.16 * len(las), MAX_HEIGHT_IN)))
    top = float(np.nanmax(wide.to_numpy(), initial=0.0))
    edges = np.unique(np.round(np.linspace(0.0, max(top, 1.0), len(st.SEQUENTIAL) + 1)))
    colours = list(reversed(st.SEQUENTIAL))[-(len(edges) - 1) :]  # more starts, darker
    step = math.ceil(len(las) / MAX_ROW_LABELS)
    # seaborn draws a mesh of vector cells (no raster image: the privacy guard refuses images
    # it cannot read); a missing (withheld) quarter gets no cell
    sns = seaborn()  # imported on first use (._seaborn)

    sns.heatmap(
        wide,
        ax=ax,
        cmap=ListedColormap(colours),
        norm=BoundaryNorm(edges, len(colours)),
        linewidths=0,
        xticklabels=False,
        yticklabels=False,
        cbar=True,
        cbar_kws={"ticks": list(edges), "label": "Starts per quarter (number)", "shrink": 0.9},
    )
    cbar = ax.collections[0].colorbar
    cbar.ax.set_yticklabels([f"{int(e):,}" for e in edges])
    cbar.ax.tick_params(labelsize=FONT["tick"])
    firsts = [j for j, q in enumerate(quarters) if q.month == 1]
    ax.set_xticks(firsts, [str(quarters[j].year) for j in firsts], rotation=0)
    rows = list(range(0, len(las), step))
    ax.set_yticks([i + 0.5 for i in rows], [las[i] for i in rows], rotation=0)
    ax.tick_params(labelsize=FONT["tick"])
    ax.set_xlabel("Quarter")
    ax.set_ylabel("Pilot area" if step == 1 else f"Pilot area (one in {step} named)")
    ax.grid(False)
    xs, ys = _steady_marks(quarters, las, month)
    row_pt = 72 * fig.get_size_inches()[1] * 0.8 / max(len(las), 1)
    ax.plot(
        xs,
        ys,
        linestyle="none",
        marker="o",
        markersize=float(np.clip(row_pt, 2.0, 6.0)),
        color=st.REFERENCE_COLOUR,
        markeredgecolor="white",
        markeredgewidth=0.5,
    )
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            color=st.REFERENCE_COLOUR,
            markeredgecolor="white",
            label="Month a steady level was reached",
        )
    ]
    if wide.isna().to_numpy().any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=st.GRID_COLOUR,
                label="[c] withheld (small numbers), left blank",
            )
        )
    fig.legend(
        handles=handles, loc="upper left", ncol=len(handles), frameon=False, fontsize=FONT["tick"]
    )
    fig._wfscc_rect = (0, 0, 1, 1 - 0.3 / fig.get_size_inches()[1])  # room for the key
    return ax


def _steady_marks(quarters: list, las: list, month: pd.Series) -> tuple[list, list]:
    """Where each LA's steady month sits on the heat map (columns: consecutive ``quarters``):
    within its quarter's column, the middle of the month; in its LA's row. LAs that never
    reached it get no mark."""
    xs, ys = [], []
    first = quarters[0] if quarters else None
    for i, la in enumerate(las):
        m = month.get(la, pd.NaT)
        if pd.isna(m) or first is None:
            continue
        m = pd.Timestamp(m)
        months = (m.year - first.year) * 12 + m.month - first.month
        if 0 <= months < 3 * len(quarters):
            xs.append((months + 0.5) / 3)
            ys.append(i + 0.5)
    return xs, ys
