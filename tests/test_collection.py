"""Every test file is collected: a file pytest skips without a word protects nothing.

pytest's default ``norecursedirs`` contains ``build``, which once hid ``tests/build/`` from every
run; a module-level skip or an import error hides a file the same way. This test lists what
``pytest --collect-only`` finds and compares it with the ``test_*.py`` files on disk.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_test_file_is_collected():
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    collected = {line.split("::", 1)[0] for line in listed.stdout.splitlines() if "::" in line}
    on_disk = {path.relative_to(REPO).as_posix() for path in (REPO / "tests").rglob("test_*.py")}
    missing = sorted(on_disk - collected)
    assert not missing, (
        f"test files pytest does not collect: {missing}\n"
        f"(check norecursedirs in pyproject.toml, module-level skips, import errors)\n"
        f"{listed.stdout[-2000:]}{listed.stderr[-2000:]}"
    )
    assert len(on_disk) >= 50, sorted(on_disk)


def test_no_test_imports_from_a_conftest_by_name():
    """``from conftest import X`` finds whichever folder's ``conftest.py`` pytest loaded last:
    ``pytest tests/render tests/visual`` once failed to import a render test that way. Shared
    helpers live in a module with a name of its own (``guard_support.py``, ``render_support.py``).
    """
    offenders = [
        f"{path.relative_to(REPO).as_posix()}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from conftest import", "import conftest"))
    ]
    assert not offenders, offenders
