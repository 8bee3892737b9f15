"""Grouped bars of an aggregated frame drawn as seaborn's ``barplot`` draws them.

``sns.barplot(..., errorbar=None)`` on a frame that already holds one value per bar does no
statistics: per hue level it groups the frame, takes the mean of one value, converts units and
calls ``Axes.bar``, a tenth of a second a level here. :func:`dodged_bars` makes the same
Matplotlib calls (categorical axis units, bar geometry, colours, limits, axis labels) directly,
so the picture, and the SVG, is the one seaborn draws (``tests/outputs/test_charts.py``
compares them byte for byte).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

#: seaborn's default bar width, as ``barplot(width=0.8)``.
WIDTH = 0.8


def dodged_bars(ax: Axes, values: np.ndarray, cat: str, value: str, order: list,
                hue_order: list, colours: dict, horizontal: bool) -> list[list]:
    """Bars of ``values`` (``len(hue_order)`` x ``len(order)``, zero where missing) side by
    side within each category, as ``sns.barplot(x=cat, y=value, hue=..., dodge=True,
    saturation=1, legend=False)``; the patches of each level, in category order."""
    every = np.arange(len(order), dtype=float)
    levels = [(colours[level], every, values[j]) for j, level in enumerate(hue_order)]
    return seaborn_bars(ax, levels, cat, value, order, horizontal, dodge=True)


def seaborn_bars(ax: Axes, levels: list, cat: str, value: str, order: list, horizontal: bool,
                 *, dodge: bool) -> list[list]:
    """The Matplotlib calls of ``sns.barplot(..., errorbar=None, saturation=1, legend=False)``
    for ``levels``, one ``(colour, positions, values)`` per hue level in order (``positions``:
    the indices in ``order`` of the level's bars, ascending); the patches of each level.
    Nothing is drawn for no categories or no levels (seaborn draws nothing for an empty
    frame)."""
    if not len(order) or not len(levels):
        return [[] for _ in levels]
    cat_axis = ax.yaxis if horizontal else ax.xaxis
    cat_axis.update_units([str(c) for c in order])  # categorical: ticks 0..n-1, `order`
    if horizontal:
        ax.yaxis.set_inverted(True)
    n = len(levels) if dodge else 1
    drawn = []
    for j, (colour, positions, heights) in enumerate(levels):
        width = np.full(len(positions), WIDTH * 1) / n  # seaborn's arithmetic, step by step
        centre = positions
        if dodge:
            full = width * n
            centre = positions + (width * j + width / 2 - full / 2)
        half = width / 2
        edge = centre - half
        width = (centre + half) - edge
        if horizontal:
            bar = ax.barh(y=edge, width=heights, height=width, align="edge", color=colour,
                          facecolor=colour)
        else:
            bar = ax.bar(x=edge, height=heights, width=width, align="edge", color=colour,
                         facecolor=colour)
        drawn.append(list(bar.patches))
    x_name, y_name = (value, cat) if horizontal else (cat, value)
    if not ax.get_xlabel():  # seaborn names the axes after the columns, shown with the ticks
        ax.set_xlabel(x_name, visible=any(t.get_visible() for t in ax.get_xticklabels()))
    if not ax.get_ylabel():
        ax.set_ylabel(y_name, visible=any(t.get_visible() for t in ax.get_yticklabels()))
    ticks = len(ax.get_yticks() if horizontal else ax.get_xticks())
    cat_axis.grid(False)
    if horizontal:
        ax.set_ylim(ticks - .5, -.5, auto=None)
    else:
        ax.set_xlim(-.5, ticks - .5, auto=None)
    return drawn
