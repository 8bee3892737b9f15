"""The command line: clear one-line errors, no tracebacks, for mistakes a user can make."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

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


# `run`, the program's entry: the command's status and output, the exit handlers, then a quick end
_PROGRAM = """
import atexit, sys
atexit.register(lambda: print("exit handler ran", flush=True))
sys.argv = ["wfscc", *sys.argv[1:]]
from wfscc.cli import run
run()
print("not reached: run() ends the process")
"""


def _program(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _PROGRAM, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_the_program_ends_with_the_commands_status_after_its_exit_handlers(tmp_path, repo_root):
    ok = _program("--version", cwd=repo_root)
    assert ok.returncode == 0, ok.stderr
    assert "version" in ok.stdout and "exit handler ran" in ok.stdout
    assert "not reached" not in ok.stdout

    bad = _program("build", "--engine", "pandoc", "--data", str(tmp_path / "nope"), cwd=repo_root)
    assert bad.returncode == 1
    assert "nope" in bad.stderr and "Traceback" not in bad.stderr
    assert "exit handler ran" in bad.stdout and "not reached" not in bad.stdout

    usage = _program("build", "--no-such-option", cwd=repo_root)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_the_program_flushes_output_written_without_a_newline(tmp_path, repo_root):
    # buffered output a command leaves behind (stdout to a pipe is block-buffered) is not lost
    code = _PROGRAM.replace("from wfscc.cli import run",
                            "from wfscc.cli import run\nsys.stdout.write('partial line')")
    done = subprocess.run([sys.executable, "-c", code, "--help"], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "partial line" in done.stdout


def test_the_installed_program_is_run():
    root = Path(__file__).resolve().parents[1]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["wfscc"] == "wfscc.cli:run"
