"""`wfscc preview`'s build worker (`wfscc.preview._worker`), driven as the preview drives it
(`_process.BuildWorker`): builds one after another in one process, each on the kernel started
for it after the build before, with the same bytes as a fresh `wfscc build`; it ends with
nothing left running at the end of its input, on Ctrl-C, and after a build that failed."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from tests.execute.helpers import kernel_pids
from wfscc.config import Config
from wfscc.preview._fast import same_files
from wfscc.preview._process import OUTCOME_FILE, BuildWorker

pytestmark = pytest.mark.slow


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _kernels(worker: BuildWorker) -> set[int]:
    return kernel_pids(worker.proc.pid)


def _change_one_la(data: Path, la: str = "P03") -> None:
    mi_path = data / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == la][0]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)


class Driver:
    """A worker for *project*, and the outcome of each build asked of it."""

    def __init__(self, project: Path):
        self.config = Config(
            project_dir=project,
            data_dir=project / "data",
            out_dir=project / "_book",
            engine="pandoc",
            jobs=2,
        )
        assert self.config.cache_dir is not None
        self.keep = self.config.cache_dir / "preview"
        self.keep.mkdir(parents=True, exist_ok=True)
        self.worker = BuildWorker(self.config, self.keep)

    def stop(self) -> None:
        """As the preview stops it: idle (a build in flight is over, or was never asked)."""
        self.worker.stop()

    def build(self, timeout: float = 300) -> dict:
        assert self.worker.ask()
        deadline = time.monotonic() + timeout
        while (outcome := self.worker.outcome()) is None:
            assert time.monotonic() < deadline, "no outcome in time"
            time.sleep(0.05)
        return outcome

    def idle_kernel(self, timeout: float = 120) -> int:
        """The pid of the one kernel waiting for the next build."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kernels = _kernels(self.worker)
            if len(kernels) == 1:
                return kernels.pop()
            time.sleep(0.05)
        raise AssertionError(f"no single idle kernel: {_kernels(self.worker)}")


def test_builds_in_one_worker_match_fresh_builds_and_use_the_kernel_started_for_them(
    tmp_path, monkeypatch, make_project
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1312156800")  # the same timestamp in both builds
    project = make_project(tmp_path / "worker" / "project")
    driver = Driver(project)
    try:
        first = driver.build()
        assert first["ok"] and not first["noop"], first
        waiting = driver.idle_kernel()  # started after the first build, for the next

        _change_one_la(project / "data")
        second = driver.build()
        assert second["ok"] and not second["noop"], second
        # its pages, named as soon as they were rendered: the files then published
        early = driver.worker.early_pages()
        assert early is not None and (early / "index.html").is_file()
        assert (early / "profiles").is_dir() and not (early / "report.pdf").exists()
        assert same_files(early, project / "_book")
        record = json.loads((driver.config.cache_dir / "last-build.json").read_text())
        assert record["notebooks_run"] == ["P03"]
        # the notebook ran on the waiting kernel, which ended with the build; a new one waits
        assert not psutil.pid_exists(waiting) or psutil.Process(waiting).status() == "zombie"
        again = driver.idle_kernel()
        assert again != waiting

        third = driver.build()  # nothing changed: the waiting kernel is kept, not thrown away
        assert third["ok"] and third["noop"], third
        assert driver.worker.early_pages() is None  # no pages rendered
        assert driver.idle_kernel() == again
        worker_site = _hashes(project / "_book")

        chapter = project / "report" / "03-adviser-role.qmd"
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
        fourth = driver.build()  # no notebook to run: the waiting kernel is kept too
        assert fourth["ok"] and not fourth["noop"], fourth
        record = json.loads((driver.config.cache_dir / "last-build.json").read_text())
        assert record["notebooks_run"] == []
        assert driver.idle_kernel() == again
    finally:
        driver.stop()

    # the same two builds, each by a fresh `wfscc build` in a project elsewhere: the same bytes
    # (the second build's changes page and search index depend on the first)
    fresh = make_project(tmp_path / "fresh" / "deeper" / "project")
    command = [sys.executable, "-m", "wfscc.cli", "build", "--engine", "pandoc", "--jobs", "2"]
    subprocess.run([*command, "--quiet"], cwd=fresh, check=True, capture_output=True)
    _change_one_la(fresh / "data")
    subprocess.run([*command, "--quiet"], cwd=fresh, check=True, capture_output=True)
    fresh_site = _hashes(fresh / "_book")
    assert sorted(worker_site.keys() ^ fresh_site.keys()) == []
    assert [name for name in worker_site if worker_site[name] != fresh_site[name]] == []


def test_the_end_of_its_input_or_ctrl_c_ends_an_idle_worker_and_its_kernel(tmp_path, make_project):
    for stop in ("end of input", "Ctrl-C"):
        driver = Driver(make_project(tmp_path / stop.replace(" ", "-") / "project"))
        try:
            kernel = psutil.Process(driver.idle_kernel())
            if stop == "end of input":
                driver.worker.proc.stdin.close()
                assert driver.worker.proc.wait(timeout=60) == 0
            else:
                driver.worker.proc.send_signal(signal.SIGINT)
                assert driver.worker.proc.wait(timeout=60) == 130
            psutil.wait_procs([kernel], timeout=10)
            assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE, stop
            assert not (driver.keep / OUTCOME_FILE).exists(), "an idle worker stopped no build"
        finally:
            driver.stop()


def test_a_failed_build_is_reported_and_the_worker_ends_with_its_kernels(tmp_path, make_project):
    project = make_project(tmp_path / "project")
    (project / "data" / "areas.csv").write_text("not,the,areas\n1,2,3\n", encoding="utf-8")
    driver = Driver(project)
    try:
        family = psutil.Process(driver.worker.proc.pid).children(recursive=True)
        outcome = driver.build()
        assert not outcome["ok"]
        assert "areas.csv" in outcome["error"]
        assert driver.worker.proc.wait(timeout=60) == 1  # the next build gets a fresh process
        gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        driver.stop()
