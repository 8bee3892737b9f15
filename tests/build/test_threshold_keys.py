"""The disclosure threshold is part of every cache key it affects, and of what the build tells
the notebooks and the reader (fast: no build is run)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from analysis.fakedata import make_dataset  # tests/ is on sys.path

from wfscc.build.steps import (
    NOTEBOOK_STEP,
    _changes,
    check_privacy,
    plan_profiles,
    profile_parameters,
)
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
    assert plan10.keys.keys() == plan20.keys.keys()
    for la in plan10.keys:
        assert plan10.keys[la] != plan20.keys[la]
    assert plan_profiles(_config(tmp_path, 10), fake, "data").keys == plan10.keys


def test_executed_notebooks_are_kept_in_the_one_store(tmp_path, fake):
    """A notebook is reused only from the build's memo.Memo (checksummed entries): one kept
    there is found, a damaged one is run again, and --force runs every LA."""
    config = _config(tmp_path, 10)
    plan = plan_profiles(config, fake, "data")
    assert plan.todo == sorted(plan.keys) and not plan.found
    la = plan.todo[0]
    plan.memo.put(NOTEBOOK_STEP, plan.keys[la], b'{"cells": []}')
    again = plan_profiles(config, fake, "data")
    assert again.found == {la: b'{"cells": []}'} and again.cached == [la] and la not in again.todo
    entry = config.cache_dir / "memo" / NOTEBOOK_STEP / plan.keys[la]
    assert entry.is_file(), "the notebook is not in the build's store"
    entry.write_bytes(entry.read_bytes()[:-3] + b"xx}")  # damaged: fails its checksum
    assert la in plan_profiles(config, fake, "data").todo
    plan.memo.put(NOTEBOOK_STEP, plan.keys[la], b'{"cells": []}')
    forced = plan_profiles(replace(config, force=True), fake, "data")
    assert forced.todo == sorted(plan.keys) and not forced.found


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
