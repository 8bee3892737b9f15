"""The build pipeline: from data to a published HTML site and PDFs, cached and atomic."""

from .pipeline import BuildResult, build
from .provenance import Provenance

__all__ = ["BuildResult", "Provenance", "build"]
