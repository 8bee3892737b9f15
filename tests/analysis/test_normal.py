"""The normal-distribution values the analysis uses without SciPy agree with SciPy's."""

from __future__ import annotations

import subprocess
import sys
from statistics import NormalDist

import numpy as np
import pytest

from wfscc.analysis._stats import CI_LEVEL, Z95, normal_two_sided_p, two_proportion


def test_z95_is_the_normal_quantile():
    stats = pytest.importorskip("scipy.stats")
    assert float(stats.norm.ppf(0.975)) == Z95  # exactly what the published intervals used
    assert abs(Z95 - NormalDist().inv_cdf(0.975)) < 1e-15
    assert abs(CI_LEVEL - 0.95) < 1e-15


def test_two_sided_p_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    z = np.concatenate([np.linspace(0, 40, 4001), -np.linspace(0, 9, 901), [1e-12, 1.959964]])
    ours = np.array([normal_two_sided_p(float(v)) for v in z])
    theirs = 2 * stats.norm.sf(np.abs(z))
    assert np.abs(ours - theirs).max() < 1e-15
    assert np.isnan(normal_two_sided_p(np.nan)) and np.isnan(normal_two_sided_p(np.inf))
    assert two_proportion(0.3, 100, 0.3, 100)["p_value"] == 1.0


def test_the_analysis_does_not_import_scipy():
    code = ("import sys, wfscc.analysis, wfscc.facts, wfscc.outputs.tables, "
            "wfscc.outputs.disclosure; "
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
