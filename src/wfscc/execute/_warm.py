"""One warm kernel: started once, warmed up, then used for many notebooks one after another.

The kernel is the venv's own Python (``sys.executable -m ipykernel_launcher``) whatever kernelspecs
are installed, so no ``ipykernel install`` is needed and the kernel always sees the same packages as
the caller. It talks over IPC (Unix sockets in a private temporary directory), which avoids the
"TCP without encryption" warning and any port clashes. Its stderr goes to a log file beside the
connection file; the tail of that log is quoted when the kernel dies.

:meth:`WarmKernel.run` never raises for a notebook's own failure: it returns an :class:`Outcome`
that says what happened and whether the kernel can be used again (after an exception it can; after
a time-out or a death it must be replaced).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from . import _normalise
from ._client import Client, KernelClient, Session

#: Modules imported into every kernel at start-up so that no notebook pays for them: most of what
#: the profile notebook imports. Not ``wfscc.outputs.charts`` (nor ``wfscc.notebook.display``, which
#: imports it): it selects Matplotlib's Agg backend, which would take inline figures from every
#: notebook. The charts are Matplotlib; seaborn is left out, as its import alone costs more than
#: half a second.
DEFAULT_WARM_IMPORTS = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "wfscc",
                        "wfscc.analysis", "wfscc.notebook.store")
#: Packages whose source is watched: if it changes while the pool runs, kernels are replaced.
DEFAULT_WATCH = ("wfscc",)

_KERNEL_SOURCE = (Path(__file__).with_name("_kernel.py")).read_text(encoding="utf-8")
_MODULE = "__import__('sys').modules['_wfscc_kernel']"
_INSTALL = (
    "__import__('sys').modules['_wfscc_kernel'] = __import__('types').ModuleType('_wfscc_kernel')\n"
    f"exec({_KERNEL_SOURCE!r}, {_MODULE}.__dict__)"
)
SETUP_TIMEOUT = 120.0  # seconds allowed for a kernel to start and warm up, or to reset


class KernelSetupError(RuntimeError):
    """The kernel could not be started, warmed up or reset."""


class _OwnPythonSpecs(KernelSpecManager):
    """Resolve every kernel name to an IPython kernel on this very interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        argv = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher"]
        argv += ["-f", "{connection_file}", "--HistoryManager.enabled=False"]
        return KernelSpec(
            argv=argv, display_name="Python 3 (ipykernel)", language="python", resource_dir=""
        )


@dataclass
class Outcome:
    """What happened to one notebook run."""

    nb: NotebookNode
    failure: tuple[int | None, str, str] | None  # (cell index, error name, message)
    kernel_ok: bool


def seed_for(key: str) -> int:
    """The RNG seed a run gets: stable per key, so a run gives the same result in any kernel."""
    return zlib.crc32(key.encode("utf-8"))


def kernel_env() -> dict[str, str]:
    """The environment of a pool kernel: the caller's, plus what makes outputs reproducible."""
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")  # stable set/dict-of-str ordering in printed output
    env.setdefault("SOURCE_DATE_EPOCH", "0")  # fixed dates in matplotlib's SVG/PDF metadata
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("JPY_PARENT_PID", None)
    return env


