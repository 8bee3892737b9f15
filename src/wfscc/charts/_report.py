"""Charts of the pilot as a whole, for the report's chapters and the summary."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import housestyle as hs
from ._base import (
    PALETTE,
    SEQUENTIAL,
    TEXT_GREY,
    cap,
    legend_below,
    new_axes,
    pct,
    set_alt,
    style,
)

_GROUP_WORDS = {"pilot": "pilot areas", "comparison": "comparison areas"}


def _sentence(parts: list[str]) -> str:
    """Parts joined by semicolons as one sentence, its first letter capitalised."""
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def _bars_with_intervals(ax, x, sub: pd.DataFrame, width, colour, label):
    est = sub["estimate"].to_numpy(dtype=float) * 100
    err = np.vstack([est - sub["lower"].to_numpy(float) * 100,
                     sub["upper"].to_numpy(float) * 100 - est])
    ax.bar(x, est, width, yerr=err, capsize=4, color=colour, label=label,
           error_kw={"ecolor": TEXT_GREY, "elinewidth": 1})


def takeup_chart(takeup: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of take-up by wave (x) and group (colour) with 95% interval bars.

    ``takeup``: the output of :func:`wfscc.analysis.takeup` (``wave``, ``group``, ``estimate``,
    ``lower``, ``upper``); missing estimates (suppressed cells) are left out and said.
    """
    ax = new_axes(ax)
    groups = [g for g in ("pilot", "comparison") if g in set(takeup["group"])]
    waves = sorted(takeup["wave"].unique())
    width = 0.8 / max(len(groups), 1)
    parts, hidden = [], 0
    for gi, g in enumerate(groups):
        sub = takeup[takeup["group"] == g].set_index("wave").reindex(waves)
        x = np.arange(len(waves)) + (gi - (len(groups) - 1) / 2) * width
        _bars_with_intervals(ax, x, sub, width, PALETTE[gi], g.capitalize())
        for w, r in sub.iterrows():
            if pd.notna(r["estimate"]):
                parts.append(f"{g} areas wave {w}: {pct(r['estimate'])} "
                             f"(95 per cent interval {hs.interval(r['lower'], r['upper'])})")
            else:
                hidden += 1
    ax.set_xticks(np.arange(len(waves)), [f"Wave {w}" for w in waves])
    ax.set_ylabel("Per cent of centre users")
    legend_below(ax, len(groups), offset=-0.1)
    ax.set_title("Use of Jobcentre Plus services at the centre")
    text = ("Bar chart of the share of children's centre users who used Jobcentre Plus services "
            "at the centre, by survey wave and group. " + _sentence(parts))
    if hidden:
        text += " Figures resting on too few respondents are not shown."
    return set_alt(ax, text)


def referrals_chart(quarterly: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of referrals per quarter, one colour per direction.

    ``quarterly``: :func:`wfscc.analysis.referrals_by_quarter` (``quarter``, ``direction``,
    ``referrals``); missing counts (suppressed cells) are left out.
    """
    from ..analysis.partnership import DIRECTIONS

    ax = new_axes(ax, size=(9, 4.5))
    labels = {"jcp_to_centre": "Jobcentre Plus to centre",
              "centre_to_jcp": "Centre to Jobcentre Plus"}
    quarters = sorted(quarterly["quarter"].unique())
    x = np.arange(len(quarters))
    for i, d in enumerate(DIRECTIONS):
        sub = quarterly[quarterly["direction"] == d].set_index("quarter").reindex(quarters)
        ax.bar(x + (i - 0.5) * 0.4, sub["referrals"].to_numpy(dtype=float), 0.4,
               color=PALETTE[i], label=labels[d])
    ax.set_xticks(x, quarters, rotation=45, ha="right")
    ax.set_ylabel("Referrals")
    ax.legend()
    ax.set_title("Referrals between Jobcentre Plus and children's centres")
    totals = quarterly.groupby("quarter")["referrals"].sum(min_count=1).reindex(quarters)
    whole = quarterly.groupby("quarter")["referrals"].count().reindex(quarters) == len(DIRECTIONS)
    shown = [q for q in quarters if whole[q]]
    text = "Bar chart of referrals per quarter in each direction"
    if len(quarters):
        text += f", from {quarters[0]} to {quarters[-1]}."
    else:
        text += "."
    if len(shown) >= 2:
        a, b = int(totals[shown[0]]), int(totals[shown[-1]])
        verb = "rose" if b > a else "fell" if b < a else "stayed"
        text += (f" Referrals in both directions together {verb} from {hs.count(a)} in "
                 f"{shown[0]} to {hs.count(b)} in {shown[-1]}.")
    if quarterly["referrals"].isna().any():
        text += " Quarters with small numbers are not shown."
    return set_alt(ax, text)


def composition_chart(shares: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Grouped horizontal bars: the share of starts in each engagement measure, for each area.

    ``shares``: long frame ``area`` (label, in the order to draw, e.g. "All pilot areas" first),
    ``measure`` (keys of :data:`wfscc.analysis.MEASURES`), ``estimate`` (proportion; missing
    where suppressed).
    """
    from ..analysis import MEASURES

    areas = list(dict.fromkeys(shares["area"]))
    ax = new_axes(ax, size=(8, 1.2 + 0.5 * len(areas)))
    measures = [m for m in MEASURES if m in set(shares["measure"])]
    width = 0.8 / max(len(measures), 1)
    y = np.arange(len(areas))
    wide = shares.pivot(index="area", columns="measure", values="estimate").reindex(areas)
    for i, m in enumerate(measures):
        ax.barh(y + (i - (len(measures) - 1) / 2) * width,
                wide[m].to_numpy(dtype=float) * 100, width, color=PALETTE[i],
                label=cap(MEASURES[m]))
    ax.set_yticks(y, areas)
    ax.invert_yaxis()
    ax.set_xlabel("Per cent of starts")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=1, frameon=False)
    ax.set_title("Who the pilot reached, nationally and by area", pad=95)
    first = areas[0] if areas else ""
    parts = []
    for m in measures:
        col = wide[m].iloc[1:].dropna()
        part = MEASURES[m]
        if pd.notna(wide.loc[first, m]):
            part += f": {pct(wide.loc[first, m])} across {first[:1].lower() + first[1:]}"
        if len(col):
            part += f", from {pct(col.min())} to {pct(col.max())} in single areas"
        parts.append(part)
    text = ("Bar chart of the share of pilot starts who were lone parents on benefit, "
            "non-traditional customers and potential second earners, for all pilot areas and "
            "each area. " + _sentence(parts))
    if wide.isna().to_numpy().any():
        text += " Shares resting on too few starts are not shown."
    return set_alt(ax, text)


