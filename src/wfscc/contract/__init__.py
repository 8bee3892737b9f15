"""The project's contract: the one place that defines the fixed choices every stage shares.

* :mod:`wfscc.contract.tables`: the tables, their columns, the code lists and their labels in
  each context, the pilot's dates and the limits on names and text (docs/contracts.md);
* :mod:`wfscc.contract.build`: the default disclosure threshold, the render engines and notebook
  executors, the file names of the publish marker and the cache;
* :mod:`wfscc.contract.style`: the house style's choices (colours, labels, wave labels, the
  ``[c]`` wording, printed sizes);
* :mod:`wfscc.contract.method`: the method's fixed rules (the bedding-in rule, the referral
  growth window).

The public names are re-exported here: import them from ``wfscc.contract``. The module imports
nothing of wfscc but :mod:`wfscc.housestyle` (no layer below it), so every layer may import it.

``build`` and ``method`` are imported at once; ``tables``, ``style`` and ``_cells`` import pandas
and are loaded on the first use of one of their names (PEP 562 ``__getattr__``): ``wfscc.config``
imports the contract, and loading pandas with it made ``import wfscc.cli`` (every ``wfscc``
command, ``--help`` included) take 2.2 s instead of 0.3 s (measured with ``python -X importtime``).
"""

import importlib

from . import build, method
from .build import *  # noqa: F403 (the build settings: every name of build.__all__, no pandas)
from .method import *  # noqa: F403 (the method's fixed rules: every name of method.__all__)

#: Submodule -> the public names it gives the contract, loaded on first use.
_LAZY: dict[str, tuple[str, ...]] = {
    "tables": (
        "ATTRIBUTE",
        "ATTRIBUTES",
        "BARRIERS",
        "BENEFITS",
        "CENTRE_PATTERN",
        "CODE_COLUMNS",
        "CUSTOMER_TYPES",
        "DIRECTIONS",
        "ELEMENTS",
        "ELEMENT_LABELS",
        "FIRST_YEAR",
        "GROUPS",
        "HOUSEHOLDS",
        "INTERVIEW_TYPES",
        "LAST_YEAR",
        "LA_PATTERN",
        "NAMED_BARRIERS",
        "NAME_MAX",
        "PILOT_END",
        "PILOT_ONLY_TABLES",
        "PILOT_START",
        "PILOT_START_LAST",
        "PLACES",
        "RECORD_ID_COLUMNS",
        "REGIONS",
        "ROLES",
        "ROUTES",
        "SERVICES",
        "SPEC",
        "SUFFIXES",
        "TABLES",
        "TEXT_MAX",
        "THEMES",
        "THEMES_MAX",
        "THEME_LABELS",
        "WORK_STATUSES",
        "Col",
        "columns",
        "expected_text",
    ),
    "_cells": (
        "TABLE_CELLS",
        "cell_facts",
        "cell_text",
    ),
    "style": (
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
    ),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [*build.__all__, *method.__all__, *_WHERE]


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
