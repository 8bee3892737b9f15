"""Charts of the pilot as a whole, for the report's chapters and the summary.

No chart carries a title inside the image: the caption (:data:`wfscc.outputs.figures.CAPTIONS`) is
its one title. Colours follow :mod:`wfscc.contract.style`: groups and waves keep their two colours
everywhere, a chart of pilot data alone is drawn in the pilot colour, and suppressed values are
marked ``[c]``.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap

from ... import housestyle as hs
from ...analysis import ATTITUDES, MEASURES
from ...contract import DIRECTIONS, GROUPS
from ...contract import style as st
from .._areas import a_row_each
from ._base import (
    FONT,
    SEQUENTIAL,
    bars,
    intervals,
    legend_above,
    mark_suppressed,
    new_axes,
    pct,
    set_alt,
    style,
)
from ._many import composition_bands, priority_counts
from ._seaborn import seaborn

_GROUP_WORDS = {g: label.lower() for g, label in st.GROUP_LABELS.items()}


def _sentence(parts: list[str]) -> str:
    """Parts joined by semicolons as one sentence, its first letter capitalised."""
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def _percent_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in ("estimate", "lower", "upper"):
        if c in out:
            out[c] = out[c].astype(float) * 100
    return out


def _bars_and_intervals(ax, frame, cat, hue, order, hue_order, colours, horizontal=False):
    """Seaborn bars of ``estimate`` (per cent) with the frame's own intervals and ``[c]``."""
    drawn = bars(ax, frame, cat, hue, "estimate", order=order, hue_order=hue_order,
                 colours=colours, horizontal=horizontal)
    rows = frame.set_index([cat, hue])
    keys = [k for k in drawn if k in rows.index]
    if {"lower", "upper"} <= set(frame.columns):
        intervals(ax, [drawn[k][0] for k in keys], [rows.loc[k, "estimate"] for k in keys],
                  [rows.loc[k, "lower"] for k in keys], [rows.loc[k, "upper"] for k in keys],
                  horizontal=horizontal)
    hidden = 0
    for k, (centre, _) in drawn.items():
        if k not in rows.index or pd.isna(rows.loc[k, "estimate"]):
            mark_suppressed(ax, centre, horizontal=horizontal)
            hidden += 1
    return hidden


def takeup_chart(takeup: pd.DataFrame, ax: Axes | None = None, *, size=None) -> Axes:
    """Bars of take-up by wave (x) and group (colour) with the survey's 95% intervals.

    ``takeup``: the output of :func:`wfscc.analysis.takeup` (``wave``, ``group``, ``estimate``,
    ``lower``, ``upper``); missing estimates (suppressed cells) are marked ``[c]`` and said.
    """
    ax = new_axes(ax, size)
    groups = [g for g in GROUPS if g in set(takeup["group"])]
    waves = sorted(takeup["wave"].unique())
    frame = _percent_frame(takeup).assign(
        wave_label=lambda d: d["wave"].map(st.wave_label),
        group_label=lambda d: d["group"].map(st.GROUP_LABELS))
    colours = {st.GROUP_LABELS[g]: st.GROUP_COLOURS[g] for g in groups}
    _bars_and_intervals(ax, frame, "wave_label", "group_label", [st.wave_label(w) for w in waves],
                        list(colours), colours)
    parts, hidden = [], 0
    for g in groups:
        sub = takeup[takeup["group"] == g].set_index("wave").reindex(waves)
        for w, r in sub.iterrows():
            if pd.notna(r["estimate"]):
                parts.append(f"{g} areas {st.wave_words(w)}: {pct(r['estimate'])} "
                             f"(95 per cent interval {hs.interval(r['lower'], r['upper'])})")
            else:
                hidden += 1
    ax.set_xlabel("Survey wave")
    ax.set_ylabel("Per cent of centre users")
    legend_above(ax, colours)
    text = ("Bar chart of the share of children's centre users who used Jobcentre Plus services "
            "at the centre, by survey wave and group. " + _sentence(parts))
    if hidden:
        text += " Figures resting on too few respondents are not shown and are marked [c]."
    return set_alt(ax, text)


def _panels(ax: Axes | None, n: int, size) -> list[Axes]:
    """``n`` panels side by side sharing the value axis: in place of ``ax`` when given, else
    in a new figure of ``size`` inches."""
    if ax is None:
        style()
        fig, axes = plt.subplots(1, n, figsize=size, squeeze=False)
        return list(axes[0])
    fig, spec = ax.figure, ax.get_subplotspec().subgridspec(1, n)
    ax.remove()
    return [fig.add_subplot(spec[0, i]) for i in range(n)]


