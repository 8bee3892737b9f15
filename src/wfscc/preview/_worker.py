"""`wfscc preview`'s build worker: one process that runs the preview's full builds, one after
another, and keeps what a build needs warm in between.

A new process per build paid, before each build could start, for Python, the build's imports
(about 0.85 s) and a notebook kernel's start (about 1.1 s of CPU, on the path of a build that
runs a notebook). The worker imports the build's steps once, and after each build starts the
kernel for the next (:func:`wfscc.build.early.early_pool`), while the author reads the page.
A build that runs no notebook (a chapter edit's) leaves the waiting kernel for the next.

It reads one line from stdin per build (its content is not used), runs the build with the
configuration it was started with, and writes the outcome to ``outcome.json`` in the folder
it keeps the builds' staged project in (atomically):
``{"ok": true, "noop": ..., "seconds": ...}`` or ``{"ok": false, "error": "message"}``.
As soon as a build's pages are rendered (before its search index, PDFs and privacy check), it
links them into a folder ``pages-build-PID-N`` in that folder too and names it in
``pages.json`` there, for the preview to show first (see :func:`_pages_early`). It ends,
shutting its kernels down, at the end of stdin, on SIGINT or SIGTERM, and after a build that
failed (the next build gets a fresh process, with nothing left over from a half-done one).
The preview replaces it when wfscc's own code changes, so that builds run the code on disk.

    python -m wfscc.preview._worker '{"config": {...}, "keep": "..."}'
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import sys
import traceback
from pathlib import Path

from ..build import build
from ..build.early import early_pool
from ..config import Config
from ..errors import WfsccError
from ._process import OUTCOME_FILE, PAGES_FILE, PAGES_PREFIX

NICE = 10  # the builds' scheduling priority, and their notebook kernels': lower than the preview's


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM too: the kernels' context managers shut them down


def _say(kind: str, message: str) -> None:
    if kind in ("step", "info") and message:
        print(f"  build: {message}", flush=True)


def _write(path: Path, outcome: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(outcome), encoding="utf-8")
    os.replace(tmp, path)


def _pages_early(keep: Path):
    """The build's ``on_pages``: the files final once the pages are rendered, linked (copied
    where links cannot be made) into a new folder ``keep/pages-build-PID-N``, named in
    ``keep/pages.json`` once all are in place. The staged site's files are not written again
    (the Number check's are, and are left out); the folder is the preview's to remove."""

    count = itertools.count(1)

    def on_pages(site: Path, files: list[Path]) -> None:
        folder = keep / f"{PAGES_PREFIX}{os.getpid()}-{next(count)}"
        shutil.rmtree(folder, ignore_errors=True)
        for path in files:
            target = folder / path.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        _write(keep / PAGES_FILE, {"folder": folder.name})

    return on_pages


def _build(config: Config, keep: Path, kernels, on_pages) -> dict:
    try:
        done = build(config, on_event=_say, keep=keep, kernels=kernels, on_pages=on_pages)
        return {"ok": True, "noop": done.noop, "seconds": done.seconds}
    except WfsccError as error:
        return {"ok": False, "error": str(error)}
    except Exception:  # a bug: show its traceback in the page, it is what a developer needs
        return {
            "ok": False,
            "error": "wfscc failed unexpectedly (a bug in wfscc):\n" + traceback.format_exc(),
        }


def main(argv: list[str] | None = None) -> int:
    spec = json.loads((argv or sys.argv[1:])[0])
    config, keep = Config(**spec["config"]), Path(spec["keep"])
    result = keep / OUTCOME_FILE
    signal.signal(signal.SIGTERM, _interrupt)
    # below the preview itself (and the browser), so that the pages of the next edit, rendered
    # in the preview's process, are not held up by the build running behind them
    with contextlib.suppress(OSError):
        os.nice(NICE)
    kernels, busy, on_pages = None, False, _pages_early(keep)
    try:
        kernels = early_pool(config)  # the first build's kernel starts while the steps import
        # 1.9 to 2.5 s of CPU (python -X importtime), which the first build would pay
        from ..build import steps  # noqa: F401

        while sys.stdin.readline():
            busy = True
            outcome = _build(config, keep, kernels, on_pages)
            _write(result, outcome)
            busy = False
            if not outcome["ok"]:
                return 1
            if kernels is not None and kernels.given:  # the next build's, started now
                kernels.close()
                kernels = early_pool(config)
        return 0
    except KeyboardInterrupt:
        if busy:
            _write(result, {"ok": False, "error": "The build was stopped."})
        return 130
    finally:
        if kernels is not None:
            kernels.cancel()


if __name__ == "__main__":
    sys.exit(main())
