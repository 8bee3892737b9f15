"""Tests mirror the package: the tests of ``src/wfscc/X`` (a package) are under ``tests/X``.

A folder under ``tests/`` is named for a package of ``src/wfscc`` or is one of the cross-cutting
folders of :data:`CROSS_CUTTING`, which test what no one package owns (the built site, the two
engines, the narrative). A test file at the top of ``tests/`` tests a top-level module of the
package (``test_<module>.py`` or ``test_<module>_<more>.py``) or is listed in :data:`TOP_LEVEL`;
a file named for a package belongs in that package's folder. Every package has a folder.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent / "src" / "wfscc"

#: Test folders that are not a package's, and what they test.
CROSS_CUTTING = {
    "publish": "the published site and PDFs of a build, end to end (form, accessibility, trace)",
    "quarto": "the Quarto engine and its parity with the built-in engine",
    "report": "the narrative: cited facts, claims, wording rules, scenarios",
    "safety": "hostile inputs: text from data, spreadsheets, render failures",
    "trace": "the number trace across the render, the guard and the Number check",
    "visual": "screenshots and the page layout of the built site and PDFs",
}
#: Test files at the top of tests/ that test the whole package rather than one module.
TOP_LEVEL = {
    "test_architecture.py": "import cycles, layers, module length",
    "test_collection.py": "every test file is collected",
    "test_dependencies.py": "pip install . brings every library the package imports",
    "test_imports_at_top.py": "imports inside functions",
    "test_tests_mirror_the_package.py": "this layout",
}


def packages(root: Path = PACKAGE) -> set[str]:
    return {p.parent.name for p in root.glob("*/__init__.py")}


def modules(root: Path = PACKAGE) -> set[str]:
    return {p.stem for p in root.glob("*.py") if p.stem != "__init__"}


def misplaced(tests: Path = TESTS, root: Path = PACKAGE) -> list[str]:
    """What breaks the layout, one line each."""
    pkgs, mods = packages(root), modules(root)
    problems = []
    for folder in sorted(p for p in tests.iterdir() if p.is_dir() and p.name != "__pycache__"):
        if folder.name not in pkgs and folder.name not in CROSS_CUTTING:
            problems.append(
                f"tests/{folder.name}/: no package src/wfscc/{folder.name}; move its "
                "tests to their package's folder, or list it in CROSS_CUTTING"
            )
    for path in sorted(tests.glob("test_*.py")):
        subject = path.stem.removeprefix("test_")
        owner = next((p for p in sorted(pkgs) if subject == p or subject.startswith(p + "_")), None)
        if owner is not None:
            problems.append(
                f"tests/{path.name}: tests the package {owner}; move it to tests/{owner}/"
            )
        elif path.name not in TOP_LEVEL and not any(
            subject == m or subject.startswith(m + "_") for m in mods
        ):
            problems.append(
                f"tests/{path.name}: names no top-level module of src/wfscc; move "
                "it to its package's folder, or list it in TOP_LEVEL"
            )
    problems += [
        f"src/wfscc/{p}/ has no tests/{p}/" for p in sorted(pkgs) if not (tests / p).is_dir()
    ]
    return problems


def test_the_rule_finds_each_kind_of_misplaced_test(tmp_path):
    root, tests = tmp_path / "src" / "wfscc", tmp_path / "tests"
    for pkg in ("facts", "outputs"):
        (root / pkg).mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("")
    (root / "memo.py").write_text("")
    (tests / "outputs").mkdir(parents=True)
    (tests / "charts").mkdir()  # a folder for a package that is not there (any more)
    for name in ("test_memo.py", "test_facts_threshold.py", "test_misc.py"):
        (tests / name).write_text("")
    found = misplaced(tests, root)
    assert found == [
        "tests/charts/: no package src/wfscc/charts; move its tests to their package's folder, "
        "or list it in CROSS_CUTTING",
        "tests/test_facts_threshold.py: tests the package facts; move it to tests/facts/",
        "tests/test_misc.py: names no top-level module of src/wfscc; move it to its package's "
        "folder, or list it in TOP_LEVEL",
        "src/wfscc/facts/ has no tests/facts/",
    ]


def test_tests_mirror_the_package():
    problems = misplaced()
    assert not problems, "tests out of place (docs/architecture.md):\n" + "\n".join(problems)
