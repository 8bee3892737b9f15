"""Words the house style rules out (docs/style.md), in every page of the narrative: "nationally"
for the ten pilot areas (issue 16 found it in Annex C after the charts had dropped it), wave
names other than "wave one" / "wave two", and a second wording of `[c]`."""

from __future__ import annotations

import re

import pytest
from _narrative import REPO

PAGES = sorted([*(REPO / "report").glob("*.qmd"), REPO / "index.qmd"])
BANNED = {
    r"\bnationally\b": 'the pilot ran in ten areas: "across all pilot areas"',
    r"\bwave [12]\b": '"wave one" / "wave two"',
    r"\bbaseline \(\d{4}\)": '"wave one"',
    r"\bleft blank\b|\bblank cells?\b": "one wording of [c]: the suppressed_note fact",
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_banned_words(page):
    text = page.read_text(encoding="utf-8")
    found = [f"{m.group()!r}: use {why}" for pattern, why in BANNED.items()
             for m in re.finditer(pattern, text, flags=re.I)]
    assert not found, f"{page.name}: " + "; ".join(found)
