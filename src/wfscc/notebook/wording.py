"""An area's facts as the profile notebook words them.

:class:`ProfileFacts` holds the facts of one area (:func:`wfscc.facts.la_facts`) and answers the
questions the profile's prose asks: is a figure published (:meth:`~ProfileFacts.shown`), how does
it compare with the pilot (:meth:`~ProfileFacts.versus`, :meth:`~ProfileFacts.pace`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..facts import la_facts
from ..textsafe import markdown
from .store import ProfileData


def cap(text: str) -> str:
    """``text`` with its first letter upper case and the rest kept ("Jobcentre Plus")."""
    return text[:1].upper() + text[1:]


class ProfileFacts:
    """The facts of one area by name: ``f["la_starts"]`` is a fact's text, ``f.facts[key]`` the
    fact itself."""

    def __init__(self, facts: Iterable, la_code: str):
        self.la_code = la_code
        self.facts = {f.name: f for f in facts}

    def __getitem__(self, key: str) -> str:
        return self.facts[key].text

    def __contains__(self, key: str) -> bool:
        return key in self.facts

    def get(self, key: str, default: str) -> str:
        return self.facts[key].text if key in self.facts else default

    def value(self, key: str):
        return self.facts[key].value

    @property
    def name(self) -> str:
        """The area's name as written in the data: for chart titles and alt text."""
        return self["la_name"]

    @property
    def name_md(self) -> str:
        """The area's name as Markdown text: shown as written, never as markup."""
        return markdown(self.name)

    def shown(self, key: str) -> bool:
        """True when the fact exists and its figure is published (not too few, not missing)."""
        return key in self.facts and self.facts[key].value is not None

    def versus(self, key: str) -> str:
        """The area's share beside the pilot-wide one, flagged against the other pilot areas by
        the report's wording rules: "60 per cent (59 per cent across all pilot areas; not
        significantly different ...)"; the fact's own text ("not shown (too few)") when the
        area's share is withheld, "not available" when there is no such fact."""
        pilot = self.facts.get(f"{key}_pilot")
        if not self.shown(key) or pilot is None or pilot.value is None:
            return self.get(key, "not available")
        flag = f"; {self[key + '_flag']}" if f"{key}_flag" in self else ""
        return f"{self[key]} ({pilot.text} across all pilot areas{flag})"

    def pace(self, key: str) -> str:
        """How the area's months to a steady level compare with the median pilot area:
        ", sooner than the median pilot area (...)", or "" when either is not known."""
        la, pilot = self.facts[key].value, self.facts[f"{key}_pilot"]
        if la is None or pilot.value is None:
            return ""
        if la == pilot.value:
            return ", the same time as the median pilot area"
        side = "sooner" if la < pilot.value else "later"
        return f", {side} than the median pilot area ({pilot.text})"


def profile_facts(profile: ProfileData, threshold: int) -> ProfileFacts:
    """The facts of ``profile``'s area, compared with the pilot reference in the store."""
    facts = la_facts(
        profile, profile.la_code, pilot=profile.reference["pilot"], threshold=threshold
    )
    return ProfileFacts(facts, profile.la_code)
