"""The quality-assurance log: content, the .qmd subset, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.errors import WfsccError
from wfscc.facts import Claim, Fact
from wfscc.outputs.disclosure import protect
from wfscc.outputs.qa import qa_log


@pytest.fixture(scope="module")
def dataset():
    return make_dataset()


@pytest.fixture(scope="module")
def tables():
    counts = pd.DataFrame({"area": ["a", "b", "c"], "x": [3, 20, 30], "y": [25, 40, 2]})
    return {"small_counts": protect(counts, ["x", "y"]),
            "clean": protect(pd.DataFrame({"area": ["a"], "n": [50]}), ["n"])}


@pytest.fixture(scope="module")
def facts():
    return [Fact("takeup_pilot_change", -0.04, 800, "four percentage points",
                 "wfscc.analysis.survey.takeup_change"),
            Fact("takeup_pilot_change_ci", [-0.07, -0.01], 800, "-7 to -1 percentage points",
                 "wfscc.analysis.survey.takeup_change"),
            Fact("c", 1, None, "one", "wfscc.facts._design.context")]


@pytest.fixture
def calibration(tmp_path) -> Path:
    path = tmp_path / "calibration.yml"
    path.write_text(yaml.safe_dump({"entries": [
        {"id": "given", "description": "A published figure", "achieved": 10, "unit": "count",
         "assumption": False},
        {"id": "chosen", "description": "Share with a | pipe", "achieved": 47.6,
         "unit": "per cent", "assumption": True, "reason": "Not published; <b>chosen</b>."},
    ]}))
    return path


def test_sections_and_content(dataset, tables, facts, calibration):
    text = qa_log(dataset, tables, facts, calibration)
    headings = re.findall(r"^### (.+)$", text, flags=re.M)
    assert headings == ["Data validation", "Disclosure control", "Claims check", "Assumptions",
                        "Facts"]
    assert not re.search(r"^#{1,2} ", text, flags=re.M)  # included under a level-two heading
    assert f"| mi |  | {len(dataset.mi):,} | " in text
    assert "problems found: none" in text
    small = tables["small_counts"]
    assert (f"| small_counts | {small.primary} | {small.secondary} | {small.pct_suppressed} | "
            f"{small.suppressed_cells} |") in text
    assert small.primary == 2 and small.secondary >= 1
    # the claims come from the facts: a fall with an interval below zero reads "fell"
    row = ("| `takeup_pilot_direction` | fell | `takeup_pilot_change`, `takeup_pilot_change_ci` "
           "| interval -7 to -1 points lies below zero | direction |")
    assert row in text
    assert "| `heading_takeup` | Fewer parents used" in text
    assert "No claims were checked" not in text
    row = "| Share with a \\| pipe | 47.6 per cent | Not published; &lt;b&gt;chosen&lt;/b&gt;. |"
    assert row in text
    assert "A published figure" not in text  # not an assumption
    assert "computed 3 named facts" in text
    assert "| `wfscc.analysis.survey` | 2 |" in text


def test_claims_given_are_listed(dataset, tables, facts):
    claim = Claim("x_direction", "rose", "up", ("x", "x_ci"), "interval 1 to 2 points", "direction")
    text = qa_log(dataset, tables, facts, None, [claim])
    assert "1 claim of the report" in text
    assert "| `x_direction` | rose | `x`, `x_ci` | interval 1 to 2 points | direction |" in text


def test_a_build_without_claims_is_an_error(dataset, tables):
    with pytest.raises(WfsccError, match="no claims"):
        qa_log(dataset, tables, [Fact("c", 1, None, "one", "wfscc.facts._design.context")], None)


def test_every_table_line_has_the_same_number_of_cells(dataset, tables, facts, calibration):
    text = qa_log(dataset, tables, facts, calibration)
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            widths = {len(re.split(r"(?<!\\)\|", row)) for row in block}
            assert len(widths) == 1, block
            block = []


def test_empty_inputs(dataset, facts):
    text = qa_log(dataset, {}, facts, None)
    assert "No tables were published" in text
    assert "No claims were checked" not in text
    assert "No calibration file" in text


def test_deterministic_and_free_of_paths(dataset, tables, facts, calibration):
    a = qa_log(dataset, tables, facts, calibration)
    b = qa_log(dataset, tables, list(facts), calibration)
    assert a == b
    assert str(calibration.parent) not in a


def test_shipped_calibration_lists_its_assumptions(dataset, tables, facts, repo_root):
    path = repo_root / "data" / "calibration.yml"
    if not path.exists():
        pytest.skip("no shipped calibration file")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assumed = [e for e in doc["entries"] if e.get("assumption")]
    text = qa_log(dataset, tables, facts, path)
    assert f"{len(assumed)} assumptions are recorded" in text
    for e in assumed:
        assert e["description"].split("|")[0].strip()[:30] in text


def test_the_log_passes_the_qmd_subset(dataset, tables, facts, calibration):
    subset = pytest.importorskip("wfscc.render._qmd")
    text = qa_log(dataset, tables, facts, calibration)
    assert subset.subset_problems(text, "_qa-log.qmd") == []


def test_the_log_counts_facts_withheld_by_disclosure_control(dataset, tables, facts):
    assert "withheld" not in qa_log(dataset, tables, facts, None)
    withheld = [*facts, Fact("d_count", None, None, "fewer than 20", "wfscc.facts._mi.mi_facts",
                             suppressed=True)]
    log = qa_log(dataset, tables, withheld, None)
    assert "1 of them was withheld by disclosure control" in log