def priority_chart(delivery: pd.DataFrame, labels: dict[str, str], ax: Axes | None = None, *,
                   words: dict[str, str] | None = None) -> Axes:
    """Heatmap of each LA's priority ranking (1 = highest) of the core elements.

    ``delivery``: ``la_code``, ``element``, ``priority``; ``labels``: element -> short label,
    in the order of the columns; ``words``: element -> its name inside a sentence, for the alt
    text (default: the label).
    """
    words = words or labels
    wide = delivery.pivot(index="la_code", columns="element", values="priority")
    wide = wide.reindex(columns=[e for e in labels if e in wide.columns]).sort_index()
    ax = new_axes(ax, size=(8, 1.5 + 0.4 * len(wide)))
    n_ranks = int(np.nanmax(wide.to_numpy(dtype=float))) if wide.size else 1
    colours = (SEQUENTIAL * math.ceil(n_ranks / len(SEQUENTIAL)))[:n_ranks]
    from matplotlib.colors import BoundaryNorm, ListedColormap

    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(0.5, n_ranks + 1.5), n_ranks)
    values = wide.to_numpy(dtype=float)
    # A mesh of vector cells, not `imshow`: an SVG must carry no raster image (the privacy
    # guard refuses images it cannot read).
    ax.pcolormesh(np.arange(values.shape[1] + 1) - 0.5, np.arange(values.shape[0] + 1) - 0.5,
                  values, cmap=cmap, norm=norm)
    ax.set_xlim(-0.5, values.shape[1] - 0.5)
    ax.set_ylim(values.shape[0] - 0.5, -0.5)
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=10,
                    color="white" if v <= (n_ranks + 1) / 2 else "black")
    ax.set_xticks(np.arange(wide.shape[1]), [labels[e] for e in wide.columns],
                  rotation=20, ha="right")
    ax.set_yticks(np.arange(len(wide)), list(wide.index))
    ax.grid(False)
    ax.set_title("Priority given to each core element (1 = highest)")
    firsts = (wide == 1).sum()
    order = sorted(wide.columns, key=lambda e: (-int(firsts[e]), list(labels).index(e)))
    parts = [f"{words[e]} in {hs.count(int(firsts[e]))}" for e in order if firsts[e]]
    text = (f"Grid of the priority each of the {hs.count(len(wide))} pilot areas gave to the "
            f"{hs.count(wide.shape[1])} core elements, from 1 (highest) to {n_ranks}, one row "
            "per area. Areas ranking each element first: " + "; ".join(parts) + ".")
    return set_alt(ax, text)


