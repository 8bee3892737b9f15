"""Side-by-side build benchmark: wfscc against the naive stack, each figure against its goal.

Measured in one run on the shipped default data, each case in a fresh copy of the project:

1. the naive baseline: the design card's stack used the obvious way, timed as that sequence in
   one fresh process: the facts step, Papermill run on each LA one after another (a fresh
   kernel each), then the same render and privacy guard (nothing cached, nothing overlapped);
2. a cold `wfscc build` (and the share of it the privacy guard takes, and the CPU seconds it
   used, with the least wall time they need on this machine's cores: `cold_floor_s`);
3. a no-op rebuild (nothing changed), as the whole command;
4. `wfscc preview`: a chapter edit until the server hands out the new HTML, and until the page
   open in chromium shows it (three edits), then one LA's data changed until the new site is
   served (three changes; see _preview_latency.py);
5. a rebuild after one LA's MI records changed (with its time by step), and one after a
   chapter edit (the full build the preview runs in the background);
6. the Quarto engine (issue 15), when the Quarto CLI is found: cold build, rebuild after a
   chapter edit, no-op;
7. `wfscc synth --areas 150` then a cold build, with the peak memory of the build's processes
   and its CPU floor as in case 2 (`--skip-large`: not);
8. `synth --areas 1000` then a cold build, locally and on a local Dask cluster (`--executor
   dask`), for the record, no goal (`--skip-scale`: not; with `--runs N`, in the first run only).

`--scale-only` runs case 8 alone and writes `benchmarks/results/bench_scale.json`, so the record
of the large run can be taken on an idle machine without replacing the other cases' figures.

`--runs N` repeats cases 1-7 N times and prints a table of every run and the median (the goals
are judged on the median). Prints the load average after each case (the machine may be shared:
timings are as measured) and writes `benchmarks/results/bench_build.json`.

    python benchmarks/bench_build.py [--runs 3] [--skip-large] [--skip-scale] [--skip-quarto]
    python benchmarks/bench_build.py --scale-only [--scale-areas 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _naive import naive_baseline
from _preview_latency import change_one_la, chapter_edits

REPO = Path(__file__).resolve().parent.parent
# figure: (goal, "<" or ">=", what it is)
GOALS = {
    "cold_speedup": (5.0, ">=", "cold build, times faster than the naive baseline"),
    "cold_s": (8.0, "<", "cold build, seconds"),
    "chapter_edit_html_s": (1.0, "<", "chapter edit to new HTML served (preview), seconds"),
    "chapter_edit_browser_s": (1.0, "<", "chapter edit to page reloaded in chromium, seconds"),
    "one_la_s": (2.0, "<", "one LA's data changed, rebuild seconds"),
    "one_la_preview_s": (2.0, "<", "one LA's data changed, to new site served (preview), s"),
    "noop_s": (0.3, "<", "no-op rebuild (the whole command), seconds"),
    "guard_share": (0.10, "<", "privacy guard, share of the cold build"),
    "large_s": (45.0, "<", "synth --areas 150 then build, seconds"),
    "large_peak_mb": (1536.0, "<", "synth --areas 150 build, peak memory MB"),
}
BUILD = ["build", "--quiet", "--engine", "pandoc"]
GUARD_STEP = "Checking outputs for personal data"  # the build's timings name its steps
#: the CPU seconds the guard's early scans take while the pages render (in a thread of their own)
GUARD_EARLY = "Checking outputs for personal data while rendering (CPU)"
QUARTO_HOME = Path.home() / ".cache" / "q" / "bin"  # where ../shared/quarto/setup.sh puts it


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def copy_project(target: Path, data: Path | None = None) -> Path:
    target.mkdir(parents=True)
    for name in ("_quarto.yml", "_quarto-summary.yml", "index.qmd"):
        shutil.copyfile(REPO / name, target / name)
    for name in ("report", "notebooks", "_filters"):
        shutil.copytree(
            REPO / name, target / name, ignore=shutil.ignore_patterns("figures", "profiles")
        )
    shutil.copytree(data or REPO / "data", target / "data")
    return target


def _tree_rss(pids: list[int]) -> float:
    """MB of memory of the processes *pids* and all they started: the sum of their proportional
    set sizes (PSS: a page shared by n processes counts 1/n in each, so the libraries the
    notebook kernels share are counted once), or of their resident sizes where PSS cannot be
    read (that errs high)."""
    import psutil

    seen, total = set(), 0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                if p.pid not in seen:
                    seen.add(p.pid)
                    with contextlib.suppress(psutil.Error):
                        try:
                            total += p.memory_full_info().pss
                        except (AttributeError, psutil.AccessDenied):
                            total += p.memory_info().rss
    return total / 2**20


def wfscc(
    project: Path,
    *args: str,
    memory: bool = False,
    also: list[int] | None = None,
    env: dict | None = None,
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
        env=env,
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


def last_build(project: Path) -> dict:
    """What the last build in *project* recorded (`.wfscc-cache/last-build.json`)."""
    return json.loads((project / ".wfscc-cache" / "last-build.json").read_text())


def build_timings(project: Path) -> dict:
    return last_build(project).get("timings", {})


def cpu_floor(project: Path) -> tuple[float, float]:
    """The CPU seconds the last build in *project* used (its process and every child it waited
    for: kernels, pandoc, Typst, pdftotext, Pagefind), and the least wall time that much CPU
    needs on this machine's cores, however well the build overlapped its steps."""
    cpu = last_build(project)["cpu_seconds"]
    used = cpu["process"] + cpu["children"]
    return used, used / (os.cpu_count() or 1)


