"""Prepare a notebook for a run (Papermill-style parameters) and make the executed one reproducible.

The same notebook with the same parameters must give a byte-identical ``.ipynb`` whatever the run,
the machine's clock, the kernel's process id or the directories involved. Papermill and nbclient
write several things that break this (see DESIGN.md, "Known traps"); :func:`normalise` removes or
fixes each of them:

- notebook metadata: Papermill's start/end times, duration, exception flag and paths; the
  kernelspec is set to the one the pool actually uses;
- cell metadata: nbclient's ``execution`` timings and Papermill's per-cell ``papermill`` block;
- cell ids: ``<key>-<index>`` instead of random ids (including the injected-parameters cell);
- execution counts: 1, 2, 3... over the code cells that ran, and the same in their results;
- stream text: the kernel's temporary-file paths (``/tmp/ipykernel_<pid>/...``) in warnings.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

_PAPERMILL_VOLATILE = (
    "start_time",
    "end_time",
    "duration",
    "exception",
    "input_path",
    "output_path",
    "environment_variables",
    "version",
)
_KERNEL_TMP = re.compile(r"ipykernel_\d+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def cell_id(key: str, index: int) -> str:
    """A deterministic, valid nbformat cell id for cell ``index`` of the run ``key``."""
    safe = _ID_UNSAFE.sub("_", key)[:50] or "run"
    return f"{safe}-{index}"


def parameterise(nb: NotebookNode, key: str, parameters: dict) -> NotebookNode:
    """Return a copy of ``nb`` with ``parameters`` injected the way Papermill injects them.

    The new cell follows the cell tagged ``parameters`` (or goes first if there is none) and is
    tagged ``injected-parameters``. Cell ids are made deterministic straight away.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {})
    untagged = [cell for cell in nb.cells if "tags" not in cell.metadata]
    for cell in untagged:  # Papermill expects every cell to have a tags list
        cell.metadata["tags"] = []
    # Papermill (0.3 to 0.4 s to import, python -X importtime) is loaded once the runs are
    # known: the build's kernels start before it, which puts them that much earlier
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")
    nb.metadata.kernelspec = dict(KERNELSPEC)
    for index, cell in enumerate(nb.cells):
        cell["id"] = cell_id(key, index)
        if cell.metadata.get("tags") == [] and any(cell is c for c in untagged):
            del cell.metadata["tags"]
        if cell.cell_type == "code":  # committed outputs must not survive into a failed run
            cell.outputs, cell.execution_count = [], None
    return nb


def _normalise_output(output: NotebookNode, execution_count: int | None) -> None:
    if output.get("output_type") == "execute_result":
        output["execution_count"] = execution_count
    if output.get("output_type") == "stream":
        output["text"] = _KERNEL_TMP.sub("ipykernel_0", output["text"])
    if output.get("output_type") == "error":
        output["traceback"] = [_KERNEL_TMP.sub("ipykernel_0", line) for line in output["traceback"]]


def normalise(nb: NotebookNode, key: str) -> NotebookNode:
    """Strip timings and random ids from an executed notebook, in place; returns it."""
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    meta = nb.metadata
    meta.kernelspec = dict(KERNELSPEC)
    papermill = meta.get("papermill")
    if papermill is not None:
        for name in _PAPERMILL_VOLATILE:
            papermill.pop(name, None)
    meta.pop("widgets", None)
    count = 0
    for index, cell in enumerate(nb.cells):
        cell["id"] = cell_id(key, index)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
        for output in cell.get("outputs", []):
            _normalise_output(output, cell.get("execution_count"))
    return nb


def write(nb: NotebookNode, path: Path) -> Path:
    """Write ``nb`` with ``nbformat.write``: sorted keys, one-space indent, trailing newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        nbformat.write(nb, handle)
    return path
