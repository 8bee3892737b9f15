"""The build's fixed settings: the disclosure threshold's default, the render engines, the
notebook executors, the file names of the build's markers and cache, and the fixed time stamped
into generated files.

``wfscc.config``, the CLI, the renderer, the executor, the build and the diff read them from
here (docs/contracts.md).
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "CACHE_DIRNAME",
    "DEFAULT_THRESHOLD",
    "ENGINES",
    "ENGINE_AUTO",
    "ENGINE_PANDOC",
    "ENGINE_QUARTO",
    "EXECUTORS",
    "EXECUTOR_DASK",
    "EXECUTOR_LOCAL",
    "PILOT_END_DAY",
    "PUBLICATION_DATE",
    "PUBLISH_MARKER",
]

#: The render engines: ``auto`` picks Quarto when it is installed, else the built-in pandoc and
#: Typst engine. Code compares with these names, never with the words.
ENGINE_AUTO = "auto"
ENGINE_PANDOC = "pandoc"
ENGINE_QUARTO = "quarto"
#: Render engines ``--engine`` accepts (the first is the default).
ENGINES: tuple[str, ...] = (ENGINE_AUTO, ENGINE_PANDOC, ENGINE_QUARTO)
#: The notebook executors: warm kernels on this machine, or a Dask cluster.
EXECUTOR_LOCAL = "local"
EXECUTOR_DASK = "dask"
#: Notebook executors ``--executor`` accepts (the first is the default).
EXECUTORS: tuple[str, ...] = (EXECUTOR_LOCAL, EXECUTOR_DASK)
#: The disclosure threshold when neither ``--threshold`` nor ``wfscc: threshold:`` in
#: ``_quarto.yml`` sets one: counts from 1 to 9 are not published.
DEFAULT_THRESHOLD = 10
#: The marker a finished build writes into its output folder (what was built, from which inputs).
PUBLISH_MARKER = ".wfscc-build.json"
#: The build cache's folder, beside the output folder.
CACHE_DIRNAME = ".wfscc-cache"
#: The fixed time stamped into generated files (workbooks, synthetic data) so that the same
#: inputs give the same bytes: the report's publication month.
PUBLICATION_DATE = dt.datetime(2011, 8, 1)
#: The pilot's last day as a plain date, for what must not import pandas (the no-op rebuild);
#: ``wfscc.contract.PILOT_END`` is the same day as a pandas Timestamp.
PILOT_END_DAY = dt.date(2011, 3, 31)
