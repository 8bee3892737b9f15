"""The executor's small data types: a run to do, a failure, and the report of a batch of runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotebookError


@dataclass(frozen=True)
class NotebookRun:
    """One execution of the notebook: ``key`` names it (an LA code) and its output file."""

    key: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """Why a run failed: the cell (index in the executed notebook, ``None`` if no cell ran), the
    error's name and message, and where the partly executed notebook was kept (if anywhere)."""

    key: str
    cell_index: int | None
    error_name: str
    message: str
    notebook_path: Path | None = None

    def __str__(self) -> str:
        where = "before any cell ran" if self.cell_index is None else f"cell {self.cell_index}"
        kept = f" (notebook kept at {self.notebook_path})" if self.notebook_path else ""
        message = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return f"{self.key}: {where}: {self.error_name}: {message}{kept}"


@dataclass
class ExecutionReport:
    """The outcome of a batch: executed notebooks by key, and failures by key."""

    succeeded: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, Failure] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every run succeeded."""
        return not self.failed

    def raise_for_failures(self) -> None:
        """Raise :class:`NotebookError` naming each failed run, its cell and its error."""
        if not self.failed:
            return
        n = len(self.failed)
        lines = [f"{n} notebook run{'s' if n != 1 else ''} failed:"]
        lines += [f"  - {self.failed[key]}" for key in sorted(self.failed)]
        lines.append("Open the kept notebook to see the traceback, fix the cause and build again.")
        raise NotebookError("\n".join(lines))
