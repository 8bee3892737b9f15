"""The project's contract: fixed choices every stage shares.

:mod:`wfscc.contract.style` holds the house style's choices (colours, labels, wave labels, the
``[c]`` wording, printed sizes); the public names are re-exported here.
"""

from ._cells import TABLE_CELLS, cell_facts, cell_text
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

__all__ = [
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
