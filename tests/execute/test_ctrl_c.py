"""Ctrl-C while notebooks run stops them at once and leaves no kernel running.

nbclient takes SIGINT for itself when its loop runs in the main thread: it shut one kernel down
and let the pool run on, so Ctrl-C in ``run_notebooks`` (or in a build) waited for every notebook.
The pool's loop now runs in a thread of its own and Ctrl-C cancels it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .helpers import FIXTURES

RUNS = """
import sys
from pathlib import Path
from wfscc.execute import EarlyPool, NotebookRun, run_notebooks
out, notebook = Path(sys.argv[1]), Path(sys.argv[2])
runs = [NotebookRun(k, {"mode": "hang", "seconds": 120}) for k in ("hang", "hang2")]
where = dict(out_dir=out / "out", staging_dir=out / "staging")
"""
#: run_notebooks, and an EarlyPool as the build uses it (its loop in a thread of its own)
SCRIPTS = {
    "run_notebooks": RUNS + "run_notebooks(notebook, runs, jobs=2, timeout=200, **where)\n",
    "early_pool": RUNS
    + (
        "with EarlyPool(jobs=2, timeout=200, prestart=2) as pool:\n"
        "    pool.run(notebook, runs, **where)\n"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_ctrl_c_stops_the_notebooks_and_leaves_no_kernel_running(tmp_path: Path, script: str):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    host = subprocess.Popen(
        [sys.executable, "-c", SCRIPTS[script], str(tmp_path), str(FIXTURES / "modes.ipynb")],
        env=env,
    )
    try:
        started = time.monotonic()
        while time.monotonic() - started < 90:  # until both notebooks are running
            staged = list((tmp_path / "staging").glob("*.ipynb"))
            family = psutil.Process(host.pid).children(recursive=True)
            if len(staged) == 2 and len(family) >= 2:  # its two kernels
                break
            time.sleep(0.2)
        else:
            pytest.fail("the notebooks did not start")
        time.sleep(1.0)
        family = psutil.Process(host.pid).children(recursive=True)
        host.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends to the host
        host.wait(timeout=30)  # the notebooks would run for two minutes more
    finally:
        if host.poll() is None:
            host.kill()
    assert host.returncode != 0
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"still running after Ctrl-C: {[p.pid for p in alive]}"
