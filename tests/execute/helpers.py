"""Shared helpers for the executor tests."""

from __future__ import annotations

import contextlib
from pathlib import Path

import psutil

FIXTURES = Path(__file__).parent / "fixtures"


def outputs_text(path: Path) -> str:
    """All stream text and text/plain results of an executed notebook, joined."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def kernel_pids(pid: int | None = None) -> set[int]:
    """The ipykernel processes started by process *pid* (default: this one) or its children,
    and not yet ended (one that ends while it is looked at, a zombie until reaped, is not)."""
    found = set()
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.add(child.pid)
    return found


def kernel_count() -> int:
    """How many ipykernel processes this process has started and not yet reaped."""
    return len(kernel_pids())
