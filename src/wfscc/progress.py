"""Progress display for long builds: a rich status line, or plain log lines with --quiet."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console


@contextmanager
def reporter(quiet: bool = False) -> Iterator:
    console = Console(stderr=True)
    started = time.perf_counter()
    counts = {"done": 0, "failed": 0}

    def elapsed() -> str:
        return f"{time.perf_counter() - started:6.1f}s"

    if quiet or not console.is_terminal:

        def on_event(kind: str, message: str) -> None:
            if kind == "notebook":
                event, key, _ = message.split(" ", 2)
                if event in counts:
                    counts[event] += 1
                    console.print(f"[{elapsed()}] notebook {key}: {event}", highlight=False)
            else:
                console.print(f"[{elapsed()}] {message}", highlight=False)

        yield on_event
        return

    with console.status("Starting") as status:
        step = ["Starting"]

        def on_event(kind: str, message: str) -> None:
            if kind == "step":
                console.print(f"[{elapsed()}] {step[0]} ✓", highlight=False)
                step[0] = message
            elif kind == "notebook":
                event, key, _ = message.split(" ", 2)
                if event in counts:
                    counts[event] += 1
            else:
                console.print(message, highlight=False)
            status.update(
                f"{step[0]} — LA notebooks done {counts['done']}, failed {counts['failed']}"
                f" — {elapsed()}"
            )

        yield on_event