def guard_seconds(timings: dict) -> float:
    """The guard's cost in a build: its own step, plus the CPU its early scans took while the
    pages rendered (hidden in the render's wall time, but they hold the interpreter the render's
    own Python needs): counted whole, as if nothing overlapped them."""
    for name in (GUARD_STEP, GUARD_EARLY):  # never report a share of 0 for a renamed step
        if name not in timings:
            raise SystemExit(f"the build's timings have no step {name!r}: {sorted(timings)}")
    return timings[GUARD_STEP] + timings[GUARD_EARLY]


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


def quarto_cli() -> str | None:
    """The Quarto CLI: on PATH, else under $WFSCC_QUARTO_PREFIX/bin or ~/.cache/q/bin (where
    `bash ../shared/quarto/setup.sh ~/.cache/q` installs it)."""
    prefix = os.environ.get("WFSCC_QUARTO_PREFIX")
    for where in (None, *([str(Path(prefix) / "bin")] if prefix else []), str(QUARTO_HOME)):
        found = shutil.which("quarto", path=where)
        if found:
            return found
    return None


def quarto_builds(work: Path, quarto: str) -> dict:
    """`wfscc build --engine quarto`: cold, a rebuild after one chapter is edited, and a no-op
    (Quarto renders the whole staged book each time; the notebooks, facts and figures come from
    the build's cache, so a rebuild after an LA's data changed takes about as long as one after
    a chapter edit: it is not run, to keep the benchmark short)."""
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(Path(quarto).parent), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
    }
    project = copy_project(work / "quarto")
    build = ["build", "--quiet", "--engine", "quarto"]
    out = {"quarto_cold_s": wfscc(project, *build, env=env)[0]}
    chapter = project / "report" / "03-adviser-role.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nOne sentence added.\n", encoding="utf-8"
    )
    out["quarto_chapter_edit_s"] = wfscc(project, *build, env=env)[0]
    out["quarto_noop_s"] = wfscc(project, *build, env=env)[0]
    return out


def _progress(case: str, results: dict, loads: dict) -> None:
    """Print the figures of *results* not printed yet (a long run that is stopped still shows
    what it measured)."""
    shown = loads.setdefault("_shown", set())
    new = {k: v for k, v in results.items() if k not in shown}
    shown.update(new)
    figures = ", ".join(f"{k} {_fmt(v)}" for k, v in new.items())
    print(f"  {case} (load {loads[case]}): {figures}", flush=True)


