"""The disclosure threshold is a setting: a build with a threshold of 20 publishes no count of
people or records from 10 to 19 anywhere, and changing the threshold rebuilds what depends on it.

Every published file is read by the scanner in ``smallcount_scan.py`` (tested first, fast, on
planted values); the build tests then build the shipped data with a threshold of 20, through
``_quarto.yml`` and through ``wfscc build --threshold 20``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from smallcount_scan import (
    csv_findings,
    facts_findings,
    html_findings,
    scan_site,
    table_findings,
    text_findings,
    workbook_findings,
)

REPO = Path(__file__).resolve().parents[2]


# --- the scanner finds what it looks for (fast) ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Its management information records 15 starts on the pilot.",
        "The survey spoke to 12 people in the area's centres.",
        "There were 17 referrals from January to December 2009.",
        "Starts were highest in 2010 Q1, at 14.",
        "made 11 more referrals to each other's services",
    ],
)
def test_the_scanner_finds_a_small_count_in_prose(text):
    assert text_findings(text, "planted")


@pytest.mark.parametrize(
    "text",
    [
        "Counts below 20 are not shown; fewer than 20 starts.",
        "Starts reached a steady level 14 months after the area began.",
        "12 of 20 adviser interviews raised the theme.",
        "18 per cent of starts were second earners.",
        "one panel for each of the 10 pilot areas; 1,547 referrals; 2010 Q1.",
        "Counts from 1 to 19 are suppressed.",
        "There were fewer than 15 referrals; Pilot area 10 made 219 referrals.",
    ],
)
def test_the_scanner_leaves_allowed_numbers_alone(text):
    assert text_findings(text, "allowed") == []


def test_the_scanner_reads_count_cells_of_tables_and_workbooks(tmp_path):
    rows = [
        ["Quarter", "Starts", "Per cent of starts"],
        ["2009 Q1", "15", "12"],
        ["2009 Q2", "[c]", "16"],
        ["Respondents", "13", "40"],
    ]
    assert len(table_findings(rows, "t")) == 2  # the 15 starts and the 13 respondents
    assert csv_findings("la_code,2009 Q1,2009 Q2\nP01,25,11\n", "c")
    assert html_findings(
        "<table><tr><th>Referrals over the pilot</th></tr>"
        "<tr><td>1,547</td></tr><tr><td>18</td></tr></table>",
        "h",
    )
    path = tmp_path / "w.xlsx"
    pd.DataFrame({"area": ["P01"], "starts": [19]}).to_excel(path, index=False)
    assert workbook_findings(path, "w")
    facts = {
        "mi_starts": {"value": 16, "base": None, "text": "16"},
        "takeup_pilot_w1": {"value": 0.2, "base": 14, "text": "20 per cent"},
    }
    assert len(facts_findings(facts, "f")) == 2


# --- a build with a threshold of 20 --------------------------------------------------------------


def _set_threshold(project: Path, value: int) -> None:
    path = project / "_quarto.yml"
    config = yaml.safe_load(path.read_text())
    assert config["wfscc"]["threshold"] == 10  # the shipped setting, changed here
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^(\s+threshold:\s*)10\s*$", rf"\g<1>{value}", text, count=1))
    assert yaml.safe_load(path.read_text())["wfscc"]["threshold"] == value


def _injected(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    return cells[0].source


@pytest.mark.slow
@pytest.mark.xdist_group("built_site")
def test_threshold_20_from_quarto_yml_publishes_no_count_from_10_to_19(
    built_site, tmp_path, build_project
):
    # The shared build (threshold 10, published) is copied with its cache and output; the copy
    # is then rebuilt with `wfscc: threshold: 20`, replacing that output.
    project = tmp_path / "project"
    shutil.copytree(built_site.parent, project, symlinks=True)
    out = project / "_book"
    before, _ = scan_site(out)
    assert before, "the default build has counts from 10 to 19: the scan must find some"

    _set_threshold(project, 20)
    result = build_project(project)
    assert not result.noop
    pilot = sorted(p.stem for p in (built_site / "notebooks").glob("*.ipynb"))
    assert sorted(result.notebooks_run) == pilot and result.notebooks_cached == []

    findings, kinds = scan_site(out)
    assert findings == [], "\n".join(findings[:40])
    for suffix in (
        ".html",
        ".pdf",
        ".csv",
        ".xlsx",
        ".ods",
        ".json",
        ".svg",
        ".ipynb",
        ".pf_fragment",
    ):
        assert kinds.get(suffix), f"no {suffix} file was scanned"

    marker = json.loads((out / ".wfscc-build.json").read_text())
    assert marker["threshold"] == 20
    facts = json.loads((out / "facts.json").read_text())
    assert facts["disclosure_threshold"]["value"] == 20
    for la in pilot:
        assert "threshold = 20" in _injected(out / "notebooks" / f"{la}.ipynb")
    profiles = " ".join((out / "profiles" / f"{la}.html").read_text() for la in pilot)
    assert "Counts below 20 are not shown" in profiles
    assert "fewer than 20" in profiles  # the rule was exercised, not only stated
    annex_b = re.sub(r"<[^>]+>", "", (out / "annex-b-technical.html").read_text())
    assert "count below 20" in annex_b
    changes = (out / "changes.html").read_text()
    assert "rose from 10 to 20" in changes  # the old figures are not listed


@pytest.mark.slow
def test_cli_threshold_overrides_quarto_yml_and_is_part_of_the_up_to_date_key(
    tmp_path, make_project
):
    project = make_project(tmp_path / "p")

    def wfscc(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "wfscc.cli",
                "build",
                "--quiet",
                "--engine",
                "pandoc",
                "--jobs",
                "2",
                *args,
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=900,
        )

    first = wfscc("--threshold", "20")
    assert first.returncode == 0, first.stderr
    out = project / "_book"
    assert json.loads((out / ".wfscc-build.json").read_text())["threshold"] == 20
    assert "threshold = 20" in _injected(out / "notebooks" / "P01.ipynb")
    findings, _ = scan_site(out)
    assert findings == [], "\n".join(findings[:40])

    assert "Up to date" in wfscc("--threshold", "20").stdout
    back = wfscc()  # _quarto.yml says 10: everything that depends on it is made again
    assert back.returncode == 0, back.stderr
    assert "Up to date" not in back.stdout and "10 notebooks run, 0 reused" in back.stdout
    assert json.loads((out / ".wfscc-build.json").read_text())["threshold"] == 10
    assert "threshold = 10" in _injected(out / "notebooks" / "P01.ipynb")


def test_the_shipped_project_sets_the_default_threshold():
    config = yaml.safe_load((REPO / "_quarto.yml").read_text())
    assert config["wfscc"]["threshold"] == 10
