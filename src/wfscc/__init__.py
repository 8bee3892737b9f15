"""wfscc: rebuild the Work-Focused Services in Children's Centres evaluation report from data.

The public API is small: load and validate data, compute facts, and build the report.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .config import Config
from .errors import BuildError, DataError, EngineNotFoundError, Problem, WfsccError

try:
    __version__ = version("wfscc")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
    "BuildError",
    "Config",
    "DataError",
    "EngineNotFoundError",
    "Problem",
    "WfsccError",
    "__version__",
]
