"""Numbers in DWP / GOV.UK house style.

Rules (from the GOV.UK style guide and DWP research report conventions):

* percentages are written "per cent", never with the % sign;
* whole numbers zero to nine are written in words, 10 and above as digits, with a comma as the
  thousands separator ("1,234");
* approximations read "around 60 per cent" (rounded to the nearest 5 or 10, as the caller says);
* proportions of a group can be put into words ("a vast majority");
* dates read "January 2009".

Rounding is half away from zero (``2.5`` becomes ``3``), the convention in published statistics,
not Python's round-half-to-even.

Public names: :func:`number_in_words`, :func:`count`, :func:`percent`, :func:`around`,
:func:`percentage_points`, :func:`interval`, :func:`proportion_words`, :func:`month_year`,
:func:`period`, :func:`p_value`, :func:`months`, :func:`spelled`, :func:`keep_together`.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

import pandas as pd

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

__all__ = [
    "WORDS",
    "around",
    "count",
    "interval",
    "keep_together",
    "month_year",
    "months",
    "number_in_words",
    "p_value",
    "percent",
    "percentage_points",
    "period",
    "proportion_words",
    "round_half_up",
    "spelled",
]


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round ``value`` half away from zero to ``decimals`` places."""
    if not math.isfinite(value):
        raise ValueError(f"Cannot round {value!r}: expected a finite number.")
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(d)


def number_in_words(n: int | float, *, decimals: int = 0) -> str:
    """Whole numbers 0..9 in words, others as digits with thousands commas.

    ``number_in_words(3) == "three"``, ``number_in_words(12) == "12"``,
    ``number_in_words(12345) == "12,345"``. Non-integers are rounded to ``decimals`` places; a
    value that is not a whole number after rounding is always shown in digits ("2.5").
    Negative numbers are shown in digits with a minus sign.
    """
    if not isinstance(n, Real) or isinstance(n, bool):
        raise TypeError(f"number_in_words expects a number, not {type(n).__name__}.")
    r = round_half_up(float(n), decimals)
    if r == int(r):
        i = int(r)
        if 0 <= i <= 9:
            return WORDS[i]
        return f"{i:,}"
    return f"{r:,.{decimals}f}"


_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spelled(n: int) -> str:
    """A whole number 0..99 fully in words ("ten", "thirty-two"), for counts of areas or
    centres where the report spells them out; 100 and above as digits."""
    n = int(n)
    if 0 <= n <= 9:
        return WORDS[n]
    if 10 <= n <= 19:
        return _TEENS[n - 10]
    if 20 <= n <= 99:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{WORDS[ones]}" if ones else "")
    return f"{n:,}"


def count(n: int) -> str:
    """A count of things: ``count(7) == "seven"``, ``count(1500) == "1,500"``."""
    if isinstance(n, float) and not n.is_integer():
        raise ValueError(f"count expects a whole number, got {n!r}.")
    return number_in_words(int(n))


def _pct_number(pct: float, decimals: int) -> str:
    return number_in_words(pct, decimals=decimals) if decimals == 0 else f"{pct:,.{decimals}f}"


def percent(share: float, *, decimals: int = 0) -> str:
    """A proportion (0..1) as a percentage in words: ``percent(0.14) == "14 per cent"``.

    ``percent(0.03) == "three per cent"``. A share above zero that rounds to zero reads
    "less than one per cent" (or "less than 0.1 per cent" with one decimal). With ``decimals``
    above zero the number is always in digits ("3.4 per cent").
    """
    if share is None or not math.isfinite(share):
        raise ValueError(f"percent expects a finite proportion, got {share!r}.")
    pct = round_half_up(share * 100, decimals)
    if pct == 0 and share > 0:
        smallest = "one" if decimals == 0 else f"{10 ** -decimals:.{decimals}f}"
        return f"less than {smallest} per cent"
    if pct == 0:
        pct = 0.0  # avoid "-0"
    return f"{_pct_number(pct, decimals)} per cent"


def around(share: float, *, nearest: int = 10) -> str:
    """An approximate percentage: ``around(0.61) == "around 60 per cent"``.

    ``nearest`` is 5 or 10 (percentage points); the share is rounded half up to that multiple.
    """
    if nearest not in (1, 5, 10):
        raise ValueError(f"nearest must be 1, 5 or 10, not {nearest!r}.")
    pct = share * 100
    rounded = round_half_up(pct / nearest) * nearest
    return f"around {number_in_words(rounded)} per cent"


