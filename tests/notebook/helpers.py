"""Hand-made facts for the notebook package's tests."""

from __future__ import annotations

from wfscc.facts import Fact
from wfscc.notebook.wording import ProfileFacts


def fact(name, value, text, base=None):
    return Fact(name=name, value=value, base=base, text=text, source="test")


def facts(*items, la_code="P09", name="Northam") -> ProfileFacts:
    """``ProfileFacts`` from (name, value, text) triples, with the area's name."""
    return ProfileFacts([fact("la_name", name, name), *(fact(*i) for i in items)], la_code)