def _panel_bars(ax, labels, values, *, horizontal, colour):
    """One panel of single-colour seaborn bars; ``[c]`` where a value is missing."""
    frame = pd.DataFrame({"cat": labels, "hue": "all", "estimate": values})
    return _bars_and_intervals(ax, frame, "cat", "hue", list(labels), ["all"], {"all": colour},
                               horizontal=horizontal)


def referrals_chart(quarterly: pd.DataFrame, ax: Axes | None = None, *, size=None) -> Axes:
    """Bars of referrals per quarter, one panel per direction, in the pilot colour.

    ``quarterly``: :func:`wfscc.analysis.referrals_by_quarter` (``quarter``, ``direction``,
    ``referrals``); missing counts (suppressed cells) are marked ``[c]``. Returns the first
    panel (the alt text is on each panel and on the figure).
    """
    panels = _panels(ax, len(DIRECTIONS), size or (st.PRINT_WIDTH_IN, 3.4))
    quarters = sorted(quarterly["quarter"].unique())
    top = float(np.nanmax(quarterly["referrals"].to_numpy(dtype=float), initial=1.0))
    for i, (pax, d) in enumerate(zip(panels, DIRECTIONS, strict=True)):
        sub = quarterly[quarterly["direction"] == d].set_index("quarter").reindex(quarters)
        _panel_bars(pax, quarters, sub["referrals"].to_numpy(dtype=float), horizontal=False,
                    colour=st.GROUP_COLOURS["pilot"])
        pax.set_title(st.VALUE_LABELS[d], loc="left")
        pax.set_ylim(0, top * 1.08)
        pax.set_xlabel("Quarter")
        pax.set_ylabel("Referrals (number)" if i == 0 else "")
        pax.tick_params(axis="x", labelrotation=90)
        if i:
            pax.tick_params(labelleft=False)
    totals = quarterly.groupby("quarter")["referrals"].sum(min_count=1).reindex(quarters)
    whole = quarterly.groupby("quarter")["referrals"].count().reindex(quarters) == len(DIRECTIONS)
    shown = [q for q in quarters if whole[q]]
    text = "Bar charts of referrals per quarter, one panel for each direction"
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
        text += " Quarters with small numbers are not shown and are marked [c]."
    for pax in panels:
        set_alt(pax, text)
    return panels[0]


def composition_chart(shares: pd.DataFrame, ax: Axes | None = None, *, size=None) -> Axes:
    """Horizontal bars of the share of starts in each engagement measure, one panel per
    measure, one bar per area: all pilot areas in the reference colour, each area in the
    pilot colour.

    ``shares``: long frame ``area`` (label, in the order to draw, e.g. "All pilot areas" first),
    ``measure`` (keys of :data:`wfscc.analysis.MEASURES`), ``estimate`` (proportion; missing
    where suppressed, marked ``[c]``). Returns the first panel. Beyond
    :data:`~._many.MAX_AREA_ROWS` areas, a histogram per measure of a fixed size instead
    (the number of areas in each band of 5 per cent, all pilot areas a dashed line).
    """
    areas = list(dict.fromkeys(shares["area"]))
    measures = [m for m in MEASURES if m in set(shares["measure"])]
    if not a_row_each(len(areas) - 1):
        return _composition_bands(shares, areas, measures, ax, size)
    panels = _panels(ax, len(measures), size or (st.PRINT_WIDTH_IN, 1.3 + 0.24 * len(areas)))
    wide = shares.pivot(index="area", columns="measure", values="estimate").reindex(areas)
    first = areas[0] if areas else ""
    colours = {a: (st.REFERENCE_COLOUR if a == first else st.GROUP_COLOURS["pilot"])
               for a in areas}
    narrow = panels[0].figure.get_size_inches()[0] < 4
    if narrow:
        panels[0].figure.supxlabel("Per cent of starts", fontsize=FONT["text"])
    for i, (pax, m) in enumerate(zip(panels, measures, strict=True)):
        frame = pd.DataFrame({"cat": areas, "hue": areas,
                              "estimate": wide[m].to_numpy(dtype=float) * 100})
        drawn = bars(pax, frame, "cat", "hue", "estimate", order=areas, hue_order=areas,
                     colours=colours, horizontal=True, dodge=False)
        for a in areas:
            if pd.isna(wide.loc[a, m]):
                mark_suppressed(pax, drawn[(a, a)][0], horizontal=True)
        pax.set_title(textwrap.fill(st.VALUE_LABELS[m], 11 if narrow else 16), loc="left",
                      fontsize=FONT["tick"])
        pax.set_xlim(0, 100)
        pax.set_xticks([0, 50, 100])
        pax.set_xlabel("" if narrow else "Per cent of starts")
        pax.set_ylabel("")
        if narrow:  # one column of the summary: wrapped labels, one axis title
            pax.set_yticks(pax.get_yticks(), [textwrap.fill(a, 10) for a in areas])
        pax.grid(axis="x", visible=True)
        pax.grid(axis="y", visible=False)
        if i:
            pax.tick_params(labelleft=False)
    text = ("Bar chart of the share of pilot starts who were lone parents on benefit, "
            "non-traditional customers and potential second earners, for all pilot areas and "
            "each area. " + _composition_ranges(wide, measures))
    if wide.isna().to_numpy().any():
        text += " Shares resting on too few starts are not shown and are marked [c]."
    for pax in panels:
        set_alt(pax, text)
    return panels[0]


