"""The disclosure threshold is part of every cache key it affects, and of what the build tells
the notebooks and the reader (fast: no build is run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.build.steps import _changes, check_privacy, plan_profiles, profile_parameters
from wfscc.config import Config
from wfscc.errors import PrivacyError
from wfscc.facts import compute_facts
from wfscc.outputs import figures as wf
from wfscc.outputs.disclosure import protect
from wfscc.outputs.tables import write_tables

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fake():
    return make_dataset()


def _config(tmp_path, threshold=None) -> Config:
    project = tmp_path / "project"
    if not project.exists():
        (project / "notebooks").mkdir(parents=True)
        shutil.copyfile(
            REPO / "notebooks" / "la_profile.ipynb", project / "notebooks" / "la_profile.ipynb"
        )
    return Config(
        project_dir=project,
        data_dir=project / "data",
        out_dir=tmp_path / "_book",
        threshold=threshold,
    )


def test_the_notebooks_get_the_threshold_and_it_is_in_their_keys(tmp_path, fake):
    at10, at20 = _config(tmp_path, 10), _config(tmp_path, 20)
    assert profile_parameters(at20, "P01") == {
        "la_code": "P01",
        "store_dir": "store",
        "threshold": 20,
    }
    plan10 = plan_profiles(at10, fake, "data")
    plan20 = plan_profiles(at20, fake, "data")
    assert plan10.profiles.keys() == plan20.profiles.keys()
    for la in plan10.profiles:
        assert plan10.profiles[la] != plan20.profiles[la]
    assert plan_profiles(_config(tmp_path, 10), fake, "data").profiles == plan10.profiles


def test_a_chart_kept_for_one_threshold_is_not_reused_for_another(fake):
    plot, _ = wf._DRAW["takeup"](fake, 10)
    assert wf._chart_key("takeup", plot, 10) != wf._chart_key("takeup", plot, 20)
    assert wf._chart_key("takeup", plot, 10) == wf._chart_key("takeup", plot, 10)


def test_the_workbooks_state_the_threshold_they_were_protected_with(tmp_path):
    table = protect(
        pd.DataFrame({"area": ["A", "B"], "starts": [25, 40]}), ["starts"], threshold=20
    )
    write_tables({"starts": table}, tmp_path)
    for name, engine in (("wfscc-tables.xlsx", "openpyxl"), ("wfscc-tables.ods", "odf")):
        cover = pd.read_excel(tmp_path / name, sheet_name="Cover", header=None, engine=engine)
        text = " ".join(str(v) for v in cover.to_numpy().ravel())
        # the one [c] wording of the house style, with the threshold the build used
        assert "[c] marks a value withheld" in text, name
        assert "fewer than 20 people" in text and "fewer than 10" not in text, name
    manifest = json.loads((tmp_path / "tables.json").read_text())
    assert manifest["starts"]["threshold"] == 20


def test_changes_page_does_not_show_a_build_made_with_a_lower_threshold(tmp_path, fake):
    previous = tmp_path / "previous"
    previous.mkdir()
    old = compute_facts(fake, threshold=10)
    payload = {
        f.name: {"value": f.value, "base": f.base, "text": f.text, "source": f.source} for f in old
    }
    (previous / "facts.json").write_text(json.dumps(payload))
    new = compute_facts(fake, threshold=20)
    page = _changes(previous, new, tmp_path / "no-tables", 20)
    assert page.startswith("# Changes since the previous build")
    assert "rose from 10 to 20" in page
    assert payload["mi_starts"]["text"] not in page
    same = _changes(previous, old, tmp_path / "no-tables", 10)
    assert "rose from" not in same and "no previous build" not in same
    lower = _changes(previous, compute_facts(fake, threshold=5), tmp_path / "no-tables", 5)
    assert "rose from" not in lower and "disclosure\\_threshold" in lower


def test_the_guard_checks_small_counts_against_the_builds_threshold(tmp_path, fake):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("area,starts\nA,15\nB,40\n")
    manifest = {
        "t": {
            "title": "T",
            "csv": "t.csv",
            "count_columns": ["starts"],
            "threshold": 10,
            "suppressed_cells": 0,
        }
    }
    (tmp_path / "data" / "tables.json").write_text(json.dumps(manifest))
    check_privacy(fake, tmp_path, 10)  # 15 is published at 10
    with pytest.raises(PrivacyError, match="below 20"):
        check_privacy(fake, tmp_path, 20)
