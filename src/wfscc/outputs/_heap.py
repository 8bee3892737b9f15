"""The objects alive before a step of the facts, charts and tables, kept out of Python's full
garbage collections while it runs (:func:`gc.freeze`), and given back at its end.

The step imports Matplotlib, seaborn, SciPy's statistics and statsmodels, and draws charts whose
figures hold reference cycles: three or four full collections a cold build, each going over
every object of the process (the data, pandas, every module). Frozen, the objects that were
there before the step are not gone over again: 0.5 -> 0.3 CPU-s of collection in the step
(``gc.callbacks``, the shipped data). :func:`gc.unfreeze` at the end hands them back to the
oldest generation, so repeated builds in one process (``wfscc preview``) keep nothing frozen.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_DEPTH = [0]  # how many frozen_heap() blocks are open: the outermost one freezes and unfreezes
_MINE = [False]  # whether the outermost block froze the heap (not when it found it frozen)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Run the block with the objects alive now frozen (:func:`gc.freeze`); unfrozen at the
    end of the outermost such block, however it ends. Collections still run: the garbage the
    block makes is collected as before. A heap its caller froze is left to that caller."""
    with _LOCK:
        _DEPTH[0] += 1
        if _DEPTH[0] == 1:
            _MINE[0] = gc.get_freeze_count() == 0
            if _MINE[0]:
                gc.freeze()
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0 and _MINE[0]:
                gc.unfreeze()
