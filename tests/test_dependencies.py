"""Every library the package imports is installed by `pip install .` (what `make report` does),
not only by the test extras: a library that the test extras happen to bring would pass the whole
test suite and still break `wfscc build` on a fresh machine."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "wfscc"

#: Imports that only an optional extra provides, and the extra that declares them.
OPTIONAL = {"dask": "dask", "distributed": "dask"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(names: set[str]) -> set[str]:
    """The distributions *names* install, with everything they require (no extras)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _imported_libraries() -> dict[str, str]:
    """Top-level module -> the first file importing it, over every module of the package."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "wfscc" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_imported_library_is_a_dependency_of_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = _closure({_name(r) for r in project["dependencies"]})
    providers = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported_libraries().items()):
        if module in OPTIONAL:
            extra = project["optional-dependencies"][OPTIONAL[module]]
            assert extra, f"{module} is imported by {where} but the extra is empty"
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not dists & installed:
            missing.append(f"{module} (imported by {where}; from {sorted(dists) or '?'})")
    assert not missing, (
        "libraries the package imports that `pip install .` does not install: add them to "
        "[project] dependencies in pyproject.toml:\n" + "\n".join(missing)
    )