def one_run(args: argparse.Namespace, work: Path, scale: bool) -> dict:
    """Every case once, in fresh copies under *work*: {"results", "load", "steps"}."""
    results: dict = {}
    steps: dict = {}
    loads = {"start": load()}

    results.update(naive_baseline(copy_project(work / "naive"), work / "naive-work"))
    loads["naive"] = load()
    _progress("naive", results, loads)

    project = copy_project(work / "default")
    results["cold_s"], _ = wfscc(project, *BUILD)
    steps["cold"] = build_timings(project)
    results["cold_cpu_s"], results["cold_floor_s"] = cpu_floor(project)
    results["cold_speedup"] = results["naive_s"] / results["cold_s"]
    results["cold_guard_s"] = guard_seconds(steps["cold"])
    results["guard_share"] = results["cold_guard_s"] / results["cold_s"]
    loads["cold"] = load()
    _progress("cold", results, loads)

    results["noop_s"], _ = wfscc(project, *BUILD)
    loads["noop"] = load()
    _progress("noop", results, loads)

    edits = chapter_edits(project)
    for kind in ("http", "browser"):
        if edits[kind]:
            name = "chapter_edit_html_s" if kind == "http" else "chapter_edit_browser_s"
            results[name] = statistics.median(edits[kind])
            results[f"chapter_edit_{kind}_each"] = ", ".join(f"{s:.2f}" for s in edits[kind])
    if edits["data"]:
        results["one_la_preview_s"] = statistics.median(edits["data"])
        results["one_la_preview_each"] = ", ".join(f"{s:.2f}" for s in edits["data"])
    if not edits["browser"]:
        print("chromium (or playwright) not found: the reload in the browser is not measured")
    loads["preview"] = load()
    _progress("preview", results, loads)

    change_one_la(project)
    results["one_la_s"], _ = wfscc(project, *BUILD)
    steps["one_la"] = build_timings(project)
    chapter = project / "report" / "03-adviser-role.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nOne sentence added.\n", encoding="utf-8"
    )
    results["chapter_edit_build_s"], _ = wfscc(project, *BUILD)
    loads["rebuilds"] = load()
    _progress("rebuilds", results, loads)

    if not args.skip_quarto:
        quarto = quarto_cli()
        if quarto is None:
            print(
                "Quarto CLI not found (not on PATH nor in ~/.cache/q/bin): the Quarto engine is "
                "not measured; install it with `bash ../shared/quarto/setup.sh ~/.cache/q`"
            )
        else:
            results.update(quarto_builds(work, quarto))
            loads["quarto"] = load()
            _progress("quarto", results, loads)

    if not args.skip_large:
        data = work / "large-data"
        synth = ["synth", "--seed", "1", "--areas", str(args.large_areas), "--out", str(data)]
        synth_s, _ = wfscc(REPO, *synth)
        large = copy_project(work / "large", data=data)
        build_s, peak = wfscc(large, *BUILD, memory=True)
        steps["large"] = build_timings(large)
        results["large_cpu_s"], results["large_floor_s"] = cpu_floor(large)
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
        _progress("large", results, loads)
    if scale:
        try:
            results.update(scale_run(work, args.scale_areas))
        except SystemExit as failed:  # for the record only: say why, keep the other figures
            results[f"scale{args.scale_areas}_failed"] = str(failed).strip().splitlines()[-1]
        loads["scale"] = load()
        _progress("scale", results, loads)
    loads.pop("_shown", None)
    return {"results": results, "load": loads, "steps": steps}


