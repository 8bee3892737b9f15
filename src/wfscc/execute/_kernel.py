"""Code that runs *inside* each warm kernel: warm-up, a state snapshot, and the reset between runs.

This module is not imported by the kernel: its source text is sent to the kernel once at start-up
and executed into a private module registered as ``sys.modules["_wfscc_kernel"]``. It therefore uses
only the standard library at import time, works with any Python kernel, and leaves no names in the
notebook's namespace. The host then calls ``prepare(...)`` once and ``reset(...)`` before every run.

What ``reset`` restores, so that each run sees the state of a freshly started kernel:

- the user namespace (``%reset -f``: variables, ``In``/``Out`` history) and the execution counter;
- matplotlib: every figure closed, ``rcParams`` and the inline backend settings restored;
- the ``random`` and ``numpy.random`` global generators, seeded from the run's key;
- the working directory, ``sys.path``, ``os.environ``, numpy print options, pandas options,
  warning filters and the "already warned" registries;
- garbage from the previous run is collected; what survives is frozen (``gc.freeze``).

What it does not restore: modules a notebook imported stay imported (that is what makes the pool
fast), so module-level state of other libraries can leak between runs. If the source of a watched
package (the project's own, by default) changes on disk while the pool runs, ``reset`` reports the
kernel as stale and the host replaces it rather than reloading modules in place.
"""

from __future__ import annotations

import gc
import importlib
import os
import random
import sys
import warnings

_STATE: dict = {}

#: Matplotlib settings that make inline figures byte-reproducible. ``SOURCE_DATE_EPOCH`` (set in the
#: kernel's environment by the host) fixes the dates matplotlib writes into SVG and PDF output.
REPRO_RC = {"svg.hashsalt": "wfscc", "svg.fonttype": "path"}
#: rcParams that belong to the session rather than to a run (the inline backend sets them).
_RC_KEEP = {"backend", "backend_fallback", "interactive"}


def _ipython():
    # IPython takes 60 to 100 ms to import (python -X importtime), and this module's source
    # runs with the standard library alone until used (see above); a kernel has it loaded
    from IPython import get_ipython

    return get_ipython()


def _file_mtimes(packages) -> dict:
    """Modification times of the source files of loaded modules that belong to ``packages``."""
    times = {}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in packages:
            continue
        path = getattr(module, "__file__", None)
        if path:
            try:
                times[path] = os.stat(path).st_mtime_ns
            except OSError:
                times[path] = None
    return times


def prepare(cwd: str, imports=(), watch=()) -> list:
    """Warm the kernel up: import ``imports``, set reproducible figure options, snapshot state.

    matplotlib itself (not pyplot) is always imported if installed, so that its reproducibility
    settings apply from the first run on. Returns the names in ``imports`` that could not be
    imported (they are skipped).
    """
    missing = []
    for name in ("matplotlib", "matplotlib_inline.config", *imports):
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional library must not stop the pool
            missing.append(name)
    os.chdir(cwd)
    state = {"cwd": cwd, "watch": tuple(watch)}
    if "matplotlib" in sys.modules:
        matplotlib = sys.modules["matplotlib"]
        if "matplotlib.pyplot" in sys.modules:  # load the inline backend now, not in a run
            sys.modules["matplotlib.pyplot"].switch_backend(matplotlib.get_backend())
        matplotlib.rcParams.update(REPRO_RC)
        state["rc"] = {k: v for k, v in matplotlib.rcParams.items() if k not in _RC_KEEP}
    inline = _inline_config()
    if inline is not None:
        state["inline"] = {
            "figure_formats": set(inline.figure_formats),
            "print_figure_kwargs": dict(inline.print_figure_kwargs),
            "rc": dict(inline.rc),
        }
    if "numpy" in sys.modules:
        state["np_print"] = sys.modules["numpy"].get_printoptions()
    state["path"] = list(sys.path)
    state["environ"] = dict(os.environ)
    state["filters"] = list(warnings.filters)
    state["mtimes"] = _file_mtimes(state["watch"])
    _STATE.clear()
    _STATE.update(state)
    _collect()
    return [name for name in missing if name in imports]


def _inline_config():
    module = sys.modules.get("matplotlib_inline.config")
    if module is None:
        return None
    return module.InlineBackend.instance()


def _restore_matplotlib() -> None:
    if "matplotlib" not in sys.modules:
        return
    matplotlib = sys.modules["matplotlib"]
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    backend = sys.modules.get("matplotlib_inline.backend_inline")
    if backend is not None:  # figures queued for display by the last run
        backend.show._to_draw, backend.show._draw_called = [], False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "rc" in _STATE:  # only what the last run changed: each setting is validated again
            matplotlib.rcParams.update(_changed(matplotlib.rcParams, _STATE["rc"]))
    inline, saved = _inline_config(), _STATE.get("inline")
    if inline is not None and saved is not None:
        inline.rc = dict(saved["rc"])
        inline.print_figure_kwargs = dict(saved["print_figure_kwargs"])
        inline.figure_formats = set(saved["figure_formats"])
        shell = _ipython()
        if shell is not None and "matplotlib.figure" in sys.modules:
            # also undoes set_matplotlib_formats(), which bypasses the config object; IPython
            # (60 to 100 ms to import) only on use, as in _ipython()
            from IPython.core.pylabtools import select_figure_formats

            select_figure_formats(shell, saved["figure_formats"], **saved["print_figure_kwargs"])


def _changed(current, saved: dict) -> dict:
    """The items of ``saved`` whose value in ``current`` differs (all of them if one cannot be
    compared)."""
    try:
        return {key: value for key, value in saved.items() if current[key] != value}
    except Exception:  # a value that cannot be compared, or a setting gone
        return saved


def _restore_process() -> None:
    os.chdir(_STATE["cwd"])
    sys.path[:] = _STATE["path"]
    if dict(os.environ) != _STATE["environ"]:
        os.environ.clear()
        os.environ.update(_STATE["environ"])
    warnings.resetwarnings()  # also invalidates every module's "already warned" registry
    warnings.filters[:] = _STATE["filters"]
    getattr(warnings, "onceregistry", {}).clear()
    if "np_print" in _STATE and "numpy" in sys.modules:
        sys.modules["numpy"].set_printoptions(**_STATE["np_print"])
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")


def _collect() -> None:
    """Collect garbage, then freeze the survivors (imported modules and their caches) so that
    later collections, including the ones ``%reset`` makes, skip them: 0.4 s less per run with
    pandas and Matplotlib loaded."""
    gc.collect()
    gc.freeze()


def reset(seed: int) -> bool:
    """Bring the kernel back to its prepared state before the next run; seed the global RNGs.

    Returns ``False`` when watched source files changed since ``prepare`` (the kernel is stale and
    should be replaced), ``True`` otherwise.
    """
    shell = _ipython()
    if shell is not None:
        shell.run_line_magic("reset", "-f")
        shell.execution_count = 1
    _restore_matplotlib()
    _restore_process()
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    _collect()
    seen, now = _STATE["mtimes"], _file_mtimes(_STATE["watch"])
    fresh = all(now[path] == mtime for path, mtime in seen.items() if path in now)
    for path, mtime in now.items():  # modules first imported by the last run are watched too
        seen.setdefault(path, mtime)
    return fresh
