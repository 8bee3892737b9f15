"""The command line: clear one-line errors, no tracebacks, for mistakes a user can make."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _wfscc(*args: str, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wfscc.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_bad_data_path_is_a_one_line_error(tmp_path, repo_root):
    result = _wfscc("build", "--engine", "pandoc", "--data", str(tmp_path / "nope"),
                    "--out", str(tmp_path / "o"), cwd=repo_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "nope" in lines[0] and "--data" in lines[0]
    assert "Traceback" not in result.stderr


def test_quarto_engine_without_quarto_names_the_fix(tmp_path, repo_root):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = _wfscc("build", "--engine", "quarto", "--out", str(tmp_path / "o"), cwd=repo_root,
                    env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "quarto" in result.stderr.lower() and "--engine pandoc" in result.stderr


@pytest.mark.parametrize("args, expected", [
    (["--jobs", "0"], "--jobs"),
    (["--executor", "dask"], "--scheduler"),
])
def test_bad_options_name_the_option(tmp_path, repo_root, args, expected):
    result = _wfscc("build", "--engine", "pandoc", "--out", str(tmp_path / "o"), *args,
                    cwd=repo_root)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
