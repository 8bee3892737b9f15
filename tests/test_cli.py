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


def test_a_bad_threshold_option_names_the_option(tmp_path, repo_root):
    result = _wfscc("build", "--out", str(tmp_path / "o"), "--threshold", "0", cwd=repo_root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--threshold" in result.stderr and "at least 1" in result.stderr
    result = _wfscc("build", "--out", str(tmp_path / "o"), "--threshold", "ten", cwd=repo_root)
    assert result.returncode != 0 and "--threshold" in result.stderr


def test_a_bad_threshold_in_quarto_yml_names_the_file(tmp_path, repo_root):
    (tmp_path / "_quarto.yml").write_text("wfscc:\n  threshold: -5\n")
    result = _wfscc("build", "--project", str(tmp_path), "--data", str(repo_root / "data"),
                    "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "_quarto.yml" in result.stderr and "wfscc: threshold" in result.stderr
    assert not (tmp_path / "o").exists()


def test_build_help_lists_the_threshold_option(repo_root):
    result = _wfscc("build", "--help", cwd=repo_root)
    assert "--threshold" in result.stdout and "_quarto.yml" in result.stdout
