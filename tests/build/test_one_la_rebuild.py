"""A rebuild after one LA's data changed: the facts, charts and tables step takes from the
build's store only what the change left as it was, and makes the same files as a build that
kept nothing (wfscc.build.steps.prepare_report; issue 17)."""

from __future__ import annotations

import filecmp
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import wfscc.memo
from wfscc.build import steps
from wfscc.config import Config
from wfscc.contract import ATTRIBUTES
from wfscc.facts import GROUPS as FACT_GROUPS
from wfscc.facts._mi import mi_facts
from wfscc.memo import Memo, tables_of
from wfscc.outputs import figures as wf
from wfscc.outputs.tables import GROUPS as TABLE_GROUPS


def _config(project: Path, *, force: bool = False) -> Config:
    return Config(project_dir=project, data_dir=project / "data", out_dir=project / "_book",
                  engine="pandoc", jobs=1, force=force)


def _prepare(config: Config, where: Path, dataset=None):
    """prepare_report into ``where`` (its staging and site); the dataset it used."""
    dataset = dataset if dataset is not None else steps.load_inputs(config)
    (where / "site").mkdir(parents=True)
    steps.prepare_report(dataset, config, where / "staging", where / "site")
    return dataset


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _flip_one_la(project: Path, la: str = "P03", column: str = "support_cv",
                 rows: int = 1) -> None:
    """Flip a 0/1 answer in the first ``rows`` rows of ``la`` in the MI (one row: as the
    benchmark does)."""
    path = project / "data" / "mi_starts.csv"
    mi = pd.read_csv(path, dtype=str, keep_default_na=False)
    for row in mi.index[mi["la_code"] == la][:rows]:
        mi.loc[row, column] = "1" if mi.loc[row, column] == "0" else "0"
    mi.to_csv(path, index=False)


@pytest.fixture
def project(make_project, tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_after_one_la_changed_the_step_makes_what_a_build_without_store_makes(
        project, tmp_path, monkeypatch):
    config = _config(project)
    _prepare(config, tmp_path / "first")  # fills the store
    _flip_one_la(project)
    drawn: list[str] = []
    real = wf._draw
    monkeypatch.setattr(wf, "_draw", lambda plot, size=None: drawn.append(plot[0])
                        or real(plot, size))
    made: list[tuple[str, str]] = []
    real_value = wfscc.memo.Memo.value

    def value(self, step, key, make):
        return real_value(self, step, key, lambda: made.append((step, key)) or make())

    monkeypatch.setattr(wfscc.memo.Memo, "value", value)
    _prepare(config, tmp_path / "again")
    monkeypatch.undo()
    _prepare(_config(project, force=True), tmp_path / "fresh")  # a store that keeps nothing
    again, fresh = _files(tmp_path / "again"), _files(tmp_path / "fresh")
    assert again.keys() == fresh.keys()
    assert [name for name in again if again[name] != fresh[name]] == []
    # only what reads the MI was made again: its table, two groups of facts, two groups of
    # tables and two charts' data; the charts' pictures were unchanged, so none was drawn
    assert sorted(step for step, _ in made) == sorted(
        ["checked-table"] + ["facts"] * 2 + ["report-tables"] * 2 + ["chart-data"] * 2)
    assert drawn == []


def test_a_changed_chart_is_drawn_again_and_matches_a_fresh_drawing(project, tmp_path,
                                                                     monkeypatch):
    config = _config(project)
    _prepare(config, tmp_path / "first")
    # enough of one LA's starts to move its share on the chart
    _flip_one_la(project, "P03", "second_earner", rows=40)
    drawn: list[str] = []
    real = wf._draw
    monkeypatch.setattr(wf, "_draw", lambda plot, size=None: drawn.append(plot[0])
                        or real(plot, size))
    _prepare(config, tmp_path / "again")
    monkeypatch.undo()
    _prepare(_config(project, force=True), tmp_path / "fresh")
    assert "composition_chart" in drawn and "takeup_chart" not in drawn
    for name in ("composition.svg", "composition-summary.svg", "starts.svg"):
        rel = f"staging/generated/report/figures/{name}"
        assert filecmp.cmp(tmp_path / "again" / rel, tmp_path / "fresh" / rel, shallow=False)


def test_new_code_or_another_threshold_makes_everything_again(project, tmp_path, monkeypatch):
    config = _config(project)
    dataset = _prepare(config, tmp_path / "first")
    store = steps.memo_store(config)
    wf.report_facts(dataset, threshold=config.threshold, figures={}, store=store)
    assert store.misses["facts"] == 0 and store.hits["facts"] == len(FACT_GROUPS)

    other = steps.memo_store(config)
    wf.report_facts(dataset, threshold=config.threshold + 5, figures={}, store=other)
    assert other.hits["facts"] == 0 and other.misses["facts"] == len(FACT_GROUPS)

    monkeypatch.setattr(wfscc.memo, "code_hash", lambda: "another version of the code")
    changed = steps.memo_store(config)
    wf.report_facts(dataset, threshold=config.threshold, figures={}, store=changed)
    from wfscc.outputs.tables import report_tables

    report_tables(dataset, threshold=config.threshold, store=changed)
    assert changed.hits["facts"] == 0 and changed.misses["facts"] == len(FACT_GROUPS)
    assert changed.hits["report-tables"] == 0
    assert changed.misses["report-tables"] == len(TABLE_GROUPS)


def test_each_group_is_given_only_the_tables_it_says_it_reads(project):
    """A group that read a table it does not declare would be kept in the store when that
    table changes: it is given the declared tables alone, so it would fail instead."""
    dataset = steps.load_inputs(_config(project))
    for make in (*FACT_GROUPS, *TABLE_GROUPS, *wf._DRAW.values()):
        assert make.reads and set(make.reads) <= set(ATTRIBUTES), make.__name__
    fake = SimpleNamespace(reads=("survey",), __module__="x", __qualname__="y")
    with pytest.raises(AttributeError):
        Memo(None).made_from("facts", fake, dataset, run=lambda f, t: t.mi)  # not given the MI
    assert tables_of(mi_facts, dataset).mi is dataset.mi


@pytest.mark.slow
def test_a_rebuild_after_one_la_changed_publishes_what_a_cold_build_publishes(
        make_project, build_project, tmp_path):
    warm = make_project(tmp_path / "warm")
    build_project(warm)
    _flip_one_la(warm)
    result = build_project(warm)
    assert result.notebooks_run == ["P03"]
    # the same previous build (the "Changes since the previous build" page compares with it),
    # then a build that takes nothing from the cache
    cold = make_project(tmp_path / "cold")
    build_project(cold)
    _flip_one_la(cold)
    assert build_project(cold, force=True).notebooks_run == [f"P{i:02d}" for i in range(1, 11)]
    a, b = _files(warm / "_book"), _files(cold / "_book")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
