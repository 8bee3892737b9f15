"""The notebook kernels a build starts first, before it imports its steps.

A kernel takes seconds to start (Python, pandas, seaborn), and the build's steps take 1.9 to
2.5 s of CPU to import (``python -X importtime``): the kernels are launched before that import,
so that the first one starts on the other core while this process imports and reads the data.
This module imports only the executor (0.2 to 0.35 s), never the steps.
"""

from __future__ import annotations

from ..config import Config
from ..contract import EXECUTOR_LOCAL
from ..execute import EarlyPool


def early_pool(config: Config) -> EarlyPool | None:
    """Local kernels started now, before the build knows which notebooks to run (None for the
    Dask executor, whose workers keep their own)."""
    if config.executor != EXECUTOR_LOCAL:
        return None
    assert config.cache_dir is not None
    return EarlyPool(jobs=config.jobs, timeout=config.notebook_timeout, cwd=config.cache_dir)
