"""Claims: facts whose text is a whole phrase of a finding, worded by :mod:`._wording`.

A claim is cited like any fact (``{{< var takeup_pilot_direction >}}``), so the real Quarto CLI
renders the same sources. Each claim records the facts it rests on, the condition that held and
the rule that chose its words (:class:`Claim`); :func:`claims_from_facts` makes them from the
other facts alone, so the QA log (:mod:`wfscc.outputs.qa`) can list them for any build.

Catalogue (``<g>`` pilot or comparison, ``<m>`` an attitude, ``<t>`` a theme, ``<r>`` a role):

========================================  ======================================================
name                                      words
========================================  ======================================================
takeup_<g>_direction                      rose / stayed about the same / fell (between waves)
takeup_pilot_change_verb                  the ratio in words ("more than quadrupled") when the
                                            change is clear, else "stayed about the same"
takeup_did_size                           "ten percentage points larger than" / "... smaller
                                            than" / "the same as" (sign kept)
takeup_did_comparison                     larger / similar / smaller (by the interval)
takeup_did_significance                   statistically significant / not ...
heading_takeup, heading_summary_takeup    the take-up headings (chapter 7, summary)
att_<m>_pilot_direction                   rose / stayed about the same / fell
att_<m>_did_size, _did_significance       as for take-up
attitudes_did_quantifier                  how many of the three attitude measures rose by more
                                            than in the comparison areas (all / some / none ...)
heading_attitudes, heading_summary_att..  the attitude headings
pref_centre_all_quantifier                a vast majority / most / about half / some / ...
adviser_positive_quantifier               the same rule, for the adviser rating
non_traditional_quantifier                the same rule, share of starts
second_earner_among_nt_quantifier         the same rule, among non-traditional starts
delivery_all_five_quantifier              all / most / about half / some / a few / none (LAs)
theme_<t>_las_quantifier                  the same count rule, pilot LAs raising theme <t>
referrals_direction                       rose / stayed about the same / fell (each LA's first
                                            months from its own start against the pilot's
                                            final months, by the ratio)
========================================  ======================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..analysis import ATTITUDES, THEMES, wilson
from . import _wording as wd
from ._core import Fact, change_words

__all__ = ["Claim", "claim_facts", "claims_from_facts"]

_SRC = "wfscc.facts._wording."


@dataclass(frozen=True)
class Claim:
    """One claim: its fact name and words, the facts behind it, the condition and the rule."""

    name: str
    text: str
    outcome: str
    facts: tuple[str, ...]
    condition: str
    rule: str


_HEADINGS = {
    "heading_takeup": {
        "up": "More parents used Jobcentre Plus services in children's centres",
        "same": "Use of Jobcentre Plus services in children's centres stayed about the same",
        "down": "Fewer parents used Jobcentre Plus services in children's centres",
    },
    "heading_summary_takeup": {
        "up": "More use of Jobcentre Plus services in children's centres",
        "same": "Little change in use of Jobcentre Plus services in children's centres",
        "down": "Less use of Jobcentre Plus services in children's centres",
    },
    "heading_attitudes": {
        "all": "Centre users in pilot areas moved closer to work",
        "some": "Centre users in pilot areas moved closer to work on some measures",
        "none": "No clear change in centre users' attitudes to work",
    },
    "heading_summary_attitudes": {
        "all": "Centre users are closer to work",
        "some": "Centre users are closer to work on some measures",
        "none": "Attitudes to work: no clear change",
    },
}


class _Builder:
    def __init__(self, facts: Mapping[str, Fact]):
        self.facts = facts
        self.claims: list[Claim] = []

    def has(self, *names: str) -> bool:
        return all(n in self.facts and self.facts[n].value is not None for n in names)

    def value(self, name: str):
        return self.facts[name].value

    def add(self, name: str, w: wd.Wording, facts: Iterable[str], text: str | None = None) -> None:
        self.claims.append(
            Claim(name, text or w.words, w.outcome, tuple(facts), w.condition, w.rule)
        )

    def change(self, prefix: str, change: str) -> wd.Wording | None:
        """Direction, from ``change`` and ``change_ci``; adds ``<prefix>_direction``."""
        if not self.has(change, f"{change}_ci"):
            return None
        lo, hi = self.value(f"{change}_ci")
        w = wd.direction(self.value(change), lo, hi)
        self.add(f"{prefix}_direction", w, [change, f"{change}_ci"])
        return w

    def did(self, prefix: str, name: str) -> wd.Wording | None:
        """``<prefix>_size``, ``_comparison``, ``_significance`` from ``name`` and ``name_ci``."""
        if not self.has(name, f"{name}_ci"):
            return None
        est, (lo, hi) = self.value(name), self.value(f"{name}_ci")
        deps = [name, f"{name}_ci"]
        self.add(f"{prefix}_size", wd.signed_points(est), [name])
        comp = wd.comparison(est, lo, hi)
        self.add(f"{prefix}_comparison", comp, deps)
        self.add(f"{prefix}_significance", wd.significance(lo, hi), deps)
        return comp

    def share(self, name: str, fact: str) -> None:
        """``name``: the share quantifier of ``fact`` (its ``_ci``, or a Wilson interval)."""
        if not self.has(fact):
            return
        est = float(self.value(fact))
        if self.has(f"{fact}_ci"):
            lo, hi = self.value(f"{fact}_ci")
            deps = [fact, f"{fact}_ci"]
        else:
            lo, hi = (float(x) for x in wilson(est, self.facts[fact].base or 0))
            deps = [fact]
        self.add(name, wd.share_quantifier(est, lo, hi), deps)

    def count(self, name: str, fact: str, base: str) -> None:
        if self.has(fact, base) and int(self.value(base)) > 0:
            self.add(name, wd.count_quantifier(self.value(fact), self.value(base)), [fact, base])


def _takeup(b: _Builder) -> None:
    pilot = b.change("takeup_pilot", "takeup_pilot_change")
    b.change("takeup_comparison", "takeup_comparison_change")
    if pilot is not None:
        deps = ["takeup_pilot_change", "takeup_pilot_change_ci"]
        ratio = b.facts.get("takeup_pilot_ratio")
        text = pilot.words
        if pilot.outcome != "same" and ratio is not None and ratio.value is not None:
            text = change_words(float(ratio.value))
            deps.append("takeup_pilot_ratio")
        b.add("takeup_pilot_change_verb", pilot, deps, text)
        for name, words in _HEADINGS.items():
            if name.endswith("takeup"):
                b.add(name, pilot, deps[:2], words[pilot.outcome])
    b.did("takeup_did", "takeup_did")


def _attitudes(b: _Builder) -> None:
    ups, deps = [], []
    for m in ATTITUDES:
        b.change(f"att_{m}_pilot", f"att_{m}_pilot_change")
        comp = b.did(f"att_{m}_did", f"att_{m}_did")
        if comp is not None:
            ups.append(comp.outcome == "up")
            deps += [f"att_{m}_did", f"att_{m}_did_ci"]
    if not ups:
        return
    q = wd.count_quantifier(sum(ups), len(ups))
    b.add("attitudes_did_quantifier", q, deps)
    key = "all" if q.outcome == "all" else "none" if q.outcome == "none" else "some"
    for name, words in _HEADINGS.items():
        if name.endswith("attitudes"):
            b.add(name, q, deps, words[key])


def _shares(b: _Builder) -> None:
    b.share("pref_centre_all_quantifier", "pref_centre_all")
    b.share("adviser_positive_quantifier", "adviser_positive_share")
    b.share("non_traditional_quantifier", "non_traditional_share")
    b.share("second_earner_among_nt_quantifier", "second_earner_among_non_traditional_share")
    b.count("delivery_all_five_quantifier", "delivery_all_five_las", "delivery_n_las")
    for t in THEMES:
        b.count(f"theme_{t}_las_quantifier", f"theme_{t}_las", "n_pilot_las")
    if b.has("referral_ratio_own_start"):
        b.add(
            "referrals_direction",
            wd.ratio_direction(float(b.value("referral_ratio_own_start"))),
            ["referral_ratio_own_start", "referrals_own_first", "referrals_own_last"],
        )


def claims_from_facts(facts: Iterable[Fact]) -> list[Claim]:
    """Every claim the facts support, sorted by name (a claim whose facts are missing is left
    out; the report's tests check that every claim it cites is made)."""
    b = _Builder({f.name: f for f in facts if not f.name.startswith(("la_", "fig_alt_"))})
    _takeup(b)
    _attitudes(b)
    _shares(b)
    return sorted(b.claims, key=lambda c: c.name)


def claim_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The claims as facts (``value`` the outcome, ``text`` the words, ``source`` the rule)."""
    return [
        Fact(c.name, c.outcome, None, c.text, _SRC + c.rule.replace(" ", "_"))
        for c in claims_from_facts(facts)
    ]
