"""The local executor: a pool of ``jobs`` warm kernels driven by one asyncio event loop.

Why one event loop rather than threads or processes: the notebooks run in the kernel processes, so
the parent only waits on sockets. One loop with ``jobs`` worker coroutines (each owning a kernel)
gives the same parallelism as ``jobs`` threads without threads sharing ZeroMQ contexts, and without
a second layer of processes that would each need their own kernel anyway.

The loop runs in a thread of its own (:class:`PoolThread`), so that Ctrl-C in the caller cancels
the pool and shuts its kernels down at once rather than waiting for the notebooks.

Each worker takes the next run from a shared queue, so a slow notebook never holds up the others.
After a time-out or a kernel death the worker throws its kernel away and starts a new one when
(and only when) it has another run to do.

A caller that has work of its own meanwhile (a build computing its facts and charts while its
notebooks run) can hold the kernels beyond the first (``hold``): on a machine whose cores that
work and the first kernel keep busy, another kernel's start (1.5 CPU-s or more) only slows
both. Once the hold is set, each held worker starts its kernel only while the runs left would
take longer than a kernel's start (:func:`_worth_a_kernel`, from the pool's own measures).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path

from nbformat import NotebookNode

from ._warm import KernelSetupError, Outcome, WarmKernel, start_kernel

#: called with (key, outcome, elapsed seconds) once per run, from the event loop's thread
ResultHook = Callable[[str, Outcome, float], None]
#: runs one parameterised notebook on a kernel: (kernel, key, notebook, timeout) -> Outcome
Execute = Callable[[WarmKernel, str, NotebookNode, float], Awaitable[Outcome]]


def _direct(kernel: WarmKernel, key: str, nb: NotebookNode, timeout: float) -> Awaitable[Outcome]:
    return kernel.run(nb, key, timeout)


def _socket_dir() -> Path:
    """A private directory for connection files and IPC sockets; short enough for socket paths."""
    base = tempfile.gettempdir()
    if len(base) > 60:  # Unix socket paths are limited to about 100 bytes
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="wfscc-k-", dir=base))


#: How often a held worker looks again at its hold and at the runs left, in seconds.
HOLD_POLL = 0.05


def _worth_a_kernel(left: int, running: int, took: list[float], starts: list[float]) -> bool:
    """Whether another kernel would end ``left`` queued runs sooner than the ``running``
    kernels alone: the runs' time left per kernel (the median run ``took`` so far) must exceed
    a kernel's start (the median of ``starts``) and one more run, which the new kernel would take
    from the others. With nothing measured yet, it is started (as without a hold)."""
    if left == 0:
        return False
    if not took or not starts or running == 0:
        return True
    run = statistics.median(took)
    return left * run / running > statistics.median(starts) + run


async def _pool(
    items: list[tuple[str, NotebookNode]] | Future,
    *,
    jobs: int,
    prestart: int = 0,
    hold: threading.Event | None = None,
    timeout: float,
    cwd: Path,
    imports: tuple[str, ...],
    watch: tuple[str, ...],
    on_start: Callable[[str], None],
    on_result: ResultHook,
    execute: Execute = _direct,
) -> None:
    workdir = _socket_dir()
    counter = itertools.count()

    took: list[float] = []  # seconds of each run that ended
    starts: list[float] = []  # seconds of each kernel's start
    running = 0  # workers with a kernel, or starting one

    async def new_kernel() -> WarmKernel:
        name = f"kernel-{next(counter)}"
        began = time.monotonic()
        kernel = await start_kernel(workdir, name, cwd, imports, watch)
        starts.append(time.monotonic() - began)
        return kernel

    async def early_kernel() -> WarmKernel | None:
        try:
            return await new_kernel()
        except KernelSetupError:
            return None  # the worker that takes it starts (and reports on) a new one

    early = [asyncio.ensure_future(early_kernel()) for _ in range(prestart)]
    queue: asyncio.Queue[tuple[str, NotebookNode]] = asyncio.Queue()

    async def run_one(kernel: WarmKernel | None, key: str, nb: NotebookNode):
        """Run with one retry on a fresh kernel if the kernel fails before the notebook starts."""
        for attempt in (1, 2):
            try:
                if kernel is None:
                    kernel = await new_kernel()
                return kernel, await execute(kernel, key, nb, timeout)
            except KernelSetupError as exc:
                if kernel is not None:
                    await kernel.shutdown()
                    kernel = None
                if attempt == 2:
                    message = f"no working kernel: {exc}"
                    return None, Outcome(nb, (None, "KernelSetupError", message), False)
        raise AssertionError("unreachable")

    async def held() -> bool:
        """For a worker with no early kernel: wait for the hold, then until another kernel is
        worth its start; False if the runs ended first."""
        while hold is not None and not hold.is_set():
            await asyncio.sleep(HOLD_POLL)
        while not _worth_a_kernel(queue.qsize(), running, took, starts):
            if queue.empty():
                return False
            await asyncio.sleep(HOLD_POLL)
        return True

    async def worker(index: int) -> None:
        nonlocal running
        kernel = await early[index] if index < len(early) else None
        if index >= len(early) and index > 0 and not await held():
            return
        running += 1
        try:
            while not queue.empty():
                key, nb = queue.get_nowait()
                on_start(key)
                began = time.monotonic()
                kernel, outcome = await run_one(kernel, key, nb)
                if not outcome.kernel_ok and kernel is not None:
                    await kernel.shutdown()
                    kernel = None
                took.append(time.monotonic() - began)
                on_result(key, outcome, took[-1])
        finally:
            running -= 1
            if kernel is not None:
                await kernel.shutdown()

    workers = 0
    try:
        if isinstance(items, Future):  # the runs are not known yet: the kernels start meanwhile
            items = await asyncio.wrap_future(items)
        for item in items:
            queue.put_nowait(item)
        workers = max(1, min(jobs, len(items))) if items else 0
        await asyncio.gather(*(worker(i) for i in range(workers)))
    finally:
        for spare in early[workers:]:  # started early, not needed after all
            kernel = await spare
            if kernel is not None:
                await kernel.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


class PoolThread:
    """A pool (:func:`_pool`) on an event loop in a thread of its own, which the caller can cancel.

    The loop never runs in the caller's thread: there, ``nbclient`` would take SIGINT for itself
    (it shuts down one kernel and lets the pool run on), and a caller inside a running loop (a
    Jupyter notebook) could not use ``asyncio.run``. Ctrl-C in the caller instead cancels the pool,
    whose kernels are shut down before :meth:`wait` re-raises it.
    """

    def __init__(self, items, **kwargs):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._started = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._serve, args=(items, kwargs), name="wfscc-kernels", daemon=True
        )
        self._thread.start()

    def _serve(self, items, kwargs) -> None:
        async def main() -> None:
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
            self._started.set()
            await _pool(items, **kwargs)

        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of wait()
            self.error = exc
        finally:
            self._started.set()

    def cancel(self) -> None:
        """Stop the pool: runs in progress are abandoned, kernels shut down."""
        self._started.wait()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(task.cancel)

    def wait_for(self, settled: threading.Event) -> None:
        """Wait until ``settled`` is set (the pool may still be ending) or the pool has ended
        (then as :meth:`wait`: its error raised); on Ctrl-C cancel it first."""
        try:
            while not settled.wait(0.05):
                if not self._thread.is_alive():
                    break
        except BaseException:
            self.cancel()
            self._thread.join()
            raise
        if not settled.is_set():
            self.wait()

    def wait(self, *, raise_error: bool = True) -> None:
        """Wait for the pool to end; on Ctrl-C (or any exception here) cancel it first."""
        try:
            self._thread.join()
        except BaseException:
            self.cancel()
            self._thread.join()
            raise
        if raise_error and self.error is not None:
            raise self.error


def run_local(items, **kwargs) -> None:
    """Run ``items`` (key, parameterised notebook) on a local warm-kernel pool; see ``_pool``.
    ``items`` may be a :class:`concurrent.futures.Future` of them, with ``prestart`` kernels
    started while it is pending (see :class:`wfscc.execute.EarlyPool`).

    The pool's event loop runs in a helper thread (:class:`PoolThread`), also when an event loop
    is already running in the caller's (e.g. when called from a Jupyter notebook).
    """
    PoolThread(items, **kwargs).wait()
