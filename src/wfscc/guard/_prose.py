"""Small counts in running text: "3 parents", "five lone parents", "two of the 12 referrals",
"Starts: 4".

A number from 1 to threshold − 1 (in digits, or a word from "one" to "nineteen") is a finding when
it counts a unit the disclosure rules protect (`wfscc.outputs.disclosure.unit_class`): the unit
follows it,
after at most two other words ("five lone parents"), or after "of [the] M" ("two of the 12
referrals"), or comes just before it with a colon, an equals sign or a bracket ("Starts: 4").
Counts of allowed units ("four of 20 adviser interviews", "3 LAs", "two waves") pass, and so does
"fewer than 10 starts" when 10 is the threshold (it is not a small count). Numbers that are not
counts pass: "wave 2 respondents", "Table 3", "P01", "2009-10", "1.5", "nine in ten parents",
"5 per cent".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..outputs.disclosure import unit_class

_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
WORD_VALUES = {w: i for i, w in enumerate(_WORDS)}
# A digit or a number word, not glued to what comes before it: "\d{1,3}(?:,\d{3})+|\d+|one|two|..."
# written class-first (its first character, then the look-behind, then the rest after that first
# character, in the same order), so that the regex engine skips quickly to where a number can
# start instead of trying every character (twice as fast on the report's text).
_FIRSTS = "".join(sorted({w[0] for w in _WORDS[1:]}))
_NUM = (
    rf"[\d{_FIRSTS}](?<![\w.,/£$€#+-][\d{_FIRSTS}])"
    r"(?:(?<=\d)(?:\d{0,2}(?:,\d{3})+|\d*)|"
    + "|".join(f"(?<={w[0]}){w[1:]}" for w in _WORDS[1:])
    + r")(?![\w%-]|[.,:/]\d)"
)
NUMBER = re.compile(_NUM, re.I)
# A number after one of these is a label, not a count ("wave 2 respondents", "Table 3").
LABELS = frozenset(
    {
        "wave", "waves", "table", "tables", "figure", "figures", "chapter", "chapters", "section",
        "sections", "annex", "appendix", "page", "pages", "level", "levels", "phase", "step",
        "steps", "stage", "year", "years", "quarter", "q", "round", "group", "priority", "rank",
        "ranked", "paragraph", "para", "part", "line", "row", "column", "no", "item", "version",
        "cohort", "tier", "grade", "area", "p", "box",
    }
)  # fmt: skip
# Words that end the search for a unit: what follows them is not what the number counts.
_STOP = frozenset(
    {
        "in", "of", "out", "per", "cent", "percent", "percentage", "and", "or", "to", "at", "with",
        "from", "by", "than", "for", "a", "an", "the", "is", "are", "was", "were", "be", "been",
        "has", "have", "had", "who", "which", "that", "this", "these", "those", "times", "x",
        "each", "every",
    }
)  # fmt: skip
# A number after one of these is no count of anyone: "per two starts", "at least one parent".
_NOT_COUNTING = frozenset({"per", "each", "every", "least"})
_NOT_A_COUNT = LABELS | _NOT_COUNTING
_MORE_THAN = re.compile(r"more\s+than\s+$", re.I)
# A unit followed by one of these is a rate ("eight starts a month"), not a count.
_RATE = re.compile(
    r"\s(?:a|an|per|each|every)\s+(?:day|week|fortnight|month|quarter|year|wave)\b", re.I
)
# Words (a hyphenated compound is one word: "case-study", "lone-parent"), numbers, punctuation.
_TOKEN = re.compile(r"\s*([\w'\u2019-]+|\S)", re.U)
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
_SHARE = re.compile(r"\s?(?:per\s*cent|percent|percentage|pp\b|%|in\s+(?:10|ten|a)\b)", re.I)
_BEFORE = re.compile(r"([^\W\d_]+)\s?(?:\(|:|=)\s?$")
_PREV_WORD = re.compile(r"([^\W\d_]+)\.?\s+$")


def value_of(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text in WORD_VALUES:
        return WORD_VALUES[text]
    return int(text) if text.isdigit() else None


def small_counts_in_text(
    text: str, threshold: int, *, one_value_per_line: bool = False
) -> Iterator[tuple[int, int, str]]:
    """(start, end, unit) of every count from 1 to threshold − 1 of a protected unit in `text`.

    The words that say what a number counts are looked for in the same run of prose: two or more
    white-space characters (table cells in a page's text or a PDF's layout) end it, and so does a
    line break if `one_value_per_line` (spreadsheet cells, JSON values).
    """
    for m in NUMBER.finditer(text):
        value = value_of(m.group())
        if value is None or not 0 < value < threshold:
            continue
        if _SHARE.match(text, m.end()):
            continue  # "14 per cent", "3 percentage points": not a count
        before = text[max(0, m.start() - 40) : m.start()]
        prev = _PREV_WORD.search(before)
        if prev and prev.group(1).lower() in _NOT_A_COUNT:
            continue
        if prev and prev.group(1).lower() == "only" and value == 1:
            continue  # "where only one parent works": a kind of household, not a count
        if _MORE_THAN.search(before):
            continue
        found = _unit_after(text, m.end(), one_value_per_line) or _unit_before(before)
        if found is None:
            continue
        unit, unit_end = found
        if unit_class(unit) == "protected" and not (unit_end > 0 and _RATE.match(text, unit_end)):
            yield m.start(), m.end(), unit.lower()


def _tokens(text: str, at: int, one_value_per_line: bool) -> Iterator[tuple[str, int]]:
    """(token, end) after `at`, up to a break between runs of prose."""
    while True:
        m = _TOKEN.match(text, at)
        if not m:
            return
        gap = text[at : m.start(1)]
        if len(gap) >= 2 or (one_value_per_line and "\n" in gap):
            return
        yield m.group(1).rstrip("'\u2019"), m.end()
        at = m.end()


def _last_part(word: str) -> str:
    return word.rsplit("-", 1)[-1]


def _unit_after(text: str, end: int, one_value_per_line: bool) -> tuple[str, int] | None:
    """The unit a number counts, from the words after it ("lone parents", "of the 12 starts")."""
    tokens = []
    for token in _tokens(text, end, one_value_per_line):
        tokens.append(token)
        if len(tokens) >= 6:
            break
    i = 0
    if tokens[:1] and tokens[0][0].lower() == "of":  # "two of [the] 12 referrals"
        i = 1
        if i < len(tokens) and tokens[i][0].lower() in {"the", "these", "those", "all", "our"}:
            i += 1
        if i < len(tokens) and value_of(tokens[i][0]) is not None:
            i += 1
        else:
            return None
    for k, (word, word_end) in enumerate(tokens[i : i + 3], start=i):
        if not _WORD.fullmatch(word):
            return None
        if unit_class(_last_part(word)) is not None:
            # the head of a compound is its last noun: "parent interviews" counts interviews
            for nxt, nxt_end in tokens[k + 1 :]:
                if not _WORD.fullmatch(nxt) or unit_class(_last_part(nxt)) is None:
                    break
                word, word_end = nxt, nxt_end
            return _last_part(word), word_end
        if word.lower() in _STOP or value_of(word) is not None:
            return None
    return None


def _unit_before(before: str) -> tuple[str, int] | None:
    """The unit named just before a number ("Starts: 4", "parents (3)", "referrals = 2")."""
    m = _BEFORE.search(before)
    return (m.group(1), -1) if m and unit_class(m.group(1)) is not None else None
