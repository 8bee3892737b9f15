"""Finding leaks in a piece of text: one combined regex per mode, plus set lookups for identifiers.

`Detector` is built once per scan from the data's identifiers and the names to look for.
Identifiers are not turned into one alternative each (there can be a million): the detector learns
their *shapes* (`QQ123456C` → two letters, six digits, a letter) and compiles one pattern per
shape; a match is a leak only if the matched text is in the identifier set.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..memo import sha256
from ..outputs.disclosure import ALLOWED_UNITS, PROTECTED_UNITS
from . import _patterns as P
from ._headers import might_have_raw_header, raw_header_lines
from ._prose import small_counts_in_text

_SHAPE_TABLE = str.maketrans(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "9" * 10 + "A" * 52
)
_MAX_SHAPES = 64

# Kinds searched in "code" (CSS, JS, raw markup) and in prose; bare outward codes only in prose.
# E-mail addresses are found separately, from their "@".
_CODE_KINDS = ("ni_number", "phone", "postcode", "postcode_cue")
_PROSE_KINDS = (*_CODE_KINDS, "outward")
# In vendored third-party assets (Pagefind's UI), only what can come from our data is searched.
_VENDORED_KINDS = ("ni_number",)
_MODES = {"code": _CODE_KINDS, "prose": _PROSE_KINDS, "vendored": _VENDORED_KINDS}
# Texts analysed (`Detector.analyse`) kept per detector; beyond this many, it starts again.
_MAX_SEEN = 20_000
_PRIORITY = {"identifier": 0, "ni_number": 1, "email": 2, "phone": 3, "postcode": 4, "name": 5}

# A table column counts people or records if its name has one of COUNT_WORDS and none of
# NOT_COUNT_WORDS ("starts", "Number of parents", "job_entry", "n"; not "Share of starts",
# "steady_month", "rank" or "Number of centres"). Columns named by category ("2009 Q1", a crosstab's
# levels) are not recognised here: such tables are checked through their tables.json manifest.
# What is counted comes from the disclosure rules (`wfscc.outputs.disclosure`): counts of people
# or their records are checked, counts of LAs, waves, interviews ... are not.
COUNT_WORDS = PROTECTED_UNITS | frozenset(
    {"n", "count", "counts", "number", "frequency", "freq", "total", "start", "referred", "entry"}
)
NOT_COUNT_WORDS = ALLOWED_UNITS | frozenset(
    {
        "percent", "percentage", "pct", "per", "cent", "share", "rate", "ratio", "proportion",
        "mean", "average", "median", "rank", "ranking", "priority", "score", "lower", "upper",
        "interval", "ci", "se", "change", "difference", "date", "month", "year", "week", "day",
        "wave", "quarter", "age", "id", "code", "weight",
    }
)  # fmt: skip
# Role words before a listed name ("Adviser Jo Bloggs"): the person's name alone is looked for too.
ROLE_WORDS = frozenset({"adviser", "advisor", "mr", "mrs", "ms", "miss", "mx", "dr", "prof"})

KIND_OF_GROUP = {
    "ni_number": "ni_number",
    "phone": "phone",
    "postcode": "postcode",
    "postcode_cue": "postcode",
    "outward": "postcode",
}


@dataclass(frozen=True)
class Hit:
    """One match in a text: kind, span, the matched text (kept internal) and its mask."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        return P.mask(self.kind, self.text)


@dataclass(frozen=True)
class Analysis:
    """What `Detector.analyse` finds in a text: hits, small counts (start, end, unit) and raw
    header lines (offset, line)."""

    hits: list[Hit]
    counts: list[tuple[int, int, str]]
    headers: list[tuple[int, str]]


def _shape_pattern(shape: str) -> str:
    """`AA999999A` → `[A-Za-z]{2}\\d{6}[A-Za-z]` (other characters literal)."""
    out = []
    for run in re.finditer(r"A+|9+|[^A9]+", shape):
        s = run.group()
        if s[0] == "A":
            out.append(f"[A-Za-z]{{{len(s)}}}")
        elif s[0] == "9":
            out.append(rf"\d{{{len(s)}}}")
        else:
            out.append(re.escape(s))
    return "".join(out)


def _shape_prefilter(shape: str) -> str | None:
    """What every match of this shape's identifier regex holds, written digit-first (see
    `_patterns.PREFILTERS`): the shape from its first digit on, with what comes before it as a
    look-behind, not glued to a letter or digit on either side (`A999999` →
    `\\d(?<=[A-Za-z]\\d)(?<![A-Za-z0-9][A-Za-z]\\d)\\d{5}(?![A-Za-z0-9])`); it is found at most
    `shape.find("9")` characters after the match starts. None for a shape without digits."""
    digit = shape.find("9")
    if digit < 0:
        return None
    head = _shape_pattern(shape[:digit])
    before = f"(?<={head}\\d)" if digit else ""
    return rf"\d{before}(?<![A-Za-z0-9]{head}\d){_shape_pattern(shape[digit + 1 :])}(?![A-Za-z0-9])"


