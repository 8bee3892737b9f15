"""The result types: a failure names the run, the cell and the error; the report raises once."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfscc.errors import BuildError, NotebookError
from wfscc.execute import ExecutionReport, Failure, NotebookRun


def test_notebook_run_defaults():
    assert NotebookRun("P01").parameters == {}


def test_report_without_failures_does_not_raise():
    report = ExecutionReport(succeeded={"P01": Path("P01.ipynb")})
    assert report.ok
    report.raise_for_failures()


def test_raise_for_failures_names_each_run_cell_and_error():
    report = ExecutionReport(
        failed={
            "P02": Failure("P02", 4, "ValueError", "bad data\nmore", Path("out/failed/P02.ipynb")),
            "P01": Failure("P01", None, "KernelSetupError", "no working kernel"),
        }
    )
    with pytest.raises(NotebookError) as info:
        report.raise_for_failures()
    message = str(info.value)
    assert "2 notebook runs failed" in message
    assert "P01: before any cell ran: KernelSetupError: no working kernel" in message
    assert "P02: cell 4: ValueError: bad data (notebook kept at out/failed/P02.ipynb)" in message
    assert message.index("P01") < message.index("P02")
    assert isinstance(info.value, BuildError)
