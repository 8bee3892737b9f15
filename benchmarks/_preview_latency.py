"""How long a chapter edit takes to show in `wfscc preview` (a part of bench_build.py).

For each edit: the seconds from the chapter being saved to

- the server handing out the new HTML (a client that long-polls the preview's status, as the
  pages do, and fetches the page each time the status moves: no busy polling competing with the
  render for the CPU), and
- with Debian's chromium installed, the page open in the browser showing the new text (it
  reloads itself: nothing tells it to);

and the CPU seconds the preview's own process and the pandoc runs it waited for (not the build it
starts) spent meanwhile: the watcher, the render of the edited pages and the server ("cpu").

Each edit waits for the previous one's background build (PDFs, search index) to finish first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

CHAPTER = "03-adviser-role"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _get(url: str, timeout: float = 60) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def _status(url: str, seq: int = -1) -> dict:
    return json.loads(_get(f"{url}__wfscc__/status.json?seq={seq}"))


def _start(project: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "wfscc.cli", "preview", "--engine", "pandoc"]
    proc = subprocess.Popen(
        [*command, "--port", "0", "--no-browser"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if found:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep it empty
            return proc, found.group(1)
    raise SystemExit("wfscc preview did not start:\n" + (proc.stdout.read() or ""))


def _current(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(url)
        if status["full"] == "current":
            return
        if status["state"] == "error":
            raise SystemExit(f"the preview's build failed: {status['error']}")
        time.sleep(0.1)
    raise SystemExit("the preview's build did not finish")


def _watch_http(
    url: str, page: str, sentence: str, seen: dict, preview: psutil.Process
) -> threading.Thread:
    """A thread that records in seen["at"] when *page* is served with *sentence*, and in
    seen["cpu"] the CPU seconds of the *preview* process by then."""
    seq = _status(url)["seq"]

    def run() -> None:
        nonlocal seq
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = _status(url, seq)
            if status["seq"] != seq:
                seq = status["seq"]
                if sentence in _get(page):
                    seen["at"] = time.perf_counter()
                    seen["cpu"] = sum(preview.cpu_times()[:4])
                    return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _browser():
    """(playwright, browser) or None when chromium or playwright is missing."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)


def chapter_edits(project: Path, edits: int = 3) -> dict[str, list[float]]:
    """Seconds from save to new HTML served ("http") and, with chromium, to the open page
    showing it ("browser"), and the preview process's CPU seconds until the HTML is served
    ("cpu"), for each of *edits* edits of one chapter."""
    proc, url = _start(project)
    opened = None
    try:
        _current(url)
        chapter = project / "report" / f"{CHAPTER}.qmd"
        page = f"{url}{CHAPTER}.html"
        opened = _browser()
        tab = None
        if opened is not None:
            tab = opened[1].new_page()
            tab.goto(page)
            tab.wait_for_selector("#wfscc-preview-status[data-full='current']", timeout=60_000)
        out: dict[str, list[float]] = {"http": [], "browser": [], "cpu": []}
        preview = psutil.Process(proc.pid)
        for n in range(edits):
            sentence = f"Benchmark sentence number {n}."
            seen: dict = {}
            thread = _watch_http(url, page, sentence, seen, preview)
            text = chapter.read_text(encoding="utf-8") + f"\n{sentence}\n"
            before = sum(preview.cpu_times()[:4])
            chapter.write_text(text, encoding="utf-8")
            saved = time.perf_counter()
            if tab is not None:
                tab.wait_for_function(
                    f"document.body.innerText.includes({json.dumps(sentence)})", timeout=120_000
                )
                out["browser"].append(time.perf_counter() - saved)
            thread.join()
            if "at" not in seen:
                raise SystemExit(f"the preview never served edit {n}")
            out["http"].append(seen["at"] - saved)
            out["cpu"].append(seen["cpu"] - before)
            _current(url)
        return out
    finally:
        if opened is not None:
            opened[1].close()
            opened[0].stop()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
