"""Redaction of free text: names, places and personal identifiers become role tokens.

Redaction runs on interview excerpts before anything else sees them. It is deliberately broader than
the guard (`scan.py`): everything the guard would flag is removed, and a little more (lower-case
postcodes, bare outward codes, record ids of every shape in the data contract).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from . import _patterns as P
from ._names import redact_names

ADVISER = "[adviser]"
CENTRE = "[centre]"
NAME = "[name]"
ID = "[id]"
PHONE = "[phone]"
EMAIL = "[email]"
POSTCODE = "[postcode]"

# Given names and surnames that are also ordinary words: redacted only in full or after a title.
COMMON_WORDS = frozenset(
    [
        "april",
        "august",
        "may",
        "june",
        "grace",
        "hope",
        "faith",
        "joy",
        "rose",
        "lily",
        "iris",
        "holly",
        "ruby",
        "amber",
        "dawn",
        "summer",
        "autumn",
        "will",
        "bill",
        "mark",
        "pat",
        "sue",
        "frank",
        "rob",
        "guy",
        "jack",
        "may",
        "art",
        "chase",
        "dean",
        "sterling",
        "rich",
        "king",
        "young",
        "green",
        "brown",
        "white",
        "black",
        "gray",
        "grey",
        "hall",
        "wood",
        "hill",
        "park",
        "price",
        "long",
        "short",
        "field",
        "cook",
        "baker",
        "bell",
        "rose",
        "page",
        "parks",
        "day",
        "march",
        "north",
        "south",
        "west",
        "east",
        "lane",
        "moss",
        "fisher",
        "wall",
        "street",
        "english",
        "welsh",
        "ball",
    ]
)

# Record ids of every shape in the data contract (the NI-style participant id is a pattern kind).
_RECORD_ID = r"(?<![A-Za-z0-9])(?:INT-\d{4,5}|[SR]\d{6})(?![A-Za-z0-9])"
_KIND_TOKEN = {
    "email": EMAIL,
    "ni_number": ID,
    "phone": PHONE,
    "postcode": POSTCODE,
    "postcode_cue": POSTCODE,
    "outward": POSTCODE,
    "record_id": ID,
}


def _name_tokens(
    names: Iterable[str], places: Iterable[str], advisers: Iterable[str]
) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    """Lookup from normalised name to token, and the full / titled / bare forms to search for."""
    tokens: dict[str, str] = {}
    full: set[str] = set()
    titled: set[str] = set()
    bare: set[str] = set()
    # Later groups do not overwrite earlier ones: an adviser's surname stays "[adviser]".
    for group, token in ((advisers, ADVISER), (places, CENTRE), (names, NAME)):
        for raw in group:
            if raw is None or (isinstance(raw, float) and pd.isna(raw)):
                continue
            name = " ".join(str(raw).split())
            if not name:
                continue
            full.add(name)
            tokens.setdefault(P.name_key(name), token)
            if token == CENTRE:
                continue
            parts = name.split()
            if len(parts) > 1:
                titled.add(parts[-1])
                tokens.setdefault(P.name_key(parts[-1]), token)
            for part in parts:
                if len(part) >= 3 and part[0].isupper() and part.lower() not in COMMON_WORDS:
                    bare.add(part)
                    tokens.setdefault(P.name_key(part), token)
    return tokens, full, titled, bare


@lru_cache(maxsize=32)
def _compiled(
    names: tuple[str, ...], places: tuple[str, ...], advisers: tuple[str, ...]
) -> tuple[re.Pattern[str], dict[str, str]]:
    tokens, full, titled, bare = _name_tokens(names, places, advisers)
    kinds = ("email", "ni_number", "phone", "postcode", "postcode_cue", "outward")
    alts = [P.alternation(kinds, ignore_case=frozenset({"postcode", "postcode_cue"}))]
    alts.append(f"(?P<record_id>{_RECORD_ID})")
    name_body = P.names_regex(full, titled, bare)
    if name_body:
        alts.append(f"(?P<name>{name_body})")
    return re.compile("|".join(alts)), tokens


def redact_text(
    text: str,
    *,
    names: Iterable[str] = (),
    places: Iterable[str] = (),
    advisers: Iterable[str] = (),
    ordinary_names: bool = True,
) -> str:
    """Replace personal data in `text` with role tokens.

    `advisers` → "[adviser]", `names` → "[name]", `places` (centre names) → "[centre]"; a full name
    matches in any case and across line breaks, a surname after a title ("Mrs Khan") and a
    capitalised given name or surname on its own (unless it is also a common word, like "Hope").
    National Insurance-style numbers (including the fake `QQ` participant ids and spaced forms) and
    record ids (`INT-0001`, `S123456`, `R123456`) → "[id]"; UK phone numbers → "[phone]"; e-mail
    addresses → "[email]"; UK postcodes, full or outward code only ("LS6", "postcode N1") →
    "[postcode]". Codes such as `P01`, `P01-A` and `C03`, years and "per cent" figures are kept.
    With `ordinary_names` (the default), personal names that are in no list given here but in
    the name lists the package ships (`_names`: "Susan Tomlinson", "I asked Will") → "[name]".
    """
    if not isinstance(text, str) or not text:
        return text
    rx, tokens = _compiled(tuple(names), tuple(places), tuple(advisers))

    def replace(m: re.Match[str]) -> str:
        group = m.lastgroup
        value = m.group()
        if group == "name":
            return tokens.get(P.name_key(value), NAME)
        if group == "postcode_cue":
            start, end = m.span("cued")
            return value[: start - m.start()] + POSTCODE + value[end - m.start() :]
        if group == "ni_number" and not P.valid("ni_number", value):
            # a mixed-case shape: still an identifier-like string in an excerpt, so redact it
            return ID
        if group in ("email", "phone", "postcode", "outward") and not P.valid(group, value):
            return value
        return _KIND_TOKEN[group]

    text = rx.sub(replace, text)
    return redact_names(text, NAME) if ordinary_names else text


def redact_interviews(interviews: pd.DataFrame, centres: pd.DataFrame) -> pd.DataFrame:
    """A copy of `interviews` with every excerpt redacted; the input frame is not changed.

    Adviser names (`centres.adviser_name`) become "[adviser]" and centre names
    (`centres.centre_name`) "[centre]"; identifiers, phones, e-mails and postcodes as in
    `redact_text`, and ordinary personal names (from the shipped name lists) "[name]".
    """
    out = interviews.copy()
    if "excerpt" not in out.columns:
        return out
    advisers = _column_values(centres, "adviser_name")
    places = _column_values(centres, "centre_name")
    excerpts = out["excerpt"]
    out["excerpt"] = pd.Series(
        [
            redact_text(v, advisers=advisers, places=places) if isinstance(v, str) else v
            for v in excerpts
        ],
        index=excerpts.index,
        dtype=excerpts.dtype,
    )
    return out


def _column_values(frame: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in frame.columns:
        return ()
    values = frame[column].dropna().astype(str).str.strip()
    return tuple(sorted(set(values[values != ""])))
