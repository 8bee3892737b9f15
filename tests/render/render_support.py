"""Constants shared by the render tests and their fixtures (a module with a name of its own:
``from conftest import`` finds whichever folder's conftest pytest loaded last)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "book"
TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0", "commit": "abc1234def", "data_hash": "sha256:5eed"}
