"""The wording rules: the one place where the report's words of direction, quantity, comparison
and significance are chosen from the data.

Every claim of the report (a fact whose text is a whole phrase, see :mod:`wfscc.facts._claims`)
takes its words from one of the functions below, and each function returns a :class:`Wording`:
the words, the outcome they stand for, and the condition that held. Annex B shows
:data:`RULES` (written by :func:`rules_markdown` into the build's ``_wording-rules.qmd``), so the
rules a reader sees are the rules the code applied.

Thresholds (all inclusive as written):

* **direction** of a change with an interval: "rose" when the interval lies above zero, "fell"
  when it lies below zero, otherwise (the interval includes zero) "stayed about the same";
* **comparison** of a difference with an interval: "larger" / "smaller" / "similar" on the same
  test; the size of a difference keeps its sign in words ("two percentage points smaller");
* **quantifier** of a share with an interval: "all" (every one), "none" (not one), "a vast
  majority" (80 per cent or more *and* the interval's lower bound at or above 80 per cent),
  "most" (the interval's lower bound above half), "about half" (the interval includes half),
  "some" (20 per cent or more), "a few" (above zero, below 20 per cent);
* **quantifier** of a count out of a base with no interval (areas, interviews): "all", "none",
  "most" (over half), "about half" (40 to 50 per cent), "some" (20 per cent or more, below
  40 per cent), "a few" (below 20 per cent);
* **significance**: "statistically significant" when the interval excludes zero (the p-value is
  below 0.05), otherwise "not statistically significant";
* **ratio** of two counts with no interval (referrals in the final year against the first):
  "rose" at 1.1 or more, "fell" at 0.9 or less, otherwise "stayed about the same".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import housestyle as hs

__all__ = [
    "RULES",
    "Wording",
    "comparison",
    "count_quantifier",
    "direction",
    "ratio_direction",
    "rules_markdown",
    "share_quantifier",
    "signed_points",
    "significance",
]

#: "a vast majority": at least this share, and the interval's lower bound at least this too.
VAST = 0.80
#: "about half" for counts without an interval: from this share up to exactly half.
ABOUT_HALF_COUNT = 0.40
#: "some" from this share; below it (and above zero) "a few".
SOME = 0.20
#: A ratio of counts at or beyond these bounds is a rise or a fall.
RATIO_UP, RATIO_DOWN = 1.10, 0.90


@dataclass(frozen=True)
class Wording:
    """The words chosen, the outcome they name (a stable key) and the condition that held."""

    words: str
    outcome: str
    condition: str
    rule: str


def _pp(x: float) -> str:
    return f"{hs.round_half_up(x * 100, 1):g}"


def _check(*values: float) -> None:
    for v in values:
        if v is None or not math.isfinite(v):
            raise ValueError(f"a wording rule needs finite numbers, got {values!r}")


def direction(estimate: float, lower: float, upper: float) -> Wording:
    """A change with its interval: "rose", "stayed about the same" or "fell"."""
    _check(estimate, lower, upper)
    cond = f"interval {_pp(lower)} to {_pp(upper)} points"
    if lower > 0:
        return Wording("rose", "up", cond + " lies above zero", "direction")
    if upper < 0:
        return Wording("fell", "down", cond + " lies below zero", "direction")
    return Wording("stayed about the same", "same", cond + " includes zero", "direction")


def comparison(estimate: float, lower: float, upper: float) -> Wording:
    """A difference between groups with its interval: "larger", "similar" or "smaller"."""
    d = direction(estimate, lower, upper)
    words = {"up": "larger", "down": "smaller", "same": "similar"}[d.outcome]
    return Wording(words, d.outcome, d.condition, "comparison")


def signed_points(diff: float) -> Wording:
    """The size of a difference, its sign kept in words: "two percentage points larger than",
    "two percentage points smaller than", "the same as"."""
    _check(diff)
    pts = hs.round_half_up(diff * 100)
    cond = f"difference {_pp(diff)} points, {pts:g} when rounded"
    if pts == 0:
        return Wording("the same as", "same", cond, "signed size")
    words = f"{hs.percentage_points(diff)} {'larger' if pts > 0 else 'smaller'} than"
    return Wording(words, "up" if pts > 0 else "down", cond, "signed size")


def significance(lower: float, upper: float) -> Wording:
    """ "statistically significant" when the interval excludes zero, else "not ..."."""
    _check(lower, upper)
    cond = f"interval {_pp(lower)} to {_pp(upper)} points"
    if lower > 0 or upper < 0:
        return Wording(
            "statistically significant", "significant", cond + " excludes zero", "significance"
        )
    return Wording(
        "not statistically significant", "not significant", cond + " includes zero", "significance"
    )


def share_quantifier(estimate: float, lower: float, upper: float) -> Wording:
    """A survey share with its interval: "all", "a vast majority", "most", "about half",
    "some", "a few" or "none"."""
    _check(estimate, lower, upper)
    cond = f"share {_pp(estimate)} per cent, interval {_pp(lower)} to {_pp(upper)}"
    rule = "share quantifier"
    if estimate >= 1:
        return Wording("all", "all", cond + ": every one", rule)
    if estimate <= 0:
        return Wording("none", "none", cond + ": not one", rule)
    if estimate >= VAST and lower >= VAST:
        return Wording(
            "a vast majority",
            "vast majority",
            cond + f": share and lower bound at least {_pp(VAST)} per cent",
            rule,
        )
    if lower > 0.5:
        return Wording("most", "most", cond + ": lower bound above half", rule)
    if lower <= 0.5 <= upper:
        return Wording("about half", "about half", cond + ": interval includes half", rule)
    if estimate >= SOME:
        return Wording("some", "some", cond + f": at least {_pp(SOME)} per cent", rule)
    return Wording("a few", "a few", cond + f": below {_pp(SOME)} per cent", rule)


def count_quantifier(count: int, base: int) -> Wording:
    """``count`` of ``base`` (areas, interviews) in words: "all", "most", "about half", "some",
    "a few" or "none"."""
    count, base = int(count), int(base)
    if base <= 0 or not 0 <= count <= base:
        raise ValueError(f"count_quantifier needs 0 <= count <= base > 0, got {count}, {base}")
    cond = f"{count} of {base}"
    rule = "count quantifier"
    s = count / base
    if count == base:
        return Wording("all", "all", cond + ": every one", rule)
    if count == 0:
        return Wording("none", "none", cond + ": not one", rule)
    if s > 0.5:
        return Wording("most", "most", cond + ": over half", rule)
    if s >= ABOUT_HALF_COUNT:
        return Wording(
            "about half", "about half", cond + f": {_pp(ABOUT_HALF_COUNT)} to 50 per cent", rule
        )
    if s >= SOME:
        return Wording("some", "some", cond + f": at least {_pp(SOME)} per cent", rule)
    return Wording("a few", "a few", cond + f": below {_pp(SOME)} per cent", rule)


def ratio_direction(ratio: float) -> Wording:
    """A ratio of two counts with no interval: "rose", "stayed about the same" or "fell"."""
    _check(ratio)
    cond = f"ratio {hs.round_half_up(ratio, 2):g}"
    if ratio >= RATIO_UP:
        return Wording("rose", "up", cond + f" at least {RATIO_UP:g}", "ratio direction")
    if ratio <= RATIO_DOWN:
        return Wording("fell", "down", cond + f" at most {RATIO_DOWN:g}", "ratio direction")
    return Wording(
        "stayed about the same",
        "same",
        cond + f" between {RATIO_DOWN:g} and {RATIO_UP:g}",
        "ratio direction",
    )


#: (rule, applies to, words and when each is chosen): what Annex B shows.
RULES = (
    (
        "direction",
        "a change between survey waves, with its interval",
        "“rose” when the whole interval lies above zero; “fell” when it lies below zero; "
        "otherwise “stayed about the same”",
    ),
    (
        "comparison",
        "a difference between pilot and comparison areas, with its interval",
        "“larger” or “smaller” when the interval lies above or below zero; otherwise “similar”",
    ),
    (
        "signed size",
        "the size of a difference",
        "the difference in percentage points with its sign in words: “two percentage points "
        "larger than”, “two percentage points smaller than”; “the same as” when it rounds to zero",
    ),
    (
        "significance",
        "a difference with its interval",
        "“statistically significant” when the interval excludes zero; otherwise "
        "“not statistically significant”",
    ),
    (
        "share quantifier",
        "a survey share, with its interval",
        f"“all” for every one; “none” for not one; “a vast majority” when the share and the "
        f"interval’s lower bound are both at least {_pp(VAST)} per cent; “most” when the lower "
        f"bound is above half; “about half” when the interval includes half; “some” from "
        f"{_pp(SOME)} per cent; “a few” below that",
    ),
    (
        "count quantifier",
        "a count of areas or interviews out of a total",
        f"“all”; “none”; “most” for over half; “about half” from {_pp(ABOUT_HALF_COUNT)} to 50 per "
        f"cent; “some” from {_pp(SOME)} per cent; “a few” below that",
    ),
    (
        "ratio direction",
        "a count in one period against another, with no interval",
        f"“rose” when the later count is at least {RATIO_UP:g} times the earlier; “fell” at "
        f"{RATIO_DOWN:g} times or less; otherwise “stayed about the same”",
    ),
)


def rules_markdown() -> str:
    """:data:`RULES` as a pipe table for Annex B (the build writes it to
    ``_wording-rules.qmd``)."""
    out = ["| Rule | Applies to | Words and when each is used |", "|:---|:---|:---|"]
    keep = hs.keep_together  # "at least 80 per cent" never wraps after "80"
    out += [f"| {name} | {keep(what)} | {keep(how)} |" for name, what, how in RULES]
    return (
        "\n".join(out) + "\n\n: The wording rules: how the words of each finding are chosen "
        "from the data {#tbl-wording-rules}\n"
    )
