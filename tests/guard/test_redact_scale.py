"""Redaction stays linear in the number of names, with the one pattern's results.

The one pattern (``_compiled``: identifiers, then every name) tries every name at every
character, so redacting the excerpts grew with the square of the number of areas. ``_Redactor``
tries a name only where a word begins that equals its first word; it must give what the one
pattern gives, text for text.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from wfscc.guard import redact as R

DATA = Path(__file__).resolve().parents[2] / "data"

GIVEN = [
    "Anna",
    "Ann",
    "Annabel",
    "Will",
    "Jo",
    "Joanne",
    "Mark",
    "Rose",
    "Sean",
    "Siobhan",
    "Mary Ann",
    "Patrick",
    "Zoe",
    "Hope",
    "Dean",
]
FAMILY = [
    "Lee",
    "Leeds",
    "Khan",
    "O'Neil",
    "Smith",
    "Smith-Jones",
    "Green",
    "Brown",
    "Park",
    "Van Der Berg",
    "McDonald",
    "Ng",
    "Price",
]


def _names(rng: random.Random, n: int) -> list[str]:
    return sorted({f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(n)})


def _texts(rng: random.Random, names: list[str], places: list[str]) -> list[str]:
    pieces = [
        *names,
        *places,
        *(n.upper() for n in names[:5]),
        *(n.lower() for n in names[:5]),
        "Mrs Khan",
        "Dr. Smith",
        "Mr  Lee",
        "Ms O\u2019Neil",
        "Prof Smith-Jones",
        "Smithson",
        "Smith's",
        "Lee-side",
        "Leeds",
        "anna",
        "ANNA",
        "will",
        "Will",
        "Hope",
        "hope",
        "QQ123456C",
        "INT-0042",
        "S004321",
        "07700 900123",
        "jo@example.org",
        "LS6",
        "SW1A 1AA",
        "postcode N1",
        "P01",
        "C03-A",
        "2010",
        "per cent",
        "said",
        "the",
        "and",
        ",",
        ".",
        "\n",
        "  ",
        "Mary\nAnn Lee",
        "Van  Der Berg",
        "_Khan",
        "Khan_",
        "3Lee",
        "Lee3",
    ]
    return [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(300)]


def _one_pattern(text: str, names, places, advisers) -> str:
    """What the one pattern gives (the rule before the redactor)."""
    rx, tokens = R._compiled(tuple(names), tuple(places), tuple(advisers))
    redactor = R._redactor(tuple(names), tuple(places), tuple(advisers))
    sub = redactor.sub
    try:
        redactor.sub = lambda replace, t: rx.sub(replace, t)
        return R._redact(redactor, text)
    finally:
        redactor.sub = sub


@pytest.mark.parametrize("seed", range(4))
def test_many_names_redact_as_the_one_pattern_does(seed):
    rng = random.Random(seed)
    advisers = _names(rng, 60)
    names = _names(rng, 30)
    places = sorted({f"{rng.choice(FAMILY)} Children's Centre" for _ in range(20)})
    for text in _texts(rng, advisers + names, places):
        got = R.redact_text(text, names=names, places=places, advisers=advisers)
        assert got == _one_pattern(text, names, places, advisers), text


def test_text_outside_ascii_and_names_not_starting_with_a_letter_keep_the_one_pattern():
    advisers = ("Kate Lee", "\u00c9mile Zola", "'Jo' Price")
    for text in ("\u212aate Lee said", "\u00c9mile Zola and Kate Lee", "'Jo' Price", "Kate"):
        got = R.redact_text(text, advisers=advisers)
        assert got == _one_pattern(text, (), (), advisers)
    assert R.redact_text("\u212aate Lee said", advisers=("Kate Lee",)) == "[adviser] said"


def test_the_shipped_excerpts_redact_as_the_one_pattern_does():
    interviews = pd.read_csv(DATA / "interviews.csv", dtype=str, keep_default_na=False)
    centres = pd.read_csv(DATA / "centres.csv", dtype=str)
    out = R.redact_interviews(interviews, centres)
    advisers = R._column_values(centres, "adviser_name")
    places = R._column_values(centres, "centre_name")
    old = [_one_pattern(t, (), places, advisers) if t else t for t in interviews["excerpt"]]
    assert out["excerpt"].tolist() == old
    assert (out["excerpt"] != interviews["excerpt"]).any()


def test_names_are_tried_only_where_their_first_word_is(monkeypatch):
    """With 4,000 adviser names, an excerpt naming two of them compiles name patterns for its
    own words only, and the one pattern of every name is never built: the cost of an excerpt
    does not grow with the names."""
    advisers = tuple(f"Given{i:04d} Family{i:04d}" for i in range(4000))
    redactor = R._Redactor((), (), advisers)
    built = []
    monkeypatch.setattr(
        R,
        "_compiled",
        lambda *a: (
            built.append(a)
            or (_ for _ in ()).throw(AssertionError("the one pattern of every name was built"))
        ),
    )
    text = "Given0007 Family0007 rang Mrs Family3999 about S004321, then Given0123 left."
    assert R._redact(redactor, text) == (
        "[adviser] rang [adviser] about [id], then [adviser] left."
    )
    assert len(redactor._at) <= len(text.split())
    assert not built