def _composition_ranges(wide: pd.DataFrame, measures: list) -> str:
    """Each measure's share across all pilot areas (the first row) and its range over the
    single areas, as a sentence."""
    first = wide.index[0] if len(wide) else ""
    parts = []
    for m in measures:
        col = wide[m].iloc[1:].dropna()
        part = MEASURES[m]
        if pd.notna(wide.loc[first, m]):
            part += f": {pct(wide.loc[first, m])} across {first[:1].lower() + first[1:]}"
        if len(col):
            part += f", from {pct(col.min())} to {pct(col.max())} in single areas"
        parts.append(part)
    return _sentence(parts)


def _composition_bands(shares, areas, measures, ax, size) -> Axes:
    """:func:`composition_chart` beyond :data:`~._many.MAX_AREA_ROWS` areas: a histogram
    per measure of a fixed size (:func:`._many.composition_bands`)."""
    panels = _panels(ax, len(measures), size or (st.PRINT_WIDTH_IN, 3.4))
    wide = shares.pivot(index="area", columns="measure", values="estimate").reindex(areas)
    narrow = panels[0].figure.get_size_inches()[0] < 4
    withheld = composition_bands(panels, wide, measures, narrow)
    for pax, m in zip(panels, measures, strict=True):
        pax.set_title(textwrap.fill(st.VALUE_LABELS[m], 11 if narrow else 16), loc="left",
                      fontsize=FONT["tick"])
    text = (f"Histograms of the share of pilot starts who were lone parents on benefit, "
            f"non-traditional customers and potential second earners in each of the "
            f"{hs.count(len(areas) - 1)} pilot areas, one panel per measure: the number of "
            "areas in each band of 5 per cent, with all pilot areas as a dashed line. "
            + _composition_ranges(wide, measures))
    if any(withheld.values()):
        text += (f" Shares resting on too few starts are not shown (at most "
                 f"{hs.count(max(withheld.values()))} areas in a panel).")
    for pax in panels:
        set_alt(pax, text)
    return panels[0]


def priority_chart(delivery: pd.DataFrame, labels: dict[str, str], ax: Axes | None = None, *,
                   words: dict[str, str] | None = None, size=None) -> Axes:
    """Heat map (seaborn) of each LA's priority ranking (1 = highest) of the core elements,
    the rank written in each cell and a colour key beside it.

    ``delivery``: ``la_code``, ``element``, ``priority``; ``labels``: element -> short label,
    in the order of the columns; ``words``: element -> its name inside a sentence, for the alt
    text (default: the label). Beyond :data:`~._many.MAX_AREA_ROWS` areas, one row per rank
    instead, the number of areas giving each element each rank in its cell (a fixed size).
    """
    words = words or labels
    wide = delivery.pivot(index="la_code", columns="element", values="priority")
    wide = wide.reindex(columns=[e for e in labels if e in wide.columns]).sort_index()
    if not a_row_each(len(wide)):
        return _priority_counts(wide, labels, words, ax, size)
    ax = new_axes(ax, size or (st.PRINT_WIDTH_IN, 1.6 + 0.3 * len(wide)))
    n_ranks = int(np.nanmax(wide.to_numpy(dtype=float))) if wide.size else 1
    colours = (SEQUENTIAL * math.ceil(n_ranks / len(SEQUENTIAL)))[:n_ranks]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(0.5, n_ranks + 1.5), n_ranks)
    values = wide.to_numpy(dtype=float)
    shown = pd.DataFrame(values, index=list(wide.index),
                         columns=[labels[e] for e in wide.columns])
    # seaborn draws a mesh of vector cells (no raster image: the privacy guard refuses images
    # it cannot read)
    sns = seaborn()  # imported on first use (._seaborn)

    sns.heatmap(shown, ax=ax, cmap=cmap, norm=norm, annot=False, linewidths=1,
                linecolor="white", cbar=True,
                cbar_kws={"ticks": list(range(1, n_ranks + 1)), "label": "Priority rank",
                          "shrink": 0.9})
    for (i, j), v in np.ndenumerate(values):
        text = str(int(v)) if not np.isnan(v) else st.SUPPRESSED_MARK
        ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=FONT["mark"],
                color="white" if not np.isnan(v) and v <= (n_ranks + 1) / 2 else "black")
    cbar = ax.collections[0].colorbar
    cbar.ax.set_yticklabels([f"{r} (highest)" if r == 1 else f"{r} (lowest)" if r == n_ranks
                             else str(r) for r in range(1, n_ranks + 1)])
    cbar.ax.invert_yaxis()
    cbar.ax.tick_params(labelsize=FONT["tick"])
    ax.set_xticks(np.arange(wide.shape[1]) + 0.5, [labels[e] for e in wide.columns],
                  rotation=20, ha="right")
    ax.set_yticks(np.arange(len(wide)) + 0.5, list(wide.index), rotation=0)
    ax.set_xlabel("Core element")
    ax.set_ylabel("Pilot area")
    ax.grid(False)
    text = (f"Grid of the priority each of the {hs.count(len(wide))} pilot areas gave to the "
            f"{hs.count(wide.shape[1])} core elements, from 1 (highest) to {n_ranks}, one row "
            "per area. " + _firsts(wide, labels, words))
    return set_alt(ax, text)


