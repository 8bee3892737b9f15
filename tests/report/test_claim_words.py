"""No fixed finding in the narrative: words of direction and quantity come from claims.

Every word below that says which way something went or how many ("rose", "fell", "most",
"larger", "majority", "all", "none", ...) must be the text of a fact (a claim, worded from the
data by :mod:`wfscc.facts._wording`), cited as ``{{< var name >}}``. The only exceptions are the
reviewed phrases of ``claim_words_allowed.yml``, each with its file and the reason it is not a
finding. Facts, markup, code, links and comments are not prose and are not scanned (the same
stripping as ``test_no_typed_numbers.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from _narrative import REPO, cited_vars, qmd_files
from test_no_typed_numbers import strip_non_prose

HERE = Path(__file__).resolve().parent
ALLOWED = yaml.safe_load((HERE / "claim_words_allowed.yml").read_text(encoding="utf-8"))

#: Words that state a direction, a comparison or a quantity.
CLAIM_WORDS = (
    "rose",
    "rise",
    "rises",
    "rising",
    "risen",
    "fell",
    "fall",
    "falls",
    "falling",
    "fallen",
    "increase",
    "increased",
    "increases",
    "increasing",
    "decrease",
    "decreased",
    "decreases",
    "decreasing",
    "grew",
    "growing",
    "more",
    "most",
    "mostly",
    "less",
    "least",
    "fewer",
    "fewest",
    "larger",
    "largest",
    "smaller",
    "smallest",
    "higher",
    "highest",
    "lower",
    "lowest",
    "greater",
    "greatest",
    "majority",
    "minority",
    "vast",
    "few",
    "many",
    "all",
    "none",
    "improved",
    "improve",
    "improves",
    "improvement",
    "stronger",
    "weaker",
    "better",
    "worse",
    "best",
    "worst",
    "significant",
    "significantly",
    "raised",
    "doubled",
    "trebled",
    "quadrupled",
    "halved",
    "similar",
)
_WORD = re.compile(r"\b(" + "|".join(CLAIM_WORDS) + r")\b(?!-)", re.IGNORECASE)


def narrative_files() -> list[Path]:
    files = list(qmd_files())
    root_index = REPO / "index.qmd"  # the preface, once it moves to the project root
    return files + ([root_index] if root_index.is_file() else [])


def claim_words(text: str, name: str = "") -> list[str]:
    """Every claim word in the prose of ``text`` outside a fact and outside the allow-list."""
    prose = strip_non_prose(text)
    for entry in ALLOWED:
        if name and entry.get("files") and name not in entry["files"]:
            continue
        prose = re.sub(rf"\b{re.escape(entry['phrase'])}\b", " ", prose, flags=re.IGNORECASE)
    found = []
    for line in prose.splitlines():
        for m in _WORD.finditer(line):
            found.append(f"{m.group(0)!r} in: {line.strip()}")
    return found


@pytest.mark.parametrize(
    "text",
    [
        "Take-up rose between the waves.",
        "## More use of Jobcentre Plus services",
        "Most managers understood it.",
        "A vast majority preferred the centre.",
        "Links were weaker in some areas.",
        "Their view of work improved.",
        "The change was larger in pilot areas.",
        "All areas delivered the elements.",
        "A few advisers said so.",
        "Outreach was one of the greatest successes.",
    ],
)
def test_the_lint_flags_fixed_claims(text: str) -> None:
    assert claim_words(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Take-up {{< var takeup_pilot_direction >}} between the waves.",
        "## {{< var heading_takeup >}}",
        "Interviewees in {{< var theme_x_las >}} areas said so.",
        "A better-off calculation.",
        "<!-- more words in a comment -->",
    ],
)
def test_the_lint_allows_facts_and_non_prose(text: str) -> None:
    assert claim_words(text) == []


def test_every_exception_has_a_reason_and_is_used() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in narrative_files()}
    for entry in ALLOWED:
        assert entry.get("reason", "").strip(), entry
        files = entry.get("files") or list(texts)
        used = any(
            re.search(
                rf"\b{re.escape(entry['phrase'])}\b", strip_non_prose(texts[f]), re.IGNORECASE
            )
            for f in files
            if f in texts
        )
        assert used, f"unused exception (remove it): {entry['phrase']!r}"


@pytest.mark.parametrize("path", narrative_files(), ids=lambda p: p.name)
def test_no_fixed_claims(path: Path) -> None:
    found = claim_words(path.read_text(encoding="utf-8"), path.name)
    assert not found, (
        f"{path.name} states a finding in fixed words; cite a claim fact (wfscc.facts._claims) "
        "or, if it is not a finding, add the phrase to claim_words_allowed.yml with a reason:\n"
        + "\n".join(found)
    )


def test_every_fact_the_narrative_cites_is_computed(facts: dict) -> None:
    cited = {n for p in narrative_files() for n in cited_vars(p.read_text(encoding="utf-8"))}
    missing = sorted(cited - set(facts))
    assert not missing, f"facts cited in the narrative that compute_facts does not make: {missing}"


def test_headings_that_state_a_direction_are_claims() -> None:
    for path in narrative_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") and re.search(r"\{\{<\s*var\s+heading_", line):
                continue
            if line.startswith("#"):
                assert not claim_words(line, path.name), f"{path.name}: {line}"
