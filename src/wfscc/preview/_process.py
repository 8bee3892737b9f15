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

#: the files in which the worker writes a build's outcome, and names the folder of its pages,
#: rendered before the build ends (``{"folder": name}``); the start of such a folder's name
OUTCOME_FILE, PAGES_FILE, PAGES_PREFIX = "outcome.json", "pages.json", "pages-build-"
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
    """A running build worker (``python -m wfscc.preview._worker``) for *config*. It keeps the
    builds' staged project in *keep*, where it also writes each build's outcome
    (:data:`OUTCOME_FILE`) and names the folder of its pages once they are rendered
    (:data:`PAGES_FILE`)."""

    def __init__(self, config: Config, keep: Path):
        self.keep = keep
        options = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()}
        spec = {"config": options, "keep": str(keep)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wfscc.preview._worker", json.dumps(spec)],
            cwd=config.project_dir,
            stdin=subprocess.PIPE,
            start_new_session=True,
        )

    def ask(self) -> bool:
        """Ask for a build (the last one's outcome and pages forgotten); False if the worker has
        ended (it cannot take it)."""
        assert self.proc.stdin is not None
        for name in (OUTCOME_FILE, PAGES_FILE):
            (self.keep / name).unlink(missing_ok=True)
        try:
            self.proc.stdin.write(b"build\n")
            self.proc.stdin.flush()
        except OSError:
            return False
        return True

    def outcome(self) -> dict | None:
        """The outcome of the build asked for, once it has one; a made-up failure if the worker
        ended without one; None while the build runs."""
        try:
            return json.loads((self.keep / OUTCOME_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            code = self.proc.poll()
            if code is None:
                return None
            return {
                "ok": False,
                "error": f"The build stopped unexpectedly (exit status {code}); its output is "
                "in the terminal.",
            }

    def early_pages(self) -> Path | None:
        """The folder of the pages of the build asked for, once the worker has named it (once):
        rendered, not yet checked nor published (the folder is the caller's to remove)."""
        named = self.keep / PAGES_FILE
        try:
            folder = self.keep / json.loads(named.read_text(encoding="utf-8"))["folder"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        named.unlink(missing_ok=True)
        return folder

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
