"""Small counts in running text, and the one list of disclosure rules for tables and the guard."""

from __future__ import annotations

import pandas as pd
import pytest
from guard_support import guard_kwargs, html_page, write_pdf

from wfscc.guard import scan_outputs
from wfscc.guard._detect import COUNT_WORDS, NOT_COUNT_WORDS, is_count_column
from wfscc.guard._prose import small_counts_in_text
from wfscc.outputs import disclosure
from wfscc.outputs.disclosure import ALLOWED_UNITS, PROTECTED_UNITS, protect, unit_class


def units(text: str, threshold: int = 10) -> list[str]:
    return [u for _, _, u in small_counts_in_text(text, threshold)]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("3 parents took part", "parents"),
        ("Five lone parents said so", "parents"),
        ("five lone\nparents", "parents"),  # a paragraph wrapped by pandoc
        ("two of the 12 referrals", "referrals"),
        ("Starts: 4", "starts"),
        ("respondents (3)", "respondents"),
        ("- 3 customers", "customers"),
        ("One claimant had left", "claimant"),
        ("8 cases", "cases"),
        ("nine users", "users"),
        ("4 lone-parent customers", "customers"),
        ("3 parents' views", "parents"),
    ],
)
def test_a_small_count_of_people_in_prose_is_found(text, unit):
    assert units(text) == [unit]


@pytest.mark.parametrize(
    "text",
    [
        "four of 20 adviser interviews",  # counts of interviews are allowed
        "three in-depth parent interviews",  # the head noun is "interviews"
        "in 3 LAs",
        "two waves",
        "the five core elements",
        "3 centres in the LA",
        "over 4 quarters",
        "fewer than 10 starts",  # the threshold itself is no small count
        "wave 2 respondents",
        "Table 3 parents",
        "P01 parents",
        "2009-10 starts",
        "1.5 parents",
        "nine in ten parents",
        "5 per cent of parents",
        "14 per cent (earners: 14 per cent)",
        "only one parent works",
        "more than one parent",
        "one of the parents",
        "eight starts a month",
        "2,345 parents",
        "twelve parents",
        "4 \n \n referrals_by_service",  # table cells, not a phrase
    ],
)
def test_allowed_classes_and_numbers_that_are_not_counts_pass(text):
    assert units(text) == []


def test_the_threshold_decides_what_is_small():
    assert units("12 parents", threshold=20) == ["parents"]
    assert units("fewer than 20 parents", threshold=20) == []
    assert units("fewer than 10 parents", threshold=20) == ["parents"]
    assert units("12 parents", threshold=10) == []


def test_one_value_per_line_keeps_cells_apart():
    text = "1\nCustomer engagement"  # a spreadsheet's count cell and the next row's label
    assert units(text) == ["customer"]
    assert list(small_counts_in_text(text, 10, one_value_per_line=True)) == []


# --- one list of rules -----------------------------------------------------------------------


def test_the_rules_are_one_list_shared_by_tables_and_the_guard():
    assert not PROTECTED_UNITS & ALLOWED_UNITS
    assert PROTECTED_UNITS <= COUNT_WORDS
    assert ALLOWED_UNITS <= NOT_COUNT_WORDS
    for word in ("starts", "parents", "respondents", "referrals", "cases", "users", "customers"):
        assert unit_class(word) == "protected" and is_count_column(word)
    for word in ("LAs", "waves", "elements", "centres", "months", "quarters", "interviews"):
        assert unit_class(word) == "allowed" and not is_count_column(word)
    assert unit_class("parent") == "protected" and unit_class("LA") == "allowed"
    assert unit_class("banana") is None


def test_protect_publishes_counts_of_an_allowed_unit_as_they_are():
    themes = pd.DataFrame(
        {"theme": ["a", "b", "c"], "interviews": [4, 12, 0], "base": [20, 20, 20]}
    )
    themes["percent"] = themes["interviews"] / themes["base"] * 100
    kw = {"base_col": "base", "pct_cols": ["percent"], "pct_of": {"percent": "interviews"}}
    people = protect(themes, ["interviews"], row_totals=False, **kw)
    assert people.suppressed_cells > 0  # as counts of people, 4 is suppressed
    allowed = protect(themes, ["interviews"], row_totals=False, unit="interviews", **kw)
    assert allowed.suppressed_cells == 0
    assert allowed.count_cols == ()  # nothing for the manifest to hold to the threshold
    assert list(allowed.frame["interviews"]) == [4, 12, 0]
    with pytest.raises(disclosure.WfsccError, match="not in the table"):
        protect(themes, ["nope"], unit="interviews")


# --- through the scan ------------------------------------------------------------------------


def test_small_counts_in_headings_lists_and_paragraphs_of_a_page_and_a_pdf(tmp_path):
    site = tmp_path / "_book"
    site.mkdir()
    body = (
        "<h2>Three parents in P01</h2>\n"
        "<ul><li>Referrals: 2</li></ul>\n"
        "<p>Four of 20 adviser interviews raised it, in 3 LAs over two waves.</p>\n"
        "<p>Fewer than 10 starts are not shown.</p>\n"
    )
    (site / "page.html").write_text(html_page(body))
    write_pdf(site / "report.pdf", "Only 4 respondents said so.")
    found = [f for f in scan_outputs(site, **guard_kwargs()) if f.kind == "small_count"]
    page = sorted(f.masked_text for f in found if f.file == "page.html")
    assert page == [
        "a count below 10 (parents) in text",
        "a count below 10 (referrals) in text",
    ]
    pdf = [f for f in found if f.file == "report.pdf"]
    assert [f.masked_text for f in pdf] == ["a count below 10 (respondents) in text"]
    assert pdf[0].location.startswith("page 1")
