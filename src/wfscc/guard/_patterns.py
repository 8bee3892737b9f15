"""The regular expressions shared by redaction and the guard, and the masks used in messages.

Redaction must remove everything the guard flags (so redacted text always passes the guard); it may
remove more. Both therefore build on the same pieces here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Every UK postcode area (geographic ones plus the few non-geographic ones in use).
POSTCODE_AREAS = (  # noqa: SIM905 - a list of 124 codes reads better as words
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL "
    "DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW "
    "KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH "
    "RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF "
    "WN WR WS WV YO ZE"
).split()
_AREA = "|".join(sorted(POSTCODE_AREAS, key=lambda a: (-len(a), a)))
_OUTWARD = rf"(?:{_AREA})\d[A-Z\d]?"
# The inward code's letters never use C, I, K, M, O or V.
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
_SP = r"[ \u00a0]?"
_NA = r"(?![A-Za-z0-9])"  # not glued to a following letter or digit


def first(cls: str, before: str = "A-Za-z0-9") -> str:
    """`cls` not glued to a preceding letter or digit, written class-first.

    Python's regex engine skips quickly to a pattern's first character only if the pattern starts
    with a literal or a character class, so the "nothing before" look-behind comes second.
    """
    return f"{cls}(?<![{before}]{cls})"


# Two-letter area + district tokens that are common non-postcode terms.
OUTWARD_STOPLIST = frozenset({"CO2", "NO2", "SO2", "HS2", "PM2", "SE1"})
_PHONE_BODY = (
    r"(?:\d{10}|\d{4}\)?_\d{6}|\d{4}\)?_\d{3}_\d{3}|\d{3}\)?_\d{3}_\d{4}|\d{2}\)?_\d{4}_\d{4})"
    r"(?![\w/]|\.\d)"
).replace("_", r"[ \u00a0-]?")

PATTERNS: dict[str, str] = {
    # Local part of at least one character; the domain ends in an alphabetic top-level domain.
    "email": r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
    # National Insurance-style: two letters, six digits (optionally in spaced pairs), one letter.
    "ni_number": rf"{first('[A-Za-z]')}[A-Za-z](?:{_SP}\d\d){{3}}{_SP}[A-Za-z]{_NA}",
    # UK phone numbers: +44 or a leading 0, then ten digits in the usual groupings.
    "phone": (
        r"(?:\+(?<![\w.+/-]\+)44[ \u00a0]?(?:\(0\)[ \u00a0]?)?|\((?<![\w.+/-]\()0|0(?<![\w.+/-]0))"
        + _PHONE_BODY
    ),
    # Full postcodes; the area (one or two letters) is checked against the list in `valid`.
    "postcode": rf"{first('[A-Z]')}[A-Z]?\d[A-Z\d]?{_SP}{_INWARD}{_NA}",
    # An outward code on its own, after the word "postcode" ("postcode LS6", "post code: N1").
    "postcode_cue": (
        rf"{first('[Pp]', 'A-Za-z')}(?i:ost[ -]?codes?(?:\s+(?:area|district))?\s*"
        rf"(?:is|was|of|:|-)?\s*)(?P<cued>{_OUTWARD}){_NA}"
    ),
    # A bare outward code with a two-letter area ("LS6", "SW1A"): prose only, never code.
    "outward": rf"{first('[A-Z]', 'A-Za-z0-9-')}[A-Z]\d[A-Z\d]?(?![A-Za-z0-9-])",
}
# What every match of a pattern holds, written digit-first (the regex engine skips quickly to
# a digit, where the patterns above start at every capital or every letter): a text in which
# this is not found cannot match that pattern, and is not searched with it; in one where it is,
# no match of the pattern starts more than `PREFILTER_LEAD[kind]` characters before it. (The
# postcode patterns start at capitals only: a prefilter costs them as much as it saves.)
# NI-style: the two letters (a space between), not glued to what is before them, then the
# digits and the final letter, not glued to what follows.
_NI_LETTERS = r"[A-Za-z]{2}", r"[A-Za-z]{2}[ \u00a0]"
PREFILTERS: dict[str, str] = {
    "ni_number": (
        r"\d(?:"
        + "|".join(f"(?<={x}\\d)(?<![A-Za-z0-9]{x}\\d)" for x in _NI_LETTERS)
        + rf")\d(?:{_SP}\d\d){{2}}{_SP}[A-Za-z]{_NA}"
    ),
}
PREFILTER_LEAD = {"ni_number": 3}
# In a text of ASCII characters only, every match of these holds this word in lower case (the
# patterns' case-insensitive parts also match a few other characters, such as "ſ" for "s").
PREFILTER_WORDS = {"postcode_cue": "post"}
# For long texts, e-mails are found from their "@" (see `find_emails`).
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9][\w.+-]*\Z")


def _is_fake_area(area: str) -> bool:
    """No UK postcode area starts with Q: the synthetic data plants fake postcodes there
    ("QX4 7ZZ"), and they must be caught (and redacted) like real ones."""
    return area[:1] in "Qq"


_FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "json", "html"})
_AREAS = frozenset(POSTCODE_AREAS)


def find_emails(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, address) of every e-mail address, found from its "@" (fast on long texts)."""
    for m in _EMAIL_DOMAIN.finditer(text):
        at = m.start()
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        if local is None or (local.start() and text[local.start() - 1] in "+-."):
            continue
        address = text[local.start() : m.end()]
        if valid("email", address):
            yield local.start(), m.end(), address


