"""`wfscc preview` end to end: the real command on a free port, a copy of the project with its
data folder and output folder elsewhere (`--data`, `--out`), a real HTTP client (urllib) and,
where Debian's chromium is installed, a real browser.

One preview runs for the whole module; the tests follow its life in order: the site is served,
a chapter edit appears, a broken edit shows its error and the next save recovers, so does
broken data, the open page reloads itself and its search works, and Ctrl-C stops everything,
notebook kernels included.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import psutil
import pytest

from wfscc.preview._server import LIVE

pytestmark = pytest.mark.slow
CHAPTER = "03-adviser-role"
SCRIPT = re.compile(r'<script src="/__wfscc__/live\.js"[^>]*></script>')


def get(url: str, timeout: float = 30.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


class Running:
    """The preview process, its output so far, and ways to wait for what it serves."""

    def __init__(self, project: Path, data: Path, site: Path):
        self.project, self.data, self.site = project, data, site
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wfscc.cli",
                "preview",
                "--engine",
                "pandoc",
                "--port",
                "0",
                "--jobs",
                "2",
                "--no-browser",
                "--data",
                str(data),
                "--out",
                str(site),
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_line(r"Serving the preview at (http://127\.0\.0\.1:\d+/)", 60)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)

    def _wait_line(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, self.output()
                continue
            found = re.search(pattern, line)
            if found:
                return found.group(1)
        raise AssertionError(f"no line matching {pattern!r} in:\n{self.output()}")

    def output(self) -> str:
        return "\n".join(self.lines)

    def status(self) -> dict:
        return json.loads(get(self.url + LIVE.lstrip("/") + "status.json?seq=-1")[1])

    def until(self, check, timeout: float = 300.0, what: str = ""):
        """Poll *check()* until it returns something true; return that."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            assert self.proc.poll() is None, self.output()
            time.sleep(0.05)
        raise AssertionError(
            f"timed out waiting for {what}; status {self.status()}\n{self.output()[-4000:]}"
        )

    def all_current(self, timeout: float = 300.0) -> dict:
        return self.until(
            lambda: (s := self.status())["full"] == "current" and s,
            timeout,
            "the pages, PDFs and search index to be current",
        )

    def edit(self, text: str) -> None:
        path = self.project / "report" / f"{CHAPTER}.qmd"
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def running(tmp_path_factory, make_project):
    root = tmp_path_factory.mktemp("preview")
    project = make_project(root / "project")
    data = root / "data-elsewhere"
    (project / "data").rename(data)  # the preview must read (and watch) the --data folder
    preview = Running(project, data, root / "site")
    preview.original = (project / "report" / f"{CHAPTER}.qmd").read_text(encoding="utf-8")
    try:
        preview.all_current(600)
        yield preview
    finally:
        if preview.proc.poll() is None:
            from wfscc.preview._process import stop_tree

            stop_tree(preview.proc)


def test_serves_the_published_site_with_the_reload_script_added_to_responses_only(running):
    site = running.site
    status, served = get(running.url + f"{CHAPTER}.html")
    assert status == 200
    on_disk = (site / f"{CHAPTER}.html").read_text(encoding="utf-8")
    assert "__wfscc__" not in on_disk
    assert len(SCRIPT.findall(served)) == 1
    assert SCRIPT.sub("", served) == on_disk
    assert get(running.url + "pagefind/pagefind.js")[0] == 200  # search works over HTTP
    assert get(running.url)[0] == 200


def test_a_chapter_edit_appears_first_then_the_pdfs_and_search_follow(running):
    site = running.site
    pdf_before = hashlib.sha256((site / "report.pdf").read_bytes()).hexdigest()
    sentence = "A sentence the preview shows before the full build."
    running.edit(running.original + f"\n{sentence}\n")
    shown = running.until(
        lambda: sentence in (page := get(running.url + f"{CHAPTER}.html")[1]) and page,
        60,
        "the edit to be served",
    )
    # the fast pages are served before the published site has the edit
    assert (
        sentence not in (site / f"{CHAPTER}.html").read_text(encoding="utf-8")
        or running.status()["full"] == "current"
    )
    running._wait_line(r"(Pages updated in [\d.]+ s)", 30)
    running.all_current()
    published = (site / f"{CHAPTER}.html").read_text(encoding="utf-8")
    assert sentence in published
    assert SCRIPT.sub("", shown) == published  # the fast pages are the published bytes
    assert hashlib.sha256((site / "report.pdf").read_bytes()).hexdigest() != pdf_before
    assert "__wfscc__" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_a_failing_edit_shows_its_error_and_the_next_save_recovers(running):
    running.edit(running.original + "\nBroken: {{< var no_such_fact >}}.\n")
    status, page = running.until(
        lambda: (r := get(running.url + f"{CHAPTER}.html"))[0] == 500 and r, 60, "the error"
    )
    assert "The build failed" in page and "no_such_fact" in page
    assert f"report/{CHAPTER}.qmd" in page  # the author's file, named from the project
    assert get(running.url + "index.html")[0] == 500  # not a stale page, on every page
    running.edit(running.original)
    running.until(lambda: get(running.url + f"{CHAPTER}.html")[0] == 200, 60, "recovery")
    final = running.all_current()
    assert final["state"] == "current" and not final["error"]
    assert "no_such_fact" not in (running.site / f"{CHAPTER}.html").read_text(encoding="utf-8")


