"""How long the synthetic generator takes: the default dataset and ~1 million MI starts.

    python benchmarks/bench_synth.py            # default (10 areas) and 150 areas at scale 33
    python benchmarks/bench_synth.py --load     # also time load_dataset on the large set

Prints wall-clock seconds, rows per table and size on disk. Not a test: timings depend on the
machine, so nothing here fails on a slow run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from wfscc.data import load_dataset, synth


def _size(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


def run(label: str, out: Path, load: bool, **kwargs: object) -> None:
    start = time.perf_counter()
    files = synth.generate(772, out, **kwargs)
    took = time.perf_counter() - start
    rows = {stem: sum(1 for _ in path.open(encoding="utf-8")) - 1 for stem, path in files.items()}
    print(f"{label}: generate {took:.1f} s, {_size(out):.1f} MB")
    print("   rows: " + ", ".join(f"{stem} {n:,}" for stem, n in rows.items()))
    if load:
        start = time.perf_counter()
        load_dataset(out)
        print(f"   load_dataset {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="also time load_dataset")
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--scale", type=float, default=33.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("default (10 areas, scale 1)", Path(tmp) / "default", True)
        run(
            f"{args.areas} areas, scale {args.scale:g}",
            Path(tmp) / "large",
            args.load,
            areas=args.areas,
            scale=args.scale,
        )


if __name__ == "__main__":
    main()
