"""The fact record, the list that builds facts, the files they go to, and wording helpers."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import housestyle as hs
from .. import textsafe
from ..contract import DEFAULT_THRESHOLD

SRC = "wfscc.analysis."
#: The text of a share, average or change whose base is below the disclosure threshold.
TOO_FEW = "not shown (too few)"


@dataclass(frozen=True)
class Fact:
    """One quantified statement: ``text`` is what the prose shows.

    ``suppressed``: the figure is withheld by disclosure control (a count of people or records
    below the threshold, or a figure on a base below it): ``value`` and ``base`` are None and
    ``text`` reads "fewer than N" or "not shown (too few)".
    """

    name: str
    value: float | int | str | list | None
    base: int | None
    text: str
    source: str
    suppressed: bool = False


def fewer_than(threshold: int) -> str:
    """The text of a count of people or records from 1 to ``threshold - 1``."""
    return f"fewer than {threshold}"


class Facts(list):
    """A list of :class:`Fact` with helpers that make the house-style text.

    ``threshold`` is the disclosure threshold: :meth:`people` reads a count below it as "fewer
    than N", and :meth:`share` withholds a share whose base is below it.
    """

    def __init__(self, threshold: int = DEFAULT_THRESHOLD):
        super().__init__()
        self.threshold = int(threshold)

    def add(self, name, value, base, text, source) -> None:
        base = None if base is None or (isinstance(base, float) and math.isnan(base)) else int(base)
        self.append(Fact(name, plain(value), base, text, source))

    def withhold(self, name, text, source) -> None:
        """``name`` withheld by disclosure control: no value, no base, only ``text``."""
        self.append(Fact(name, None, None, text, source, suppressed=True))

    def small(self, n) -> bool:
        """True when ``n`` (a count or a base) is from 1 to ``threshold - 1``."""
        return n is not None and not pd.isna(n) and 0 < n < self.threshold

    def base_of(self, n) -> int | None:
        """``n`` as a fact's base, or None when it is a count below the threshold."""
        return None if n is None or self.small(n) else n

    def people(self, name, n, source, base=None) -> None:
        """A count of people or records: "fewer than N" (and no value) from 1 to N - 1. A
        ``base`` below the threshold is not recorded."""
        if self.small(n):
            self.withhold(name, fewer_than(self.threshold), source)
        else:
            self.count(name, n, source, base=self.base_of(base))

    def share(self, name, row, source, *, around: int | None = None, ci: bool = True) -> None:
        """``name`` (and ``name_ci``, ``name_around``) from an estimate row; withheld when the
        row's base, or its unweighted ``count`` (if it has one), is below the threshold."""
        if self.small(row["base"]) or self.small(row.get("count")):
            for suffix, wanted in (("", True), ("_ci", ci), ("_around", around)):
                if wanted:
                    self.withhold(name + suffix, TOO_FEW, source)
            return
        self.add(name, row["estimate"], row["base"], hs.percent(row["estimate"]), source)
        if ci:
            self.add(f"{name}_ci", [row["lower"], row["upper"]], row["base"],
                     hs.interval(row["lower"], row["upper"]), source)
        if around:
            self.add(f"{name}_around", row["estimate"], row["base"],
                     hs.around(row["estimate"], nearest=around), source)

    def count(self, name, n, source, base=None) -> None:
        self.add(name, int(n), base, hs.count(int(n)), source)

    def months(self, name, n, source, base=None) -> None:
        if n is None or (isinstance(n, float) and math.isnan(n)):
            self.add(name, None, base, "not reached", source)
        else:
            self.add(name, float(n), base, hs.months(float(n)), source)


def plain(v):
    """Plain Python values for JSON/YAML (numpy scalars become int/float, NaN becomes None)."""
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def row(frame: pd.DataFrame, **where) -> pd.Series:
    """The one row of ``frame`` matching ``where`` (``KeyError`` if not exactly one)."""
    match = np.ones(len(frame), dtype=bool)
    for k, v in where.items():
        match &= (frame[k] == v).to_numpy(dtype=bool, na_value=False)
    found = np.flatnonzero(match)
    if len(found) != 1:
        raise KeyError(f"expected one row for {where}, found {len(found)}")
    return frame.iloc[int(found[0])]


