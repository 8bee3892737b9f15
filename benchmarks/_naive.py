"""The naive baseline of bench_build.py: the design card's stack used the obvious way.

One fresh process runs, one after another and with nothing cached: the facts step (validation,
analysis, facts, charts and tables), Papermill on each LA's notebook in turn (a fresh kernel
each), then the same render and privacy guard as wfscc's. Its whole wall time is the baseline
(no overlap credited to it); the time of each part is reported beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

_NAIVE = """
import json, logging, sys, time
from pathlib import Path
import papermill
from wfscc.build.cache import data_hash
from wfscc.build.provenance import collect
from wfscc.build.stage import stage_project
from wfscc.build.steps import STORE, check_privacy, load_inputs, plan_profiles, prepare_report
from wfscc.config import Config
from wfscc.render import render_book
logging.getLogger("papermill").setLevel(logging.WARNING)
project, work = Path(sys.argv[1]), Path(sys.argv[2])
config = Config(project_dir=project, data_dir=project / "data", out_dir=work / "out",
                cache_dir=work / "cache", force=True)  # force: nothing is cached
times, t = {}, time.perf_counter()
dataset = load_inputs(config)
staging = work / "staging"
site = staging / "site"
site.mkdir(parents=True)
digest = data_hash(config.data_dir)
plan = plan_profiles(config, dataset, digest)  # writes the data store the notebooks read
variables, generated = prepare_report(dataset, config, staging, site)
times["facts"], t = time.perf_counter() - t, time.perf_counter()
(work / "notebooks").mkdir()
profiles = {}
for la in sorted(plan.keys):
    profiles[la] = work / "notebooks" / f"{la}.ipynb"
    papermill.execute_notebook(str(config.notebook), str(profiles[la]),
                               parameters={"la_code": la, "store_dir": STORE},
                               cwd=str(config.cache_dir), progress_bar=False,
                               kernel_name="python3")
times["notebooks"], t = time.perf_counter() - t, time.perf_counter()
provenance = collect(project, digest)
book = stage_project(project, staging, profiles, variables, generated)
render_book(book, site, engine="pandoc", timestamp=provenance.timestamp,
            provenance=provenance.as_dict())
times["render"], t = time.perf_counter() - t, time.perf_counter()
check_privacy(dataset, site, config.threshold)
times["guard"] = time.perf_counter() - t
print(json.dumps(times))
"""


def naive_baseline(project: Path, work: Path) -> dict:
    """The naive stack in one fresh process, one step after another; its whole wall time."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _NAIVE, str(project), str(work)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"the naive baseline failed:\n{out.stdout}\n{out.stderr}")
    parts = json.loads(out.stdout.strip().splitlines()[-1])
    return {"naive_s": seconds, **{f"naive_{k}_s": v for k, v in parts.items()}}
