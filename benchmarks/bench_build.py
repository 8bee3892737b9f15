"""Side-by-side build benchmark for the goals of the build engine (run with `make bench`).

Measured in one run on the shipped default data, each in a fresh copy of the project:

1. cold build with `wfscc build` (warm-kernel pool, `--jobs` = cores);
2. the naive baseline: Papermill run on each LA one after another (a fresh kernel each), plus the
   same render, validation and publishing time as the cold build;
3. a no-op rebuild (nothing changed);
4. a rebuild after one LA's MI records changed (and its time by step), then one after a
   sentence is added to one chapter;
5. `wfscc synth --areas 150` then a cold build, with the peak memory of the build's process tree.

Prints each figure and the ratios against the goals, and writes them to
`benchmarks/results/bench_build.json`.

    python benchmarks/bench_build.py [--large-areas 150] [--skip-large]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
GOALS = {"cold_speedup_min": 3.0, "noop_max_s": 1.0, "one_la_max_s": 5.0,
         "large_max_s": 120.0, "large_peak_mb_max": 2048.0}


def copy_project(target: Path, data: Path | None = None) -> Path:
    target.mkdir(parents=True)
    for name in ("_quarto.yml", "_quarto-summary.yml", "index.qmd"):
        shutil.copyfile(REPO / name, target / name)
    for name in ("report", "notebooks", "_filters"):
        shutil.copytree(REPO / name, target / name,
                        ignore=shutil.ignore_patterns("figures", "profiles"))
    shutil.copytree(data or REPO / "data", target / "data")
    return target


def wfscc(project: Path, *args: str, memory: bool = False) -> tuple[float, float]:
    """Run the CLI in ``project``; return (seconds, peak MB of the process tree if asked)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "wfscc.cli", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while proc.poll() is None:
                tree = [root, *root.children(recursive=True)]
                rss = 0
                for p in tree:
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
                peak[0] = max(peak[0], rss / 2**20)
                time.sleep(0.1)
        except psutil.Error:
            pass

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


def naive_notebooks(project: Path) -> float:
    """Papermill on each pilot LA, one after another, against the store the build wrote."""
    import papermill

    cache = project / ".wfscc-cache"
    store = "store"  # written by the cold build before this runs (wfscc.build.steps.STORE)
    areas = pd.read_csv(project / "data" / "areas.csv")
    out = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    for la in sorted(areas.loc[areas["group"] == "pilot", "la_code"]):
        papermill.execute_notebook(
            str(project / "notebooks" / "la_profile.ipynb"), str(out / f"{la}.ipynb"),
            parameters={"la_code": la, "store_dir": store}, cwd=str(cache), progress_bar=False,
            kernel_name="python3",
        )
    return time.perf_counter() - started


_FACTS_ALONE = """
import sys, time
from pathlib import Path
from wfscc.build.steps import load_inputs, prepare_report
from wfscc.config import Config
project, work = Path(sys.argv[1]), Path(sys.argv[2])
config = Config(project_dir=project, data_dir=project / "data", out_dir=work / "out",
                cache_dir=work / "cache")
dataset = load_inputs(config)
(work / "staging" / "site").mkdir(parents=True)
started = time.perf_counter()
prepare_report(dataset, config, work / "staging", work / "staging" / "site")
print(time.perf_counter() - started)
"""


def facts_alone(project: Path, work: Path) -> float:
    """The build's facts, charts and tables step on its own, with an empty cache."""
    out = subprocess.run([sys.executable, "-c", _FACTS_ALONE, str(project), str(work)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def build_timings(project: Path) -> dict:
    last = json.loads((project / ".wfscc-cache" / "last-build.json").read_text())
    return last.get("timings", {})


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
    args = parser.parse_args()
    logging.getLogger("papermill").setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="wfscc-bench-"))
    results: dict[str, float] = {"cores": os.cpu_count() or 1}
    build = ["build", "--quiet", "--engine", "pandoc"]

    project = copy_project(work / "default")
    results["cold_s"], _ = wfscc(project, *build)
    cold = build_timings(project)
    # The build runs the notebooks while it computes the facts; the baseline does one, then the
    # other: its time is the cold build's, with that overlapped stretch replaced by the facts
    # step timed alone (no notebooks beside it) and the Papermill loop.
    together = cold.get("Facts and notebooks, overlapped",
                        cold.get("Computing facts, charts and tables", 0.0)
                        + cold.get("Running LA profile notebooks", 0.0))
    results["cold_facts_and_notebooks_s"] = together
    results["facts_alone_s"] = facts_alone(project, work / "facts-alone")
    results["naive_notebooks_s"] = naive_notebooks(project)
    results["naive_s"] = (results["cold_s"] - together + results["facts_alone_s"]
                          + results["naive_notebooks_s"])
    results["cold_speedup"] = results["naive_s"] / results["cold_s"]

    results["noop_s"], _ = wfscc(project, *build)

    mi_path = project / "data" / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == "P03"][0]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)
    results["one_la_s"], _ = wfscc(project, *build)
    one_la = build_timings(project)

    chapter = project / "report" / "03-adviser-role.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne sentence added.\n",
                       encoding="utf-8")
    results["chapter_edit_s"], _ = wfscc(project, *build)

    results.update(quarto_builds(work))

    if not args.skip_large:
        large = work / "large"
        synth_s, _ = wfscc(REPO, "synth", "--seed", "1", "--areas", str(args.large_areas),
                           "--out", str(work / "large-data"))
        copy_project(large, data=work / "large-data")
        build_s, peak = wfscc(large, *build, memory=True)
        results.update({"large_areas": args.large_areas, "large_synth_s": synth_s,
                        "large_build_s": build_s, "large_s": synth_s + build_s,
                        "large_peak_mb": peak})

    checks = {
        "cold build >= 3x faster than naive": results["cold_speedup"] >= GOALS["cold_speedup_min"],
        "no-op rebuild < 1 s": results["noop_s"] < GOALS["noop_max_s"],
        "one LA changed < 5 s": results["one_la_s"] < GOALS["one_la_max_s"],
    }
    if "large_s" in results:
        checks["150 areas synth+build < 2 min"] = results["large_s"] < GOALS["large_max_s"]
        checks["peak memory < 2 GB"] = results["large_peak_mb"] < GOALS["large_peak_mb_max"]
    for name, value in results.items():
        print(f"{name:>22}: {value:.2f}" if isinstance(value, float) else f"{name:>22}: {value}")
    print("one LA changed, by step: " + ", ".join(f"{k} {v:.2f}" for k, v in one_la.items()))
    for name, ok in checks.items():
        print(f"{'met' if ok else 'MISSED':>6}  {name}")
    out = REPO / "benchmarks" / "results" / "bench_build.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"results": results, "goals": GOALS, "one_la_steps": one_la,
                               "met": checks}, indent=2, sort_keys=True) + "\n")
    print(f"written: {out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
