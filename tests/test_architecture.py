"""The shape of the package: no import cycle between modules, no module over 400 lines.

Imports are read from the source with :mod:`ast`, everywhere in a module: at the top, inside
functions and methods, and under ``if TYPE_CHECKING:``, because an import inside a function is
still a dependency (it only moves the moment it is paid for). The cycles are the strongly
connected components of the module graph, found with SciPy's ``connected_components``.

Both allow-lists below may only shrink: an entry that no longer matches anything fails the test,
so whoever removes a cycle or splits a module also removes its entry.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_LINES = 400

#: Import cycles that other work removes; each entry is the exact set of modules in the cycle.
ALLOWED_CYCLES: dict[frozenset[str], str] = {
    # facts draw every chart to get its alt text (facts.__init__ -> figures -> facts): issue 14's
    # output package moves charts below the facts and lets the pipeline merge alt-text facts
    frozenset({"wfscc.facts", "wfscc.outputs.figures"}): "issue 14: outputs package (i16-style)",
}

#: Modules allowed over MAX_LINES lines, each with its reason.
ALLOWED_LONG: dict[str, str] = {
    "wfscc/outputs/disclosure.py": "the disclosure rules and their complementary suppression; moves into "
    "the outputs package (issue 14), where it is split",
    "wfscc/guard/scan.py": "the guard's scan driver, one line over; the guard's split is not "
    "part of this round",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SRC / "wfscc").rglob("*.py"))}


def _targets(module: str, path: Path, node: ast.AST, modules: dict) -> list[str]:
    """The package modules an import statement loads (its own package's submodules by name)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join(parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    out = []
    for name in names:
        while name and name not in modules:  # `import wfscc.x.y` loads wfscc.x.y; a name
            name = name.rpartition(".")[0]  # from a module is that module
        if name and name != module:
            out.append(name)
    return out


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports, anywhere in its code."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _targets(module, path, node, modules)
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module."""
    names = sorted(graph)
    index = {name: i for i, name in enumerate(names)}
    rows = [index[a] for a, targets in graph.items() for _ in targets]
    cols = [index[b] for targets in graph.values() for b in targets]
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(names)))
    _, labels = connected_components(matrix, directed=True, connection="strong")
    groups: dict[int, set[str]] = defaultdict(set)
    for name, label in zip(names, labels, strict=True):
        groups[label].add(name)
    return sorted((frozenset(g) for g in groups.values() if len(g) > 1), key=sorted)


def test_the_cycle_finder_finds_a_cycle_through_an_import_inside_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [frozenset("abc")]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_and_relative_imports_are_read(tmp_path):
    modules = {
        "wfscc.data.validate": None,
        "wfscc.data._crosscheck": None,
        "wfscc.data": None,
        "wfscc.errors": None,
    }
    path = SRC / "wfscc" / "data" / "validate.py"
    code = ast.parse(
        "def f():\n    from ._crosscheck import crosscheck\n"
        "from ..errors import DataError\nfrom . import _crosscheck\n"
    )
    found = [
        t
        for node in ast.walk(code)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for t in _targets("wfscc.data.validate", path, node, modules)
    ]
    assert sorted(found) == ["wfscc.data._crosscheck", "wfscc.data._crosscheck", "wfscc.errors"]


def test_no_import_cycle_between_modules_beyond_the_allow_list():
    found = cycles(import_graph())
    unexpected = [sorted(c) for c in found if c not in ALLOWED_CYCLES]
    assert not unexpected, (
        f"import cycles between modules: {unexpected}. Move what both sides need into a lower "
        "module (see docs/architecture.md for the layers)"
    )
    stale = [sorted(c) for c in ALLOWED_CYCLES if c not in found]
    assert not stale, f"these allowed cycles are gone: remove them from ALLOWED_CYCLES: {stale}"


def test_no_module_is_over_400_lines_beyond_the_allow_list():
    lengths = {
        p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (SRC / "wfscc").rglob("*.py")
    }
    long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    unexpected = sorted(set(long) - set(ALLOWED_LONG))
    assert not unexpected, f"modules over {MAX_LINES} lines: {[(n, long[n]) for n in unexpected]}"
    stale = sorted(set(ALLOWED_LONG) - set(long))
    assert not stale, f"no longer over {MAX_LINES} lines: remove from ALLOWED_LONG: {stale}"
