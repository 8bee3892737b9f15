"""A full build for `wfscc preview`, in a process of its own.

A fresh process runs the package's code as it is on disk now (the preview watches it), and can be
stopped with everything it started. It is told, as JSON in its one argument, the build's
configuration, the folder to keep the staged project in, and the file to write its outcome to:
``{"ok": true, "noop": ..., "seconds": ...}`` or ``{"ok": false, "error": "message"}``.

    python -m wfscc.preview._child '{"config": {...}, "keep": "...", "result": "..."}'
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import traceback
from pathlib import Path

from ..build import build
from ..config import Config
from ..errors import WfsccError

NICE = 10  # the build's scheduling priority, and its notebook kernels': lower than the preview's


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM too: the kernels' context managers shut them down


def _say(kind: str, message: str) -> None:
    if kind in ("step", "info") and message:
        print(f"  build: {message}", flush=True)


def _write(path: Path, outcome: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(outcome), encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    spec = json.loads((argv or sys.argv[1:])[0])
    result = Path(spec["result"])
    signal.signal(signal.SIGTERM, _interrupt)
    # below the preview itself (and the browser), so that the pages of the next edit, rendered
    # in the preview's process, are not held up by the build running behind them
    with contextlib.suppress(OSError):
        os.nice(NICE)
    try:
        config = Config(**spec["config"])
        done = build(config, on_event=_say, keep=Path(spec["keep"]))
        outcome = {"ok": True, "noop": done.noop, "seconds": done.seconds}
    except WfsccError as error:
        outcome = {"ok": False, "error": str(error)}
    except KeyboardInterrupt:
        _write(result, {"ok": False, "error": "The build was stopped."})
        return 130
    except Exception:  # a bug: show its traceback in the page, it is what a developer needs
        outcome = {
            "ok": False,
            "error": "wfscc failed unexpectedly (a bug in wfscc):\n" + traceback.format_exc(),
        }
    _write(result, outcome)
    return 0 if outcome["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
