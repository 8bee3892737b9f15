"""The preview's processes, seen from the preview: its build worker (:mod:`._worker`), and how
to stop a process with every process it started.

The worker is started once and asked for one build at a time (a line on its stdin); the build's
outcome is the file it writes (see :mod:`._worker`).
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import psutil

from ..config import Config

STOP_GRACE = 5.0  # seconds a build has to stop on its own before it is killed


def stop_tree(proc: subprocess.Popen, grace: float = STOP_GRACE, *, ending: float = 0.0) -> None:
    """Stop *proc* (SIGINT, then SIGKILL after *grace* seconds) and every process it started,
    kernels in sessions of their own included. *ending*: seconds to wait first for a process
    that was told to end some other way."""
    family: dict[int, psutil.Process] = {}

    def gather() -> None:
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(proc.pid).children(recursive=True):
                family.setdefault(child.pid, child)

    gather()
    deadline = time.monotonic() + ending
    while proc.poll() is None and time.monotonic() < deadline:
        gather()
        time.sleep(0.05)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline:
        gather()
        time.sleep(0.05)
    if proc.poll() is None:
        gather()
        proc.kill()
        proc.wait()
    alive = [p for p in family.values() if p.is_running()]
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=5)


class BuildWorker:
    """A running build worker (``python -m wfscc.preview._worker``) for *config*; it keeps the
    builds' staged project in *keep* and writes each build's outcome to *outcome*."""

    def __init__(self, config: Config, keep: Path, outcome: Path):
        options = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()}
        spec = {"config": options, "keep": str(keep), "result": str(outcome)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wfscc.preview._worker", json.dumps(spec)],
            cwd=config.project_dir,
            stdin=subprocess.PIPE,
            start_new_session=True,
        )

    def ask(self) -> bool:
        """Ask for a build; False if the worker has ended (it cannot take it)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(b"build\n")
            self.proc.stdin.flush()
        except OSError:
            return False
        return True

    def ended(self) -> bool:
        return self.proc.poll() is not None

    def stop(self, *, idle: bool = True) -> None:
        """End the worker and every process it started. An *idle* one is told by the end of its
        input, and shuts its kernel down itself; one that does not end within the grace
        period, or has a build in flight, is stopped (:func:`stop_tree`)."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        stop_tree(self.proc, ending=STOP_GRACE if idle else 0.0)
