"""How long a chapter edit takes to show in `wfscc preview` (a part of bench_build.py).

For each edit: the seconds from the chapter being saved to

- the server handing out the new HTML (a client that long-polls the preview's status, as the
  pages do, and fetches the page each time the status moves: no busy polling competing with the
  render for the CPU), and
- with Debian's chromium installed, the page open in the browser showing the new text (it
  reloads itself: nothing tells it to);

and the CPU seconds the preview's own process and the pandoc runs it waited for (not the build it
starts) spent meanwhile: the watcher, the render of the edited pages and the server ("cpu").
Then, in the same preview, for as many changes of one LA's data: the seconds from the data being
saved to the new site served (the preview's build worker builds it, with the build's code
imported and a kernel waiting since the build before).

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
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import psutil

CHAPTER = "03-adviser-role"
#: seconds between one data change's new site and the next change, as an author reading it takes:
#: the preview's build worker starts the next build's notebook kernel meanwhile (about 1 s)
SETTLE = 3.0
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
    url: str, page: str, shows: Callable[[str], bool], seen: dict, preview: psutil.Process
) -> threading.Thread:
    """A thread that records in seen["at"] when *page* is served with a text that *shows*
    what is awaited, and in seen["cpu"] the CPU seconds of the *preview* process by then."""
    seq = _status(url)["seq"]

    def run() -> None:
        nonlocal seq
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = _status(url, seq)
            if status["seq"] != seq:
                seq = status["seq"]
                if shows(_get(page)):
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


def change_one_la(project: Path, la: str = "P03", row: int = 0) -> None:
    """Flip the support_cv flag of the *row*-th MI record of LA *la*: one LA's data changed."""
    mi_path = project / "data" / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    at = mi.index[mi["la_code"] == la][row]
    mi.loc[at, "support_cv"] = "1" if mi.loc[at, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)


def _data_hash(page: str) -> str:
    """The data hash a page's footer names (the served page's other parts follow the status)."""
    found = re.search(r"Data hash</dt><dd>([0-9a-f]+)<", page)
    if found is None:
        raise SystemExit("no data hash in the footer of the preview's home page")
    return found.group(1)


def _data_edits(project: Path, url: str, preview: psutil.Process, edits: int) -> list[float]:
    """Seconds from one LA's data being saved to the new site served (the home page, whose
    footer names the data), for each of *edits* changes, in the running preview: its build
    worker has the build's code imported and a notebook kernel waiting."""
    page = f"{url}index.html"
    out = []
    for n in range(edits):
        time.sleep(SETTLE)
        before = _data_hash(_get(page))
        seen: dict = {}
        thread = _watch_http(
            url, page, lambda text, old=before: _data_hash(text) != old, seen, preview
        )
        change_one_la(project, row=n + 1)
        saved = time.perf_counter()
        thread.join()
        if "at" not in seen:
            raise SystemExit(f"the preview never served data change {n}")
        out.append(seen["at"] - saved)
        _current(url)
    return out


def chapter_edits(project: Path, edits: int = 3) -> dict[str, list[float]]:
    """Seconds from save to new HTML served ("http") and, with chromium, to the open page
    showing it ("browser"), and the preview process's CPU seconds until the HTML is served
    ("cpu"), for each of *edits* edits of one chapter; then, in the same preview, the seconds
    from one LA's data saved to the new site served ("data"), for as many changes."""
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
            thread = _watch_http(url, page, lambda text, s=sentence: s in text, seen, preview)
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
        out["data"] = _data_edits(project, url, preview, edits)
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
