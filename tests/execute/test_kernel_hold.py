"""Kernels beyond the first wait while the caller works too (``EarlyPool.sharing_cores``), then
start only while the runs left would take longer than a kernel's start (``_worth_a_kernel``).

On 2 cores a build computing its facts and one kernel running notebooks keep both cores busy: a
second kernel's start (1.5 CPU-s or more) then only slowed both, and on the shipped data it was
started for the two or three notebooks left once the facts ended."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from wfscc.execute import EarlyPool, NotebookRun
from wfscc.execute._local import _worth_a_kernel

from .helpers import FIXTURES, kernel_count


@pytest.mark.parametrize(
    ("left", "running", "took", "starts", "worth"),
    [
        (0, 1, [0.5], [1.5], False),  # nothing left to run
        (2, 1, [0.6, 0.6], [1.8], False),  # 1.2 s of runs left: less than a start and a run
        (3, 1, [0.6], [1.8], False),  # 1.8 s left: the new kernel would get at most one run
        (5, 1, [0.6], [1.8], True),  # 3.0 s left: more than the start and a run (2.4 s)
        (140, 1, [0.4, 0.5], [2.0], True),  # a large build: the second kernel pays
        (5, 2, [0.6], [1.8], False),  # two kernels already share the 3.0 s left
        (9, 2, [0.6], [1.8], True),  # 2.7 s left for each of the two
        (3, 1, [], [1.8], True),  # no run ended yet: nothing to go by, started as before
        (3, 1, [0.6], [], True),  # no start measured (the early kernel failed)
        (1, 0, [5.0], [1.8], True),  # no kernel running at all
        (2, 1, [0.1, 0.1, 3.0], [1.0], False),  # the median run, not one slow one
    ],
)
def test_another_kernel_starts_only_when_the_runs_left_outlast_its_start(
    left, running, took, starts, worth
):
    assert _worth_a_kernel(left, running, took, starts) is worth


def _run_held(tmp_path: Path, runs: list[NotebookRun], release) -> tuple[int, int, object]:
    """Run *runs* on a 2-kernel EarlyPool, in another thread, while this one shares the cores
    until ``release(done)`` is true (``done``: the runs ended so far). The most kernels seen
    while held and after, and the report."""
    done: list[str] = []
    report: list = []
    with EarlyPool(jobs=2, cwd=FIXTURES) as pool:
        with pool.sharing_cores():
            runner = threading.Thread(
                target=lambda: report.append(
                    pool.run(
                        FIXTURES / "modes.ipynb",
                        runs,
                        out_dir=tmp_path / "o",
                        staging_dir=tmp_path / "s",
                        on_event=lambda ev, run, sec: (
                            done.append(run.key) if ev == "done" else None
                        ),
                    )
                )
            )
            runner.start()
            held = 0
            deadline = time.monotonic() + 120
            while not release(done) and time.monotonic() < deadline:
                held = max(held, kernel_count())
                time.sleep(0.05)
        after = 0
        while runner.is_alive():
            after = max(after, kernel_count())
            time.sleep(0.05)
        runner.join()
    return held, after, report[0]


@pytest.mark.slow
def test_a_held_pool_starts_its_second_kernel_once_released_when_much_is_left(tmp_path: Path):
    runs = [NotebookRun(f"R{i}", {"mode": "hang", "seconds": 0.8}) for i in range(8)]
    held, after, report = _run_held(tmp_path, runs, lambda done: len(done) >= 1)
    assert held == 1, "a second kernel started while the caller shared the cores"
    assert after == 2, "7 runs of 0.8 s were left, but no second kernel started"
    assert sorted(report.succeeded) == [r.key for r in runs] and not report.failed


@pytest.mark.slow
def test_a_held_pool_runs_the_few_short_runs_left_on_its_one_kernel(tmp_path: Path):
    runs = [NotebookRun(f"R{i}", {"mode": "ok"}) for i in range(4)]
    held, after, report = _run_held(tmp_path, runs, lambda done: len(done) >= 1)
    assert held == 1
    assert after <= 1, "a kernel was started for three short runs"
    assert sorted(report.succeeded) == [r.key for r in runs] and not report.failed


@pytest.mark.slow
def test_a_pool_not_held_starts_its_kernels_at_once(tmp_path: Path):
    """Without sharing_cores (run_notebooks, a build with nothing else to do) the kernels start
    as soon as the runs are given, as before."""
    runs = [NotebookRun(f"R{i}", {"mode": "hang", "seconds": 0.8}) for i in range(4)]
    seen = 0
    with EarlyPool(jobs=2, cwd=FIXTURES) as pool:
        runner = threading.Thread(
            target=lambda: pool.run(
                FIXTURES / "modes.ipynb", runs, out_dir=tmp_path / "o", staging_dir=tmp_path / "s"
            )
        )
        runner.start()
        while runner.is_alive():
            seen = max(seen, kernel_count())
            time.sleep(0.05)
        runner.join()
    assert seen == 2