def percentage_points(diff: float, *, decimals: int = 0) -> str:
    """A difference of two proportions: ``percentage_points(0.11) == "11 percentage points"``.

    The sign is dropped (the prose says "rose by" or "fell by"); one point reads "one percentage
    point".
    """
    pts = abs(round_half_up(diff * 100, decimals))
    unit = "percentage point" if pts == 1 else "percentage points"
    return f"{_pct_number(pts, decimals)} {unit}"


def interval(lower: float, upper: float, *, decimals: int = 0, points: bool = False) -> str:
    """A 95 per cent interval of proportions: ``interval(0.11, 0.17) == "11 to 17 per cent"``.

    With ``points=True`` the bounds are differences and read "4 to 18 percentage points"; a
    negative bound puts both bounds in digits ("-1 to 5 percentage points").
    """

    lo, hi = (round_half_up(x * 100, decimals) + 0.0 for x in (lower, upper))
    digits = lo < 0 or hi < 0  # "-3 to 3", not "-three to three"

    def fmt(v: float) -> str:
        if digits:
            return f"{v:,.{decimals}f}"
        return _pct_number(v, decimals)

    unit = "percentage points" if points else "per cent"
    return f"{fmt(lo)} to {fmt(hi)} {unit}"


# (lower bound inclusive, words), checked from the top; "all" and "none" are exact.
_PROPORTION_WORDS = (
    (0.95, "almost all"),
    (0.80, "a vast majority"),
    (0.60, "a large majority"),
    (0.50 + 1e-12, "a majority"),
    (0.50, "half"),
    (0.30, "a substantial minority"),
    (0.10, "a minority"),
    (1e-12, "a small minority"),
)


def proportion_words(share: float) -> str:
    """A proportion as words, for prose where a number would be spurious precision.

    1 is "all", 0.95+ "almost all", 0.80+ "a vast majority", 0.60+ "a large majority", over
    0.5 "a majority", exactly 0.5 "half", 0.30+ "a substantial minority", 0.10+ "a minority",
    above 0 "a small minority", 0 "none".
    """
    if share is None or not 0 <= share <= 1:
        raise ValueError(f"proportion_words expects a proportion between 0 and 1, got {share!r}.")
    if share == 1:
        return "all"
    if share == 0:
        return "none"
    for bound, words in _PROPORTION_WORDS:
        if share >= bound:
            return words
    return "a small minority"  # pragma: no cover - unreachable


def month_year(date) -> str:
    """A date as month and year: ``month_year("2009-01-15") == "January 2009"``."""
    ts = pd.Timestamp(date)
    return f"{ts.month_name()} {ts.year}"


def period(start, end) -> str:
    """``period("2009-01-01", "2011-03-31") == "January 2009 to March 2011"``."""
    return f"{month_year(start)} to {month_year(end)}"


def months(n: float) -> str:
    """A number of months: "nine months", "one month", "14 months"."""
    text = number_in_words(n)
    return f"{text} month" if text == "one" else f"{text} months"


def p_value(p: float) -> str:
    """A p-value as the tables show it: "p < 0.001", "p = 0.03"."""
    if not 0 <= p <= 1:
        raise ValueError(f"A p-value lies between 0 and 1, got {p!r}.")
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {round_half_up(p, 3):.3f}"
    return f"p = {round_half_up(p, 2):.2f}"


NBSP = "\u00a0"
_NUMBER_WORDS = frozenset(WORDS + _TEENS + _TENS[2:])
# a number ("3", "1,905", "3.4", "-2", "thirty-two", "three") and the unit that follows it
_NUMBER_UNIT = re.compile(
    r"(?P<number>[^\s(\[\u201c\u2018\"']+)[ \u00a0]+"
    r"(?P<unit>per[ \u00a0]+cent|percentage[ \u00a0]+points?)\b"
)


def _is_number(token: str) -> bool:
    token = token.replace("\\", "")  # Markdown-escaped ("3\\.4", "\\-1") reads the same
    if re.fullmatch(r"[-\u2212+]?\d[\d,]*(\.\d+)?", token):
        return True
    return all(part in _NUMBER_WORDS for part in token.lower().split("-"))


def keep_together(text: str) -> str:
    """``text`` with a non-breaking space between a number and its unit, and inside the unit:
    "three per cent" and "11 percentage points" never wrap across lines, in HTML or PDF.

    ``keep_together("rose to three per cent") == "rose to three\u00a0per\u00a0cent"``; a unit
    after a word that is not a number ("a few per cent") is left alone. Works on Markdown-escaped
    text too (:func:`wfscc.textsafe.markdown`), which turns non-breaking spaces into spaces.
    """

    def join(m: re.Match) -> str:
        if not _is_number(m["number"]):
            return m[0]
        return m["number"] + NBSP + NBSP.join(m["unit"].split())

    return _NUMBER_UNIT.sub(join, text)
