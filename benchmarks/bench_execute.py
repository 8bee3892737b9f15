"""Benchmark: a cold Papermill loop against the warm-kernel pool of ``wfscc.execute``.

Runs a small notebook that imports pandas and seaborn and draws one chart, ``--runs`` times (10 by
default), four ways: Papermill one after another and two at a time (a fresh kernel per notebook),
and ``run_notebooks`` with ``jobs=1`` and ``jobs=2`` (kernels started once and reused). Prints the
wall-clock seconds and the cold/warm ratio.

    python benchmarks/bench_execute.py [--runs 10]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from wfscc.execute import NotebookRun, run_notebooks

CELLS = [
    ('la_code = "P01"', ["parameters"]),
    ("import pandas as pd\nimport seaborn as sns\nimport matplotlib.pyplot as plt", []),
    (
        "frame = pd.DataFrame({'la': [la_code] * 6, 'x': range(6), 'y': [3, 1, 4, 1, 5, 9]})\n"
        "frame.groupby('la')['y'].agg(['mean', 'count'])",
        [],
    ),
    ("ax = sns.barplot(data=frame, x='x', y='y')\nax.set_title(la_code)", []),
]


def make_notebook(path: Path) -> Path:
    """Write the benchmark notebook (a tagged parameters cell, pandas, seaborn, one chart)."""
    nb = new_notebook(cells=[new_code_cell(src, metadata={"tags": tags}) for src, tags in CELLS])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def cold(notebook: Path, keys: list[str], out: Path, jobs: int) -> float:
    """Papermill, a fresh kernel per notebook, ``jobs`` at a time."""
    import papermill

    def one(key: str) -> None:
        papermill.execute_notebook(
            str(notebook), str(out / f"{key}.ipynb"), parameters={"la_code": key},
            progress_bar=False, kernel_name="python3",
        )  # fmt: skip

    began = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, keys))
    return time.perf_counter() - began


def warm(notebook: Path, keys: list[str], out: Path, jobs: int) -> float:
    """``run_notebooks``: ``jobs`` warm kernels, each reset between notebooks."""
    began = time.perf_counter()
    report = run_notebooks(
        notebook, [NotebookRun(k, {"la_code": k}) for k in keys],
        out_dir=out, staging_dir=out / ".staging", jobs=jobs,
    )  # fmt: skip
    report.raise_for_failures()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("papermill").setLevel(logging.ERROR)
    keys = [f"P{i:02d}" for i in range(1, args.runs + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        notebook = make_notebook(base / "bench.ipynb")
        results = {}
        for jobs in (1, 2):
            for name, runner in (("cold papermill loop", cold), ("warm pool", warm)):
                out = base / f"{name.split()[0]}-{jobs}"
                out.mkdir()
                results[(name, jobs)] = runner(notebook, keys, out, jobs)
    print(f"{args.runs} notebooks (pandas + seaborn + one chart)")
    print(f"{'executor':<22}{'jobs':>5}{'seconds':>10}")
    for (name, jobs), seconds in results.items():
        print(f"{name:<22}{jobs:>5}{seconds:>10.1f}")
    for jobs in (1, 2):
        ratio = results[("cold papermill loop", jobs)] / results[("warm pool", jobs)]
        print(f"jobs={jobs}: warm pool is {ratio:.1f}x faster than the cold loop")


if __name__ == "__main__":
    main()
