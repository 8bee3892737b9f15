"""Settings a configuration can get wrong raise NotebookError before any kernel starts."""

from __future__ import annotations

import sys

import pytest

from wfscc.errors import NotebookError
from wfscc.execute import NotebookRun, run_notebooks


def _call(tmp_path, notebook, runs=None, **kwargs):
    runs = [NotebookRun("P01")] if runs is None else runs
    return run_notebooks(
        notebook, runs, out_dir=tmp_path / "out", staging_dir=tmp_path / "stage", **kwargs
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"executor": "spark"}, "Unknown notebook executor 'spark'"),
        ({"executor": "dask"}, "needs a scheduler address"),
        ({"jobs": 0}, "jobs must be at least 1"),
        ({"timeout": 0}, "timeout must be a positive"),
    ],
)
def test_bad_settings(tmp_path, fixtures, kwargs, expected):
    with pytest.raises(NotebookError, match=expected):
        _call(tmp_path, fixtures / "modes.ipynb", **kwargs)


def test_missing_notebook(tmp_path):
    with pytest.raises(NotebookError, match="does not exist"):
        _call(tmp_path, tmp_path / "nope.ipynb")


@pytest.mark.parametrize("key", ["", "a/b", "..", "P01"])
def test_bad_or_duplicate_keys(tmp_path, fixtures, key):
    runs = [NotebookRun("P01"), NotebookRun(key)]
    with pytest.raises(ValueError, match="Run key"):
        _call(tmp_path, fixtures / "modes.ipynb", runs=runs)


def test_no_runs_is_an_empty_report(tmp_path, fixtures):
    report = _call(tmp_path, fixtures / "modes.ipynb", runs=[])
    assert report.succeeded == {} and report.failed == {}


def test_dask_executor_without_distributed_names_the_fix(tmp_path, fixtures, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes "import distributed" fail
    with pytest.raises(NotebookError, match=r"pip install 'wfscc\[dask\]'"):
        _call(tmp_path, fixtures / "modes.ipynb", executor="dask", scheduler="tcp://127.0.0.1:1")