def test_broken_data_shows_the_validation_error_and_fixing_it_recovers(running):
    mi_path = running.data / "mi_starts.csv"
    good = mi_path.read_bytes()
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    mi.loc[mi.index[3], "support_cv"] = "maybe"
    mi.to_csv(mi_path, index=False)
    status, page = running.until(
        lambda: (r := get(running.url + "index.html"))[0] == 500 and r, 120, "the data error"
    )
    assert "The build failed" in page
    assert "mi_starts.csv, row 5, column &#x27;support_cv&#x27;: found &#x27;maybe&#x27;" in page
    assert running.status()["state"] == "error"
    published = (running.site / "index.html").read_text(encoding="utf-8")
    mi_path.write_bytes(good)
    running.until(lambda: get(running.url + "index.html")[0] == 200, 120, "recovery")
    final = running.all_current()
    assert final["state"] == "current" and not final["error"]
    assert (running.site / "index.html").read_text(encoding="utf-8") == published


def _worker(pid: int) -> int:
    (found,) = [
        p.pid
        for p in psutil.Process(pid).children()
        if "wfscc.preview._worker" in " ".join(p.cmdline())
    ]
    return found


def _data_hash(page: str) -> str:
    return re.search(r"Data hash</dt><dd>([0-9a-f]+)<", page).group(1)


def test_a_data_change_shows_its_pages_first_and_is_built_by_the_same_warm_worker(running):
    running.all_current()
    worker = _worker(running.proc.pid)
    before = _data_hash(get(running.url + "index.html")[1])
    while not running._queue.empty():  # the lines of the builds before
        running._queue.get_nowait()
    mi_path = running.data / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == "P05"][1]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)
    running._wait_line(r"(Pages updated in [\d.]+ s; the PDFs, search index and privacy)", 120)
    served = running.until(
        lambda: (h := _data_hash(get(running.url + "index.html")[1])) != before and h, 120
    )
    final = running.all_current()
    assert final["state"] == "current" and not final["error"]
    assert served == _data_hash((running.site / "index.html").read_text(encoding="utf-8"))
    assert _worker(running.proc.pid) == worker  # no new process, no new start-up


@pytest.fixture(scope="module")
def browser(headless_chromium):
    with headless_chromium() as context:
        yield context


@pytest.mark.browser
def test_an_open_page_reloads_itself_on_each_save(running, browser):
    tab = browser.new_page()
    try:
        tab.goto(running.url + f"{CHAPTER}.html")
        tab.wait_for_selector("#wfscc-preview-status[data-full='current']", timeout=60_000)
        sentence = "A sentence the browser shows without being told to reload."
        running.edit(running.original + f"\n{sentence}\n")
        tab.wait_for_function(
            f"document.body.innerText.includes({json.dumps(sentence)})", timeout=60_000
        )
        running.edit(running.original + "\nBroken: {{< var no_such_fact >}}.\n")
        tab.wait_for_selector("#wfscc-build-error", timeout=60_000)
        assert "no_such_fact" in tab.inner_text("main")
        running.edit(running.original)
        tab.wait_for_selector("main h1 .chapter-number", timeout=60_000)
        tab.wait_for_selector("#wfscc-preview-status[data-full='current']", timeout=300_000)
        assert sentence not in tab.inner_text("body")
    finally:
        tab.close()


@pytest.mark.browser
def test_search_works_through_the_preview(running, browser):
    tab = browser.new_page()
    try:
        tab.goto(running.url + "index.html")
        tab.wait_for_selector(".pagefind-ui__search-input", timeout=30_000)
        tab.fill(".pagefind-ui__search-input", "lone parents")
        link = tab.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        target = link.get_attribute("href")
        assert target and target.endswith(".html")
        link.click()
        tab.wait_for_load_state()
        assert tab.url.split("#")[0].endswith(target.split("#")[0].lstrip("."))
        assert tab.query_selector("#wfscc-build-error") is None
    finally:
        tab.close()


def _kernels(pid: int) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_ctrl_c_stops_the_preview_the_build_and_its_kernels(running):
    mi_path = running.data / "mi_starts.csv"
    mi = pd.read_csv(mi_path, dtype=str, keep_default_na=False)
    row = mi.index[mi["la_code"] == "P03"][0]
    mi.loc[row, "support_cv"] = "1" if mi.loc[row, "support_cv"] == "0" else "0"
    mi.to_csv(mi_path, index=False)  # one LA's notebook must run: a kernel starts
    kernels = running.until(lambda: _kernels(running.proc.pid), 120, "a notebook kernel")
    family = psutil.Process(running.proc.pid).children(recursive=True)
    assert kernels and family
    # the build runs below the preview's priority (the next edit's pages come first)
    assert all(k.nice() > psutil.Process(running.proc.pid).nice() for k in kernels)

    running.proc.send_signal(signal.SIGINT)
    assert running.proc.wait(timeout=60) == 0, running.output()
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert "Preview stopped." in running.output()
    assert not list((running.site.parent / ".wfscc-cache" / "preview").glob("pages-*"))
    shutil.rmtree(running.site, ignore_errors=True)
