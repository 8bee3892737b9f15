"""One build at a time per build cache: a second build with the same --out waits for the first
(they would otherwise delete each other's staging folder), says so, and then builds."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from wfscc import Config
from wfscc.build import build
from wfscc.build.lock import LOCK_NAME, one_build_at_a_time

_HOLD = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_second_holder_waits_for_the_first_and_is_told(tmp_path):
    order, waited = [], []

    def second():
        with one_build_at_a_time(tmp_path, lambda: waited.append("told")) as was_waiting:
            order.append(("second", was_waiting))

    with one_build_at_a_time(tmp_path, lambda: waited.append("first told")) as was_waiting:
        assert was_waiting is False
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.3)
        order.append(("first done", None))
    other.join(10)
    assert order == [("first done", None), ("second", True)]
    assert waited == ["told"]


def test_the_lock_is_free_again_after_a_failure(tmp_path):
    with pytest.raises(RuntimeError), one_build_at_a_time(tmp_path, lambda: None):
        raise RuntimeError("a failed build")
    with one_build_at_a_time(tmp_path, lambda: None) as waited:
        assert waited is False


def test_a_build_waits_for_another_process_holding_the_cache(built_site):
    project = built_site.parent
    config = Config(project_dir=project, data_dir=project / "data", out_dir=built_site,
                    engine="pandoc")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(config.cache_dir / LOCK_NAME), "1.5"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        events = []
        started = time.perf_counter()
        result = build(config, on_event=lambda kind, text: events.append((kind, text)))
        waited = time.perf_counter() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.noop  # then found the site current, as the other build left it
    assert waited > 1.0, waited
    assert any(kind == "info" and "Another build" in text and "--out" in text
               for kind, text in events), events
