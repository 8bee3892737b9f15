"""The profile charts (every notebook kernel draws them) are drawn without seaborn, which
imports SciPy's statistics (0.7 to 0.8 CPU-seconds per kernel): their lines are seaborn's own
Matplotlib calls (:mod:`wfscc.outputs.charts._lines`), the same SVG byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns

from tests.analysis.fakedata import make_dataset
from wfscc import analysis as an
from wfscc.contract import style as st
from wfscc.outputs import charts
from wfscc.outputs.charts._lines import line


def _svg(tmp_path, name, draw) -> bytes:
    charts.style()
    fig, ax = plt.subplots(figsize=(st.PRINT_WIDTH_IN, 3.4))
    draw(ax)
    path = charts.save(ax, tmp_path / f"{name}.svg")
    plt.close(fig)
    return path.read_bytes()


def _monthly():
    ds = make_dataset()
    monthly = an.monthly_starts(ds.mi, ds.areas)
    la = monthly[monthly["la_code"] == "P03"].sort_values("month").copy()
    la.loc[la.index[[2, 5]], "starts"] = np.nan  # withheld months
    avg = monthly.groupby("month")["starts"].mean().sort_index()
    return la, avg


@pytest.mark.parametrize("shuffled", [False, True])
def test_lines_are_seaborns_picture(tmp_path, shuffled):
    la, avg = _monthly()
    if shuffled:  # seaborn sorts by x
        la = la.sample(frac=1.0, random_state=3)
    x, y = la["month"].to_numpy(), la["starts"].to_numpy(dtype=float)

    def seaborns(ax):
        sns.lineplot(
            x=avg.index,
            y=avg.to_numpy(dtype=float),
            color=st.REFERENCE_COLOUR,
            linestyle="--",
            label="Average",
            errorbar=None,
            ax=ax,
        )
        sns.lineplot(x=x, y=y, color=st.GROUP_COLOURS["pilot"], label="P03", errorbar=None, ax=ax)
        ax.legend()

    def ours(ax):
        line(
            ax,
            avg.index,
            avg.to_numpy(dtype=float),
            color=st.REFERENCE_COLOUR,
            linestyle="--",
            label="Average",
        )
        line(ax, x, y, color=st.GROUP_COLOURS["pilot"], label="P03")
        ax.legend()

    expected = _svg(tmp_path, "seaborn", seaborns)
    assert b"<path" in expected
    assert _svg(tmp_path, "ours", ours) == expected


def test_monthly_starts_chart_is_the_seaborn_chart(tmp_path, monkeypatch):
    """The whole profile chart, drawn once with seaborn's ``lineplot`` in place of
    :func:`line`, is the same SVG."""
    la, avg = _monthly()
    frame = pd.concat([la, la.assign(la_code="P99")])
    ours = _svg(tmp_path, "ours", lambda ax: charts.monthly_starts_chart(frame, "P03", ax=ax))

    def seaborn_line(ax, x, y, **kw):
        return sns.lineplot(x=x, y=y, errorbar=None, ax=ax, **kw)

    monkeypatch.setattr("wfscc.outputs.charts._profile.line", seaborn_line)
    theirs = _svg(tmp_path, "seaborn", lambda ax: charts.monthly_starts_chart(frame, "P03", ax=ax))
    assert ours == theirs


_KERNEL = """
import sys
from pathlib import Path
import wfscc.notebook.display
from tests.analysis.fakedata import make_dataset
from wfscc import analysis as an
from wfscc.outputs import charts
ds = make_dataset()
monthly = an.monthly_starts(ds.mi, ds.areas)
charts.monthly_starts_chart(monthly, "P03")
charts.engagement_chart(an.engagement_shares(ds.mi, "la_code"), "P03")
print(sorted(m for m in ("seaborn", "scipy.stats") if m in sys.modules))
"""


def test_a_notebook_kernel_draws_the_profile_charts_without_seaborn():
    out = subprocess.run(
        [sys.executable, "-c", _KERNEL],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).parents[2]),
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
