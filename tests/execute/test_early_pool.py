"""EarlyPool: kernels started before the runs are known give the same notebooks as run_notebooks,
shut down when they get no run, and the pool refuses to be used twice."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wfscc.errors import NotebookError
from wfscc.execute import EarlyPool, NotebookRun, run_notebooks
from wfscc.execute._warm import WarmKernel

from .helpers import FIXTURES, kernel_pids

pytestmark = pytest.mark.slow


def _kernels() -> set[int]:
    """Process ids of this process's ipykernel children."""
    return kernel_pids()


def test_an_early_pool_gives_the_same_notebooks_as_run_notebooks(tmp_path: Path):
    runs = [NotebookRun(k, {"label": k.lower()}) for k in ("A", "B", "C")]
    with EarlyPool(jobs=2, cwd=FIXTURES) as pool:
        # as a build would, reading its data while the first kernel starts (within seconds on
        # a busy machine: the pool's first kernel also loads jupyter_client's provisioners)
        deadline = time.monotonic() + 20
        while not _kernels() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _kernels(), "no kernel was started before the runs were given"
        events: list[tuple[str, str]] = []
        early = pool.run(FIXTURES / "probe.ipynb", runs, out_dir=tmp_path / "early",
                         staging_dir=tmp_path / "s1",
                         on_event=lambda ev, run, sec: events.append((ev, run.key)))
    plain = run_notebooks(FIXTURES / "probe.ipynb", runs, out_dir=tmp_path / "plain",
                          staging_dir=tmp_path / "s2", jobs=2, cwd=FIXTURES)
    assert not early.failed and sorted(early.succeeded) == ["A", "B", "C"]
    for key in "ABC":
        assert early.succeeded[key].read_bytes() == plain.succeeded[key].read_bytes(), key
    assert sorted(k for ev, k in events if ev == "done") == ["A", "B", "C"]
    assert not _kernels()


_STARTS_BEFORE_PAPERMILL = """
import sys, time
from wfscc.build.early import early_pool  # what a build imports to start its kernels
from wfscc.config import Config
config = Config(project_dir=Path.cwd(), data_dir=Path.cwd(), out_dir=Path.cwd() / "_book",
                cache_dir=Path(sys.argv[1]), jobs=1)
with early_pool(config):
    time.sleep(0.3)
    print(sorted(m for m in sys.modules if m.split(".")[0] == "papermill"))
"""


def test_the_kernels_start_before_papermill_is_imported(tmp_path: Path):
    """Papermill takes 0.3 to 0.4 s to import: a build's kernels are launched without it, and
    it is loaded when the runs are given (a rebuild after one LA's data changed waits on its
    kernel's start)."""
    script = "from pathlib import Path\n" + _STARTS_BEFORE_PAPERMILL
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=FIXTURES,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_early_pool_given_no_runs_shuts_its_kernels_down(tmp_path: Path):
    with EarlyPool(jobs=2, cwd=FIXTURES, prestart=2):
        time.sleep(0.5)
    assert not _kernels()


def test_an_early_pool_runs_once_and_names_a_missing_notebook(tmp_path: Path):
    pool = EarlyPool(jobs=1, cwd=FIXTURES)
    with pytest.raises(NotebookError, match="does not exist"):
        pool.run(tmp_path / "missing.ipynb", [NotebookRun("A", {})], out_dir=tmp_path / "o",
                 staging_dir=tmp_path / "s")
    with pytest.raises(NotebookError, match="already"):
        pool.run(FIXTURES / "probe.ipynb", [NotebookRun("A", {})], out_dir=tmp_path / "o",
                 staging_dir=tmp_path / "s")
    pool.close()
    assert not _kernels()


def _slow_shutdown(monkeypatch, seconds: float) -> list[float]:
    """Make each kernel's shutdown take ``seconds`` longer; the times the shutdowns ended."""
    ended: list[float] = []
    shutdown = WarmKernel.shutdown

    async def slow(self) -> None:
        await asyncio.sleep(seconds)
        await shutdown(self)
        ended.append(time.perf_counter())

    monkeypatch.setattr(WarmKernel, "shutdown", slow)
    return ended


def test_the_report_comes_once_every_run_has_its_result_not_after_the_shutdown(
    tmp_path: Path, monkeypatch
):
    ended = _slow_shutdown(monkeypatch, 1.5)
    runs = [NotebookRun(k, {"label": k.lower()}) for k in ("A", "B")]
    with EarlyPool(jobs=1, cwd=FIXTURES) as pool:
        report = pool.run(FIXTURES / "probe.ipynb", runs, out_dir=tmp_path / "o",
                          staging_dir=tmp_path / "s")
        returned = time.perf_counter()
        # whole: both notebooks are in place, though the kernel is still being shut down
        assert sorted(report.succeeded) == ["A", "B"] and not report.failed
        assert all(path.is_file() for path in report.succeeded.values())
        assert not ended, "run() waited for the kernel's shutdown"
    closed = time.perf_counter()
    assert ended and closed >= ended[-1] > returned + 1.0  # close() waited for it
    assert not _kernels()


def test_a_released_pool_shuts_down_in_the_background_and_close_waits(monkeypatch):
    ended = _slow_shutdown(monkeypatch, 1.0)
    pool = EarlyPool(jobs=1, cwd=FIXTURES)
    time.sleep(0.5)
    started = time.perf_counter()
    pool.release()
    assert time.perf_counter() - started < 0.5 and not ended
    pool.close()
    assert ended and not _kernels()
