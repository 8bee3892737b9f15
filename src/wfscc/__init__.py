"""wfscc: rebuild the Work-Focused Services in Children's Centres evaluation report from data.

The public API is small: load and validate data, compute facts, and build the report.
"""

from __future__ import annotations

from .config import Config
from .errors import BuildError, DataError, EngineNotFoundError, Problem, WfsccError


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use (PEP 562): ``importlib.metadata`` costs about
    0.1 s to import (``python -X importtime``), a third of a rebuild that finds nothing changed."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("wfscc")
    except PackageNotFoundError:  # running from a source tree without installing
        found = "0.0.0"
    globals()["__version__"] = found
    return found

__all__ = [
    "BuildError",
    "Config",
    "DataError",
    "EngineNotFoundError",
    "Problem",
    "WfsccError",
    "__version__",
]
