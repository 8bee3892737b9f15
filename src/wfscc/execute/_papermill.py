"""The warm-kernel executor as a Papermill engine named ``wfscc``.

``papermill -e wfscc notebooks/la_profile.ipynb P01.ipynb -p la_code P01`` runs a notebook exactly
as ``wfscc build`` does: the engine parameterises the input notebook with
:func:`wfscc.execute._normalise.parameterise` (the build's own function), runs it on a warm kernel
and returns the normalised notebook. The run's key (which the cell ids carry) is the output file's
name without ``.ipynb``, as in the build, which writes ``<LA code>.ipynb``; pass ``key=`` through
Papermill's engine keyword arguments to choose another.

The build calls :func:`papermill.execute_notebook` for every run too, with ``engine_name="wfscc"``
and, as engine arguments, the pool's warm ``kernel`` and its event ``loop``: the engine then runs
the notebook on that kernel instead of starting one of its own, and hands the full
:class:`~wfscc.execute._warm.Outcome` (failure, whether the kernel survived) to ``outcomes``.

The entry point ``papermill.engine: wfscc`` in ``pyproject.toml`` makes the engine known to an
installed Papermill; :func:`register` does the same at run time (the build calls it, so it does
not depend on how the package was installed).
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import nbformat
import papermill
from nbformat import NotebookNode
from papermill.engines import Engine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.iorw import papermill_io

from . import _normalise
from ._local import run_local
from ._warm import DEFAULT_WARM_IMPORTS, DEFAULT_WATCH, KernelSetupError, Outcome, WarmKernel

ENGINE_NAME = "wfscc"
INJECTED = "injected-parameters"


def _source(nb: NotebookNode, input_path) -> NotebookNode:
    """The notebook as its author wrote it: read again from ``input_path`` (Papermill adds empty
    tags and metadata to every cell when it loads one), or ``nb`` without the injected cell."""
    if isinstance(input_path, NotebookNode):
        return input_path
    if input_path is not None:
        return nbformat.reads(papermill_io.read(str(input_path)), as_version=4)
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED not in c.metadata.get("tags", [])]
    return nb


def run_key(output_path, key: str | None = None) -> str:
    """The run's key: *key*, else the output file's name without ``.ipynb`` (else "run")."""
    if key:
        return key
    if output_path:
        return Path(str(output_path)).name.removesuffix(".ipynb") or "run"
    return "run"


def _run_alone(nb: NotebookNode, key: str, timeout: float) -> Outcome:
    """One run on a kernel of its own (started, warmed up, shut down), in the current folder."""
    outcomes: dict[str, Outcome] = {}
    run_local(
        [(key, nb)],
        jobs=1,
        timeout=float(timeout),
        cwd=Path.cwd(),
        imports=DEFAULT_WARM_IMPORTS,
        watch=DEFAULT_WATCH,
        on_start=lambda key: None,
        on_result=lambda key, outcome, sec: outcomes.__setitem__(key, outcome),
    )
    return outcomes[key]


class WfsccEngine(Engine):
    """Papermill's engine interface over :class:`~wfscc.execute._warm.WarmKernel`."""

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        """The kernel is always Python on this interpreter: a notebook need not name one."""
        return name or nb.metadata.get("kernelspec", {}).get("name") or "python3"

    @classmethod
    def nb_language(cls, nb, language=None):
        return language or nb.metadata.get("kernelspec", {}).get("language") or "python"

    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        *,
        input_path=None,
        key: str | None = None,
        kernel: WarmKernel | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        outcomes: dict | None = None,
        timeout: float | None = None,
        execution_timeout: float | None = None,
        **kwargs,
    ) -> NotebookNode:
        key = run_key(output_path, key)
        parameters = dict(nb.metadata.get("papermill", {}).get("parameters") or {})
        run_nb = _normalise.parameterise(_source(nb, input_path), key, parameters)
        timeout = float(timeout or execution_timeout or 300)
        if kernel is not None:
            future = asyncio.run_coroutine_threadsafe(kernel.run(run_nb, key, timeout), loop)
            outcome = future.result()
        else:
            outcome = _run_alone(run_nb, key, timeout)
        if outcomes is not None:
            outcomes[key] = outcome
        # Papermill marks a failed notebook in place: give it a copy, keep the outcome's own
        return copy.deepcopy(outcome.nb)


def register() -> None:
    """Make ``engine_name="wfscc"`` known to Papermill in this process."""
    papermill_engines.register(ENGINE_NAME, WfsccEngine)


def execute(
    notebook: Path,
    key: str,
    parameters: dict,
    kernel: WarmKernel,
    loop: asyncio.AbstractEventLoop,
    timeout: float,
) -> Outcome:
    """Run one notebook through :func:`papermill.execute_notebook` on a pool's warm *kernel*
    (whose event loop is *loop*; call from another thread). Papermill's error for a failed cell
    is not raised: the outcome says what failed."""
    outcomes: dict[str, Outcome] = {}
    try:
        papermill.execute_notebook(
            str(notebook),
            None,
            parameters=dict(parameters),
            engine_name=ENGINE_NAME,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            key=key,
            kernel=kernel,
            loop=loop,
            outcomes=outcomes,
            timeout=timeout,
        )
    except PapermillExecutionError:
        if key not in outcomes:
            raise
    return outcomes[key]


def executor(notebook: Path):
    """The pool's way to run one notebook (see :mod:`wfscc.execute._local`): through Papermill's
    API, in a helper thread, on the worker's warm kernel. A notebook's own failure, or an error in
    Papermill itself (the notebook file gone, say), comes back as the outcome's failure."""

    async def run(kernel: WarmKernel, key: str, nb: NotebookNode, timeout: float) -> Outcome:
        loop = asyncio.get_running_loop()
        parameters = nb.metadata.get("papermill", {}).get("parameters") or {}
        try:
            return await loop.run_in_executor(
                None, execute, notebook, key, parameters, kernel, loop, timeout
            )
        except KernelSetupError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as this run's failure
            return Outcome(nb, (None, type(exc).__name__, str(exc)), True)

    return run


register()
