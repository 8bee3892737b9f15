"""The Dask executor on a local two-process cluster: warm kernels per worker, local bytes."""

from __future__ import annotations

import re

import pytest

from wfscc.execute import NotebookRun, run_notebooks

from .helpers import FIXTURES, outputs_text

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def test_dask_runs_reuse_worker_kernels_and_report_failures(cluster, tmp_path):
    runs = [NotebookRun(f"ok{i}", {"mode": "ok"}) for i in range(4)]
    runs.append(NotebookRun("raise", {"mode": "raise"}))
    events = []
    report = run_notebooks(
        FIXTURES / "modes.ipynb",
        runs,
        out_dir=tmp_path / "out",
        staging_dir=tmp_path / "staging",
        executor="dask",
        scheduler=cluster.scheduler_address,
        cwd=FIXTURES,
        warm_imports=(),
        on_event=lambda event, run, seconds: events.append((event, run.key)),
    )
    assert sorted(report.succeeded) == [f"ok{i}" for i in range(4)]
    assert (report.failed["raise"].cell_index, report.failed["raise"].error_name) == (
        3,
        "ValueError",
    )
    assert (tmp_path / "out" / "failed" / "raise.ipynb").exists()
    pids = {re.search(r"pid (\d+)", outputs_text(p)).group(1) for p in report.succeeded.values()}
    assert len(pids) <= 2  # one warm kernel per single-threaded worker, reused
    assert sorted(events) == sorted([("start", r.key) for r in runs] + [
        ("done" if r.key != "raise" else "failed", r.key) for r in runs
    ])  # fmt: skip


def test_dask_output_is_byte_identical_to_local(cluster, tmp_path):
    runs = [NotebookRun("P01", {"label": "p"})]
    common = dict(staging_dir=tmp_path / "staging", cwd=FIXTURES)
    remote = run_notebooks(
        FIXTURES / "probe.ipynb", runs, out_dir=tmp_path / "dask", executor="dask",
        scheduler=cluster.scheduler_address, **common,
    )  # fmt: skip
    local = run_notebooks(FIXTURES / "probe.ipynb", runs, out_dir=tmp_path / "local", **common)
    assert remote.succeeded["P01"].read_bytes() == local.succeeded["P01"].read_bytes()