def attitudes_chart(attitudes: pd.DataFrame, group: str = "pilot", ax: Axes | None = None) -> Axes:
    """Bars of the share scoring 4 or 5 on each attitude, by survey wave, with intervals.

    ``attitudes``: :func:`wfscc.analysis.attitudes` (``measure``, ``wave``, ``group``,
    ``estimate``, ``lower``, ``upper``); only ``group`` is drawn.
    """
    from ..analysis import ATTITUDES

    ax = new_axes(ax)
    att = attitudes[attitudes["group"] == group] if "group" in attitudes else attitudes
    measures = [m for m in ATTITUDES if m in set(att["measure"])]
    waves = sorted(att["wave"].unique())
    width = 0.8 / max(len(waves), 1)
    x = np.arange(len(measures))
    for i, w in enumerate(waves):
        sub = att[att["wave"] == w].set_index("measure").reindex(measures)
        _bars_with_intervals(ax, x + (i - (len(waves) - 1) / 2) * width, sub, width,
                             PALETTE[i], f"Wave {w}")
    ax.set_xticks(x, [m.capitalize() for m in measures])
    ax.set_ylabel("Per cent scoring 4 or 5")
    legend_below(ax, len(waves), offset=-0.1)
    where = _GROUP_WORDS.get(group, group)
    ax.set_title(f"Confidence, aspiration and awareness of work in {where}")
    parts, hidden = [], False
    for m in measures:
        sub = att[att["measure"] == m].set_index("wave")
        said = [f"{pct(sub.loc[w, 'estimate'])} at wave {w}" for w in waves
                if w in sub.index and pd.notna(sub.loc[w, "estimate"])]
        hidden |= len(said) < len(waves)
        if said:
            parts.append(f"{m}: " + " and ".join(said))
    text = (f"Bar chart of the share of centre users in {where} scoring 4 or 5 out of 5 on "
            "confidence, aspiration and awareness of work, by survey wave, with 95 per cent "
            "intervals. " + _sentence(parts))
    if hidden:
        text += " Figures resting on too few respondents are not shown."
    return set_alt(ax, text)


def bedding_in_chart(quarterly: pd.DataFrame, steady: pd.DataFrame, *, ncols: int = 2):
    """Small multiples, one panel per LA: starts per quarter (bars), and a dashed line at the
    month the LA reached a steady level of starts.

    ``quarterly``: ``la_code``, ``quarter_start`` (first day), ``starts`` (missing where
    suppressed). ``steady``: ``la_code``, ``steady_month`` (NaT if never reached). Returns the
    array of Axes (alt text on each and on the figure).
    """
    style()
    las = sorted(quarterly["la_code"].unique())
    nrows = max(math.ceil(len(las) / ncols), 1)
    # Common scales set by hand: shared axes cost time quadratic in the number of panels.
    fig, axes = plt.subplots(nrows, ncols, figsize=(8, 1.9 * nrows + 0.6), squeeze=False)
    month = steady.set_index("la_code")["steady_month"]
    starts = pd.to_datetime(quarterly["quarter_start"])
    xlim = (mdates.date2num(starts.min() - pd.Timedelta(days=15)),
            mdates.date2num(starts.max() + pd.Timedelta(days=105)))
    top = float(np.nanmax(quarterly["starts"].to_numpy(dtype=float), initial=0.0))
    ylim = (0.0, max(top, 1.0) * 1.05)
    hidden = 0
    for ax, la in zip(axes.flat, las, strict=False):
        sub = quarterly[quarterly["la_code"] == la].sort_values("quarter_start")
        centres = pd.to_datetime(sub["quarter_start"]) + pd.Timedelta(days=45)
        ax.bar(centres, sub["starts"].to_numpy(dtype=float), width=80, color=PALETTE[0])
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_autoscale_on(False)
        hidden += int(sub["starts"].isna().sum())
        m = month.get(la, pd.NaT)
        if pd.notna(m):
            ax.axvline(pd.Timestamp(m), color=PALETTE[3], linestyle="--", linewidth=1.5)
        ax.set_title(la, fontsize=10, loc="left")
    for i, ax in enumerate(axes.flat):
        if i + ncols < len(las):  # only the lowest panel of each column labels the years
            ax.tick_params(labelbottom=False)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.tick_params(labelsize=9)
    for ax in list(axes.flat)[len(las):]:
        ax.set_visible(False)
    fig.supylabel("Starts per quarter", fontsize=10)
    fig.suptitle("Starts per quarter in each pilot area; dashed line: month a steady level "
                 "was reached", fontsize=11)
    reached = [(la, month.get(la, pd.NaT)) for la in las]
    parts = [f"{la} in {hs.month_year(m)}" for la, m in reached if pd.notna(m)]
    never = [la for la, m in reached if pd.isna(m)]
    text = (f"Bar charts of pilot starts per quarter, one panel for each of the "
            f"{hs.count(len(las))} pilot areas, with a dashed line at the month each area "
            "reached a steady level of starts: " + "; ".join(parts) + ".")
    if never:
        text += f" Not reached in {', '.join(never)}."
    if hidden:
        text += " Quarters with small numbers are not shown."
    for ax in axes.flat:
        set_alt(ax, text)
    return axes
