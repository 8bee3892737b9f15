"""The narrative contains no hand-typed statistics: every number comes from a fact.

Each `report/*.qmd` file is scanned. Allowed outside `{{< var ... >}}`:

* years (1900 to 2099) written as four digits;
* a chapter, annex, section, table or figure number after that word ("Chapter 7", "Table 7.1"),
  or a number opening a heading;
* the tokens of the publication notice in ``ALLOWED_TOKENS`` (report number and ISBN);
* number words in the non-statistical phrases of ``ALLOWED_PHRASES`` ("one of", "wave one").

Link targets, inline code, attribute blocks (`{#tbl-x}`), HTML comments and the layout keys of
the YAML front matter are not prose and are not scanned. Everything else that looks like a number
(a numeral, a number word, a multiplier such as "doubled", a proportion such as "majority") is a
failure: cite a fact instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from _narrative import REPORT, cited_vars, qmd_files

# Tokens of the publication notice and the references: report numbers and the ISBN.
ALLOWED_TOKENS = ("Research Report 772", "ISBN 978 1 908523 19 8",
                  "Research Report 677")  # the interim report, in References

# Phrases where a number word is not a statistic. Matched case-insensitively, as whole words.
ALLOWED_PHRASES = (
    "one of",  # "one of the Child Poverty Pilots"
    "no one",
    "one by one",
    "one at a time",
    "in one place",
    "on one site",
    "wave one",  # the names of the survey waves (wfscc.contract.style.WAVE_LABELS), not counts
    "wave two",
    "only one parent",  # the definition of a potential second earner's household
    "only one partner",
    "as a doubling",  # quoting the published summary's word in order to correct it
)

# Front-matter keys whose values are prose (others, such as papersize or columns, are layout).
PROSE_KEYS = ("title", "subtitle", "author", "date", "abstract", "description")

_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "hundreds", "thousand", "thousands", "million", "millions", "dozen", "dozens", "half",
    "halves", "halved", "quarter", "quarters", "third", "thirds", "twice", "double", "doubled",
    "doubling", "triple", "tripled", "tripling", "quadruple", "quadrupled", "quadrupling",
    "fivefold", "tenfold", "majority", "minority",
)
# "quarter" and "third" also name periods and ranks; these uses are not statistics.
_WORD_EXCEPTIONS = re.compile(
    r"\b(by|each|per|every|calendar|first|second|third|fourth|last|final) quarters?\b"
    r"|\bquarters? of the (pilot|year)\b|\bquarterly\b|\bthird(ly)?\b(?! of)",
    re.IGNORECASE,
)

_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NUMERAL = re.compile(
    r"(?<![\w.\-/#@])[-+−]?[£$€]?\d+(?:,\d{3})*(?:\.\d+)?(?:%|st|nd|rd|th)?|[½¼¾⅓⅔]"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_REFERENCE = re.compile(
    r"\b(Chapter|Chapters|Annex|Section|Sections|Table|Tables|Figure|Figures|Box)\s+"
    r"[A-Z]?\d+(?:\.\d+)*",
)
_HEADING_NUMBER = re.compile(r"^(#{1,6}\s+)(?:(?:Chapter|Annex)\s+)?[A-Z]?\d+(?:\.\d+)*\.?\s", re.M)
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>]*>|https?://\S+")
_ATTRIBUTES = re.compile(r"\{[#.][^{}]*\}")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _prose_front_matter(text: str) -> tuple[str, str]:
    """Split off YAML front matter; return (its prose values joined, the body)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return "", text
    meta = yaml.safe_load(m.group(1)) or {}
    values: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)

    for key in PROSE_KEYS:
        collect(meta.get(key))
    return "\n".join(values), text[m.end():]


def strip_non_prose(text: str) -> str:
    """The prose of a `.qmd` file with facts, markup and allowed tokens blanked out."""
    front, body = _prose_front_matter(text)
    text = front + "\n" + body
    # fenced raw or code blocks are not prose (the chapters have none, but includes might)
    text = re.sub(r"^(`{3,}|~{3,}).*?^\1\s*$", " ", text, flags=re.S | re.M)
    for pattern in (_COMMENT, _SHORTCODE, _CODE, _LINK_TARGET, _AUTOLINK, _ATTRIBUTES):
        text = pattern.sub(" ", text)
    for token in ALLOWED_TOKENS:
        text = text.replace(token, " ")
    text = _HEADING_NUMBER.sub(r"\1", text)
    text = _REFERENCE.sub(" ", text)
    return text


