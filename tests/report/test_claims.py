"""The Research Summary's quantified claims are tied to facts, and follow the data.

``claims.yml`` lists each quantified statement of ``report/summary.qmd``, the section that makes it
and the facts it cites. The fast tests check the summary cites them in that section, keeps the
published structure and that the facts exist. The slow test changes the data (pilot take-up at wave
two, and the lone-parent mix of MI starts), rebuilds the whole report and checks the summary's HTML
and PDF show the new figures, not the old ones.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml
from _narrative import REPORT, cited_vars, copy_project

HERE = Path(__file__).resolve().parent
SUMMARY = REPORT / "summary.qmd"
CLAIMS = yaml.safe_load((HERE / "claims.yml").read_text(encoding="utf-8"))

# The published summary's sections, in its order (the first is our "Key findings" list).
SECTIONS = [
    "Key findings",
    "Background",
    "Pilot activities and delivery",
    "The role of the Jobcentre Plus Personal Adviser",
    "Partnership working",
    "Engagement",
    "Key learning and critical success factors",
    "Pilot outcomes and perceived impacts",
    "Conclusions and recommendations",
]
OUTCOME_SUBSECTIONS = 5  # take-up, partnership, closer to work, integrated delivery, JCP gains
RECOMMENDATIONS = 5


INCLUDE = re.compile(r"^\{\{<\s*include\s+([^\s>]+)\s*>\}\}\s*$", re.M)


def with_includes(path: Path) -> str:
    """The text of a `.qmd` file with its `{{< include >}}` lines replaced by the files."""
    text = path.read_text(encoding="utf-8")
    return INCLUDE.sub(lambda m: with_includes(path.parent / m.group(1).strip("\"'")), text)


def summary_text() -> str:
    return with_includes(SUMMARY)


def sections(text: str) -> dict[str, str]:
    """Level-two sections of a `.qmd` body: heading -> text up to the next level-two heading."""
    parts = re.split(r"^##\s+(.+?)\s*(?:\{[^}]*\})?\s*$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


# --- structure ----------------------------------------------------------------------------------


def test_summary_front_matter() -> None:
    m = re.match(r"\A---\n(.*?)\n---\n", summary_text(), re.S)
    assert m, "summary.qmd needs YAML front matter"
    meta = yaml.safe_load(m.group(1))
    assert meta["title"].startswith("Work-Focused Services in Children's Centres")
    assert meta["lang"] == "en-GB"
    assert {"Rachel Marangozov", "Helen Stevens"} <= set(meta["author"])


def test_summary_keeps_the_published_structure() -> None:
    text = summary_text()
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    opening = body.split("\n## ", 1)[0]
    assert len(re.sub(r":::.*?:::", "", opening, flags=re.S).split()) > 80, "opening paragraph"
    headings = list(sections(text))
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    assert headings[: len(SECTIONS)] == SECTIONS, f"sections out of order: {headings}"
    outcomes = sections(text)["Pilot outcomes and perceived impacts"]
    assert len(re.findall(r"^###\s", outcomes, flags=re.M)) == OUTCOME_SUBSECTIONS
    conclusions = sections(text)["Conclusions and recommendations"]
    assert len(re.findall(r"^#\.\s", conclusions, flags=re.M)) == RECOMMENDATIONS


def test_summary_has_the_publication_notice() -> None:
    notice = sections(summary_text())["About this publication"]
    for words in ("Crown copyright", "Open Government Licence", "ISBN", "Research Report",
                  "August 2011"):
        assert words in notice


def test_summary_is_about_four_pages() -> None:
    # two A4 columns hold roughly 450 to 550 words a page with headings and a chart or two
    words = len(re.sub(r"\{\{<.*?>\}\}", "x", summary_text()).split())
    assert 1500 <= words <= 2400, words


# --- claims -------------------------------------------------------------------------------------


def test_claims_file_is_well_formed() -> None:
    ids = [c["id"] for c in CLAIMS]
    assert len(ids) == len(set(ids))
    for claim in CLAIMS:
        assert claim["section"] in SECTIONS, claim["id"]
        assert claim["facts"], claim["id"]
    wanted = {"takeup_change_with_intervals", "starts_composition", "preference", "bedding_in",
              "partnership_time", "all_elements_key_finding"}
    assert wanted <= set(ids)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c["id"])
def test_summary_cites_the_claims_facts(claim: dict) -> None:
    section = sections(summary_text())[claim["section"]]
    missing = [name for name in claim["facts"] if name not in cited_vars(section)]
    assert not missing, f"{claim['id']}: section {claim['section']!r} does not cite {missing}"


def test_claims_facts_are_computed(facts: dict) -> None:
    missing = sorted({n for c in CLAIMS for n in c["facts"] if n not in facts})
    assert not missing, f"facts named in claims.yml that compute_facts does not produce: {missing}"


def test_every_fact_the_summary_cites_is_claimed() -> None:
    """A fact cited in the summary belongs to a claim, or is listed here as context."""
    claimed = {n for c in CLAIMS for n in c["facts"]}
    # the pilot's design, not findings: "each ran in two waves", "three centres in each of ten"
    context = {"n_survey_waves", "centres_per_la", "n_pilot_centres", "pilot_period"}
    cited = set(cited_vars(summary_text()))
    charts = {n for n in cited if n.startswith("fig_")}  # alt text, the lines under a chart
    style = {n for n in cited if n.startswith("source_")  # "Source:" lines under tables
             or (n.endswith("_cell") and n[: -len("_cell")] in claimed)}  # a claim's numeral
    extra = cited - claimed - context - charts - style
    assert not extra, f"add these to a claim in claims.yml: {sorted(extra)}"


# --- the data change, the summary follows (slow: a full build) ----------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _normalise(text: str) -> str:
    text = html.unescape(text).replace("\u00ad", "").replace("\u00a0", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return _normalise(" ".join(parser.parts))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    raw = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # undo end-of-line hyphenation by Typst's justified columns, then tidy spaces
    return _normalise(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", raw))


def _alter(data_dir: Path, seed: int = 20110801) -> None:
    """Change wave-two pilot take-up and the share of starts who are lone parents on benefit."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    survey = pd.read_csv(data_dir / "survey.csv", dtype=str, keep_default_na=False)
    target = (survey["wave"] == "2") & (survey["group"] == "pilot")
    survey.loc[target, "uses_jcp_at_centre"] = np.where(rng.random(target.sum()) < 0.45, "1", "0")
    survey.to_csv(data_dir / "survey.csv", index=False)

    mi = pd.read_csv(data_dir / "mi_starts.csv", dtype=str, keep_default_na=False)
    lpb = (mi["lone_parent"] == "1") & (mi["benefit"] != "none")
    drop = lpb & (rng.random(len(mi)) < 0.6)
    mi.loc[drop, "benefit"] = "none"
    mi.to_csv(data_dir / "mi_starts.csv", index=False)


