"""A line of one value per ``x`` drawn as seaborn's ``lineplot`` draws it.

``sns.lineplot(x=..., y=..., errorbar=None)`` on one value per ``x`` does no statistics: it
drops the missing points (the line joins their neighbours), sorts by ``x``, takes the mean of
one value and calls ``Axes.plot``. :func:`line` makes the same Matplotlib calls, so the SVG is
the one seaborn draws (``tests/outputs/test_charts_without_seaborn.py`` compares them byte for
byte), and the profile charts do not import seaborn, which imports SciPy's statistics (0.7 to
0.8 CPU-seconds in each notebook kernel).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes


def line(ax: Axes, x, y, *, color: str, label: str, linestyle: str = "-") -> Axes:
    """``sns.lineplot(x=x, y=y, color=color, linestyle=linestyle, label=label,
    errorbar=None, ax=ax)`` for at most one ``y`` per ``x``."""
    data = pd.DataFrame({"x": np.asarray(x), "y": np.asarray(y, dtype=float)})
    data = data.dropna().sort_values(["x", "y"], kind="mergesort")
    ax.plot(
        data["x"].to_numpy(), data["y"].to_numpy(), color=color, linestyle=linestyle, label=label
    )
    x_name = getattr(x, "name", None)
    if not ax.get_xlabel():  # seaborn names the axes after their data, shown with the ticks
        ax.set_xlabel(
            "" if x_name is None else str(x_name),
            visible=any(t.get_visible() for t in ax.get_xticklabels()),
        )
    if not ax.get_ylabel():
        ax.set_ylabel("", visible=any(t.get_visible() for t in ax.get_yticklabels()))
    return ax
