"""The prefilters that let the guard skip a pattern on a text, or start its search further on
(`_patterns.PREFILTERS`, the identifier shapes' `_detect._shape_prefilter`), and the search for
raw-record header lines from the lines that name raw columns, find exactly what the plain
searches find: no finding is lost."""

from __future__ import annotations

import fnmatch
import random
import re

import pytest

import wfscc.guard._headers as headers
from wfscc.guard import _patterns as P
from wfscc.guard._detect import (
    _SHAPE_TABLE,
    Detector,
    _identifier_regexes,
    _prefiltered,
    _shape_prefilter,
)
from wfscc.guard._headers import RAW_COLUMNS, raw_header_lines
from wfscc.guard.scan import VENDORED, _is_vendored

FRAGMENTS = [
    "QQ", "qq", "AB", "A", "c", "C", "12", "34", "56", "1", "123456", "1234", " ", " ",
    "\u00a0", "-", "LS", "6", "2AB", "SW1A", "1AA", "0", "07", "700", "+44", "x", "\n", "P",
    "ABC", "postcode ", "Post code: ", "é", "_", ",", "9ZZ", "N1", "B", "ZZ", ".",
]  # fmt: skip


def _texts(n: int, seed: int, fragments: list[str] = FRAGMENTS) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(fragments) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("kind", sorted(P.PREFILTERS))
def test_a_prefiltered_search_finds_what_the_pattern_finds(kind):
    rx, pre = re.compile(P.PATTERNS[kind]), re.compile(P.PREFILTERS[kind])
    lead, matched, skipped = P.PREFILTER_LEAD[kind], 0, 0
    for text in _texts(30_000, seed=len(kind)):
        expected = _spans(rx.finditer(text))
        assert _spans(_prefiltered(rx, pre, lead, text)) == expected, text
        matched += len(expected)
        skipped += pre.search(text) is None
    assert matched > 50 and skipped > 1000  # the texts exercise both ways


@pytest.mark.parametrize(
    "ids",
    [
        ["QQ123456C", "P000123", "ABC-1234"],
        ["12-AB", "X1", "é42", "a.b.7", "A-B", "-9x"],
        ["2019", "id_9x9", "Z"],
    ],
)
def test_a_prefiltered_identifier_search_finds_what_the_regex_finds(ids):
    rng = random.Random(7)
    pieces = [*FRAGMENTS, *ids, *(i[:2] for i in ids), *(i[2:] for i in ids)]
    texts = _texts(10_000, seed=3, fragments=pieces) + [
        f"{rng.choice(FRAGMENTS)}{rng.choice(' -.,')}{i}{rng.choice(' -.,')}{rng.choice(FRAGMENTS)}"
        for i in ids
        for _ in range(50)
    ]
    regexes = _identifier_regexes({i.translate(_SHAPE_TABLE) for i in ids})
    matched = 0
    for text in texts:
        for rx, pre, lead in regexes:
            expected = _spans(rx.finditer(text))
            assert _spans(_prefiltered(rx, pre, lead, text)) == expected, (rx.pattern, text)
            matched += len(expected)
    assert matched >= len(ids) * 50
    detector = Detector(ids)
    assert all(i in {h.text for h in detector.find(f"see {i} here")} for i in ids)


def test_a_shape_prefilter_starts_at_the_first_digit():
    assert _shape_prefilter("AA999999A") == (
        r"\d(?<=[A-Za-z]{2}\d)(?<![A-Za-z0-9][A-Za-z]{2}\d)\d{5}[A-Za-z]{1}(?![A-Za-z0-9])"
    )
    assert _shape_prefilter("9A") == r"\d(?<![A-Za-z0-9]\d)[A-Za-z]{1}(?![A-Za-z0-9])"
    assert _shape_prefilter("AAA") is None


HEADER_PIECES = [
    *sorted(RAW_COLUMNS)[:12], "Participant_ID", "START_DATE", "la_code", "Weight", " ", "  ",
    ",", "|", ";", "\t", "\n", "\n", "...", "\\", "the", "and", "x", "confidence, aspiration",
    "and awareness of work", "wrapped", "\u0130", "\u212a", "\u03a3", "_", "-",
]  # fmt: skip


def test_header_lines_are_those_of_a_line_by_line_search(monkeypatch):
    texts = _texts(5_000, seed=11, fragments=HEADER_PIECES)
    found = [list(raw_header_lines(t)) for t in texts]
    monkeypatch.setattr(headers, "_lines_naming_raw_columns", lambda t: range(t.count("\n") + 1))
    assert [list(raw_header_lines(t)) for t in texts] == found
    assert sum(map(len, found)) > 30


@pytest.mark.parametrize("kind", sorted(P.PREFILTER_WORDS))
def test_an_ascii_text_without_the_word_has_no_match(kind):
    rx, word = re.compile(P.PATTERNS[kind]), P.PREFILTER_WORDS[kind]
    matched = 0
    for text in _texts(30_000, seed=5):
        for m in rx.finditer(text):
            matched += 1
            assert not text.isascii() or word in m.group().lower(), text
    assert matched > 50
    assert rx.search("po\u017ft code LS6")  # why only ASCII texts are skipped


@pytest.mark.parametrize("vendored", [VENDORED, (), ("*.txt",), ("a/[bc]*", "?.js")])
def test_vendored_files_are_those_the_globs_match(vendored):
    rng = random.Random(1)
    parts = ["pagefind", "site_libs", "a", "x.min.js", "y.min.css", "b.js", "c.css", "Pagefind"]
    parts += ["MIN.JS", "", ".", "*", "\n", "sub", "n.txt", "bx"]
    matched = 0
    for _ in range(5_000):
        rel = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        plain = any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, f"*/{g}") for g in vendored)
        assert _is_vendored(rel, vendored) == plain, rel
        matched += plain
    assert matched or not vendored
