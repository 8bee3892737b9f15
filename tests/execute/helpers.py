"""Shared helpers for the executor tests."""

from __future__ import annotations

from pathlib import Path

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


def kernel_count() -> int:
    """How many ipykernel processes this process has started and not yet reaped."""
    import contextlib

    import psutil

    count = 0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):  # ended while being looked at
            count += "ipykernel_launcher" in " ".join(child.cmdline())
    return count
