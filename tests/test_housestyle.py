"""House style: per cent, numbers in words, approximations, dates."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wfscc import housestyle as hs


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "zero"), (1, "one"), (9, "nine"), (10, "10"), (999, "999"), (1000, "1,000"),
     (1234567, "1,234,567"), (-3, "-3"), (2.5, "three"), (9.4, "nine"), (9.5, "10")],
)
def test_number_in_words(n, text):
    assert hs.number_in_words(n) == text


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.03, "three per cent"), (0.14, "14 per cent"), (0.0, "zero per cent"),
     (0.004, "less than one per cent"), (1.0, "100 per cent"), (0.095, "10 per cent"),
     (0.085, "nine per cent")],
)
def test_percent(share, text):
    assert hs.percent(share) == text


def test_percent_with_decimals():
    assert hs.percent(0.0345, decimals=1) == "3.5 per cent"
    assert hs.percent(0.0004, decimals=1) == "less than 0.1 per cent"


def test_around():
    assert hs.around(0.61) == "around 60 per cent"
    assert hs.around(0.29) == "around 30 per cent"
    assert hs.around(0.27, nearest=5) == "around 25 per cent"
    assert hs.around(0.04, nearest=5) == "around five per cent"
    with pytest.raises(ValueError, match="nearest"):
        hs.around(0.5, nearest=3)


def test_points_interval_and_p():
    assert hs.percentage_points(0.11) == "11 percentage points"
    assert hs.percentage_points(-0.01) == "one percentage point"
    assert hs.interval(0.11, 0.17) == "11 to 17 per cent"
    assert hs.interval(0.02, 0.05) == "two to five per cent"
    assert hs.interval(-0.03, 0.05, points=True) == "-3 to 5 percentage points"
    assert hs.p_value(0.0001) == "p < 0.001"
    assert hs.p_value(0.034) == "p = 0.03"
    assert hs.p_value(0.0042) == "p = 0.004"


def test_words_dates_months():
    assert hs.proportion_words(0.85) == "a vast majority"
    assert hs.proportion_words(1) == "all"
    assert hs.proportion_words(0) == "none"
    assert hs.proportion_words(0.5) == "half"
    assert hs.proportion_words(0.2) == "a minority"
    assert hs.month_year("2009-01-15") == "January 2009"
    assert hs.period("2009-01-01", "2011-03-31") == "January 2009 to March 2011"
    assert hs.months(1) == "one month"
    assert hs.months(9) == "nine months"
    assert hs.months(14) == "14 months"
    assert hs.spelled(10) == "ten"
    assert hs.spelled(32) == "thirty-two"


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="number"):
        hs.number_in_words("3")
    with pytest.raises(ValueError, match="proportion"):
        hs.proportion_words(1.5)
    with pytest.raises(ValueError, match="whole number"):
        hs.count(2.5)


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_are_words_below_ten_and_grouped_digits_above(n):
    text = hs.count(n)
    if n < 10:
        assert text == hs.WORDS[n]
    else:
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", text)
        assert int(text.replace(",", "")) == n


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_percent_never_uses_the_sign(share):
    text = hs.percent(share)
    assert "%" not in text
    assert text.endswith(" per cent")
    number = text.removesuffix(" per cent").removeprefix("less than ")
    assert number in hs.WORDS or re.fullmatch(r"\d{2,3}", number)


@given(st.floats(min_value=0, max_value=1, allow_nan=False), st.sampled_from([5, 10]))
def test_around_rounds_to_the_multiple(share, nearest):
    text = hs.around(share, nearest=nearest)
    number = text.removeprefix("around ").removesuffix(" per cent")
    value = hs.WORDS.index(number) if number in hs.WORDS else int(number)
    assert value % nearest == 0
    assert abs(value - share * 100) <= nearest / 2 + 1e-9


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_proportion_words_is_monotone(share):
    order = ["none", "a small minority", "a minority", "a substantial minority", "half",
             "a majority", "a large majority", "a vast majority", "almost all", "all"]
    lower = max(0.0, share - 0.01)
    assert order.index(hs.proportion_words(lower)) <= order.index(hs.proportion_words(share))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rose to three per cent", "rose to three\u00a0per\u00a0cent"),
        ("11 to 17 per cent", "11 to 17\u00a0per\u00a0cent"),
        ("(59 per cent across", "(59\u00a0per\u00a0cent across"),
        ("3.4 per cent", "3.4\u00a0per\u00a0cent"),
        ("1,905 per cent.", "1,905\u00a0per\u00a0cent."),
        ("thirty-two per cent", "thirty-two\u00a0per\u00a0cent"),
        ("one percentage point", "one\u00a0percentage\u00a0point"),
        ("-1 to 5 percentage points", "-1 to 5\u00a0percentage\u00a0points"),
        ("3\\.4 per cent", "3\\.4\u00a0per\u00a0cent"),  # Markdown-escaped
        ("\u201ctwo percentage points", "\u201ctwo\u00a0percentage\u00a0points"),  # quoted
        ("a few per cent", "a few per cent"),  # not a number: left alone
        ("[c] per cent", "[c] per cent"),
    ],
)
def test_keep_together_joins_a_number_to_its_unit(text, expected):
    assert hs.keep_together(text) == expected
    assert hs.keep_together(expected) == expected  # idempotent


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_every_percent_text_can_be_kept_on_one_line(share):
    kept = hs.keep_together(f"It was {hs.percent(share)} of starts.")
    assert " per" not in kept and "per cent" not in kept  # both spaces non-breaking
