"""The build's fixed settings: the disclosure threshold's default, the render engines, the
notebook executors and the file names of the build's markers and cache.

``wfscc.config``, the CLI, the renderer, the executor, the build and the diff read them from
here (docs/contracts.md).
"""

from __future__ import annotations

#: Render engines ``--engine`` accepts: ``auto`` picks Quarto when it is installed.
ENGINES: tuple[str, ...] = ("auto", "pandoc", "quarto")
#: Notebook executors ``--executor`` accepts.
EXECUTORS: tuple[str, ...] = ("local", "dask")
#: The disclosure threshold when neither ``--threshold`` nor ``wfscc: threshold:`` in
#: ``_quarto.yml`` sets one: counts from 1 to 9 are not published.
DEFAULT_THRESHOLD = 10
#: The marker a finished build writes into its output folder (what was built, from which inputs).
PUBLISH_MARKER = ".wfscc-build.json"
#: The build cache's folder, beside the output folder.
CACHE_DIRNAME = ".wfscc-cache"
