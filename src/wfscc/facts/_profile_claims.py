"""Claims of an LA profile, worded by the same rules as the report (:mod:`._wording`).

* ``la_takeup_change`` (+ ``_ci``; signed in words, "a fall of one percentage point") and
  ``la_takeup_direction``: the area's change in take-up between the survey waves, "rose" /
  "stayed about the same" / "fell" by its interval. Within one LA the centres are too few to
  cluster on, so the interval is the two-proportion (Wald) interval on the Kish effective sample
  sizes. Shown only when both waves reach the threshold.
* ``la_theme_<t>_quantifier``: how many of the area's interviews raised theme ``<t>`` ("all",
  "most", "about half", "some", "a few", "none").
* ``la_elements_quantifier``: how many of the core elements the area delivered, in words.
* ``la_<share>_flag``: each share the profile shows against the same share in the *other*
  pilot areas: "significantly higher than in the other pilot areas" when the interval of the
  difference lies above zero, "significantly lower ..." when below, otherwise "not
  significantly different from the other pilot areas" (the comparison rule, on the difference
  with a standard error of ``sqrt(se_area^2 + se_rest^2)``, each from its 95 per cent interval;
  the two groups of areas are separate samples).

Claim facts carry the rule in ``source`` (``wfscc.facts._wording.<rule>``).
"""

from __future__ import annotations

import math

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import Z95, two_proportion
from . import _wording as wd
from ._core import Facts
from ._profile_rest import se_of

_SRC = "wfscc.facts._wording."


def _signed(diff: float) -> str:
    """A difference in words with its sign: "a rise of six percentage points", "a fall of one
    percentage point", "no change" (profiles show no digits from one to nine)."""
    if hs.round_half_up(diff * 100) == 0:
        return "no change"
    return f"a {'rise' if diff > 0 else 'fall'} of {hs.percentage_points(diff)}"


def _claim(f: Facts, name: str, w: wd.Wording, text: str | None = None) -> None:
    f.add(name, w.outcome, None, text or w.words, _SRC + w.rule.replace(" ", "_"))


_FLAG_WORDS = {
    "up": "significantly higher than in the other pilot areas",
    "same": "not significantly different from the other pilot areas",
    "down": "significantly lower than in the other pilot areas",
}


def profile_claims(
    f: Facts,
    survey,
    threshold: int,
    intervals: dict[str, tuple[float, float]] | None = None,
    rest: dict[str, tuple[float, float]] | None = None,
) -> None:
    """Add the profile's claims to ``f`` (which already holds the LA's other facts).

    ``intervals``: ``name -> (lower, upper)`` of each share the profile shows; ``rest``:
    ``name -> (estimate, standard error)`` of the same share in the other pilot areas.
    """
    by = {x.name: x for x in f}
    for name, (lower, upper) in sorted((intervals or {}).items()):
        if name not in (rest or {}) or by[name].value is None:
            continue
        other, se_other = rest[name]
        diff = float(by[name].value) - float(other)
        se = math.hypot(se_of(lower, upper), float(se_other))
        w = wd.comparison(diff, diff - Z95 * se, diff + Z95 * se)
        _claim(f, f"{name}_flag", w, _FLAG_WORDS[w.outcome])
    tk = an.takeup(survey, by="wave") if len(survey) else None
    if tk is not None and {1, 2} <= set(tk["wave"]):
        w1, w2 = (tk[tk["wave"] == w].iloc[0] for w in (1, 2))
        if min(w1["base"], w2["base"]) >= threshold:
            t = two_proportion(w1["estimate"], w1["n_eff"], w2["estimate"], w2["n_eff"])
            base = int(w1["base"] + w2["base"])
            src = "wfscc.analysis._stats.two_proportion"
            f.add("la_takeup_change", t["estimate"], base, _signed(t["estimate"]), src)
            f.add(
                "la_takeup_change_ci",
                [t["lower"], t["upper"]],
                base,
                f"from {_signed(t['lower'])} to {_signed(t['upper'])}",
                src,
            )
            _claim(f, "la_takeup_direction", wd.direction(t["estimate"], t["lower"], t["upper"]))
    n_interviews = by.get("la_interviews")
    if n_interviews is not None and n_interviews.value:
        for name, fact in by.items():
            if name.startswith("la_theme_") and name.endswith("_n"):
                theme = name.removeprefix("la_theme_").removesuffix("_n")
                _claim(
                    f,
                    f"la_theme_{theme}_quantifier",
                    wd.count_quantifier(fact.value, n_interviews.value),
                )
    delivered = by.get("la_elements_delivered")
    if delivered is not None and delivered.base:
        _claim(f, "la_elements_quantifier", wd.count_quantifier(delivered.value, delivered.base))
