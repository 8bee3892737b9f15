"""Chart helpers in the Analysis Function style (``afcharts``), each carrying its alt text.

Convention: every helper takes a tidy frame from :mod:`wfscc.analysis` (or a protected table)
and ``ax=None``, draws on ``ax`` (a new figure if None) and **returns the Axes**
(:func:`bedding_in_chart`, a grid of small multiples or, for many areas, one heat map, returns
the array of Axes; :func:`composition_chart` and :func:`priority_chart` draw a row per area up
to 20 areas, beyond it a summary of fixed size, areas counted in bands). The alt text is
attached to the Axes and read back with :func:`alt_text`; :func:`save` writes a figure with
stable metadata. Missing values (suppressed cells) get no bar but a ``[c]`` mark, and the alt
text says so. Matplotlib is switched to the non-interactive Agg backend on import.

House style (``docs/style.md``): bars (as seaborn's ``barplot`` draws them, ``errorbar=None``)
and heat maps (seaborn, imported only where one is drawn: the profile charts of the notebook
kernels do without it) on the afcharts Matplotlib style (value gridlines, no chart box): error
bars are the analysis' own design-based intervals, drawn from the aggregated frame. No title
inside the image (the caption is the chart's one title); axis titles; keys above the plot
area. Colours come from :mod:`wfscc.contract.style` and mean one thing everywhere: pilot dark blue,
comparison orange, wave 1 turquoise, wave 2 dark pink, a benchmark dark grey; ranks use the
afcharts sequential blues with a colour key. Charts are drawn at the printed width
(``PRINT_WIDTH_IN``) so no text prints below ``MIN_FONT_PT``; :data:`FONT` gives the text
sizes in points.

Profiles (one LA against the pilot): :func:`monthly_starts_chart`, :func:`engagement_chart`.
Report (the pilot as a whole): :func:`takeup_chart`, :func:`referrals_chart`,
:func:`composition_chart`, :func:`priority_chart`, :func:`attitudes_chart`,
:func:`bedding_in_chart`.
"""

from ._base import FONT, PALETTE, SEQUENTIAL, alt_text, layout, save, style
from ._profile import engagement_chart, monthly_starts_chart
from ._report import (
    attitudes_chart,
    composition_chart,
    priority_chart,
    referrals_chart,
    takeup_chart,
)
from ._starts import bedding_in_chart

__all__ = [
    "FONT",
    "PALETTE",
    "SEQUENTIAL",
    "alt_text",
    "attitudes_chart",
    "bedding_in_chart",
    "composition_chart",
    "engagement_chart",
    "layout",
    "monthly_starts_chart",
    "priority_chart",
    "referrals_chart",
    "save",
    "style",
    "takeup_chart",
]