def _firsts(wide: pd.DataFrame, labels: dict, words: dict) -> str:
    """How many areas ranked each element first, most first, as a sentence."""
    firsts = (wide == 1).sum()
    order = sorted(wide.columns, key=lambda e: (-int(firsts[e]), list(labels).index(e)))
    parts = [f"{words[e]} in {hs.count(int(firsts[e]))}" for e in order if firsts[e]]
    return "Areas ranking each element first: " + "; ".join(parts) + "."


def _priority_counts(wide, labels, words, ax, size) -> Axes:
    """:func:`priority_chart` beyond :data:`~._many.MAX_AREA_ROWS` areas: one row per rank,
    the number of areas in each cell (:func:`._many.priority_counts`), of a fixed size."""
    n = len([e for e in labels if e in wide.columns])
    ax = new_axes(ax, size or (st.PRINT_WIDTH_IN, 1.6 + 0.3 * max(n, 1)))
    n_ranks = priority_counts(ax, wide, labels)
    text = (f"Grid of how many of the {hs.count(len(wide))} pilot areas gave each of the "
            f"{hs.count(wide.shape[1])} core elements each priority, from 1 (highest) to "
            f"{n_ranks}, one row per rank, the number of areas written in each cell. "
            + _firsts(wide, labels, words))
    return set_alt(ax, text)


def attitudes_chart(attitudes: pd.DataFrame, group: str = "pilot", ax: Axes | None = None, *,
                    size=None) -> Axes:
    """Bars of the share scoring 4 or 5 on each attitude, by survey wave (the wave colours),
    with the survey's 95% intervals.

    ``attitudes``: :func:`wfscc.analysis.attitudes` (``measure``, ``wave``, ``group``,
    ``estimate``, ``lower``, ``upper``); only ``group`` is drawn.
    """
    ax = new_axes(ax, size)
    att = attitudes[attitudes["group"] == group] if "group" in attitudes else attitudes
    measures = [m for m in ATTITUDES if m in set(att["measure"])]
    waves = sorted(att["wave"].unique())
    colours = {st.wave_label(w): st.WAVE_COLOURS[int(w)] for w in waves}
    frame = _percent_frame(att).assign(
        measure_label=lambda d: d["measure"].map(st.VALUE_LABELS),
        wave_label=lambda d: d["wave"].map(st.wave_label))
    _bars_and_intervals(ax, frame, "measure_label", "wave_label",
                        [st.VALUE_LABELS[m] for m in measures], list(colours), colours)
    ax.set_xlabel("Measure")
    ax.set_ylabel("Per cent scoring 4 or 5")
    legend_above(ax, colours)
    where = _GROUP_WORDS.get(group, group)
    parts, hidden = [], False
    for m in measures:
        sub = att[att["measure"] == m].set_index("wave")
        said = [f"{pct(sub.loc[w, 'estimate'])} at {st.wave_words(w)}" for w in waves
                if w in sub.index and pd.notna(sub.loc[w, "estimate"])]
        hidden |= len(said) < len(waves)
        if said:
            parts.append(f"{m}: " + " and ".join(said))
    text = (f"Bar chart of the share of centre users in {where} scoring 4 or 5 out of 5 on "
            "confidence, aspiration and awareness of work, by survey wave, with 95 per cent "
            "intervals. " + _sentence(parts))
    if hidden:
        text += " Figures resting on too few respondents are not shown and are marked [c]."
    return set_alt(ax, text)