def _identifier_regexes(
    shapes: set[str],
) -> list[tuple[re.Pattern[str], re.Pattern[str] | None, int]]:
    """One regex per kind of first character (letter, digit, other), each class-first for speed,
    with its prefilter (None when a shape has no digits) and how far before the prefilter's
    first match the regex's first match can start: a text without the prefilter has no match."""
    groups: dict[str, list[str]] = {}
    for shape in shapes:
        head = shape[0] if shape[0] in "A9" else re.escape(shape[0])
        groups.setdefault(head, []).append(shape)
    out = []
    for head, group in groups.items():
        rests = [_shape_pattern(shape[1:]) if len(shape) > 1 else "" for shape in group]
        cls = {"A": "[A-Za-z]", "9": r"\d"}.get(head, head)
        body = "|".join(sorted(set(rests), key=len, reverse=True))
        pres = [_shape_prefilter(shape) for shape in group]
        pre = None if None in pres else re.compile("|".join(sorted(set(pres))))  # type: ignore
        lead = max(shape.find("9") for shape in group)
        out.append((re.compile(f"{P.first(cls)}(?:{body})(?![A-Za-z0-9])"), pre, lead))
    return out


class Detector:
    """Searches text for identifiers, names and the personal-data patterns."""

    def __init__(
        self,
        identifiers: Iterable[str] = (),
        names: Iterable[str] = (),
        places: Iterable[str] = (),
    ):
        ids = set(identifiers)
        if not all(type(i) is str for i in ids):
            ids = {str(i) for i in ids}
        if any(i != i.strip() for i in ids):
            ids = {i.strip() for i in ids}
        ids.discard("")
        self.identifiers = frozenset(ids)
        shapes = {i.translate(_SHAPE_TABLE) for i in ids}
        self._token_fallback = len(shapes) > _MAX_SHAPES
        self._ident = [] if self._token_fallback else _identifier_regexes(shapes)
        full, titled = set(), set()
        for raw in [*names, *places]:
            name = " ".join(str(raw).split())
            if not name:
                continue
            full.update(name_forms(name))
            titled.add(name.split()[-1])
        self.names = frozenset(full)
        # A full name matches in any case; a single listed name only as written (capitalised).
        self._names = P.NameMatcher(
            (n for n in full if " " in n), titled, (n for n in full if " " not in n)
        )
        self._rx = {
            mode: [(k, re.compile(P.PATTERNS[k]), _prefilter(k)) for k in kinds]
            for mode, kinds in _MODES.items()
        }
        # every prefilter of a mode in one search: most texts have none, and one pass that
        # finds none of them tells as much as a pass for each
        pres = [pre.pattern for _, pre, _ in self._ident if pre is not None]
        self._any_pre = {
            mode: re.compile(
                "|".join(
                    f"(?:{p})"
                    for p in [*pres, *(pre.pattern for _, _, pre in rxs if pre is not None)]
                )
            )
            for mode, rxs in self._rx.items()
        }
        self._seen: dict[tuple, Analysis] = {}

    def _is_identifier(self, token: str) -> bool:
        return token in self.identifiers or (token.islower() and token.upper() in self.identifiers)

    def _hits(self, text: str, mode: str) -> Iterator[Hit]:
        none = self._any_pre[mode].search(text) is None  # no prefilter is found
        for rx, pre, lead in self._ident:
            if none and pre is not None:
                continue
            for m in _prefiltered(rx, pre, lead, text):
                if self._is_identifier(m.group()):
                    yield Hit("identifier", m.start(), m.end(), m.group())
        if self._token_fallback:
            for m in re.finditer(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text):
                if self._is_identifier(m.group()):
                    yield Hit("identifier", m.start(), m.end(), m.group())
        lower = text.lower() if text.isascii() else None
        for group, rx, pre in self._rx[mode]:
            if none and pre is not None:
                continue
            word = P.PREFILTER_WORDS.get(group)
            if word is not None and lower is not None and word not in lower:
                continue
            for m in _prefiltered(rx, pre, P.PREFILTER_LEAD.get(group, 0), text):
                if group == "postcode_cue":
                    start, end = m.span("cued")
                    yield Hit("postcode", start, end, m.group("cued"))
                elif P.valid(group, m.group()):
                    yield Hit(KIND_OF_GROUP[group], m.start(), m.end(), m.group())
        if mode != "vendored" and "@" in text:
            for start, end, value in P.find_emails(text):
                yield Hit("email", start, end, value)
        for start, end, value in self._names.finditer(text):
            yield Hit("name", start, end, value)

    def analyse(
        self, text: str, mode: str, threshold: int, *, one_value_per_line: bool, header_lines: bool
    ) -> Analysis:
        """What a segment's text holds: `find`, in prose its small counts
        (`small_counts_in_text`), and if `header_lines` (not in vendored text) its raw-record
        header lines (`raw_header_lines`).

        Kept by the text's content for the detector's life, so that a text met again (a chart
        in its notebook and as the site's asset, the same part of several workbooks) is not
        searched again; every file it is in still reports what it holds (the offsets are the
        text's own). The lists returned are shared: not to be changed."""
        data = text.encode("utf-8", "surrogatepass")
        key = (sha256(data).digest(), mode, threshold, one_value_per_line, header_lines)
        done = self._seen.get(key)
        if done is None:
            counts = []
            if mode == "prose":
                counts = list(
                    small_counts_in_text(text, threshold, one_value_per_line=one_value_per_line)
                )
            headers = []
            if header_lines and mode != "vendored" and might_have_raw_header(text):
                headers = list(raw_header_lines(text))
            done = Analysis(self.find(text, mode=mode), counts, headers)
            if len(self._seen) >= _MAX_SEEN:
                self._seen.clear()
            self._seen[key] = done
        return done

    def find(self, text: str, *, mode: str = "prose") -> list[Hit]:
        """Every leak in `text`, in order, without overlaps (an id beats the NI-style shape).

        `mode` is "prose", "code" (no bare outward codes) or "vendored" (ids, names and NI-style
        numbers only).
        """
        hits = sorted(self._hits(text, mode), key=lambda h: (h.start, _PRIORITY[h.kind], -h.end))
        out: list[Hit] = []
        for hit in hits:
            if out and hit.start < out[-1].end:
                continue
            out.append(hit)
        return out


