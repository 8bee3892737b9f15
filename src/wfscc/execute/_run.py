"""``run_notebooks``: parameterise a notebook per run, execute on warm kernels, stage, publish."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..contract import EXECUTOR_DASK, EXECUTOR_LOCAL, EXECUTORS
from ..errors import NotebookError
from . import _normalise
from ._dask import run_dask
from ._local import PoolThread, run_local
from ._model import ExecutionReport, Failure, NotebookRun
from ._warm import DEFAULT_WARM_IMPORTS, DEFAULT_WATCH, Outcome

EventHook = Callable[[str, NotebookRun, float], None]


def _check(runs: Sequence[NotebookRun], jobs: int, timeout: float, executor: str, scheduler):
    _check_options(jobs, timeout, executor, scheduler)
    _check_runs(runs)


def _check_options(jobs: int, timeout: float, executor: str, scheduler) -> None:
    if executor not in EXECUTORS:
        raise NotebookError(f"Unknown notebook executor {executor!r}; use one of {EXECUTORS}.")
    if executor == EXECUTOR_DASK and not scheduler:
        raise NotebookError("The dask executor needs a scheduler address, e.g. 'tcp://host:8786'.")
    if jobs < 1:
        raise NotebookError(f"jobs must be at least 1, got {jobs}.")
    if not timeout > 0:
        raise NotebookError(f"The notebook timeout must be a positive number of seconds: {timeout}")


def _check_runs(runs: Sequence[NotebookRun]) -> None:
    seen: set[str] = set()
    for run in runs:
        if not run.key or run.key in (".", "..") or any(c in run.key for c in "/\\\0"):
            raise ValueError(f"Run key {run.key!r} cannot be used as a file name.")
        if run.key in seen:
            raise ValueError(f"Run key {run.key!r} appears more than once.")
        seen.add(run.key)


def _move(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dest)
    except OSError:  # staging on another file system
        shutil.move(str(src), str(dest))
    return dest


class _Publisher:
    """Writes each run into the staging directory and moves finished ones into place."""

    def __init__(self, items, runs, out_dir: Path, staging_dir: Path, on_event: EventHook | None):
        self.runs = {run.key: run for run in runs}
        self.inputs = dict(items)
        self.out_dir, self.staging_dir = Path(out_dir), Path(staging_dir)
        self.on_event = on_event
        self.report = ExecutionReport()
        #: set once every run has its result (the kernels may still be shutting down)
        self.settled = threading.Event()
        if not self.runs:
            self.settled.set()

    def _emit(self, event: str, key: str, elapsed: float) -> None:
        if self.on_event is not None:
            self.on_event(event, self.runs[key], elapsed)

    def start(self, key: str) -> None:
        _normalise.write(self.inputs[key], self.staging_dir / f"{key}.ipynb")  # "running"
        self._emit("start", key, 0.0)

    def result(self, key: str, outcome: Outcome, elapsed: float) -> None:
        staged = _normalise.write(outcome.nb, self.staging_dir / f"{key}.ipynb")
        published = self.out_dir / f"{key}.ipynb"
        kept = self.out_dir / "failed" / f"{key}.ipynb"
        if outcome.failure is None:
            kept.unlink(missing_ok=True)
            self.report.succeeded[key] = _move(staged, published)
            self._emit("done", key, elapsed)
        else:
            published.unlink(missing_ok=True)  # never leave an older success beside a failure
            cell, name, message = outcome.failure
            path = _move(staged, kept)
            self.report.failed[key] = Failure(key, cell, name, message, path)
            self._emit("failed", key, elapsed)
        if len(self.report.succeeded) + len(self.report.failed) == len(self.runs):
            self.settled.set()


def _prepare(notebook: Path, runs: list[NotebookRun], out_dir: Path, staging_dir: Path,
             on_event: EventHook | None) -> tuple[NotebookNode, list, _Publisher]:
    """The notebook as read, each run's parameterised notebook, and the publisher that stages
    and moves the results."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise NotebookError(f"The notebook {notebook} does not exist.")
    source = nbformat.read(notebook, as_version=4)
    items = [(run.key, _normalise.parameterise(source, run.key, run.parameters)) for run in runs]
    out_dir, staging_dir = Path(out_dir), Path(staging_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging_dir.mkdir(parents=True, exist_ok=True)
    return source, items, _Publisher(items, runs, out_dir, staging_dir, on_event)


def _papermill_executor(notebook: Path, source: NotebookNode):
    """Papermill's way to run ``notebook`` (:func:`._papermill.executor`)."""
    # Papermill (0.3 to 0.4 s to import, python -X importtime) is loaded once the runs are
    # known, so that an EarlyPool's kernels start before it (tests/execute/test_early_pool.py)
    from ._papermill import executor

    return executor(Path(notebook), source)


def run_notebooks(
    notebook: Path,
    runs: Sequence[NotebookRun],
    *,
    out_dir: Path,
    staging_dir: Path,
    jobs: int | None = None,
    timeout: float = 300,
    executor: str = EXECUTOR_LOCAL,
    scheduler: str | None = None,
    cwd: Path | None = None,
    on_event: EventHook | None = None,
    warm_imports: Sequence[str] = DEFAULT_WARM_IMPORTS,
    watch: Sequence[str] = DEFAULT_WATCH,
) -> ExecutionReport:
    """Execute ``notebook`` once per run, with its parameters, on a pool of warm kernels.

    Parameters are injected the Papermill way (a cell tagged ``injected-parameters`` after the cell
    tagged ``parameters``). Each run's executed notebook is normalised so that the same notebook
    and parameters give a byte-identical file, written into ``staging_dir`` and moved to
    ``out_dir/<key>.ipynb`` if it succeeded, or ``out_dir/failed/<key>.ipynb`` if it did not.
    A failing run (an exception, a kernel death, more than ``timeout`` seconds) never stops the
    others; read ``report.failed`` or call ``report.raise_for_failures()``.

    ``jobs`` kernels (default: the number of CPUs) run at once, each running many notebooks one
    after another, its state reset between them. ``executor="dask"`` sends the runs to the Dask
    scheduler at ``scheduler`` instead, where each worker keeps its own warm kernel; ``jobs`` is
    then ignored. ``cwd`` is the kernels' working directory (default: the current one).
    ``on_event(event, run, seconds)`` is called with "start", then "done" or "failed".
    ``warm_imports`` are imported into each kernel before its first run (those missing are
    skipped); a change on disk to a package in ``watch`` makes the pool replace its kernels.
    """
    runs = list(runs)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    _check(runs, jobs, timeout, executor, scheduler)
    source, items, publisher = _prepare(notebook, runs, out_dir, staging_dir, on_event)
    if not items:
        return publisher.report
    options = dict(
        timeout=float(timeout),
        cwd=Path(cwd).resolve() if cwd is not None else Path.cwd(),
        imports=tuple(warm_imports),
        watch=tuple(watch),
        on_start=publisher.start,
        on_result=publisher.result,
    )
    if executor == EXECUTOR_DASK:
        run_dask(items, scheduler=scheduler, **options)
    else:
        run_local(items, jobs=jobs, execute=_papermill_executor(notebook, source),
                  **options)
    return publisher.report


class EarlyPool:
    """A local warm-kernel pool whose kernels start before the runs are known.

    A build knows which notebooks to run only after it has read the data, but a kernel takes
    seconds to start: ``EarlyPool`` starts ``prestart`` kernels at once, in a thread of its own,
    and :meth:`run` then gives them the runs, as :func:`run_notebooks` would. Use it as a context
    manager (or call :meth:`close`): kernels that get no run are shut down.

        with EarlyPool(jobs=2, timeout=300, cwd=cache_dir) as pool:
            ...                                     # read the data meanwhile
            report = pool.run(notebook, runs, out_dir=..., staging_dir=...)
    """

    def __init__(self, *, jobs: int | None = None, timeout: float = 300, cwd: Path | None = None,
                 prestart: int = 1, warm_imports: Sequence[str] = DEFAULT_WARM_IMPORTS,
                 watch: Sequence[str] = DEFAULT_WATCH):
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        _check_options(self.jobs, timeout, EXECUTOR_LOCAL, None)
        self._items: Future = Future()
        self._publisher: _Publisher | None = None
        self._execute = None  # Papermill's way to run the notebook, once run() knows it
        self._others_done = threading.Event()  # see sharing_cores()
        self._others_done.set()
        options = dict(
            jobs=self.jobs, prestart=max(0, min(prestart, self.jobs)), timeout=float(timeout),
            hold=self._others_done,
            cwd=Path(cwd).resolve() if cwd is not None else Path.cwd(),
            imports=tuple(warm_imports), watch=tuple(watch),
            on_start=lambda key: self._publisher.start(key),
            on_result=lambda key, outcome, sec: self._publisher.result(key, outcome, sec),
            execute=lambda kernel, key, nb, sec: self._execute(kernel, key, nb, sec),
        )

        self._pool = PoolThread(self._items, **options)

    def run(self, notebook: Path, runs: Sequence[NotebookRun], *, out_dir: Path,
            staging_dir: Path, on_event: EventHook | None = None) -> ExecutionReport:
        """Execute ``notebook`` once per run on the pool; as :func:`run_notebooks`. Once only."""
        if self._items.done():
            raise NotebookError("This pool has already been given its runs.")
        runs = list(runs)
        _check_runs(runs)
        try:
            source, items, self._publisher = _prepare(notebook, runs, out_dir, staging_dir,
                                                      on_event)
            self._execute = _papermill_executor(notebook, source)
        except BaseException:
            self.close()
            raise
        self._items.set_result(items)
        # Ctrl-C here stops the pool (its kernels too) and is re-raised. The report is whole
        # once every run has its result: the kernels' shutdown (0.2 s or more) goes on in the
        # pool's thread while the caller renders, and close() waits for it.
        self._pool.wait_for(self._publisher.settled)
        return self._publisher.report

    @contextlib.contextmanager
    def sharing_cores(self) -> Iterator[EarlyPool]:
        """While in this block the caller works too (a build, its facts and charts, while its
        notebooks run): the kernels beyond those started early wait for the block to end, and
        then start only while the runs left would take longer than a kernel's start. Enter it
        before :meth:`run` is called (from another thread)."""
        self._others_done.clear()
        try:
            yield self
        finally:
            self._others_done.set()

    def release(self) -> None:
        """No runs for this pool (if it was given none): its kernels shut down in its own
        thread, which :meth:`close` waits for."""
        if not self._items.done():
            self._items.set_result([])

    def close(self) -> None:
        """Shut down the kernels if no runs were given; wait for the pool's thread to end."""
        self.release()
        self._pool.wait(raise_error=False)

    @property
    def given(self) -> bool:
        """Whether the pool has been given its runs (or released): its kernels are not for
        another caller."""
        return self._items.done()

    def cancel(self) -> None:
        """Stop the pool now: runs in progress are abandoned, the kernels shut down."""
        self._pool.cancel()
        self.close()

    def __enter__(self) -> EarlyPool:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:  # Ctrl-C or an error in the build: no notebook is waited for
            self.cancel()
        else:
            self.close()