def valid(kind: str, text: str) -> bool:
    """Post-filter a raw regex match: checks that are awkward to say in the pattern itself."""
    if kind == "email":
        return text.rsplit(".", 1)[-1].lower() not in _FILE_TLDS
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        if text.lstrip().startswith("+44"):
            digits = digits[2:]
            digits = digits if digits.startswith("0") else "0" + digits
        return len(digits) == 11 and digits[1] in "123789"
    if kind == "ni_number":
        letters = "".join(c for c in text if c.isalpha())
        if " " in text or "\u00a0" in text:
            return letters.isupper()
        return letters.isupper() or letters.islower()
    if kind == "postcode":
        area = re.match(r"[A-Za-z]+", text)
        return bool(area) and (area.group().upper() in _AREAS or _is_fake_area(area.group()))
    if kind == "outward":
        return text[:2] in _AREAS and text not in OUTWARD_STOPLIST
    return True


def alternation(kinds: Iterable[str], *, ignore_case: frozenset[str] = frozenset()) -> str:
    """One pattern with a named group per kind, in the order given."""
    parts = []
    for kind in kinds:
        body = PATTERNS[kind]
        if kind in ignore_case:
            body = f"(?i:{body})"
        parts.append(f"(?P<{kind}>{body})")
    return "|".join(parts)


# --- names -----------------------------------------------------------------------------------

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?"
_APOS = "'\u2019"


def name_key(text: str) -> str:
    """Normalise a name for lookup: no title, one space between parts, lower case, plain quote."""
    text = re.sub(rf"^{TITLES}\s+", "", text.strip())
    text = re.sub(r"\s+", " ", text).replace("\u2019", "'")
    return text.lower()


def name_pattern(name: str) -> str:
    """A pattern matching `name` with any run of white space between its parts."""
    parts = [re.escape(p).replace("'", f"[{_APOS}]") for p in name.split()]
    return r"\s+".join(parts)


def names_regex(full: Iterable[str], titled: Iterable[str], bare: Iterable[str]) -> str | None:
    """Full names (any case), titled surnames ("Ms Patel") and bare capitalised parts.

    Full names match case-insensitively; the others only as written (capitalised), so that a surname
    such as "Green" does not catch the colour.
    """
    alts = []
    full = sorted(set(full), key=len, reverse=True)
    if full:
        alts.append("(?i:" + "|".join(name_pattern(n) for n in full) + ")")
    titled = sorted(set(titled), key=len, reverse=True)
    if titled:
        alts.append(TITLES + r"\s+(?:" + "|".join(name_pattern(n) for n in titled) + ")")
    bare = sorted(set(bare), key=len, reverse=True)
    if bare:
        alts.append("(?:" + "|".join(name_pattern(n) for n in bare) + ")")
    if not alts:
        return None
    return _NAME_BEFORE + "(?:" + "|".join(alts) + ")" + _NAME_AFTER


