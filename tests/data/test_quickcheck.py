"""The contract's value checks without pandera (wfscc.data._quickcheck): a table they pass is
one that pandera's schema (wfscc.data.schemas.failures) finds nothing wrong with, so a build
of valid data need not load pandera; any other table is still checked by pandera."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from wfscc.contract import SPEC, TABLES
from wfscc.data._quickcheck import passes
from wfscc.data._readers import find_files, read_table
from wfscc.data.schemas import failures
from wfscc.data.validate import check_table


@pytest.fixture(scope="module")
def typed(repo_root) -> dict[str, pd.DataFrame]:
    files, _ = find_files(repo_root / "data")
    return {stem: check_table(read_table(stem, files[stem])[0]).typed for stem in TABLES}


def test_the_shipped_data_pass_both(typed):
    for stem, frame in typed.items():
        assert passes(stem, frame) and failures(stem, frame) == [], stem


#: Values that break one check or another: codes and patterns, ranges, dates, types.
ODD = ["", "x", "P99", "pilot ", "P01-Z", -1, 0, 1, 5, 99, 1.5, -0.5, 1e9, True,
       pd.Timestamp("1999-01-01"), pd.Timestamp("2009-06-01"), pd.Timestamp("2030-01-01"),
       np.nan, None]


def test_a_table_the_quick_checks_pass_is_one_pandera_passes(typed):
    rng = random.Random(772)
    checked = {col.name for cols in SPEC.values() for col in cols
               if col.codes or col.pattern or col.lo is not None or col.hi is not None}
    seen = {True: 0, False: 0}
    for _ in range(400):
        stem = rng.choice(list(TABLES))
        frame = typed[stem].head(30).copy()
        cols = [c for c in frame.columns if c in checked] or list(frame.columns)
        column = rng.choice(cols)
        value = rng.choice(ODD)
        series = frame[column].astype(object)
        series.iloc[rng.randrange(len(series))] = value
        # keep the column's dtype when the value fits it: a bad value, not a bad type
        with contextlib.suppress(TypeError, ValueError):
            series = series.astype(frame[column].dtype)
        frame[column] = series
        loose = frozenset({column}) if rng.random() < 0.3 else frozenset()
        quick = passes(stem, frame, loose)
        try:
            found = failures(stem, frame, loose)
        except TypeError:  # a dtype the coercion never makes: pandera calls it a bug
            found = None
        if quick:
            assert found == [], (stem, column, value)
        seen[found == []] += 1
    assert seen[True] > 20 and seen[False] > 20  # both kinds of table were tried


def test_valid_data_do_not_load_pandera(repo_root):
    code = ("import sys\nfrom wfscc.data import load_dataset\n"
            f"load_dataset({str(repo_root / 'data')!r})\n"
            "print('pandera' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
