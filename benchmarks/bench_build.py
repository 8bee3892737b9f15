"""Side-by-side build benchmark: wfscc against the naive stack, each figure against its goal.

Measured in one run on the shipped default data, each case in a fresh copy of the project:

1. the naive baseline: the design card's stack used the obvious way, timed as that sequence in
   one fresh process: the facts step, Papermill run on each LA one after another (a fresh
   kernel each), then the same render and privacy guard (nothing cached, nothing overlapped);
2. a cold `wfscc build` (and the share of it the privacy guard takes);
3. a no-op rebuild (nothing changed), as the whole command;
4. `wfscc preview`: a chapter edit until the server hands out the new HTML (three edits);
5. a rebuild after one LA's MI records changed (with its time by step), and one after a
   chapter edit (the full build the preview runs in the background);
6. `wfscc synth --areas 150` then a cold build, with the peak memory of the build's processes;
7. with `--scale-areas 1000`: the same at that size, locally and on a local Dask cluster
   (`--executor dask`), reported for the record (no goal).

Prints each figure against its goal and the load average around each case (the machine may be
shared: timings are as measured), and writes `benchmarks/results/bench_build.json`.

    python benchmarks/bench_build.py [--large-areas 150] [--skip-large] [--scale-areas 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
# figure: (goal, "<" or ">=", what it is)
GOALS = {
    "cold_speedup": (5.0, ">=", "cold build, times faster than the naive baseline"),
    "cold_s": (8.0, "<", "cold build, seconds"),
    "chapter_edit_html_s": (1.0, "<", "chapter edit to refreshed HTML (preview), seconds"),
    "one_la_s": (2.0, "<", "one LA's data changed, rebuild seconds"),
    "noop_s": (0.3, "<", "no-op rebuild (the whole command), seconds"),
    "guard_share": (0.10, "<", "privacy guard, share of the cold build"),
    "large_s": (45.0, "<", "synth --areas 150 then build, seconds"),
    "large_peak_mb": (1536.0, "<", "synth --areas 150 build, peak memory MB"),
}
BUILD = ["build", "--quiet", "--engine", "pandoc"]
GUARD_STEP = "Checking outputs for personal data"


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def copy_project(target: Path, data: Path | None = None) -> Path:
    target.mkdir(parents=True)
    for name in ("_quarto.yml", "_quarto-summary.yml", "index.qmd"):
        shutil.copyfile(REPO / name, target / name)
    for name in ("report", "notebooks", "_filters"):
        shutil.copytree(REPO / name, target / name,
                        ignore=shutil.ignore_patterns("figures", "profiles"))
    shutil.copytree(data or REPO / "data", target / "data")
    return target


def _tree_rss(pids: list[int]) -> float:
    import psutil

    seen, rss = set(), 0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                if p.pid not in seen:
                    seen.add(p.pid)
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
    return rss / 2**20


def wfscc(
    project: Path, *args: str, memory: bool = False, also: list[int] | None = None
) -> tuple[float, float]:
    """Run the CLI in ``project``; return (seconds, peak MB of its process tree, and of the
    processes *also* (a Dask cluster's), if asked)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wfscc.cli", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss([proc.pid, *(also or [])]))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"wfscc {' '.join(args)} failed in {project}:\n{output}")
    if memory:
        sampler.join()
    return seconds, peak[0]


def build_timings(project: Path) -> dict:
    last = json.loads((project / ".wfscc-cache" / "last-build.json").read_text())
    return last.get("timings", {})


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
for la in sorted(plan.profiles):
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


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def preview_edits(project: Path, edits: int = 3) -> list[float]:
    """Seconds from saving a chapter to `wfscc preview` handing out the new HTML, per edit.
    Each edit waits for the previous one's background build (PDFs, search) to finish."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wfscc.cli",
            "preview",
            "--engine",
            "pandoc",
            "--port",
            "0",
            "--no-browser",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        url = None
        for line in proc.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            raise SystemExit("wfscc preview did not start")
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe empty

        def current() -> None:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                status = json.loads(_get(url + "__wfscc__/status.json?seq=-1"))
                if status["full"] == "current":
                    return
                if status["state"] == "error":
                    raise SystemExit(f"the preview's build failed: {status['error']}")
                time.sleep(0.1)
            raise SystemExit("the preview's build did not finish")

        current()
        chapter = project / "report" / "03-adviser-role.qmd"
        page = url + "03-adviser-role.html"
        seconds = []
        for n in range(edits):
            sentence = f"Benchmark sentence number {n}."
            text = chapter.read_text(encoding="utf-8")
            chapter.write_text(text + f"\n{sentence}\n", encoding="utf-8")
            saved = time.perf_counter()
            while sentence not in _get(page):
                time.sleep(0.01)
            seconds.append(time.perf_counter() - saved)
            current()
        return seconds
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def change_one_la(project: Path, la: str = "P03") -> None:
    mi_path = project / "data" / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == la][0]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)


def scale_run(work: Path, areas: int) -> dict:
    """`synth --areas N`, then a cold build locally and one on a local Dask cluster."""
    data = work / f"data-{areas}"
    synth_s, _ = wfscc(REPO, "synth", "--seed", "1", "--areas", str(areas), "--out", str(data))
    out = {f"scale{areas}_synth_s": synth_s}
    local_s, local_mb = wfscc(copy_project(work / f"scale-{areas}", data), *BUILD, memory=True)
    out.update({f"scale{areas}_local_s": local_s, f"scale{areas}_local_peak_mb": local_mb})
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        project = copy_project(work / f"scale-{areas}-dask", data)
        dask_s, dask_mb = wfscc(
            project,
            *BUILD,
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            memory=True,
            also=[os.getpid()],
        )
    out.update({f"scale{areas}_dask_s": dask_s, f"scale{areas}_dask_peak_mb": dask_mb})
    return out


def report(results: dict, loads: dict) -> dict[str, bool]:
    met = {}
    print(f"{'figure':<58} {'measured':>10} {'goal':>10}")
    for name, (goal, op, what) in GOALS.items():
        if name not in results:
            continue
        value = results[name]
        ok = value >= goal if op == ">=" else value < goal
        met[name] = ok
        print(
            f"{what:<58} {value:>10.2f} {op + ' ' + format(goal, 'g'):>10}  "
            f"{'met' if ok else 'MISSED'}"
        )
    print("\nfor the record:")
    for name, value in results.items():
        if name not in GOALS:
            print(
                f"  {name:<40} {value:.2f}" if isinstance(value, float) else f"  {name:<40} {value}"
            )
    print(
        "\nload average (1, 5, 15 min) after each case: "
        + "; ".join(f"{k} {v}" for k, v in loads.items())
    )
    return met


# --- the Quarto engine (issue 15): its own cases, beside the built-in engine's ---------------
def quarto_builds(work: Path) -> dict:
    """Cold build and a rebuild after one chapter is edited with `--engine quarto` (Quarto
    re-renders the whole staged book each time; the notebooks come from the build's cache).
    Nothing when the Quarto CLI is not on PATH."""
    if shutil.which("quarto") is None:
        print("Quarto CLI not on PATH: the Quarto engine's builds are not measured")
        return {}
    project = copy_project(work / "quarto")
    build = ["build", "--quiet", "--engine", "quarto"]
    cold_s, _ = wfscc(project, *build)
    chapter = project / "report" / "03-adviser-role.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne sentence added.\n",
                       encoding="utf-8")
    edit_s, _ = wfscc(project, *build)
    return {"quarto_cold_s": cold_s, "quarto_chapter_edit_s": edit_s}
# --- end of the Quarto engine's cases ----------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-areas", type=int, default=150)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--scale-areas",
        type=int,
        default=0,
        help="also synth and build this many areas, locally and on Dask",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wfscc-bench-"))
    large_steps: dict = {}
    results: dict = {"cores": len(os.sched_getaffinity(0))}
    loads = {"start": load()}

    results.update(naive_baseline(copy_project(work / "naive"), work / "naive-work"))
    loads["naive"] = load()

    project = copy_project(work / "default")
    results["cold_s"], _ = wfscc(project, *BUILD)
    cold = build_timings(project)
    results["cold_speedup"] = results["naive_s"] / results["cold_s"]
    results["cold_guard_s"] = cold.get(GUARD_STEP, 0.0)
    results["guard_share"] = results["cold_guard_s"] / results["cold_s"]
    loads["cold"] = load()

    results["noop_s"], _ = wfscc(project, *BUILD)
    results.update(quarto_builds(work))
    loads["noop"] = load()

    edits = preview_edits(project)
    results["chapter_edit_html_s"] = sorted(edits)[len(edits) // 2]  # the median
    results["chapter_edit_html_all"] = ", ".join(f"{s:.2f}" for s in edits)
    loads["preview"] = load()

    change_one_la(project)
    results["one_la_s"], _ = wfscc(project, *BUILD)
    one_la = build_timings(project)
    chapter = project / "report" / "03-adviser-role.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nOne sentence added.\n", encoding="utf-8"
    )
    results["chapter_edit_build_s"], _ = wfscc(project, *BUILD)
    loads["rebuilds"] = load()

    if not args.skip_large:
        synth_s, _ = wfscc(
            REPO,
            "synth",
            "--seed",
            "1",
            "--areas",
            str(args.large_areas),
            "--out",
            str(work / "large-data"),
        )
        large = copy_project(work / "large", data=work / "large-data")
        build_s, peak = wfscc(large, *BUILD, memory=True)
        large_steps = build_timings(large)
        results.update(
            {
                "large_areas": args.large_areas,
                "large_synth_s": synth_s,
                "large_build_s": build_s,
                "large_s": synth_s + build_s,
                "large_peak_mb": peak,
            }
        )
        loads["large"] = load()
    if args.scale_areas:
        results.update(scale_run(work, args.scale_areas))
        loads["scale"] = load()

    met = report(results, loads)
    print("cold build by step: " + ", ".join(f"{k} {v:.2f}" for k, v in cold.items()))
    print("one LA changed, by step: " + ", ".join(f"{k} {v:.2f}" for k, v in one_la.items()))
    if large_steps:
        print("large build by step: " + ", ".join(f"{k} {v:.2f}" for k, v in large_steps.items()))
    out = REPO / "benchmarks" / "results" / "bench_build.json"
    out.parent.mkdir(exist_ok=True)
    goals = {k: {"goal": g, "op": op, "what": what} for k, (g, op, what) in GOALS.items()}
    out.write_text(
        json.dumps(
            {
                "results": results,
                "goals": goals,
                "met": met,
                "load": loads,
                "cold_steps": cold,
                "large_steps": large_steps,
                "one_la_steps": one_la,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    print(f"written: {out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
