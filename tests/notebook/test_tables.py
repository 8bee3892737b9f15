"""wfscc.notebook.tables: the profile's tables."""

from __future__ import annotations

import pandas as pd

from wfscc.notebook import tables
from wfscc.outputs.disclosure import protect

from .helpers import facts


def test_the_elements_table_lists_the_elements_by_priority():
    f = facts(("la_priority_jcp_provision", 2, "second"),
              ("la_priority_support_packages", 1, "first"),
              ("la_delivered_jcp_provision", True, "yes"),
              ("la_delivered_support_packages", False, "no"))
    frame = tables.elements_table(f, threshold=10).frame
    assert list(frame["Delivered"]) == ["No", "Yes"]
    assert list(frame["Priority"]) == ["First", "Second"]
    assert len(set(frame["Core element"])) == 2


def test_the_survey_table_has_a_column_per_wave_with_its_interval():
    long = pd.DataFrame({
        "Measure": ["Used", "Used", "Rated", "Rated"],
        "Wave": [1, 2, 1, 2],
        "Respondents": [120, 8, 120, 8],
        "Per cent": [60, 50, 30, 25],
        "Lower": [51, 20, 22, 5],
        "Upper": [68, 80, 39, 60],
    })
    results = protect(long, [], base_col="Respondents", pct_cols=["Per cent", "Lower", "Upper"],
                      threshold=10)
    wide = tables.survey_table(results, "95 per cent")
    one, two = (f"Wave {w}: per cent (95 per cent interval)" for w in ("one", "two"))
    assert list(wide.columns) == ["Measure", one, two]
    assert list(wide["Measure"]) == ["Used", "Rated", "Respondents"]
    assert list(wide[one]) == ["60 (51 to 68)", "30 (22 to 39)", 120]
    # wave two's base (eight) is below the threshold: its shares and base are withheld
    assert list(wide[two])[:2] == ["[c]", "[c]"]
