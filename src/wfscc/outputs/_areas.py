"""How the report's area charts change form with the number of areas, without Matplotlib: the
charts (:mod:`.charts._many`) draw by it, and the figures (:mod:`.figures`) choose the caption of
the form drawn by it, even for a chart taken from the build's store."""

from __future__ import annotations

#: The most areas drawn with a row each (a priority grid of 20 rows is 7.6 inches tall);
#: beyond it the composition and priority charts become summaries of fixed size.
MAX_AREA_ROWS = 20


def a_row_each(n_areas: int) -> bool:
    """Whether the area charts draw a row for each of ``n_areas`` areas (else a summary)."""
    return n_areas <= MAX_AREA_ROWS
