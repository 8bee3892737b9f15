"""The project's exception types: one base, small subclasses, messages that say what to fix."""

from __future__ import annotations

from dataclasses import dataclass


class WfsccError(Exception):
    """Base class of every error a user can cause. The CLI prints these without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the input data, located precisely enough to fix it."""

    file: str
    row: int | None  # 1-based line number in the file as a spreadsheet user sees it (header = 1)
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f": found {self.value!r}"
        return f"{where}{value}; expected {self.expected}"


class DataError(WfsccError):
    """The input data failed validation. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], message: str | None = None):
        self.problems = list(problems)
        n = len(self.problems)
        head = message or f"The data failed validation with {n} problem{'s' if n != 1 else ''}"
        lines = [head + ":"] + [f"  - {p}" for p in self.problems[:50]]
        if n > 50:
            lines.append(f"  ... and {n - 50} more")
        lines.append("Nothing was built. Fix the data and run the build again.")
        super().__init__("\n".join(lines))


class BuildError(WfsccError):
    """A build step failed; nothing was published."""


class EngineNotFoundError(WfsccError):
    """The requested render engine is not installed."""


class NotebookError(BuildError):
    """One or more per-LA notebooks failed."""


class PrivacyError(BuildError):
    """The privacy guard found personal data or a disclosive cell in an output."""
