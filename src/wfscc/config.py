"""One configuration object for a build, loaded once by the CLI and passed down.

No module below the CLI hard-codes a path: everything a build reads or writes is named here.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .contract.build import (
    CACHE_DIRNAME,
    DEFAULT_THRESHOLD,
    ENGINE_AUTO,
    ENGINES,
    EXECUTOR_DASK,
    EXECUTOR_LOCAL,
    EXECUTORS,
)
from .errors import WfsccError

#: PyYAML's safe loader in C (libyaml) where PyYAML was built with it, else the pure-Python one:
#: the same values, several times faster (the variables file is read on every render, the
#: calibration file, 27 kB, in 4 ms instead of 30)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Its safe dumper in C likewise: the same text for the build's own files (the staged
#: `_variables.yml`, 40 kB: 2 ms instead of 22)
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

__all__ = ["CACHE_DIRNAME", "DEFAULT_THRESHOLD", "ENGINES", "EXECUTORS", "Config"]


def _default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know.

    project_dir: the folder holding ``_quarto.yml``, ``report/`` and ``notebooks/``.
    data_dir: the input data (one file per table).
    out_dir: where the finished site and PDFs are published (replaced atomically).
    cache_dir: the build cache and staging area (defaults to ``<out_dir>/../.wfscc-cache``).
    """

    project_dir: Path
    data_dir: Path
    out_dir: Path
    cache_dir: Path | None = None
    engine: str = ENGINE_AUTO
    jobs: int = field(default_factory=_default_jobs)
    executor: str = EXECUTOR_LOCAL
    scheduler: str | None = None
    force: bool = False
    #: None: ``wfscc: threshold:`` in ``project_dir/_quarto.yml``, else DEFAULT_THRESHOLD.
    threshold: int | None = None
    notebook_timeout: float = 600.0

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise WfsccError(f"Unknown engine {self.engine!r}: choose one of {', '.join(ENGINES)}.")
        if self.executor not in EXECUTORS:
            raise WfsccError(
                f"Unknown executor {self.executor!r}: choose one of {', '.join(EXECUTORS)}."
            )
        if self.executor == EXECUTOR_DASK and not self.scheduler:
            raise WfsccError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786).")
        if self.jobs < 1:
            raise WfsccError(f"--jobs must be at least 1, got {self.jobs}.")
        for name in ("project_dir", "data_dir", "out_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)).resolve())
        if self.threshold is None:
            configured = project_threshold(self.quarto_file)
            threshold = DEFAULT_THRESHOLD if configured is None else configured
        else:
            threshold = check_threshold(self.threshold, "--threshold")
        object.__setattr__(self, "threshold", threshold)
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.out_dir.parent / CACHE_DIRNAME)
        else:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir).resolve())

    @property
    def notebook(self) -> Path:
        return self.project_dir / "notebooks" / "la_profile.ipynb"

    @property
    def quarto_file(self) -> Path:
        return self.project_dir / "_quarto.yml"


def check_threshold(value: object, where: str) -> int:
    """``value`` as a disclosure threshold (a whole number of at least 1), or a
    :class:`WfsccError` naming ``where`` it was set."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise WfsccError(
            f"{where}: the disclosure threshold must be a whole number of at least 1 (counts "
            f"below it are not published), got {value!r}. The default is {DEFAULT_THRESHOLD}."
        )
    return int(value)


def project_threshold(quarto_file: Path) -> int | None:
    """The threshold set as ``wfscc: threshold: N`` in ``_quarto.yml``; None when the file or
    the setting is absent."""
    try:
        text = quarto_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise WfsccError(f"{quarto_file}: cannot be read ({exc}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WfsccError(f"{quarto_file}: not valid YAML ({exc}); fix the file.") from exc
    block = data.get("wfscc") if isinstance(data, dict) else None
    if not isinstance(block, dict) or block.get("threshold") is None:
        return None
    return check_threshold(block["threshold"], f"{quarto_file}: wfscc: threshold")