def _prefiltered(
    rx: re.Pattern[str], pre: re.Pattern[str] | None, lead: int, text: str
) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`, searched from where its prefilter `pre` is first found (less `lead`
    characters), and not at all if it is not: no match of `rx` starts before that."""
    if pre is None:
        return rx.finditer(text)
    found = pre.search(text)
    if found is None:
        return iter(())
    return rx.finditer(text, max(0, found.start() - lead))


@functools.cache
def _prefilter(kind: str) -> re.Pattern[str] | None:
    pattern = P.PREFILTERS.get(kind)
    return None if pattern is None else re.compile(pattern)


# The detector of the latest scan's parameters, for the next scan with the same ones.
_LATEST: dict[str, Detector] = {}


def detector_for(
    params: str, identifiers: Iterable[str], names: Iterable[str], places: Iterable[str]
) -> Detector:
    """The `Detector` for a scan whose parameters digest to `params` (`_memo.params_digest`):
    the one of the scan before when they are the same (the build's early scans and its check of
    the whole site), with the texts it has analysed, else a new one. `forget` drops it."""
    detector = _LATEST.get(params)
    if detector is None:
        detector = Detector(identifiers, names, places)
        _LATEST.clear()
        _LATEST[params] = detector
    return detector


def forget(params: str) -> None:
    """Drop the detector kept for `params` (at the end of a scan of the whole site)."""
    _LATEST.pop(params, None)


def name_forms(name: str) -> set[str]:
    """A listed name and, after leading role words, the person's own name and the role with the
    surname: "Adviser Jo Bloggs" → also "Jo Bloggs" and "Adviser Bloggs"."""
    parts = name.split()
    i = 0
    while i < len(parts) and parts[i].rstrip(".").lower() in ROLE_WORDS:
        i += 1
    if i == 0 or len(parts) - i < 2:
        return {name}
    return {name, " ".join(parts[i:]), " ".join([*parts[:i], parts[-1]])}


def is_count_column(name: str) -> bool:
    """Whether a column of this name holds counts of people or records (see COUNT_WORDS)."""
    words = set(re.findall(r"[a-z0-9]+", name.lower()))
    return bool(words & COUNT_WORDS) and not words & NOT_COUNT_WORDS and "%" not in name


def _count_value(text: str) -> float | None:
    text = text.replace(",", "").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value.is_integer() else None


def small_counts(columns: list[str], rows, threshold: int) -> Iterator[tuple[str, str]]:
    """(row location, column name) of every count from 1 to threshold − 1 in a table's count
    columns; suppressed cells (blank, "[c]" or any other mark) and zeros pass."""
    counted = [i for i, c in enumerate(columns) if is_count_column(c)]
    if not counted:
        return
    for where, cells in rows:
        if len(cells) != len(columns):
            continue  # a note or a row that does not line up with the header
        for i in counted:
            value = _count_value(cells[i])
            if value is not None and 0 < value < threshold:
                yield where, columns[i]
