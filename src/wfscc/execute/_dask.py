"""The Dask executor: each run is a task on a ``distributed`` cluster; workers keep warm kernels.

Worker side: a module-level :class:`_KernelHost` per worker process owns one background event loop
thread and the idle warm kernels, keyed by their configuration (working directory, warm imports).
A task borrows a kernel (starting one only if none is idle), runs its notebook, and returns the
kernel to the idle list, or throws it away after a time-out or a death, exactly as the local pool
does. A worker plugin shuts the kernels down when the worker closes; if the worker process is
killed, ipykernel's parent poller ends the orphaned kernels.

Client side: the executed notebook comes back as JSON, so ``out_dir`` need not be visible to the
workers. "start" events are sent when runs are submitted; "done"/"failed" when results arrive.
The paths in the runs' parameters (e.g. ``data_dir``) and ``cwd`` must exist on the workers.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import threading
import time
import uuid
from pathlib import Path

import nbformat

from ..errors import NotebookError
from ._local import _socket_dir
from ._warm import KernelSetupError, Outcome, WarmKernel, start_kernel

_INSTALL_HINT = "pip install 'wfscc[dask]'"
PLUGIN_NAME = "wfscc-warm-kernels"


class _KernelHost:
    """Warm kernels of one worker process, driven by a private event loop thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="wfscc-k")
        self.thread.start()
        self.workdir = _socket_dir()
        self.idle: dict[tuple, list[WarmKernel]] = {}
        self.count = 0

    def call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _borrow(self, config: tuple) -> WarmKernel:
        idle = self.idle.get(config)
        if idle:
            return idle.pop()
        self.count += 1
        cwd, imports, watch = config
        return await start_kernel(self.workdir, f"kernel-{self.count}", Path(cwd), imports, watch)

    async def run(self, nb, key: str, timeout: float, config: tuple) -> Outcome:
        for attempt in (1, 2):
            kernel = None
            try:
                kernel = await self._borrow(config)
                outcome = await kernel.run(nb, key, timeout)
            except KernelSetupError as exc:
                if kernel is not None:
                    await kernel.shutdown()
                if attempt == 2:
                    return Outcome(
                        nb, (None, "KernelSetupError", f"no working kernel: {exc}"), False
                    )
                continue
            if outcome.kernel_ok:
                self.idle.setdefault(config, []).append(kernel)
            else:
                await kernel.shutdown()
            return outcome
        raise AssertionError("unreachable")

    async def _close(self) -> None:
        kernels = [k for idle in self.idle.values() for k in idle]
        self.idle = {}
        await asyncio.gather(*(k.shutdown() for k in kernels), return_exceptions=True)

    def close(self) -> None:
        """Shut down every idle kernel and stop the loop thread."""
        if self.loop.is_running():
            self.call(self._close())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


_HOST: _KernelHost | None = None
_HOST_LOCK = threading.Lock()


def _host() -> _KernelHost:
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = _KernelHost()
            atexit.register(_close_host)
        return _HOST


def _close_host() -> None:
    global _HOST
    with _HOST_LOCK:
        host, _HOST = _HOST, None
    if host is not None:
        host.close()


def execute_on_worker(nb_json: str, key: str, timeout: float, config: tuple) -> tuple:
    """The Dask task: run one parameterised notebook on this worker's warm kernels.

    Returns ``(executed notebook as JSON, failure or None, seconds)``.
    """
    began = time.monotonic()
    nb = nbformat.reads(nb_json, as_version=4)
    outcome = _host().call(_host().run(nb, key, timeout, config))
    return nbformat.writes(outcome.nb), outcome.failure, time.monotonic() - began


def _plugin_class():
    # `distributed` is an optional dependency (`pip install 'wfscc[dask]'`) and takes 0.4 s to
    # import (python -X importtime): imported on use, by the Dask executor only
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmKernelPlugin(WorkerPlugin):
        """Shuts the worker's warm kernels down when the worker closes."""

        name = PLUGIN_NAME

        def teardown(self, worker):
            _close_host()

    return WarmKernelPlugin


def run_dask(items, *, scheduler: str, timeout, cwd, imports, watch, on_start, on_result) -> None:
    """Submit every run to the cluster at ``scheduler``; hand results over as they arrive."""
    try:  # optional, and 0.4 s to import: see _plugin_class
        from distributed import Client, as_completed
    except ImportError as exc:
        raise NotebookError(
            "The dask executor needs the 'distributed' package, which is not installed. "
            f"Install it with: {_INSTALL_HINT}  (or use executor='local')."
        ) from exc
    try:
        client = Client(scheduler, timeout="30s")
    except OSError as exc:
        raise NotebookError(f"Cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    config = (str(cwd), tuple(imports), tuple(watch))
    token = uuid.uuid4().hex[:8]
    try:
        client.register_plugin(_plugin_class()(), name=PLUGIN_NAME)
        futures = {}
        for key, nb in items:
            future = client.submit(
                execute_on_worker, nbformat.writes(nb), key, timeout, config,
                key=f"wfscc-notebook-{key}-{token}", pure=False, retries=0,
            )  # fmt: skip
            futures[future] = (key, nb)
            on_start(key)
        for future in as_completed(futures):
            key, nb = futures[future]
            try:
                nb_json, failure, seconds = future.result()
                outcome = Outcome(nbformat.reads(nb_json, as_version=4), failure, True)
            except Exception as exc:  # the task itself failed, e.g. its worker died
                outcome = Outcome(nb, (None, type(exc).__name__, str(exc)), False)
                seconds = 0.0
            on_result(key, outcome, seconds)
    finally:
        client.close()
