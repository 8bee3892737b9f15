"""Drawing a report chart with Matplotlib: imported by :mod:`wfscc.outputs.figures` only when
a chart is not in the build's store, so a rebuild whose charts are all kept does not load
Matplotlib (0.45 to 0.7 s to import, ``python -X importtime``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from . import charts


def draw(plot: tuple, size=None):
    """Draw ``plot`` (:data:`wfscc.outputs.figures.Plot`) with its :mod:`wfscc.outputs.charts`
    helper (at ``size`` inches, default the report's printed width); return the Axes."""
    name, *args = plot
    kw = {} if size is None else {"size": size}
    if name == "priority_chart":
        delivery, labels, words = args
        return charts.priority_chart(delivery, labels, words=words, **kw)
    ax = getattr(charts, name)(*args, **kw)
    return ax[0, 0] if name == "bedding_in_chart" else ax


def style() -> None:
    """The house chart style (:func:`wfscc.outputs.charts.style`)."""
    charts.style()


def finish(ax, path: Path | None) -> tuple[str, bytes | None]:
    """The alt text of the chart drawn on ``ax`` and, saved as SVG to ``path`` when given, its
    bytes (None without a path); the figure is closed."""
    alt = charts.alt_text(ax)
    svg = None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        charts.save(ax, path)
        svg = path.read_bytes()
    plt.close(ax.figure)
    return alt, svg