def typed_numbers(text: str) -> list[str]:
    """Every typed number in ``text`` that is not allowed, with its line for context."""
    prose = strip_non_prose(text)
    found: list[str] = []
    for line in prose.splitlines():
        for m in _NUMERAL.finditer(line):
            if not _YEAR.match(m.group(0)):
                found.append(f"numeral {m.group(0)!r} in: {line.strip()}")
        words = line
        for phrase in ALLOWED_PHRASES:
            words = re.sub(rf"\b{re.escape(phrase)}\b", " ", words, flags=re.IGNORECASE)
        words = _WORD_EXCEPTIONS.sub(" ", words)
        for m in _NUMBER_WORD.finditer(words):
            found.append(f"number word {m.group(0)!r} in: {line.strip()}")
    return found


# --- the scanner itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Take-up rose to 14 per cent.",
        "It ran in ten areas.",
        "Take-up doubled.",
        "A vast majority preferred the centre.",
        "There were 1,234 starts.",
        "About 3.5 per cent.",
        "It took 9 months.",
        "Half of the parents.",
        "It took nine months to bed in.",
        "---\ntitle: \"Take-up of 14 per cent\"\n---\nBody.",
    ],
)
def test_scanner_flags_typed_statistics(text: str) -> None:
    assert typed_numbers(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Take-up rose to {{< var takeup_wave2_pilot_pct >}} in 2011.",
        "The pilot was one of the Child Poverty Pilots, announced in 2008.",
        "See Chapter 7 and Table 7.1, or Annex B.",
        "# 7 Outcomes",
        "At wave two, more parents used the service.",
        "Referrals by quarter, in the final quarter of the pilot.",
        "Research Report 772, ISBN 978 1 908523 19 8.",
        "[licence](http://example.org/v3/licence-2.html) and <https://example.org/a1>",
        "| Area | {{< var x >}} |\n\n: Caption {#tbl-takeup2}",
        "---\ntitle: Report\nformat:\n  typst:\n    columns: 2\n---\nBody in 2011.",
        "<!-- a comment with 12 in it -->",
    ],
)
def test_scanner_allows_years_facts_and_references(text: str) -> None:
    assert typed_numbers(text) == []


# --- the narrative ------------------------------------------------------------------------------


def test_the_narrative_exists() -> None:
    names = {p.name for p in qmd_files()}
    config = yaml.safe_load((REPORT.parent / "_quarto.yml").read_text(encoding="utf-8"))
    book = config["book"]
    wanted = [c for c in book["chapters"] if isinstance(c, str)]
    wanted += [c for c in book.get("appendices", []) if isinstance(c, str)]
    wanted.append(config["wfscc"]["summary"])
    missing = [c for c in wanted if Path(c).name not in names]
    assert not missing, f"chapters named in _quarto.yml but missing from report/: {missing}"


@pytest.mark.parametrize("path", qmd_files(), ids=lambda p: p.name)
def test_no_typed_statistics(path: Path) -> None:
    found = typed_numbers(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.name} has typed numbers; cite a fact with {{{{< var name >}}}} instead:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("path", qmd_files(), ids=lambda p: p.name)
def test_only_the_supported_qmd_subset(path: Path) -> None:
    try:
        from wfscc.render._qmd import subset_problems
    except ImportError as exc:  # pragma: no cover - the render package is someone else's
        pytest.skip(f"wfscc.render._qmd not available ({exc})")
    assert subset_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_includes_exist() -> None:
    for path in qmd_files():
        for target in re.findall(r"\{\{<\s*include\s+([^\s>]+)\s*>\}\}", path.read_text()):
            assert (path.parent / target.strip("\"'")).exists(), f"{path.name} includes {target}"


def test_every_cited_fact_is_computed(facts: dict) -> None:
    unknown: dict[str, list[str]] = {}
    for path in qmd_files():
        for name in sorted(set(cited_vars(path.read_text(encoding="utf-8")))):
            if name not in facts:
                unknown.setdefault(name, []).append(path.name)
    assert not unknown, (
        "the narrative cites facts that wfscc.facts.compute_facts does not produce "
        "(see tests/report/facts_needed.md):\n"
        + "\n".join(f"  {n}: {', '.join(files)}" for n, files in sorted(unknown.items()))
    )