_NAME_BEFORE = r"(?<![\w'’-])"
# Not glued to more of a word ("Smithson", "Smith-Jones"), but a possessive "Smith's" is a match.
_NAME_AFTER = r"(?!\w|-\w|['\u2019](?![sS]\b)\w)"


# Everything that separates words: ASCII punctuation, digits and the common Unicode punctuation.
_SEPARATORS = {
    c: " "
    for c in [*range(0x41), *range(0x5B, 0x61), *range(0x7B, 0xC0)]
    + [*range(0x2000, 0x2070), 0x3000, 0xFEFF]
}


# Up to this many first words, each is looked for with `in` (about 3 ms per 5 MB of text); with
# more, the text's words are listed once instead (about 0.1 s per 5 MB).
_FEW_KEYS = 32


def _first_word(name: str) -> str:
    """The lookup key of a name: its first run of letters, lower-cased ("O'Neil" → "o")."""
    m = re.match(r"[^\W\d_]+", name.lower())
    return m.group() if m else name.lower()


class NameMatcher:
    """Finds names fast in long texts.

    One alternation of hundreds of names makes Python's regex engine try every name at every
    character (under 1 MB/s). Here each name's first word is found with `str.find` on the
    lower-cased text (C speed) and only there are the names that start with it tried (one
    alternation per first word, longest name first); titled surnames are found by a pattern that
    starts with the title's literal letters. Which first words to look for: with a few, those
    found anywhere in the text (`in`, C speed); with many, those among the text's words.
    """

    def __init__(self, full: Iterable[str], titled: Iterable[str], bare: Iterable[str]):
        first: dict[str, list[str]] = {}
        for name in sorted(set(full), key=len, reverse=True):
            pattern = f"(?i:{name_pattern(name)}){_NAME_AFTER}"
            first.setdefault(_first_word(name), []).append(pattern)
        for name in sorted(set(bare), key=len, reverse=True):  # as written: case-sensitive
            first.setdefault(_first_word(name), []).append(f"{name_pattern(name)}{_NAME_AFTER}")
        # the first of a word's patterns that matches, as when they are tried one by one
        self._first = {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in first.items()}
        titled = sorted(set(titled), key=len, reverse=True)
        self._titled = (
            re.compile(TITLES + r"\s+(?:" + "|".join(map(name_pattern, titled)) + ")" + _NAME_AFTER)
            if titled
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._first or self._titled)

    def finditer(self, text: str) -> Iterable[tuple[int, int, str]]:
        """(start, end, matched text) of every name in `text`, possibly overlapping."""
        lower = text.lower()
        if len(lower) != len(text):  # a few characters change length when lower-cased
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        if len(self._first) <= _FEW_KEYS:
            keys = [key for key in self._first if key in lower]
        else:
            keys = set(lower.translate(_SEPARATORS).split()) & self._first.keys()
        for key in keys:
            rx = self._first[key]
            i = lower.find(key)
            while i >= 0:
                if not (i and (text[i - 1].isalnum() or text[i - 1] in "_'\u2019-")):
                    m = rx.match(text, i)
                    if m:
                        yield i, m.end(), m.group()
                i = lower.find(key, i + 1)
        if self._titled is not None:
            for m in self._titled.finditer(text):
                i = m.start()
                if not (i and (text[i - 1].isalnum() or text[i - 1] in "_'\u2019-")):
                    yield i, m.end(), m.group()


# --- masks -----------------------------------------------------------------------------------


def mask(kind: str, text: str) -> str:
    """Show enough of a match to find it, not enough to read it."""
    text = re.sub(r"\s+", " ", text.strip())
    if kind == "email":
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == "name":
        return " ".join(p[:1] + "***" for p in text.split())
    if kind == "phone":
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        keep = set(digits[:3]) | set(digits[-2:])
        return "".join(c if (not c.isdigit() or i in keep) else "*" for i, c in enumerate(text))
    if kind == "postcode":
        head, _, tail = text.partition(" ")
        return f"{head} ***" if tail else text[:2] + "*" * (len(text) - 2)
    # identifiers, NI-style numbers: keep the first four and the last character
    compact = text.replace(" ", "")
    if len(compact) <= 5:
        return compact[:1] + "*" * (len(compact) - 1)
    return compact[:4] + "*" * (len(compact) - 5) + compact[-1]
