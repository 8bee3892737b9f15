"""What a build was made from: package version, git commit, a hash of the data, the build date.

The build date is fixed so that the same inputs give byte-identical outputs: it is taken from
``SOURCE_DATE_EPOCH`` when set, else from the commit date of the project's git HEAD, else from the
end of the pilot, 31 March 2011.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import wfscc

from ..contract import PILOT_END_DAY

#: The end of the pilot as a Unix time, from the contract's plain date (its pandas Timestamp,
#: ``PILOT_END``, would import pandas: 0.6 s instead of 0.1 s for a no-op rebuild).
PILOT_END_EPOCH = int(datetime.combine(PILOT_END_DAY, datetime.min.time(), UTC).timestamp())


@dataclass(frozen=True)
class Provenance:
    version: str
    commit: str
    data_hash: str
    timestamp: datetime

    def as_dict(self) -> dict[str, str]:
        return {
            "version": self.version,
            "commit": self.commit,
            "data_hash": self.data_hash,
            "build_date": self.timestamp.strftime("%d %B %Y").lstrip("0"),
            "build_timestamp": self.timestamp.isoformat(),
        }


def _git(project_dir: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(project_dir), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def build_timestamp(project_dir: Path) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    committed = _git(project_dir, "log", "-1", "--format=%ct")
    if committed and committed.isdigit():
        return datetime.fromtimestamp(int(committed), tz=UTC)
    return datetime.fromtimestamp(PILOT_END_EPOCH, tz=UTC)


def collect(project_dir: Path, data_hash: str) -> Provenance:
    commit = _git(project_dir, "rev-parse", "--short=12", "HEAD") or "not a git checkout"
    return Provenance(
        version=wfscc.__version__,
        commit=commit,
        data_hash=data_hash[:16],
        timestamp=build_timestamp(project_dir),
    )
