"""`wfscc preview`: build, serve, watch, rebuild what changed, reload the open pages.

One loop, on the main thread (so Ctrl-C lands here), every twentieth of a second:

- asks the watcher what changed (by content) in ``report/``, ``index.qmd``, ``notebooks/``,
  ``_quarto.yml``, the data folder and the package's code;
- for an edit of the narrative only, renders the HTML pages at once from the last build's staged
  project (:mod:`._fast`) into a folder the server serves before the published site, and reloads
  the pages; the full build (PDFs, search index, guard, atomic publish) follows;
- runs full builds one at a time in its build worker (:mod:`._worker`), a process that keeps
  the build's imports and the next build's notebook kernel warm between builds, and is replaced
  when wfscc's own code changes or a build fails; shows a build's pages as soon as the worker
  has rendered them (before its search index, PDFs and privacy check; taken down if the build
  fails), and when a build is published drops the fast pages (reloading only if the published
  pages differ from them);
- shows a failed build's message in place of every page until a build succeeds.

Ctrl-C stops the server, then the worker and the build in flight with every process they started
(notebook kernels included), and removes the fast pages.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ..build.cache import PACKAGE_DIR
from ..build.stage import take_kept
from ..config import Config
from ..contract import CACHE_DIRNAME, ENGINE_PANDOC
from ..errors import WfsccError
from ..render import PageCache
from ._fast import render_pages, same_files, sync_report
from ._process import PAGES_PREFIX, BuildWorker
from ._server import LiveState, make_server, url_of
from ._watch import Watcher

KEEP = "preview"  # under the build cache: the kept stage and the fast pages
# after a chapter edit's pages are shown, the full build waits this long, so that the browser
# reloads the page before the build takes the CPU
HOLD = 0.3
# how often the loop looks for changes (a scan of the watched files costs about 2 ms of CPU)
POLL = 0.05


def _lock(path: Path):
    """An open file holding an exclusive lock on *path*: one preview per build cache (two would
    build into the same staging folder)."""
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.close()
        raise WfsccError(
            f"Another wfscc preview is running with this build cache (it holds {path}): "
            f"stop it first; one preview runs per cache ({CACHE_DIRNAME} beside --out)."
        ) from error
    return handle


class Preview:
    """The preview of the project in ``config``, served on ``port`` (0: any free port)."""

    def __init__(
        self,
        config: Config,
        port: int,
        *,
        echo: Callable[[str], None] = print,
        on_ready: Callable[[str], None] | None = None,
    ):
        assert config.cache_dir is not None
        self.config, self.echo, self.on_ready = config, echo, on_ready
        self.keep = config.cache_dir / KEEP
        self.live = LiveState()
        self.pages: Path | None = None  # the fast pages, served before the published site
        self.record: dict | None = None  # the kept stage's record (stage.json)
        # the last fast render's pages: the next edit redoes only the edited pages' work (its
        # files are linked from a folder beside the fast pages, removed with them)
        self.page_cache = PageCache(self.keep / "pages-kept")
        self.primed = False
        self.priming: threading.Thread | None = None
        self.worker: BuildWorker | None = None  # the build worker (see _worker)
        self.building = False  # a build was asked of the worker and has not ended
        self.worker_stale = False  # wfscc's code changed since the worker started
        self.pending = True  # a full build is wanted (the first one at start)
        self.fast_error = ""
        self.code_changed = False
        self.hold_until = 0.0  # no full build starts before then (time.monotonic())
        self.first = True
        self._count = 0
        self._stopped = threading.Event()
        self.keep.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.keep / "preview.lock")
        try:
            self.server = make_server(port, roots=self._roots, live=self.live)
        except OSError:
            self._lock.close()
            raise
        self.url = url_of(self.server)
        self.report = config.project_dir / "report"
        self.watcher = Watcher(
            [
                self.report,
                config.project_dir / "index.qmd",  # the book's home page, at the project root
                config.project_dir / "notebooks",
                config.quarto_file,
                config.data_dir,
                PACKAGE_DIR,
            ]
        )

    @property
    def early(self) -> bool:
        """Whether the fast pages are a build's, shown before it ended (see _worker)."""
        return self.pages is not None and self.pages.name.startswith(PAGES_PREFIX)

    def _roots(self) -> list[Path]:
        pages = self.pages
        return [pages, self.config.out_dir] if pages is not None else [self.config.out_dir]

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve and watch until Ctrl-C (KeyboardInterrupt) or :meth:`stop`."""
        for old in self.keep.glob("pages-*"):
            shutil.rmtree(old, ignore_errors=True)
        self.record = take_kept(self.keep)
        thread = threading.Thread(
            target=self.server.serve_forever, name="wfscc-preview-http", daemon=True
        )
        thread.start()
        self.echo(f"Serving the preview at {self.url} (Ctrl-C stops it)")
        try:
            while not self._stopped.is_set():
                self.tick()
                self._stopped.wait(POLL)
        finally:
            self.close()

    def stop(self) -> None:
        self._stopped.set()

    def tick(self) -> None:
        changed = self.watcher.changes()
        if changed:
            self._changed(changed)
        if self.building:
            self._take_early_pages()
        if self.building and (outcome := self.worker.outcome()) is not None:
            self._finished(outcome)
        if self.pending and not self.building and time.monotonic() >= self.hold_until:
            self._start_build()

    def close(self) -> None:
        self.live.close()
        self.server.shutdown()
        self.server.server_close()
        if self.worker is not None:
            if self.building:
                self.echo("Stopping the build in progress")
            self._stop_worker()
        if self.pages is not None:
            shutil.rmtree(self.pages, ignore_errors=True)
            self.pages = None
        for early in self.keep.glob(PAGES_PREFIX + "*"):  # named by a build that was stopped
            shutil.rmtree(early, ignore_errors=True)
        if self.priming is not None:  # it removes its pages when done
            self.priming.join(timeout=60)
        with self.page_cache.lock:
            shutil.rmtree(self.keep / "pages-kept", ignore_errors=True)
        self._lock.close()  # and with it the lock
        self.echo("Preview stopped.")

    # -- changes --------------------------------------------------------------------------------

    def _rel(self, path: Path) -> str:
        for root in (self.config.project_dir, self.config.data_dir.parent, PACKAGE_DIR.parent):
            with contextlib.suppress(ValueError):
                return path.relative_to(root).as_posix()
        return str(path)

    def _changed(self, changed: set[Path]) -> None:
        self.echo("Changed: " + ", ".join(sorted(self._rel(p) for p in changed)))
        if any(p.is_relative_to(PACKAGE_DIR) for p in changed):
            self.worker_stale = True  # the next build runs the code as it is now
            if not self.code_changed:
                self.code_changed = True
                self.echo(
                    "wfscc's own code changed: every change now takes a full build "
                    "(restart the preview to get fast page updates back)"
                )
        narrative = all(p.is_relative_to(self.report) for p in changed)
        if narrative and self._can_render():
            if self._render_fast(
                saved=max((p.stat().st_mtime for p in changed if p.exists()), default=None)
            ):
                self.pending = True
            return
        self.pending = True
        if self.live.snapshot()["state"] != "error":
            self.live.update(state="building", full="building", message="Building")

    def _can_render(self) -> bool:
        return (
            self.record is not None
            and self.record.get("engine") == ENGINE_PANDOC
            and not self.code_changed
            and (self.keep / "current" / "project").is_dir()
        )

    def _render_fast(self, saved: float | None = None) -> bool:
        """Render the pages of the narrative as it is now; reload. False if that failed.
        *saved*: when the edit was saved (the time from then to the new pages is reported)."""
        assert self.record is not None
        started = time.perf_counter()
        self._count += 1
        pages = self.keep / f"pages-{self._count}"
        try:
            sync_report(self.config.project_dir, self.keep / "current", self.record["generated"])
            render_pages(
                self.keep / "current",
                self.record,
                pages,
                None if self.config.force else self.config.cache_dir / "render",
                self.page_cache,
            )
        except WfsccError as error:
            self.fast_error = str(error)
        except Exception:  # a bug: its traceback is what a developer needs to see
            self.fast_error = (
                "wfscc failed unexpectedly (a bug in wfscc):\n" + traceback.format_exc()
            )
        else:
            self.fast_error = ""
        if self.fast_error:
            shutil.rmtree(pages, ignore_errors=True)
            self._failed(self.fast_error)
            return False
        old, self.pages = self.pages, pages
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        seconds = time.perf_counter() - started
        since = f", {time.time() - saved:.2f} s after the save" if saved else ""
        self.live.update(
            reload=True,
            state="current",
            full="building",
            error="",
            message=f"Pages rendered in {seconds:.2f} s",
        )
        made = len(self.page_cache.redone)
        self.echo(
            f"Pages updated in {seconds:.2f} s{since} ({made} made again); "
            "the PDFs and search index follow."
        )
        self.hold_until = time.monotonic() + HOLD
        return True

    def _failed(self, message: str) -> None:
        # name the author's files, not the copies the build rendered
        for copy in (
            self.keep / "current" / "project",
            self.config.cache_dir / "staging" / "project",
        ):
            message = message.replace(str(copy), str(self.config.project_dir))
        self.echo("The build failed:\n" + message)
        self.live.update(
            reload=True, state="error", full="error", error=message, message="The build failed"
        )

    # -- full builds ----------------------------------------------------------------------------

    def _start_build(self) -> None:
        self.pending = False
        if self.worker is not None and (self.worker_stale or self.worker.ended()):
            self._stop_worker()
        for _attempt in (1, 2):  # a worker that ended meanwhile is replaced once
            if self.worker is None:
                self.worker = BuildWorker(self.config, self.keep)
                self.worker_stale = False
            if self.worker.ask():
                break
            self._stop_worker()
        if self.worker is None:
            self._failed(
                "The build worker (python -m wfscc.preview._worker) ended before it "
                "could take the build, twice; its output is in the terminal."
            )
            return
        self.building = True
        self._started = time.perf_counter()

    def _stop_worker(self) -> None:
        worker, self.worker, building = self.worker, None, self.building
        self.building = False
        if worker is not None:
            worker.stop(idle=not building)

    def _take_early_pages(self) -> None:
        """Show the pages of the build in flight, rendered before its PDFs, search index and
        privacy check, if its worker has named them (see _worker) and no newer edit waits."""
        if self.worker is not None and (folder := self.worker.early_pages()) is not None:
            self._show_early(folder)

    def _show_early(self, folder: Path) -> None:
        if self.pending or self.fast_error:  # older than the sources, or a broken chapter shown
            shutil.rmtree(folder, ignore_errors=True)
            return
        old, self.pages = self.pages, folder
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        self.live.update(
            reload=True,
            state="current",
            full="building",
            error="",
            message="Pages rendered; the PDFs, search index and privacy check follow",
        )
        self.echo(
            f"Pages updated in {time.perf_counter() - self._started:.2f} s; "
            "the PDFs, search index and privacy check follow."
        )

    def _finished(self, outcome: dict) -> None:
        assert self.worker is not None
        early, self.building = self.worker.early_pages(), False
        if early is not None:  # named as the build ended: its outcome is what is shown
            shutil.rmtree(early, ignore_errors=True)
        if not outcome.get("ok"):
            self._stop_worker()  # it ends after a failed build: the next gets a fresh one
            if self.early:  # never show pages of a build that failed
                shutil.rmtree(self.pages, ignore_errors=True)
                self.pages = None
            if self.pending:  # it read sources changed since: the next build will tell
                self.echo("The build of an earlier version failed; building the newest.")
                return
            self._failed(outcome.get("error", "The build failed."))
            self._ready()
            return
        self.record = take_kept(self.keep)
        seconds = time.perf_counter() - self._started
        if self.pending and self._can_render() and self.pages is not None:
            self._render_fast()  # more edits came meanwhile: the pages from the new stage
            return
        if self.fast_error:  # the narrative is still broken: keep saying so
            self._failed(self.fast_error)
            return
        pages, self.pages = self.pages, None
        same = (pages is not None and same_files(pages, self.config.out_dir)) or (
            pages is None and outcome.get("noop") and self.live.snapshot()["state"] != "error"
        )
        if pages is not None:
            shutil.rmtree(pages, ignore_errors=True)
        if self.pending:
            self.live.update(
                reload=not same, state="building", full="building", error="", message="Building"
            )
        else:
            self.live.update(
                reload=not same, state="current", full="current", error="", message="Up to date"
            )
        self.echo(
            ("Up to date" if outcome.get("noop") else f"Published in {seconds:.1f} s")
            + f": {self.config.out_dir}"
        )
        self._ready()
        self._prime()

    def _prime(self) -> None:
        """Once, in the background: render the kept project's pages into the page cache, so that
        the first edit too redoes only its own pages (a fast render meanwhile waits for it)."""
        if self.primed or not self._can_render():
            return
        self.primed = True
        record, out = self.record, self.keep / "pages-prime"
        cache_dir = None if self.config.force else self.config.cache_dir / "render"

        def run() -> None:
            try:
                render_pages(self.keep / "current", record, out, cache_dir, self.page_cache)
            except Exception:  # an edit or a new stage meanwhile: the first edit fills it instead
                pass
            finally:
                shutil.rmtree(out, ignore_errors=True)

        self.priming = threading.Thread(target=run, name="wfscc-preview-prime", daemon=True)
        self.priming.start()

    def _ready(self) -> None:
        if self.first:
            self.first = False
            if self.on_ready is not None:
                self.on_ready(self.url)