_MULTIPLES = {2: "doubled", 3: "trebled", 4: "quadrupled"}


def _fold(n: int) -> str:
    return f"{hs.spelled(n)}fold" if n <= 10 else f"{n}-fold"


def change_words(ratio: float, *, decimals: int = 1) -> str:
    """A change as a past-tense verb phrase from the ratio ``after / before``.

    The ratio is first rounded half up to ``decimals`` places (as ``takeup_pilot_ratio`` shows
    it). Then: below 1 "fell" (0.5 "halved", below 0.5 "more than halved"); 1 "did not change";
    above 1 "rose"; within 0.2 below 2, 3 or 4 "nearly doubled/trebled/quadrupled"; exactly 2, 3
    or 4 "doubled", "trebled", "quadrupled"; above them "more than doubled" (and so on); from 5
    "rose fivefold" (exact) or "rose more than fivefold", up to "tenfold", then "rose more than
    12-fold".
    """
    if ratio is None or not math.isfinite(ratio) or ratio < 0:
        raise ValueError(f"change_words expects a finite ratio of at least 0, got {ratio!r}.")
    r = hs.round_half_up(ratio, decimals)
    if r == 1:
        return "did not change"
    if r < 1:
        if r == 0.5:
            return "halved"
        return "more than halved" if r < 0.5 else "fell"
    if r >= 5:
        n = int(math.floor(r))
        return f"rose {_fold(n)}" if r == n else f"rose more than {_fold(n)}"
    for n in (4, 3, 2):
        if r == n:
            return _MULTIPLES[n]
        if r > n:
            return f"more than {_MULTIPLES[n]}"
        if r >= n - 0.2:
            return f"nearly {_MULTIPLES[n]}"
    return "rose"


def sorted_unique(facts: Iterable[Fact]) -> list[Fact]:
    """``facts`` sorted by name; a name given twice is a programming error (RuntimeError)."""
    out = sorted(facts, key=lambda x: x.name)
    dupes = sorted({a.name for a, b in zip(out, out[1:], strict=False) if a.name == b.name})
    if dupes:  # pragma: no cover - a programming error
        raise RuntimeError(f"duplicate fact names: {dupes}")
    return out


def _stable(v):
    if isinstance(v, float):
        return float(f"{v:.10g}")
    if isinstance(v, list):
        return [_stable(x) for x in v]
    return v


def write_facts(facts: Iterable[Fact], out_dir: Path | str) -> dict[str, Path]:
    """Write ``_variables.yml`` (name: text) and ``facts.json`` (all fields), sorted by name.

    A withheld fact's record has ``"value": null, "base": null`` and ``"suppressed": true``; the
    others have no ``suppressed`` key.

    Both engines insert a ``{{< var >}}`` value as Markdown, so each text goes to
    ``_variables.yml`` escaped for Markdown (:func:`wfscc.textsafe.markdown`): a name from the
    data reads as the same characters on the page, never as a link, tag or shortcode.
    ``facts.json`` keeps the plain text; ``_variables.yml`` joins a number to its unit with
    non-breaking spaces (:func:`wfscc.housestyle.keep_together`).

    Floats are written with ten significant digits so the files are byte-identical across runs.
    Returns the paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    facts = sorted(facts, key=lambda x: x.name)
    # a number and its unit never wrap apart in the prose ("three per cent", both engines)
    variables = {x.name: hs.keep_together(textsafe.markdown(x.text)) for x in facts}
    yml = out / "_variables.yml"
    yml.write_text(
        yaml.safe_dump(variables, sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    payload = {x.name: {k: _stable(v) for k, v in asdict(x).items()
                        if k != "name" and (k != "suppressed" or v)}
               for x in facts}
    js = out / "facts.json"
    js.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                  encoding="utf-8")
    return {"variables": yml, "facts": js}