class WarmKernel:
    """A started, warmed-up kernel and its client."""

    def __init__(self, workdir: Path, name: str, cwd: Path, imports=(), watch=()):
        self.workdir, self.name, self.cwd = Path(workdir), name, Path(cwd)
        self.imports, self.watch = tuple(imports), tuple(watch)
        self.log_path = self.workdir / f"{name}.log"
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self.runs = 0

    async def start(self) -> WarmKernel:
        """Start the kernel, install the in-kernel helper and warm up; raise KernelSetupError."""
        self.km = AsyncKernelManager(
            kernel_name="python3",
            kernel_spec_manager=_OwnPythonSpecs(),
            transport="ipc",
            connection_file=str(self.workdir / f"{self.name}.json"),
            session=Session(),
            client_factory=KernelClient,
        )
        log = self.log_path.open("ab")
        try:
            await self.km.start_kernel(
                cwd=str(self.cwd), env=kernel_env(), stdout=subprocess.DEVNULL, stderr=log
            )
        except Exception as exc:
            raise KernelSetupError(f"the kernel could not start: {exc}") from exc
        finally:
            log.close()
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            await self.kc.wait_for_ready(timeout=SETUP_TIMEOUT)
        except RuntimeError as exc:
            raise KernelSetupError(f"the kernel did not become ready: {exc}") from exc
        await self._call(_INSTALL)
        args = f"{str(self.cwd)!r}, {self.imports!r}, {self.watch!r}"
        await self._call("", f"{_MODULE}.prepare({args})")
        return self

    async def _call(self, code: str, expr: str | None = None) -> object:
        """Run ``code`` silently (no history, no outputs); return the value of ``expr``."""
        assert self.kc is not None
        exprs = {"value": expr} if expr else {}
        msg_id = self.kc.execute(code, silent=True, store_history=False, user_expressions=exprs)
        deadline = time.monotonic() + SETUP_TIMEOUT
        while True:
            if not await self.km.is_alive():
                raise KernelSetupError(f"the kernel died{self._log_tail()}")
            try:
                reply = await self.kc.get_shell_msg(timeout=1.0)
            except Exception:  # queue.Empty: check liveness and the deadline again
                if time.monotonic() > deadline:
                    raise KernelSetupError("the kernel did not answer in time") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelSetupError(f"{content.get('ename')}: {content.get('evalue')}")
        if not expr:
            return None
        value = content["user_expressions"]["value"]
        if value["status"] != "ok":
            raise KernelSetupError(f"{value.get('ename')}: {value.get('evalue')}")
        return ast.literal_eval(value["data"]["text/plain"])

    async def reset(self, key: str) -> bool:
        """Restore the prepared state, seed the RNGs for ``key``; False if the kernel is stale."""
        return bool(await self._call("", f"{_MODULE}.reset({seed_for(key)})"))

    async def run(self, nb: NotebookNode, key: str, timeout: float) -> Outcome:
        """Execute ``nb`` (already parameterised) in this kernel within ``timeout`` seconds.

        Raises KernelSetupError only if the kernel could not be reset *before* the run, or is
        stale (watched source changed); the caller then replaces the kernel and tries again.
        """
        try:
            fresh = await self.reset(key)
        except KernelSetupError:
            raise
        except Exception as exc:  # e.g. a broken socket: the kernel cannot be trusted
            raise KernelSetupError(f"the kernel could not be reset: {exc}") from exc
        if not fresh:
            raise KernelSetupError("the watched source changed on disk since the kernel started")
        self.runs += 1
        current: list[int | None] = [None]

        def on_cell_execute(cell, cell_index):
            current[0] = cell_index

        deadline = time.monotonic() + timeout
        client = Client(
            nb,
            km=self.km,
            timeout=int(max(1, timeout)),
            timeout_func=lambda cell: max(0.1, deadline - time.monotonic()),
            kernel_name="python3",
            record_timing=False,
            coalesce_streams=True,
            on_cell_execute=on_cell_execute,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc
        failure, kernel_ok = None, True
        try:
            # the outer guard catches a client that hangs even though the kernel answers
            await asyncio.wait_for(client.async_execute(), timeout + 30)
        except CellExecutionError as exc:
            failure = (current[0], exc.ename, exc.evalue)
        except CellTimeoutError:
            failure = (current[0], "TimeoutError", f"the notebook ran for more than {timeout:g} s")
            kernel_ok = False
        except (DeadKernelError, TimeoutError) as exc:
            # nbclient turns the outer guard's cancellation into DeadKernelError: use the clock
            if isinstance(exc, TimeoutError) or time.monotonic() > deadline:
                message = f"the notebook ran for more than {timeout:g} s"
                failure = (current[0], "TimeoutError", message)
            else:
                message = f"the kernel died while running this cell{self._log_tail()}"
                failure = (current[0], "DeadKernelError", message)
            kernel_ok = False
        except Exception as exc:  # anything else: record it and do not trust the kernel again
            failure, kernel_ok = (current[0], type(exc).__name__, str(exc)), False
        return Outcome(_normalise.normalise(client.nb, key), failure, kernel_ok)

    def _log_tail(self, lines: int = 5) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""
        tail = [line for line in text.splitlines() if line.strip()][-lines:]
        return (" (kernel log: " + " | ".join(tail) + ")") if tail else ""

    async def shutdown(self) -> None:
        """Stop the kernel (immediately) and remove its connection files."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                await self.km.shutdown_kernel(now=True)
            except Exception:  # already dead or half-started: make sure the process is gone
                with contextlib.suppress(Exception):
                    await self.km.kill_kernel()
            self.km = None


async def start_kernel(workdir: Path, name: str, cwd: Path, imports, watch) -> WarmKernel:
    """Start a :class:`WarmKernel`, shutting it down again if warm-up fails."""
    kernel = WarmKernel(workdir, name, cwd, imports, watch)
    try:
        return await kernel.start()
    except BaseException:
        await kernel.shutdown()
        raise
