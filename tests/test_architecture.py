"""The shape of the package: no import cycle between modules, layers that import only
downwards, no import of another package's private module, no module over 400 lines.

Imports are read from the source with :mod:`ast`, everywhere in a module: at the top, inside
functions and methods, and under ``if TYPE_CHECKING:``, because an import inside a function is
still a dependency (it only moves the moment it is paid for). The cycles are the strongly
connected components of the module graph, found with SciPy's ``connected_components``. No cycle
is allowed. The layers are :data:`LAYERS` (docs/architecture.md): a module may import its own
layer and the layers before it, never one after it.

The allow-lists below may only shrink: an entry that no longer matches anything fails the test,
so whoever splits a module or stops a private import also removes its entry.
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

#: The layers, lowest first, and the modules (with their submodules) of each; ``wfscc`` is the
#: package's ``__init__`` alone. A module belongs to the layer of its longest matching prefix; a
#: module matching none fails the test, so a new package or top-level module gets a layer.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "contract",
        (
            "wfscc",
            "wfscc.contract",
            "wfscc.errors",
            "wfscc.config",
            "wfscc.memo",
            "wfscc.housestyle",
            "wfscc.textsafe",
            "wfscc.progress",
        ),
    ),
    ("data", ("wfscc.data",)),
    ("analysis", ("wfscc.analysis",)),
    ("facts", ("wfscc.facts",)),
    ("outputs", ("wfscc.outputs",)),
    ("notebook API", ("wfscc.notebook",)),
    (
        "render/guard",
        (
            "wfscc.execute",
            "wfscc.render",
            "wfscc.guard",
            "wfscc.numbercheck",
            "wfscc.pdfpages",
            "wfscc.diff",
            "wfscc.layoutcheck",
        ),
    ),
    ("pipeline", ("wfscc.build",)),
    ("cli", ("wfscc.cli", "wfscc.preview")),
)

#: Modules (or packages, as a prefix) that may import a private module (``_name``) of another
#: package, each with its reason. Anywhere else, a package is used through its public names.
ALLOWED_PRIVATE: dict[str, str] = {
    "wfscc.build.hooks": "Quarto's pre- and post-render steps (wfscc prepare / finish) are the "
    "one place that drives Quarto's project from outside: they use render's Quarto support "
    "(render._quarto, _project, _html, _lists, _pdfdate) as the built-in engine does, and "
    "making those public would widen render's API for one caller",
}

#: Modules allowed over MAX_LINES lines, each with its reason.
ALLOWED_LONG: dict[str, str] = {}


def _module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(src: Path = SRC) -> dict[str, Path]:
    return {_module_name(p, src): p for p in sorted((src / "wfscc").rglob("*.py"))}


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


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Every module of the package under ``src`` and the package modules it imports, anywhere
    in its code."""
    modules = _modules(src)
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


def layer_of(module: str) -> int | None:
    """The index in :data:`LAYERS` of ``module``'s layer (longest matching prefix), or None."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            # "wfscc" is the package's own __init__ alone, not every module under it
            inside = prefix != "wfscc" and module.startswith(prefix + ".")
            if (module == prefix or inside) and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return None if best is None else best[0]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a module from a later layer than the importer's, as a readable line."""
    found = []
    for module, targets in sorted(graph.items()):
        low = layer_of(module)
        for target in sorted(targets):
            high = layer_of(target)
            if low is not None and high is not None and high > low:
                found.append(f"{module} ({LAYERS[low][0]}) imports {target} ({LAYERS[high][0]})")
    return found


def _package(root: Path, files: dict[str, str]) -> Path:
    """A throwaway ``wfscc`` package under ``root/src`` with ``files`` (path -> source)."""
    for name, code in files.items():
        path = root / "src" / "wfscc" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    return root / "src"


def test_a_cycle_through_an_import_inside_a_function_fails(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "facts/__init__.py": "def compute():\n    from ..outputs import figures\n",
            "outputs/__init__.py": "",
            "outputs/figures.py": "from ..facts import compute\n",
        },
    )
    assert cycles(import_graph(src)) == [frozenset({"wfscc.facts", "wfscc.outputs.figures"})]


def test_an_upward_import_inside_a_function_fails(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "data/__init__.py": "def load():\n    from ..build import steps\n",
            "build/__init__.py": "",
            "build/steps.py": "from .. import data\n",
            "outputs/__init__.py": "from ..facts import x\n",
            "facts/__init__.py": "x = 1\n",
        },
    )
    assert upward_imports(import_graph(src)) == [
        "wfscc.data (data) imports wfscc.build.steps (pipeline)"
    ]


def test_the_layers_are_in_the_documented_order():
    names = [name for name, _ in LAYERS]
    assert names == [
        "contract",
        "data",
        "analysis",
        "facts",
        "outputs",
        "notebook API",
        "render/guard",
        "pipeline",
        "cli",
    ]
    assert layer_of("wfscc.outputs.charts._base") == names.index("outputs")
    assert layer_of("wfscc.config") == 0 and layer_of("wfscc.cli") == names.index("cli")
    assert layer_of("wfscc.unknown") is None


def test_no_import_cycle_between_modules():
    found = cycles(import_graph())
    assert not found, (
        f"import cycles between modules: {[sorted(c) for c in found]}. Move what both sides need "
        "into a lower module (see docs/architecture.md for the layers)"
    )


def test_every_module_is_in_a_layer():
    unplaced = sorted(m for m in _modules() if layer_of(m) is None)
    assert not unplaced, (
        f"modules in no layer: add them to LAYERS (and docs/architecture.md): {unplaced}"
    )


def test_layers_import_only_downwards():
    found = upward_imports(import_graph())
    assert not found, (
        "a module imports a higher layer (docs/architecture.md lists the layers); move what it "
        "needs down, or let the higher layer pass it in:\n" + "\n".join(found)
    )


def private_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of another package's private module (a ``_name`` part after ``wfscc``)."""
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            parts = target.split(".")
            private = [i for i, p in enumerate(parts) if p.startswith("_") and p != "__init__"]
            owner = ".".join(parts[: private[0]]) if private else ""
            if private and module != owner and not module.startswith(owner + "."):
                found.append(f"{module} imports {target}")
    return found


def test_a_private_module_of_another_package_is_found():
    graph = {
        "wfscc.outputs.figures": {
            "wfscc.facts._design",
            "wfscc.outputs._suppression",
            "wfscc.analysis",
        },
        "wfscc.outputs.charts._base": {"wfscc.outputs.charts._report"},
        "wfscc.facts": {"wfscc.facts._core"},
    }
    assert private_imports(graph) == ["wfscc.outputs.figures imports wfscc.facts._design"]


def test_no_module_imports_a_private_module_of_another_package():
    found = [
        line
        for line in private_imports(import_graph())
        if not any(line == k or line.startswith((k + " ", k + ".")) for k in ALLOWED_PRIVATE)
    ]
    assert not found, (
        "imports of another package's private module: use (or add) the package's public name "
        "in its __init__:\n" + "\n".join(found)
    )
    used = {
        k
        for k in ALLOWED_PRIVATE
        for line in private_imports(import_graph())
        if line.startswith((k + " ", k + "."))
    }
    assert used == set(ALLOWED_PRIVATE), (
        f"remove from ALLOWED_PRIVATE: {set(ALLOWED_PRIVATE) - used}"
    )


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
