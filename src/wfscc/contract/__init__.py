"""The project's contract: the one place that defines the fixed choices every stage shares.

* :mod:`wfscc.contract.tables`: the tables, their columns, the code lists and their labels in
  each context, the pilot's dates and the limits on names and text (docs/contracts.md);
* :mod:`wfscc.contract.build`: the default disclosure threshold, the render engines and notebook
  executors, the file names of the publish marker and the cache;
* :mod:`wfscc.contract.style`: the house style's choices (colours, labels, wave labels, the
  ``[c]`` wording, printed sizes).

The public names are re-exported here: import them from ``wfscc.contract``. The module imports
nothing of wfscc but :mod:`wfscc.housestyle` (no layer below it), so every layer may import it.
"""

from . import tables
from ._cells import TABLE_CELLS, cell_facts, cell_text
from .build import CACHE_DIRNAME, DEFAULT_THRESHOLD, ENGINES, EXECUTORS, PUBLISH_MARKER
from .style import (
    COLUMN_LABELS,
    GRID_COLOUR,
    GROUP_COLOURS,
    GROUP_LABELS,
    MIN_FONT_PT,
    PRINT_WIDTH_IN,
    REFERENCE_COLOUR,
    SEQUENTIAL,
    SOURCES,
    SUMMARY_WIDTH_IN,
    SUPPRESSED_MARK,
    TEXT_COLOUR,
    VALUE_LABELS,
    WAVE_COLOURS,
    WAVE_LABELS,
    base_line,
    column_label,
    error_bar_note,
    meaning_of_colour,
    source_line,
    suppressed_note,
    wave_label,
    wave_words,
)
from .tables import *  # noqa: F403

__all__ = [
    *tables.__all__,
    "CACHE_DIRNAME",
    "DEFAULT_THRESHOLD",
    "ENGINES",
    "EXECUTORS",
    "PUBLISH_MARKER",
    "TABLE_CELLS",
    "cell_facts",
    "cell_text",
    "COLUMN_LABELS",
    "GRID_COLOUR",
    "GROUP_COLOURS",
    "GROUP_LABELS",
    "MIN_FONT_PT",
    "PRINT_WIDTH_IN",
    "REFERENCE_COLOUR",
    "SEQUENTIAL",
    "SOURCES",
    "SUMMARY_WIDTH_IN",
    "SUPPRESSED_MARK",
    "TEXT_COLOUR",
    "VALUE_LABELS",
    "WAVE_COLOURS",
    "WAVE_LABELS",
    "base_line",
    "column_label",
    "error_bar_note",
    "meaning_of_colour",
    "source_line",
    "suppressed_note",
    "wave_label",
    "wave_words",
]
