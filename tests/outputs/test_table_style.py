"""Tables in the GOV.UK style (docs/style.md): numerals, alignment, units in headers, the one
``[c]`` wording, Base and Source lines, labels instead of column names."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from wfscc.contract import style as st
from wfscc.notebook import display
from wfscc.outputs import tables as wt
from wfscc.outputs.disclosure import protect


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._align = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            style = dict(attrs).get("style", "")
            self._align = re.search(r"text-align:\s*(\w+)", style).group(1)
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row.append(("".join(self._cell), self._align))
            self._cell = None
        elif tag == "tr":
            self.rows.append(self._row)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str):
    p = _Cells()
    p.feed(html)
    return p.rows


@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(display, "display", lambda obj, **kw: out.append(obj))
    return out


def test_numbers_are_numerals_right_aligned_and_labels_left_aligned():
    frame = pd.DataFrame(
        {
            "Core element": ["Partnership working", "Adviser integration"],
            "Areas delivering it": ["one", 10],
            "Areas ranking it first": ["zero", "three"],
            "Share of starts": ["three per cent", "14 per cent"],
            "Interval": ["12 (8 to 17)", "40 (35 to 45)"],
        }
    )
    rows = _parse(display.table_html(frame))
    header, body = rows[0], rows[1:]
    assert [a for _, a in header] == ["left", "right", "right", "right", "right"]
    assert header[3][0] == "Share of starts (per cent)"  # the unit moved into the header
    assert [c for c, _ in body[0]] == ["Partnership working", "1", "0", "3", "12 (8 to 17)"]
    assert [c for c, _ in body[1]] == ["Adviser integration", "10", "3", "14", "40 (35 to 45)"]
    for row in body:
        assert row[0][1] == "left" and all(a == "right" for _, a in row[1:])
    words = {"zero", "one", "two", "three", "per cent"}
    assert not any(c in words for row in body for c, _ in row[1:])


def test_large_numbers_get_thousands_separators_and_suppressed_cells_the_mark():
    frame = pd.DataFrame({"Area": ["A", "B"], "Starts": [1234.0, float("nan")]})
    rows = _parse(display.table_html(frame))
    assert [c for c, _ in rows[1]] == ["A", "1,234"]
    assert rows[2] == [("B", "left"), (st.SUPPRESSED_MARK, "right")]


def test_show_table_puts_the_c_wording_base_and_source_under_the_table(shown):
    table = protect(
        pd.DataFrame({"Direction": ["a", "b", "Both"], "referrals": [5, 40, 45]}),
        ["referrals"],
        total_row=("Direction", "Both"),
    )
    display.show_table(table, base="all referrals in the area", source="referrals")
    html, note = shown
    rows = _parse(html["text/html"])
    assert [a for _, a in rows[0]] == ["left", "right"]
    assert [c for c, _ in rows[1]] == ["a", st.SUPPRESSED_MARK]
    text = note["text/markdown"]
    assert "withheld to protect confidentiality" in text
    assert "Base: all referrals in the area." in text
    assert f"Source: {st.SOURCES['referrals']}." in text


def test_show_table_labels_known_column_names(shown):
    frame = pd.DataFrame(
        {"quarter": ["2009 Q1"], "jcp_to_centre": [40], "lone_parent_benefit_percent": [61.3]}
    )
    display.show_table(frame)
    headers = [h for h, _ in _parse(shown[0]["text/html"])[0]]
    assert headers == [
        "Quarter",
        "Jobcentre Plus to centre (number)",
        "Lone parents on benefit (per cent of starts)",
    ]


def test_labelled_replaces_codes_and_column_names():
    frame = pd.DataFrame(
        {
            "wave": [1, 2],
            "group": ["pilot", "comparison"],
            "respondents": [600, 180],
            "percent": [3.8, 2.0],
        }
    )
    out = wt.labelled(frame)
    assert list(out.columns) == ["Survey wave", "Group", "Respondents (number)", "Per cent"]
    assert list(out["Survey wave"]) == ["Wave one", "Wave two"]
    assert list(out["Group"]) == ["Pilot areas", "Comparison areas"]


def test_one_wording_for_c_in_the_workbooks():
    notes = wt._notes(10)
    assert st.suppressed_note(10) in list(notes["Note text"])
    assert wt._about(10).startswith(st.suppressed_note(10))


def test_one_wording_for_waves():
    assert [st.wave_label(w) for w in (1, 2)] == ["Wave one", "Wave two"]
    assert st.wave_words(2) == "wave two"


def test_words_and_their_unit_stay_on_one_line():
    frame = pd.DataFrame({"Measure": ["Job entries"], "Note": ["three per cent of starts"]})
    rows = _parse(display.table_html(frame))
    assert rows[1][1][0] == "three\u00a0per\u00a0cent of starts"
