"""The project's exception types: one base, small subclasses, messages that say what to fix."""

from __future__ import annotations

from dataclasses import dataclass

#: The most characters of a value (or column name) an error message shows; the rest is cut.
SHOWN_MAX = 80


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """A value as an error message shows it: quoted, escaped, cut at ``limit`` characters.

    Control characters are escaped (``'\\x00'``) so a message stays one readable line; a longer
    value is cut and says how long it was: ``'xxxx'…(2,417 characters)``.
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(value)
    return f"{text[:limit]!r}…({len(text):,} characters)"


def cut(text: str, limit: int = SHOWN_MAX) -> str:
    """``text`` cut at ``limit`` characters, saying how long it was (unquoted, unescaped)."""
    return text if len(text) <= limit else f"{text[:limit]}…({len(text):,} characters)"


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
            where += f", column {shown(self.column)}"
        value = "" if self.value is None else f": found {shown(self.value)}"
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


class CalibrationError(WfsccError):
    """The calibration file the generator reads (``data/calibration.yml``) is missing, or one of
    its entries is missing or cannot be reached; the message names the file, entry, key and fix."""
