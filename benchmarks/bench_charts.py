"""Benchmark: CPU seconds to draw and save the charts, in one process.

Two rounds, each timed with ``time.process_time`` (CPU, not wall-clock: the machine may be
shared): the three charts of every pilot LA's profile as its notebook draws and shows them
(``quarters.quarterly_chart`` for starts and referrals and ``tables.engaged``, each through
``display.show_chart``: house style, layout, SVG), and the report's figures
(``figures.draw_figures`` saving every SVG, no store). A first, untimed-for-the-median round
pays the imports and font loading. Prints the median and minimum of ``--runs`` rounds and a
digest of every SVG made, so two versions of the code can be compared for speed and for
identical output:

    PYTHONPATH=src python benchmarks/bench_charts.py [--data data] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from wfscc.contract import ATTRIBUTES
from wfscc.data.load import load_dataset
from wfscc.notebook import display, quarters, tables
from wfscc.notebook.store import load_profile, reference_tables, write_store
from wfscc.notebook.wording import profile_facts
from wfscc.outputs import figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threshold", type=int, default=10)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    ds = load_dataset(args.data)
    work = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    write_store({n: getattr(ds, n) for n in ATTRIBUTES}, reference_tables(ds), work / "store")
    pilot = sorted(ds.areas.loc[ds.areas["group"] == "pilot", "la_code"])
    profiles = {la: load_profile(work / "store", la) for la in pilot}
    facts = {la: profile_facts(profiles[la], args.threshold) for la in pilot}
    svgs: list[str] = []

    def shown(obj, **_):
        if isinstance(obj, dict) and "image/svg+xml" in obj:
            svgs.append(obj["image/svg+xml"])

    display.display = shown  # what a notebook would show, kept here instead
    display.show_markdown = lambda text: None
    t = args.threshold

    def profile_charts() -> None:
        for la in pilot:
            p, f = profiles[la], facts[la]
            by_q, starts = quarters.starts(p, t)
            ax, alt, _ = quarters.quarterly_chart(f, by_q, starts, "Starts", "la_steady_month",
                                                  "starts")
            display.show_chart(ax, data=starts, alt=alt, base="starts", source="mi")
            ax, engaged = tables.engaged(p, t)
            display.show_chart(ax, data=engaged, base="starts", source="mi")
            by_q, refs = quarters.referrals(p, t)
            ax, alt, _ = quarters.quarterly_chart(f, by_q, refs, "Referrals",
                                                  "la_referral_steady_month", "referrals")
            display.show_chart(ax, data=refs, alt=alt, base="referrals", source="referrals")

    def report_charts() -> None:
        figures.draw_figures(ds, threshold=t, out_dir=work / "project")

    timed: dict[str, list[float]] = {"profiles": [], "report": []}
    for run in range(args.runs + 1):
        svgs.clear()
        for name, step in (("profiles", profile_charts), ("report", report_charts)):
            began = time.process_time()
            step()
            if run:  # the first round pays the imports and font loading
                timed[name].append(time.process_time() - began)
    digest = hashlib.sha256()
    for svg in svgs:
        digest.update(svg.encode())
    for path in sorted((work / "project" / figures.FIGURE_DIR).glob("*.svg")):
        digest.update(path.read_bytes())
    for name, values in timed.items():
        print(f"{name}: median {statistics.median(values):.3f} CPU-s, min {min(values):.3f} "
              f"({len(pilot)} LAs, {args.runs} runs)")
    print(f"{len(svgs)} profile SVGs; digest of every SVG {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
