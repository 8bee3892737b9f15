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
:class:`~wfscc.execute._warm.Outcome` (failure, whether the kernel survived) to ``outcomes``. The
build reads the notebook once and passes it as ``source`` (not read again per run), and as it takes
the executed notebook from ``outcomes``, Papermill gets back the notebook without its outputs
other than errors (which it still checks): Papermill serialises what it gets back even when it
saves nothing, and the executed notebook's charts made that a tenth of the parent's time per run.

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


def _source(nb: NotebookNode, input_path, source: NotebookNode | None = None) -> NotebookNode:
    """The notebook as its author wrote it: ``source`` when given, else read again from
    ``input_path`` (Papermill adds empty tags and metadata to every cell when it loads one), or
    ``nb`` without the injected cell."""
    if source is not None:
        return source
    if isinstance(input_path, NotebookNode):
        return input_path
    if input_path is not None:
        return nbformat.reads(papermill_io.read(str(input_path)), as_version=4)
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED not in c.metadata.get("tags", [])]
    return nb


def _errors_only(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` whose code cells keep only their error outputs (shares everything else)."""
    light = NotebookNode({key: value for key, value in nb.items() if key != "cells"})
    light.cells = []
    for cell in nb.cells:
        cell = NotebookNode(cell)  # a shallow copy: Papermill marks an error cell in place
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.get("outputs", []) if out.output_type == "error"]
        light.cells.append(cell)
    return light


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
        source: NotebookNode | None = None,
        timeout: float | None = None,
        execution_timeout: float | None = None,
        **kwargs,
    ) -> NotebookNode:
        key = run_key(output_path, key)
        parameters = dict(nb.metadata.get("papermill", {}).get("parameters") or {})
        run_nb = _normalise.parameterise(_source(nb, input_path, source), key, parameters)
        timeout = float(timeout or execution_timeout or 300)
        if kernel is not None:
            future = asyncio.run_coroutine_threadsafe(kernel.run(run_nb, key, timeout), loop)
            outcome = future.result()
        else:
            outcome = _run_alone(run_nb, key, timeout)
        if outcomes is not None:  # the caller takes the executed notebook from there
            outcomes[key] = outcome
            return _errors_only(outcome.nb)
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
    source: NotebookNode | None = None,
) -> Outcome:
    """Run one notebook through :func:`papermill.execute_notebook` on a pool's warm *kernel*
    (whose event loop is *loop*; call from another thread). Papermill's error for a failed cell
    is not raised: the outcome says what failed. ``source`` is the notebook as read from
    *notebook*, if the caller has it."""
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
            source=source,
            timeout=timeout,
        )
    except PapermillExecutionError:
        if key not in outcomes:
            raise
    return outcomes[key]


def executor(notebook: Path, source: NotebookNode | None = None):
    """The pool's way to run one notebook (see :mod:`wfscc.execute._local`): through Papermill's
    API, in a helper thread, on the worker's warm kernel. A notebook's own failure, or an error in
    Papermill itself (the notebook file gone, say), comes back as the outcome's failure.
    ``source``: the notebook as read from *notebook* (else the engine reads it for every run)."""

    async def run(kernel: WarmKernel, key: str, nb: NotebookNode, timeout: float) -> Outcome:
        loop = asyncio.get_running_loop()
        parameters = nb.metadata.get("papermill", {}).get("parameters") or {}
        try:
            return await loop.run_in_executor(
                None, execute, notebook, key, parameters, kernel, loop, timeout, source
            )
        except KernelSetupError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as this run's failure
            return Outcome(nb, (None, type(exc).__name__, str(exc)), True)

    return run


register()
