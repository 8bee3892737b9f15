"""One build at a time per build cache.

Every build stages its output in ``<cache>/staging`` (the cache is the folder beside ``--out``),
so two builds with the same ``--out`` at once, two terminals or a build beside a running
``wfscc preview``, would delete each other's half-made output and fail with a missing file. The
second build waits for the first instead, and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Callable, Iterator
from pathlib import Path

#: the lock file, in the build cache
LOCK_NAME = "build.lock"


@contextlib.contextmanager
def one_build_at_a_time(cache_dir: Path, waiting: Callable[[], None]) -> Iterator[bool]:
    """Hold the build lock of ``cache_dir`` while the block runs; yields whether another build
    had it first (then ``waiting()`` was called before waiting for it: what was current before
    may not be any more). The lock goes with the process: a build that is killed leaves none."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / LOCK_NAME).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            waited = False
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
            waited = True
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
