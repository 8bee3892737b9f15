"""The report's area charts when there are too many areas for a row each.

Up to :data:`MAX_AREA_ROWS` areas, :func:`~._report.composition_chart` and
:func:`~._report.priority_chart` draw one row per area. Beyond that a row per area would make
the figure grow without bound (0.24 and 0.3 inches a row: about 240 and 300 inches at 1,000
areas), too small to read in print and heavy for the PDF, so each becomes a summary of fixed
size: the areas counted in bands. Their data table and alt text are unchanged in what they
cover (every area is in the table; the alt text gives the range over the areas).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb
from matplotlib.lines import Line2D

from ...contract import style as st
from .._areas import MAX_AREA_ROWS
from ._base import FONT

__all__ = ["BANDS", "MAX_AREA_ROWS", "composition_bands", "priority_counts", "text_on"]
#: The share bands of the composition histogram, in per cent (twenty bands of 5).
BANDS = np.arange(0.0, 101.0, 5.0)


#: A white edge round the dashed line, so it keeps its contrast where it crosses a bar.
_HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``colour``."""
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def text_on(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (at least 4.5:1 for any)."""
    lum = _luminance(colour)
    return "white" if (1.05) / (lum + 0.05) > (lum + 0.05) / 0.05 else "black"


def composition_bands(panels: list[Axes], wide: pd.DataFrame, measures: list, narrow: bool):
    """One histogram per measure: how many areas (``wide`` rows after the first, "All pilot
    areas") have a share (proportion) in each band of :data:`BANDS`, bars in the pilot
    colour, and all pilot areas as a dashed line in the reference colour (named in a key).
    Returns the number of areas with a withheld share, per measure."""
    first = wide.index[0]
    withheld = {}
    for i, (pax, m) in enumerate(zip(panels, measures, strict=True)):
        shares = wide[m].iloc[1:].to_numpy(dtype=float) * 100
        withheld[m] = int(np.isnan(shares).sum())
        counts, _ = np.histogram(shares[~np.isnan(shares)], bins=BANDS)
        pax.barh(
            BANDS[:-1],
            counts,
            height=np.diff(BANDS) * 0.9,
            align="edge",
            color=st.GROUP_COLOURS["pilot"],
        )
        if pd.notna(wide.loc[first, m]):
            pax.axhline(
                float(wide.loc[first, m]) * 100,
                color=st.REFERENCE_COLOUR,
                linestyle="--",
                linewidth=1.5,
                zorder=3,
                path_effects=_HALO,
            )
        pax.set_ylim(0, 100)
        pax.set_yticks([0, 25, 50, 75, 100])
        pax.set_xlim(0, max(int(counts.max(initial=0)), 1) * 1.1)
        pax.set_ylabel("Per cent of starts" if i == 0 else "")
        pax.set_xlabel("" if narrow else "Pilot areas (number)")
        pax.grid(axis="x", visible=True)
        pax.grid(axis="y", visible=False)
        if i:
            pax.tick_params(labelleft=False)
    fig = panels[0].figure
    if narrow:
        fig.supxlabel("Pilot areas (number)", fontsize=FONT["text"])
    fig.legend(
        handles=[
            Line2D(
                [], [], color=st.REFERENCE_COLOUR, linestyle="--", label=f"{first} (dashed line)"
            )
        ],
        loc="upper left",
        frameon=False,
        fontsize=FONT["tick"],
    )
    fig._wfscc_rect = (0, 0, 1, 1 - 0.3 / fig.get_size_inches()[1])  # room for the key
    return withheld


def priority_counts(ax: Axes, wide: pd.DataFrame, labels: dict[str, str]) -> int:
    """A grid of rank (rows, 1 at the top) by core element (columns): the number of areas
    giving the element the rank, written in each cell, on the sequential blues (darker for
    more areas) with a colour key. ``wide``: area x element priorities. Returns the number of
    ranks."""
    values = wide.to_numpy(dtype=float)
    n_ranks = int(np.nanmax(values)) if values.size and not np.isnan(values).all() else 1
    counts = np.array(
        [
            [int(np.sum(values[:, j] == r)) for j in range(values.shape[1])]
            for r in range(1, n_ranks + 1)
        ]
    )
    top = max(int(counts.max(initial=0)), 1)
    colours = list(reversed(st.SEQUENTIAL))  # lightest first: more areas, darker
    edges = np.unique(np.round(np.linspace(0, top, len(colours) + 1)))
    edges[-1] = top + 1  # the top count falls in the darkest band
    colours = colours[-(len(edges) - 1) :]
    cmap, norm = ListedColormap(colours), BoundaryNorm(edges, len(colours))
    # a mesh of vector cells (no raster image: the privacy guard refuses images it cannot read)
    mesh = ax.pcolormesh(counts, cmap=cmap, norm=norm, edgecolors="white", linewidth=1)
    for (i, j), c in np.ndenumerate(counts):
        ax.text(
            j + 0.5,
            i + 0.5,
            f"{c:,}",
            ha="center",
            va="center",
            fontsize=FONT["mark"],
            color=text_on(colours[int(np.searchsorted(edges, c, side="right")) - 1]),
        )
    cbar = ax.figure.colorbar(mesh, ax=ax, shrink=0.9, ticks=list(edges[:-1]) + [top])
    cbar.set_label("Pilot areas (number)")
    cbar.ax.tick_params(labelsize=FONT["tick"])
    cbar.ax.set_yticklabels([f"{int(e):,}" for e in list(edges[:-1]) + [top]])
    ax.set_xlim(0, counts.shape[1])
    ax.set_ylim(n_ranks, 0)  # rank 1 at the top
    ax.set_xticks(
        np.arange(wide.shape[1]) + 0.5, [labels[e] for e in wide.columns], rotation=20, ha="right"
    )
    ax.set_yticks(
        np.arange(n_ranks) + 0.5,
        [
            f"{r} (highest)" if r == 1 else f"{r} (lowest)" if r == n_ranks else str(r)
            for r in range(1, n_ranks + 1)
        ],
    )
    ax.set_xlabel("Core element")
    ax.set_ylabel("Priority rank")
    ax.grid(False)
    return n_ranks
