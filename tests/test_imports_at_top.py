"""Imports at the top of modules: an import inside a function hides a dependency from whoever
reads the module's head, so each one left in ``src/`` is listed here with its reason.

An import inside a function (or method, or lambda, at any depth) is allowed only in a module of
:data:`ALLOWED`. A file's entry names the modules it may import there, and the reason: a
start-up cost measured with ``python -X importtime``, which a comment at the import repeats
(the test checks that a time is given there). The list may only shrink: an entry that matches no
import any more fails, so whoever moves the last such import to the top removes its entry.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Module (path under ``src/``) -> (the modules it may import inside a function, the reason).
ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    "wfscc/analysis/design.py": (
        frozenset({"statsmodels.regression.linear_model"}),
        "statsmodels' linear models take about 0.9 s to import; the facts, the notebook "
        "kernels and the tables import the analysis, and only the regressions need it",
    ),
    "wfscc/data/_readers.py": (
        frozenset({"openpyxl", "pyreadstat"}),
        "the libraries of the optional input formats (0.2 s and 30 ms to import); most inputs "
        "are CSV",
    ),
    "wfscc/data/_synth_write.py": (
        frozenset({"openpyxl", "pyreadstat"}),
        "the libraries of the generator's optional formats (0.2 s and 30 ms); CSV by default",
    ),
    "wfscc/data/validate.py": (
        frozenset({".schemas"}),
        "pandera takes 0.4 s to import and 0.15 s more on its first validation (python -X "
        "importtime): it is asked only about a table that the checks without it "
        "(data/_quickcheck.py) find may fail, so valid data never load it "
        "(tests/data/test_quickcheck.py)",
    ),
    "wfscc/diff/_pages.py": (
        frozenset({"pypdf"}),
        "pypdf (60 to 130 ms) is needed only when a build to compare has PDFs",
    ),
    "wfscc/outputs/_suppression.py": (
        frozenset({"scipy.linalg"}),
        "SciPy (0.2 s) is not loaded by the analysis, facts or tables "
        "(tests/analysis/test_normal.py)",
    ),
    "wfscc/outputs/figures.py": (
        frozenset({"._draw"}),
        "Matplotlib (0.45 to 0.7 s to import, python -X importtime) is loaded only to draw a "
        "chart that is not in the build's store: a rebuild after one LA's data changed "
        "usually redraws none (tests/build/test_one_la_rebuild.py)",
    ),
    "wfscc/outputs/tables.py": (
        frozenset({"gptables"}),
        "gptables (90 ms) writes workbooks; the notebook kernels import this module and "
        "never write one",
    ),
    "wfscc/__init__.py": (
        frozenset({"importlib.metadata"}),
        "__version__ is looked up on first use: importlib.metadata (0.1 s) is a third of a "
        "rebuild that finds nothing changed (tests/build/test_noop_fast.py)",
    ),
    "wfscc/textsafe.py": (
        frozenset({"pandas", "matplotlib.text"}),
        "wfscc.render imports textsafe and loads neither pandas (0.8 s) nor Matplotlib (0.45 s)",
    ),
    "wfscc/build/hooks.py": (
        frozenset({".steps"}),
        "the build's steps (1.8 to 2.6 s), which Quarto's pre- and post-render calls skip "
        "under `wfscc build --engine quarto`",
    ),
    "wfscc/build/pipeline.py": (
        frozenset({".steps", ".early", "..render"}),
        "a rebuild that finds nothing changed imports neither the build's steps (1.9 to 2.5 s) "
        "nor the executor that starts the kernels before them (0.2 to 0.35 s) "
        "nor, with the built-in engine, wfscc.render (40 to 90 ms) "
        "(tests/build/test_noop_fast.py)",
    ),
    "wfscc/preview/_worker.py": (
        frozenset({"..build"}),
        "the build's steps (1.9 to 2.5 s): the worker imports them after it has started the "
        "first build's kernel, which starts meanwhile on the other core",
    ),
    "wfscc/cli.py": (
        frozenset({".build", ".progress", ".data.synth", ".diff", ".preview"}),
        "each command imports what it calls, so `wfscc --help` stays at about 55 ms of imports: "
        "the build 21 ms, rich 17 ms, the preview 0.1 s, the Quarto hooks 0.45 s, diff 0.33 s, "
        "synth 0.55 s",
    ),
    "wfscc/execute/_dask.py": (
        frozenset({"distributed", "distributed.diagnostics.plugin"}),
        "distributed (0.4 s) is an optional dependency that only the Dask executor uses",
    ),
    "wfscc/outputs/charts/_seaborn.py": (
        frozenset({"seaborn"}),
        "seaborn imports scipy.stats: `import wfscc.notebook.display` took 1.38 to 1.48 CPU-s "
        "with it, 0.75 to 0.79 s without; the profile charts of the notebook kernels do not "
        "use it (tests/outputs/test_charts_without_seaborn.py). The chart helpers that draw "
        "with seaborn (bars, heat maps) all load it through this one module",
    ),
    "wfscc/execute/_normalise.py": (
        frozenset({"papermill.parameterize"}),
        "Papermill takes 0.3 to 0.4 s to import: the early pool's kernels start before it "
        "(tests/execute/test_early_pool.py)",
    ),
    "wfscc/execute/_run.py": (
        frozenset({"._papermill"}),
        "Papermill takes 0.3 to 0.4 s to import: the early pool's kernels start before it "
        "(tests/execute/test_early_pool.py)",
    ),
    "wfscc/execute/_kernel.py": (
        frozenset({"IPython", "IPython.core.pylabtools"}),
        "its source runs in each warm kernel with the standard library alone until used "
        "(its doc); IPython takes 60 to 100 ms to import outside a kernel",
    ),
}

#: A time in a comment at the import: "0.2 s", "60 ms", "2.8 to 3.4 s".
_MEASURED = re.compile(r"\d(\.\d+)?( to \d(\.\d+)?)? ?m?s\b")


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # a module of the package itself
        return ["." * node.level + (node.module or "")]
    return [node.module or ""]


def function_imports(source: str) -> list[tuple[int, str]]:
    """(line, imported module) of every import inside a function, method or lambda."""
    tree = ast.parse(source)
    found: set[tuple[int, str]] = set()
    for scope in ast.walk(tree):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for node in ast.walk(scope):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.update((node.lineno, name) for name in _imported(node))
    return sorted(found)


def _all_function_imports(src: Path = SRC) -> dict[str, list[tuple[int, str]]]:
    out = {}
    for path in sorted((src / "wfscc").rglob("*.py")):
        found = function_imports(path.read_text(encoding="utf-8"))
        if found:
            out[path.relative_to(src).as_posix()] = found
    return out


def test_imports_inside_functions_are_found_at_any_depth():
    code = (
        "import os\n"
        "def f():\n    import json\n    def g():\n        from .x import y\n"
        "class C:\n    async def m(self):\n        import pandas as pd\n"
        "h = lambda: __import__('re')\n"
        "if True:\n    import sys\n"
    )
    assert function_imports(code) == [(3, "json"), (5, ".x"), (8, "pandas")]


def test_no_import_inside_a_function_beyond_the_allow_list():
    problems = []
    for rel, found in _all_function_imports().items():
        allowed = ALLOWED[rel][0] if rel in ALLOWED else frozenset()
        problems += [f"{rel}:{line}: import {name}" for line, name in found if name not in allowed]
    assert not problems, (
        "imports inside functions: move them to the top of the module, or, if a measured "
        "start-up cost says so, list the module in ALLOWED with the measurement (and say it in "
        "a comment at the import):\n" + "\n".join(problems)
    )


def test_every_allowed_import_is_still_there_and_measured():
    found = _all_function_imports()
    stale, unmeasured = [], []
    for key, (names, _) in ALLOWED.items():
        lines = (SRC / key).read_text(encoding="utf-8").splitlines()
        present = {name for _, name in found.get(key, [])}
        stale += [f"{key}: {name}" for name in sorted(names - present)]
        for line, name in found.get(key, []):
            context = "\n".join(lines[max(0, line - 4) : line])  # the import and the lines above
            if name in names and not _MEASURED.search(context):
                unmeasured.append(f"{key}:{line}: import {name}")
    assert not stale, f"no longer imported inside a function: remove from ALLOWED: {stale}"
    assert not unmeasured, f"say the measured import time in a comment at: {unmeasured}"
