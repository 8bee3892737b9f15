"""How long the analysis takes in one process, without drawing charts or running notebooks.

Goals (issue 4): all national and per-LA analysis of the default data under 1 s; on about a
million MI starts under 10 s. "All analysis" here is what the build computes from the data:
the national facts (:func:`wfscc.facts.compute_facts`, given the charts' alt texts so that it
draws nothing), every published table with disclosure control (:func:`wfscc.tables.report_tables`),
and each pilot LA's profile facts (:func:`wfscc.facts.la_facts`) on that LA's rows, as the
profile notebooks compute them.

    python benchmarks/bench_analysis.py [--skip-large] [--areas 150 --scale 33]

Prints each timing and writes them to ``benchmarks/results/bench_analysis.json``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from wfscc.data import load_dataset, synth
from wfscc.facts import compute_facts, la_facts, pilot_reference
from wfscc.figures import Figure
from wfscc.notebook.store import LA_TABLES
from wfscc.tables import report_tables

REPO = Path(__file__).resolve().parent.parent
GOALS = {"default_max_s": 1.0, "large_max_s": 10.0}


def _no_charts() -> dict[str, Figure]:
    """Stand-in figures so compute_facts does not draw (charts are not analysis)."""
    from wfscc.figures import CAPTIONS

    return {name: Figure(name, None, "alt", caption, None) for name, caption in CAPTIONS.items()}


def analyse(folder: Path) -> dict[str, float]:
    dataset = load_dataset(folder)
    times: dict[str, float] = {"mi_starts": float(len(dataset.mi))}
    start = time.perf_counter()
    compute_facts(dataset, figures=_no_charts())
    times["national_facts_s"] = time.perf_counter() - start
    mark = time.perf_counter()
    report_tables(dataset)
    times["tables_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    reference = pilot_reference(dataset)
    pilots = sorted(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    # As in the build, each LA's analysis sees only its own rows (the profile store's slices).
    parts = {name: dict(tuple(getattr(dataset, name).groupby("la_code", sort=False)))
             for name in LA_TABLES}
    for la in pilots:
        own = SimpleNamespace(**{name: parts[name].get(la, getattr(dataset, name).iloc[:0])
                                 for name in LA_TABLES})
        la_facts(own, la, pilot=reference)
    times["la_facts_s"] = time.perf_counter() - mark
    times["total_s"] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--scale", type=float, default=33.0)
    args = parser.parse_args()
    analyse(REPO / "data")  # warm imports and caches
    results = {"default": analyse(REPO / "data")}
    if not args.skip_large:
        with tempfile.TemporaryDirectory() as tmp:
            synth.generate(1, Path(tmp), areas=args.areas, scale=args.scale)
            results["large"] = analyse(Path(tmp))
    for label, times in results.items():
        print(f"{label}: " + ", ".join(f"{k} {v:,.2f}" for k, v in times.items()))
    print(f"default data: {results['default']['total_s']:.2f} s "
          f"(goal < {GOALS['default_max_s']} s)")
    if "large" in results:
        large = results["large"]
        print(f"{large['mi_starts']:,.0f} MI starts: {large['total_s']:.2f} s "
              f"(goal < {GOALS['large_max_s']} s)")
    out = REPO / "benchmarks" / "results" / "bench_analysis.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"goals": GOALS, **results}, indent=2, sort_keys=True) + "\n")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
