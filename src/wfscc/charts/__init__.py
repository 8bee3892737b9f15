"""Chart helpers in the Analysis Function style (``afcharts``), each carrying its alt text.

Convention: every helper takes a tidy frame from :mod:`wfscc.analysis` (or a protected table)
and ``ax=None``, draws on ``ax`` (a new figure if None) and **returns the Axes**
(:func:`bedding_in_chart`, a grid of small multiples, returns the array of Axes). The alt text is
attached to the Axes and read back with :func:`alt_text`; :func:`save` writes a figure with
stable metadata. Missing values (for example suppressed cells) are left out of the drawing and
the alt text says so. Matplotlib is switched to the non-interactive Agg backend on import.

Colours come from the afcharts categorical palette (dark blue ``#12436D``, turquoise
``#28A197``, dark pink ``#801650``, orange ``#F46A25``), which meets the contrast guidance
against white; rankings use the afcharts sequential blues.

Profiles (one LA against the pilot): :func:`monthly_starts_chart`, :func:`engagement_chart`.
Report (the pilot as a whole): :func:`takeup_chart`, :func:`referrals_chart`,
:func:`composition_chart`, :func:`priority_chart`, :func:`attitudes_chart`,
:func:`bedding_in_chart`.
"""

from ._base import PALETTE, SEQUENTIAL, alt_text, save, style
from ._profile import engagement_chart, monthly_starts_chart
from ._report import (
    attitudes_chart,
    bedding_in_chart,
    composition_chart,
    priority_chart,
    referrals_chart,
    takeup_chart,
)

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "alt_text",
    "attitudes_chart",
    "bedding_in_chart",
    "composition_chart",
    "engagement_chart",
    "monthly_starts_chart",
    "priority_chart",
    "referrals_chart",
    "save",
    "style",
    "takeup_chart",
]