def _fmt(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def summarise(runs: list[dict]) -> tuple[dict, dict]:
    """The median of each numeric figure over *runs*, and whether it meets its goal."""
    median = {}
    for name in dict.fromkeys(k for run in runs for k in run["results"]):
        values = [run["results"][name] for run in runs if name in run["results"]]
        if all(isinstance(v, int | float) for v in values):
            median[name] = statistics.median(values)
        else:
            median[name] = values[0] if len(values) == 1 else " | ".join(map(str, values))
    met = {}
    for name, (goal, op, _) in GOALS.items():
        if name in median:
            met[name] = median[name] >= goal if op == ">=" else median[name] < goal
    return median, met


def report(runs: list[dict], median: dict, met: dict) -> None:
    n = len(runs)
    heads = [f"run {i + 1}" for i in range(n)] + (["median"] if n > 1 else [])
    print(f"\n{'figure':<52} " + " ".join(f"{h:>8}" for h in heads) + f" {'goal':>8}")
    for name, (goal, op, what) in GOALS.items():
        if name not in median:
            continue
        cells = [run["results"].get(name) for run in runs] + ([median[name]] if n > 1 else [])
        print(
            f"{what:<52} "
            + " ".join(f"{'-' if v is None else _fmt(v):>8}" for v in cells)
            + f" {op + ' ' + format(goal, 'g'):>8}  {'met' if met[name] else 'MISSED'}"
        )
    print("\nfor the record (no goal):")
    for name, value in median.items():
        if name in GOALS:
            continue
        cells = [run["results"].get(name) for run in runs]
        if n > 1 and isinstance(value, int | float):
            cells.append(value)
        text = " ".join(f"{'-' if v is None else _fmt(v):>8}" for v in cells)
        print(f"  {name:<50} {text}" if isinstance(value, int | float) else f"  {name}: {value}")
    for i, run in enumerate(runs, start=1):
        print(
            f"\nrun {i}: load average (1, 5, 15 min) after each case: "
            + "; ".join(f"{k} {v}" for k, v in run["load"].items())
        )
        for case, timings in run["steps"].items():
            print(
                f"  {case} build by step: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
            )


def scale_only(args: argparse.Namespace, out: Path) -> None:
    """Case 8 alone: the scale run's figures and the load around it, written to *out*."""
    work = Path(tempfile.mkdtemp(prefix="wfscc-bench-scale-"))
    loads = {"start": load()}
    print(f"scale run, {args.scale_areas} areas (load average {loads['start']})", flush=True)
    try:
        figures = scale_run(work, args.scale_areas)
    except SystemExit as failed:  # for the record: say why
        figures = {f"scale{args.scale_areas}_failed": str(failed).strip().splitlines()[-1]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    loads["scale"] = load()
    for name, value in figures.items():
        print(f"  {name:<40} {_fmt(value)}")
    print(f"load average (1, 5, 15 min): start {loads['start']}; after {loads['scale']}")
    document = {
        "cores": len(os.sched_getaffinity(0)),
        "options": {k: str(v) for k, v in vars(args).items()},
        "results": figures,
        "load": loads,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    print(f"written: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="repeat the cases N times")
    parser.add_argument("--large-areas", type=int, default=150)
    parser.add_argument("--skip-large", action="store_true", help="no 150-area build")
    parser.add_argument("--scale-areas", type=int, default=1000)
    parser.add_argument("--skip-scale", action="store_true", help="no 1000-area scale run")
    parser.add_argument("--skip-quarto", action="store_true", help="no Quarto engine builds")
    parser.add_argument(
        "--scale-only", action="store_true", help="only the scale run, to bench_scale.json"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results = REPO / "benchmarks" / "results"
    if args.scale_only:
        scale_only(args, args.out or results / "bench_scale.json")
        return
    args.out = args.out or results / "bench_build.json"
    runs = []
    for i in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="wfscc-bench-"))
        print(f"run {i + 1} of {args.runs} (load average {load()})", flush=True)
        try:
            runs.append(one_run(args, work, scale=not args.skip_scale and i == 0))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    median, met = summarise(runs)
    report(runs, median, met)
    goals = {k: {"goal": g, "op": op, "what": what} for k, (g, op, what) in GOALS.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "cores": len(os.sched_getaffinity(0)),
        "options": {k: str(v) for k, v in vars(args).items()},
        "runs": runs,
        "median": median,
        "goals": goals,
        "met": met,
    }
    args.out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
