"""How much CPU the privacy guard spends scanning a published site (issue 17).

The build runs the guard in a thread of its main process (mostly during rendering, where it
holds the GIL), so its CPU time is what counts, not its wall time. This times a full scan of an
already built site with the guard's public API, as the build calls it, with a fresh cache each
time (so every file is read, searched and its verdict kept), in CPU seconds of this process
(`time.process_time`; pdftotext runs in a child process and is reported apart).

    PYTHONPATH=$PWD/src wfscc build --data data --out /tmp/book --engine pandoc
    python benchmarks/bench_guard.py --site /tmp/book --data data [--runs 5] [--profile]

Prints the median and every run; ``--no-cache`` scans without a cache (no memo writes);
``--cache-in DIR`` puts the fresh caches there (default: the system's temporary folder; the
cost of creating a cache entry's file differs between file systems, and the build keeps its
cache beside its output folder).
Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from wfscc.data import load_dataset
from wfscc.guard import identifiers_of, names_of, scan_outputs, shipped_images

REPO = Path(__file__).resolve().parent.parent


def scan_once(
    site: Path, params: dict, cache: bool, cache_in: Path | None = None
) -> tuple[float, float, int]:
    """(CPU seconds of this process, CPU seconds of children, number of findings)."""
    with tempfile.TemporaryDirectory(prefix="bench-guard-", dir=cache_in) as tmp:
        before, children = time.process_time(), os.times()
        findings = scan_outputs(site, cache_dir=Path(tmp) if cache else None, **params)
        after = os.times()
        cpu = time.process_time() - before
    child = (after.children_user + after.children_system) - (
        children.children_user + children.children_system
    )
    return cpu, child, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (wfscc build --out)")
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--runs", type=int, default=5, help="at least 1")
    parser.add_argument("--threshold", type=int, default=10)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--cache-in", type=Path, default=None)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()
    args.runs = max(1, args.runs)

    dataset = load_dataset(args.data)  # ids and names only: the interviews' redaction is moot
    params = {
        "identifiers": identifiers_of(dataset),
        "names": names_of(dataset),
        "threshold": args.threshold,
        "shipped_images": shipped_images(REPO),
    }
    cache = not args.no_cache
    scan_once(args.site, params, cache, args.cache_in)  # warm: imports, name lists, OS caches
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        scan_once(args.site, params, cache, args.cache_in)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    runs = [scan_once(args.site, params, cache, args.cache_in) for _ in range(args.runs)]
    cpu = [r[0] for r in runs]
    files = sum(1 for p in args.site.rglob("*") if p.is_file())
    print(f"site {args.site}: {files} files, {runs[0][2]} findings")
    print(
        f"guard CPU (this process): median {statistics.median(cpu):.3f} s; runs "
        + ", ".join(f"{c:.3f}" for c in cpu)
    )
    print(f"children (pdftotext): median {statistics.median(r[1] for r in runs):.3f} s")


if __name__ == "__main__":
    main()
