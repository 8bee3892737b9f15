"""Run a parameterised notebook once per local authority, fast, safely and reproducibly.

``run_notebooks`` injects each run's parameters the Papermill way and executes the notebooks on a
pool of warm Jupyter kernels (started once, reset between notebooks) locally, or on a Dask cluster.
Outputs are normalised so that the same notebook and parameters give a byte-identical ``.ipynb``.
Kernels run the caller's own interpreter (``sys.executable``): no ``ipykernel install`` is needed.
"""

from ._model import ExecutionReport, Failure, NotebookRun
from ._run import EarlyPool, run_notebooks
from ._warm import DEFAULT_WARM_IMPORTS

__all__ = ["DEFAULT_WARM_IMPORTS", "EarlyPool", "ExecutionReport", "Failure", "NotebookRun",
           "run_notebooks"]
