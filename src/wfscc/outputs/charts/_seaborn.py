"""seaborn, imported on first use: the one place the chart helpers load it.

seaborn imports SciPy's statistics: ``import wfscc.notebook.display`` took 1.38 to 1.48 CPU-s
with it, 0.75 to 0.79 s without. The profile charts of the notebook kernels never draw with it
(``tests/outputs/test_charts_without_seaborn.py``); only the heat maps and the bars that
:mod:`._bars` cannot draw do.
"""

from __future__ import annotations


def seaborn():
    """The seaborn module (imported now if it was not)."""
    # 0.7 to 0.8 s CPU with scipy.stats (python -X importtime), which the notebook kernels
    # importing the chart helpers never need
    import seaborn as sns

    return sns
