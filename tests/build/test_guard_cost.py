"""The build records what the privacy guard costs, the early scans included: the guard reads the
tables, facts, notebooks and pages while the PDFs render, in a thread whose time the step
timings alone would hide (the benchmark counts it in the guard's share of a build)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from wfscc.build.pipeline import EARLY_GUARD_CPU, _thread_cpu


def _busy(seconds: float) -> int:
    until, n = time.thread_time() + seconds, 0
    while time.thread_time() < until:
        n += 1
    return n


def test_thread_cpu_counts_the_cpu_of_each_call_in_its_own_thread():
    spent: list[float] = []
    counted = _thread_cpu(_busy, spent)
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(counted, 0.05).result() > 0
        pool.submit(time.sleep, 0.1).result()  # waiting, not working: not counted
        pool.submit(counted, 0.05).result()
    assert len(spent) == 2
    assert all(0.04 < s < 0.5 for s in spent), spent


def test_thread_cpu_counts_a_call_that_fails():
    spent: list[float] = []

    def fails():
        _busy(0.02)
        raise ValueError("no")

    counted = _thread_cpu(fails, spent)
    with pytest.raises(ValueError):
        counted()
    assert len(spent) == 1 and spent[0] > 0.01


def test_a_build_records_the_guards_early_scans(built_site):
    record = json.loads((built_site.parent / ".wfscc-cache" / "last-build.json").read_text())
    timings = record["timings"]
    assert "Checking outputs for personal data" in timings
    # the shipped site has tables, facts, ten notebooks and the pages to scan: real work
    assert timings[EARLY_GUARD_CPU] > 0.05, timings
