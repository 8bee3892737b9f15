"""`quarto preview` in the project folder: from a fresh copy, it runs the pre-render step (`wfscc
prepare`), serves the book with every LA profile, shows a saved chapter edit, and stops on SIGINT
(Ctrl-C) leaving no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]

CHAPTER = "report/01-introduction.qmd"
EDIT = "A sentence saved while the preview ran."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(check, seconds: float, what: str, proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if proc.poll() is not None:
            break
        time.sleep(1)
    raise AssertionError(f"{what} (quarto preview log):\n{log.read_text()[-4000:]}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_quarto_preview_serves_and_shows_a_saved_edit(make_project, tmp_path, quarto_path):
    project = make_project(tmp_path / "project")
    port = _free_port()
    log = tmp_path / "preview.log"
    env = {**os.environ, "PATH": quarto_path}
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["quarto", "preview", "--no-browser", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, checked as one
        )
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/report/01-introduction.html"
    try:
        first = _wait_for(lambda: _get(page), 900, "the site was never served", proc, log)
        assert "data-fact=" in first  # the pre-render step wrote the marked facts
        assert (project / "_variables.yml").is_file()
        assert EDIT not in first
        # a clean project's first preview has every LA profile too, without a restart: the
        # post-render step rendered those Quarto's first list left out before serving began
        # (Quarto renders a page again when it is first asked for: not waited for here)
        las = sorted(p.stem for p in (project / "report" / "profiles").glob("*.qmd"))
        made = project / "_book" / "report" / "profiles"
        assert [la for la in las if not (made / f"{la}.html").is_file()] == []
        assert len(list((project / "report" / "profiles").glob("*.qmd"))) == 10
        source = project / CHAPTER
        text = source.read_text(encoding="utf-8")
        source.write_text(text.rstrip("\n") + f"\n\n{EDIT}\n", encoding="utf-8")
        _wait_for(lambda: EDIT in (_get(page) or ""), 300, "the saved edit never showed", proc, log)
        assert proc.poll() is None, "quarto preview stopped by itself"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                pytest.fail("quarto preview did not stop on SIGINT within 60 s")
    deadline = time.monotonic() + 30
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = _group_alive(proc.pid)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not left, "quarto preview left processes behind"
    assert _get(base + "/") is None, "the port still answers after quarto preview stopped"
