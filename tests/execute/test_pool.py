"""The warm-kernel pool: parameters, isolation, byte-reproducibility, failures, staging.

Each ``run_notebooks`` call starts kernels (seconds each), so the runs are shared by module-scoped
fixtures and the tests only look at their results.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
import pytest

from wfscc.execute import NotebookRun, run_notebooks

from .helpers import FIXTURES, outputs_text

pytestmark = pytest.mark.slow


def _run(base: Path, notebook: str, runs, **kwargs):
    events = []
    report = run_notebooks(
        FIXTURES / notebook,
        runs,
        out_dir=base / "out",
        staging_dir=base / "staging",
        cwd=FIXTURES,
        on_event=lambda event, run, seconds: events.append((event, run.key, seconds)),
        **kwargs,
    )
    return report, events


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def solo(tmp_path_factory):
    """The probe notebook run alone, in a kernel of its own."""
    base = tmp_path_factory.mktemp("solo")
    return _run(base, "probe.ipynb", [NotebookRun("A", {"label": "a"})], jobs=1)


@pytest.fixture(scope="module")
def after_others(tmp_path_factory):
    """The same run after two others that leave a mess behind, in the same kernel."""
    base = tmp_path_factory.mktemp("after")
    runs = [NotebookRun(k, {"label": k.lower()}) for k in ("X", "Y", "A")]
    return _run(base, "probe.ipynb", runs, jobs=1)


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    """One kernel (jobs=1) meets an exception, a death and a time-out, then two good runs."""
    base = tmp_path_factory.mktemp("failures")
    (base / "out").mkdir()
    (base / "out" / "raise.ipynb").write_text("stale success from an earlier build")
    runs = [
        NotebookRun(mode, {"mode": mode, "seconds": 60})
        for mode in ("raise", "die", "hang", "ok", "ok2")
    ]
    report, events = _run(base, "modes.ipynb", runs, jobs=1, timeout=4, warm_imports=())
    return base, report, events


def test_parameters_are_injected(solo):
    report, _ = solo
    nb = nbformat.read(report.succeeded["A"], as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'label = "a"' in injected[0].source
    assert nb.metadata.papermill == {"parameters": {"label": "a"}}
    assert "a " + str(FIXTURES) in outputs_text(report.succeeded["A"])


def test_outputs_carry_no_timings_and_deterministic_ids(solo):
    report, _ = solo
    nb = nbformat.read(report.succeeded["A"], as_version=4)
    assert [c["id"] for c in nb.cells] == [f"A-{i}" for i in range(len(nb.cells))]
    assert all("execution" not in c.metadata for c in nb.cells)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    mimetypes = {m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})}
    assert {"image/png", "image/svg+xml"} <= mimetypes
    assert not re.search(r"ipykernel_[1-9]", report.succeeded["A"].read_text())


def test_a_run_after_others_equals_a_run_alone(solo, after_others):
    """Variables, rcParams, RNG state, cwd, env, sys.path, print options, warning filters and
    figure formats changed by earlier runs in the same kernel do not reach the later run."""
    alone, _ = solo
    after, _ = after_others
    assert sorted(after.succeeded) == ["A", "X", "Y"]
    assert alone.succeeded["A"].read_bytes() == after.succeeded["A"].read_bytes()
    text = outputs_text(after.succeeded["A"])
    assert "[]\n" in text and "None\n" in text and "1.5 white []" in text
    assert "UserWarning: a probe warning" in text  # the filter reset by run X is gone


def test_outputs_are_byte_reproducible_across_runs_and_directories(solo, after_others):
    alone, _ = solo
    after, _ = after_others
    assert alone.succeeded["A"].parent != after.succeeded["A"].parent
    assert _sha(alone.succeeded["A"]) == _sha(after.succeeded["A"])
    # the runs differ only by their parameters (and what follows from them)
    assert _sha(after.succeeded["X"]) != _sha(after.succeeded["Y"])


def test_successful_runs_leave_staging_empty_and_report_events(after_others):
    report, events = after_others
    assert list(report.succeeded["A"].parent.parent.joinpath("staging").iterdir()) == []
    assert [(e, k) for e, k, _ in events] == [
        ("start", "X"), ("done", "X"), ("start", "Y"), ("done", "Y"), ("start", "A"), ("done", "A")
    ]  # fmt: skip
    assert all(seconds >= 0 for _, _, seconds in events)


def test_failures_do_not_stop_the_other_runs(failures):
    _, report, _ = failures
    assert sorted(report.succeeded) == ["ok", "ok2"]
    assert sorted(report.failed) == ["die", "hang", "raise"]
    raised, died, hung = (report.failed[k] for k in ("raise", "die", "hang"))
    # cells: 0 parameters, 1 injected, 2 import, 3 the failing cell, 4 print pid
    assert (raised.cell_index, raised.error_name) == (3, "ValueError")
    assert "bad data for raise" in raised.message
    assert (died.cell_index, died.error_name) == (3, "DeadKernelError")
    assert (hung.cell_index, hung.error_name) == (3, "TimeoutError")
    assert "4 s" in hung.message


def test_failed_notebooks_are_kept_apart_and_partly_executed(failures):
    base, report, events = failures
    out = base / "out"
    assert sorted(p.name for p in out.iterdir()) == ["failed", "ok.ipynb", "ok2.ipynb"]
    assert sorted(p.name for p in (out / "failed").iterdir()) == [
        "die.ipynb", "hang.ipynb", "raise.ipynb"
    ]  # fmt: skip
    assert list((base / "staging").iterdir()) == []
    for key, failure in report.failed.items():
        assert failure.notebook_path == out / "failed" / f"{key}.ipynb"
    nb = nbformat.read(report.failed["raise"].notebook_path, as_version=4)
    assert nb.cells[2].outputs[0].text == "mode raise\n"  # cells before the error ran
    assert nb.cells[3].outputs[-1].output_type == "error"
    assert nb.cells[4].outputs == [] and nb.cells[4].execution_count is None
    assert {(e, k) for e, k, _ in events if e != "start"} == {
        ("failed", "raise"), ("failed", "die"), ("failed", "hang"), ("done", "ok"), ("done", "ok2")
    }  # fmt: skip


def test_dead_kernel_is_replaced_and_then_reused(failures):
    _, report, _ = failures
    pids = {
        re.search(r"pid (\d+)", outputs_text(report.succeeded[k])).group(1) for k in ("ok", "ok2")
    }
    assert len(pids) == 1  # both good runs ran in the same (replacement) kernel


def test_parallel_pool_reuses_its_kernels(tmp_path):
    runs = [NotebookRun(f"r{i}", {"mode": "ok"}) for i in range(5)]
    report, _ = _run(tmp_path, "modes.ipynb", runs, jobs=2, warm_imports=())
    assert sorted(report.succeeded) == [r.key for r in runs] and not report.failed
    pids = {re.search(r"pid (\d+)", outputs_text(p)).group(1) for p in report.succeeded.values()}
    assert 1 <= len(pids) <= 2
