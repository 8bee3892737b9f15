"""Table cells in the GOV.UK style, as facts: ``<name>_cell`` gives a fact cited in a table as a
numeral, its unit left to the column header ("14", "1,905", "11 to 17", "-3", "[c]").

The prose keeps the house style of :mod:`wfscc.housestyle` ("four per cent", "two areas"); a
table's numeric column never mixes words with numerals. ``source_<kind>`` facts give the
"Source:" line of a table (:data:`wfscc.contract.style.SOURCES`); ``suppressed_note`` the one
wording of ``[c]``.
"""

from __future__ import annotations

import re

from ..housestyle import round_half_up
from .style import SOURCES, SUPPRESSED_MARK, suppressed_note

#: Facts a table of the report cites: each gets a ``<name>_cell`` numeral.
TABLE_CELLS = re.compile(
    r"(delivery_\w+_las|priority_first_\w+_las|referrals_(total|jcp_to_centre|centre_to_jcp|"
    r"first_year|last_year)|route_\w+_share|takeup_(pilot|comparison)_w\d(_ci)?|"
    r"survey_n_(pilot|comparison)_w\d|att_\w+_pilot_w\d|att_\w+_pilot_change|att_\w+_did(_ci)?|"
    r"(lone_parent_benefit|non_traditional|second_earner)_share)"
)


def _number(v: float) -> str:
    r = round_half_up(float(v))
    return f"{int(r):,}" if r != 0 else "0"


def cell_text(fact) -> str | None:
    """The fact as a table cell, or None when it is not a number."""
    if fact.suppressed or fact.value is None:
        return SUPPRESSED_MARK
    text, value = fact.text, fact.value
    points = "percentage point" in text
    if isinstance(value, list) and len(value) == 2:
        scale = 100 if ("per cent" in text or points) else 1
        return f"{_number(value[0] * scale)} to {_number(value[1] * scale)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if "per cent" in text or points:
        pct = value * 100
        if 0 < abs(pct) < 0.5 and not points:
            return "less than 1"
        return _number(pct)
    return _number(value)


def cell_facts(facts: list, fact_type) -> list:
    """``<name>_cell`` for each fact a table cites (:data:`TABLE_CELLS`) and ``source_<kind>``
    for each source; ``fact_type`` is :class:`wfscc.facts.Fact`."""
    out = []
    for f in facts:
        if TABLE_CELLS.fullmatch(f.name):
            text = cell_text(f)
            if text is not None:
                out.append(
                    fact_type(
                        f"{f.name}_cell",
                        f.value,
                        f.base,
                        text,
                        "wfscc.contract.cell_facts",
                        f.suppressed,
                    )
                )
    out += [
        fact_type(f"source_{k}", v, None, v, "wfscc.contract.style.SOURCES")
        for k, v in SOURCES.items()
    ]
    threshold = next((f.value for f in facts if f.name == "disclosure_threshold"), None)
    if threshold is not None:
        text = suppressed_note(int(threshold))
        out.append(
            fact_type(
                "suppressed_note",
                int(threshold),
                None,
                text,
                "wfscc.contract.style.suppressed_note",
            )
        )
    return out
