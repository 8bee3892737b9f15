"""Ordinary personal names in free text, from name lists shipped as package data.

The lists (`namelists/`, see its README for source and licence) are the US Census Bureau's 1990
name frequency files: 5,494 given names and 88,799 surnames, public domain. Names that are also
ordinary lower-case English words ("Will", "May", "Grace", "Job", "Green") are marked *common*.

A capitalised word (one that ends in a lower-case letter, so "JCP" and "LS6" are not words here)
is a name when

* it is a listed name that is not common ("Priya", "Tomlinson", "O'Brien", "Smith-Jones"),
  anywhere, or
* it is a common listed name inside a sentence (not its first word): "I asked Will" but not
  "Will it help?", or
* it stands next to a name found by the rules above ("Grace Tomlinson", "met Rhys Bailey"),
  unless it is an unlisted first word of a sentence ("Ask Priya").

Words the reports use as proper nouns ("Jobcentre Plus", "Sure Start", months and days) and the
regions and large towns of Great Britain never are. The lists load on first use and are kept
(measured in `tests/guard/test_names.py`: under 0.2 s and 12 MB).
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Iterator
from importlib.resources import files

# Capitalised words (with "O'Brien", "McKenzie", "Smith-Jones"), ending in a lower-case letter.
_WORD = re.compile(
    r"(?<![\w'\u2019-])[A-Z][A-Za-z'\u2019]*[a-z](?:-[A-Z][A-Za-z'\u2019]*[a-z])*(?![\w-])"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"\u201c\u2018(\[]|\n\s*\n|^\s*[-*])\s*$")
# Never a person in this report's texts.
STOP = frozenset(
    {
        "jobcentre", "plus", "sure", "start", "children", "childrens", "centre", "centres",
        "council", "job", "jobs", "universal", "credit", "tax", "income", "support", "working",
        "lone", "parent", "parents", "advisor", "adviser", "government", "department", "work",
        "pensions", "english", "british", "welsh", "scottish", "irish", "christmas", "easter",
        "god", "mum", "dad", "nan", "gran", "mr", "mrs", "ms", "miss", "dr", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "i", "ok", "okay", "internet", "facebook", "google",
    }
)  # fmt: skip
# Places that are also surnames ("Manchester", "Lincoln"): regions and large towns of Great
# Britain. A place in no list here may be redacted as a name, which errs on the safe side.
PLACES = frozenset(
    {
        "england", "scotland", "wales", "london", "manchester", "birmingham", "leeds", "liverpool",
        "bristol", "sheffield", "newcastle", "nottingham", "leicester", "coventry", "bradford",
        "hull", "york", "lincoln", "chester", "preston", "derby", "stoke", "plymouth", "exeter",
        "norwich", "cambridge", "oxford", "reading", "brighton", "southampton", "portsmouth",
        "bath", "durham", "lancaster", "carlisle", "wigan", "bolton", "oldham", "rochdale",
        "salford", "stockport", "halifax", "huddersfield", "wakefield", "doncaster", "barnsley",
        "rotherham", "sunderland", "middlesbrough", "gateshead", "cardiff", "swansea", "newport",
        "glasgow", "edinburgh", "aberdeen", "dundee", "kent", "essex", "surrey", "sussex",
        "devon", "cornwall", "yorkshire", "lancashire", "cumbria", "midlands", "north", "south",
        "east", "west", "northern", "southern", "eastern", "western", "humber", "tyne", "wear",
    }
)  # fmt: skip


@functools.cache
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(every listed name, the common ones), as lookup keys (`key`)."""
    folder = files("wfscc.guard") / "namelists"

    def read(name: str) -> frozenset[str]:
        return frozenset(gzip.decompress((folder / name).read_bytes()).decode("ascii").split())

    return read("names.txt.gz"), read("common.txt.gz")


def key(word: str) -> str:
    """A word as the lists spell it: lower case, no apostrophes ("O'Brien" → "obrien")."""
    return word.lower().replace("'", "").replace("\u2019", "")


def _kind(word: str, names: frozenset[str], common: frozenset[str]) -> str | None:
    """ "strong", "common" or None for a capitalised word (a compound by its parts)."""
    parts = [key(p) for p in word.split("-")]
    if any(p in STOP or p in PLACES for p in parts):
        return None
    if any(p in names and p not in common for p in parts):
        return "strong"
    if any(p in names for p in parts):
        return "common"
    return None


def find_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every run of personal names in `text` ("Grace Tomlinson" is one run)."""
    names, common = name_lists()
    words = list(_WORD.finditer(text))
    if not words:
        return
    kinds = [_kind(m.group(), names, common) for m in words]
    firsts = [bool(_SENTENCE_START.search(text, max(0, m.start() - 4), m.start())) for m in words]
    is_name = [
        kind == "strong" or (kind == "common" and not first)
        for kind, first in zip(kinds, firsts, strict=True)
    ]
    # Next to a name, capitalised words separated by one space belong to the same name; an
    # unlisted first word of a sentence ("Ask Priya") does not.
    for _ in range(2):
        for i, m in enumerate(words):
            k = key(m.group())
            if is_name[i] or k in STOP or (firsts[i] and kinds[i] is None):
                continue
            # a place is a surname only after a given name ("Abigail Preston")
            for j in (i - 1,) if k in PLACES else (i - 1, i + 1):
                if 0 <= j < len(words) and is_name[j] and _adjacent(text, words, min(i, j)):
                    is_name[i] = True
    i = 0
    while i < len(words):
        if not is_name[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and is_name[j + 1] and _adjacent(text, words, j):
            j += 1
        yield words[i].start(), words[j].end()
        i = j + 1


def _adjacent(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word i and word i + 1 are separated by a single space."""
    return text[words[i].end() : words[i + 1].start()] in (" ", "\u00a0")


def redact_names(text: str, token: str) -> str:
    """`text` with every run of personal names replaced by `token`."""
    spans = list(find_names(text))
    for start, end in reversed(spans):
        text = text[:start] + token + text[end:]
    return text