def _facts_for(data_dir: Path) -> dict:
    from wfscc.data import load_dataset
    from wfscc.outputs.figures import report_facts

    return {f.name: f for f in report_facts(load_dataset(data_dir))}


@pytest.mark.slow
def test_summary_follows_altered_data(tmp_path: Path) -> None:
    synth = pytest.importorskip("wfscc.data.synth", reason="the synthetic generator is not there")
    pytest.importorskip("wfscc.facts", reason="wfscc.facts is not there yet")
    from wfscc import Config
    from wfscc.build import build

    base = tmp_path / "data-base"
    synth.generate(seed=772, out_dir=base)
    altered = tmp_path / "data-altered"
    synth.generate(seed=772, out_dir=altered)
    _alter(altered)

    before, after = _facts_for(base), _facts_for(altered)
    followed = ["takeup_pilot_w2", "takeup_pilot_w2_ci", "lone_parent_benefit_share_around"]
    followed += ["takeup_pilot_change_verb", "takeup_pilot_direction", "takeup_did_size"]
    for name in ("takeup_pilot_w2", "lone_parent_benefit_share_around"):
        assert before[name].text != after[name].text, f"the alteration did not change {name}"

    project = copy_project(tmp_path / "project")
    result = build(Config(project_dir=project, data_dir=altered, out_dir=tmp_path / "_book",
                          engine="pandoc", jobs=2))

    pages = sorted(Path(result.out_dir).rglob("summary*.html"))
    assert pages, f"no summary HTML page in {result.out_dir}"
    pdfs = [Path(p) for k, p in result.pdfs.items() if "summary" in f"{k} {Path(p).name}".lower()]
    assert pdfs, f"no summary PDF among {result.pdfs}"
    outputs = {"html": html_text(pages[0]), "pdf": pdf_text(pdfs[0])}

    summary_facts = set(cited_vars(summary_text()))
    new_texts = {after[n].text for n in summary_facts if n in after}
    for kind, text in outputs.items():
        for name in followed:
            if before[name].text == after[name].text:
                continue
            new, old = after[name].text, before[name].text
            assert new in text, f"{kind} summary lacks the new {name}: {new!r}"
            if old not in new_texts and not any(old in t for t in new_texts):
                assert old not in text, f"{kind} summary still shows old {name}: {old!r}"
        # the key finding's "from X to Y" phrase, whatever other facts happen to read
        phrase = "from {} to {}"
        new = phrase.format(after["takeup_pilot_w1"].text, after["takeup_pilot_w2"].text)
        was = phrase.format(before["takeup_pilot_w1"].text, before["takeup_pilot_w2"].text)
        assert new in text, f"{kind} summary lacks {new!r}"
        assert was not in text, f"{kind} summary still says {was!r}"


# --- the report's own Summary chapter states the same findings ----------------------------------


def test_the_report_summary_chapter_states_the_summary_key_findings() -> None:
    """The report's Summary chapter (`00-summary.qmd`) cites every fact of the Research Summary's
    key findings, in its own "Key findings" section."""
    chapter = sections(with_includes(SUMMARY.parent / "00-summary.qmd"))
    key = [n for c in CLAIMS if c["section"] == "Key findings" for n in c["facts"]]
    assert key, "claims.yml lists no key findings"
    missing = sorted({n for n in key if n not in cited_vars(chapter["Key findings"])})
    assert not missing, f"the report's Summary chapter does not cite {missing}"
