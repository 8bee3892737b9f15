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
    """The one pattern of every kind and every name (the exact rule; see :class:`_Redactor`)."""
    tokens, full, titled, bare = _name_tokens(names, places, advisers)
    name_body = P.names_regex(full, titled, bare)
    alts = [_ID_BODY] + ([f"(?P<name>{name_body})"] if name_body else [])
    return re.compile("|".join(alts)), tokens


_ID_BODY = "|".join(
    [
        P.alternation(
            ("email", "ni_number", "phone", "postcode", "postcode_cue", "outward"),
            ignore_case=frozenset({"postcode", "postcode_cue"}),
        ),
        f"(?P<record_id>{_RECORD_ID})",
    ]
)
_WORD = re.compile(r"[A-Za-z]+")
_TITLE_WORDS = frozenset(["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof"])


def _key(name: str) -> str | None:
    """A name's first run of ASCII letters, lower-cased; None when the name does not begin
    with an ASCII letter (it could then match where no such run begins)."""
    m = _WORD.match(name)
    return m.group().lower() if m else None


class _Redactor:
    """:func:`redact_text`'s one pattern (identifiers, then every name), applied in a time
    linear in the text and in the number of names.

    The one pattern tries every name at every character: its cost is the number of names
    times the length of the text, so redacting every excerpt grew with the square of the number
    of areas. Here a name is tried only where it can match: a name beginning with an ASCII
    letter matches only where a run of ASCII letters begins that equals its first run (in any
    case), since the name cannot follow a letter and cannot run on into one; a titled surname
    only after a title. At such a place the pattern of the names that share that first run is
    tried (the same alternatives, in the same order, as in the one pattern); identifiers are
    found with the identifiers' part of the pattern; the leftmost match wins, an identifier
    before a name at the same place, as in the one pattern. Texts with letters outside ASCII
    (which a case-insensitive pattern may equate with ASCII letters: the Kelvin sign, the long
    s) and names that do not begin with an ASCII letter take the one pattern.
    """

    def __init__(self, names: tuple[str, ...], places: tuple[str, ...], advisers: tuple[str, ...]):
        self._lists = (names, places, advisers)
        self.tokens, full, titled, bare = _name_tokens(names, places, advisers)
        self._full: dict[str, set[str]] = {}
        self._titled: dict[str, set[str]] = {}
        self._bare: dict[str, set[str]] = {}
        self._exact = False  # a name that only the one pattern finds exactly
        for forms, index in ((full, self._full), (titled, self._titled), (bare, self._bare)):
            for name in forms:
                key = _key(name) if name.isascii() else None
                if key is None:
                    self._exact = True
                index.setdefault(key, set()).add(name)
        self.ids = re.compile(_ID_BODY)
        self._at: dict[tuple[str, str], re.Pattern[str] | None] = {}

    def _names_at(self, word: str, after_title: str) -> re.Pattern[str] | None:
        """The name pattern of the names that may match where ``word`` begins (``after_title``:
        the key of the next run when ``word`` is a title, else "")."""
        key = (word, after_title)
        if key not in self._at:
            low = word.lower()
            body = P.names_regex(
                self._full.get(low, ()),
                self._titled.get(after_title, ()) if after_title else (),
                self._bare.get(low, ()),
            )
            self._at[key] = re.compile(f"(?P<name>{body})") if body else None
        return self._at[key]

    def _places(self, text: str) -> list[tuple[int, re.Pattern[str]]]:
        """Where a name may begin in ``text``, with the pattern to try there, in order."""
        words = list(_WORD.finditer(text))
        out = []
        for i, m in enumerate(words):
            word = m.group()
            low = word.lower()
            after = ""
            if word in _TITLE_WORDS and i + 1 < len(words):
                after = words[i + 1].group().lower()
                if after not in self._titled:
                    after = ""
            if after or low in self._full or low in self._bare:
                rx = self._names_at(word if not after else word, after)
                if rx is not None:
                    out.append((m.start(), rx))
        return out

    def sub(self, replace, text: str) -> str:
        """``text`` with every match replaced by ``replace(match)``, as the one pattern's
        ``sub`` gives."""
        if self._exact or not all(c.isascii() or not c.isalnum() for c in text):
            return _compiled(*self._lists)[0].sub(replace, text)
        places = self._places(text)
        out: list[str] = []
        pos, k, found = 0, 0, None
        while True:
            if found is None or found.start() < pos:
                found = self.ids.search(text, pos)
            limit = found.start() if found else len(text) + 1
            hit = None
            while k < len(places) and places[k][0] < limit:
                at, rx = places[k]
                k += 1
                if at >= pos:
                    hit = rx.match(text, at)
                    if hit:
                        break
            hit = hit or found
            if hit is None:
                out.append(text[pos:])
                return "".join(out)
            out.append(text[pos : hit.start()])
            out.append(replace(hit))
            pos = hit.end()


@lru_cache(maxsize=32)
def _redactor(
    names: tuple[str, ...], places: tuple[str, ...], advisers: tuple[str, ...]
) -> _Redactor:
    return _Redactor(names, places, advisers)


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
    return _redact(_redactor(tuple(names), tuple(places), tuple(advisers)), text, ordinary_names)


def _redact(redactor: _Redactor, text: str, ordinary_names: bool = True) -> str:
    tokens = redactor.tokens

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

    text = redactor.sub(replace, text)
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
    redactor = _redactor((), places, advisers)  # built once: its cost grows with the names
    out["excerpt"] = pd.Series(
        [_redact(redactor, v) if isinstance(v, str) and v else v for v in excerpts],
        index=excerpts.index,
        dtype=excerpts.dtype,
    )
    return out


def _column_values(frame: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in frame.columns:
        return ()
    values = frame[column].dropna().astype(str).str.strip()
    return tuple(sorted(set(values[values != ""])))
