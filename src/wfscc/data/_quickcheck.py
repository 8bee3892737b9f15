"""The contract's value checks run with pandas alone, to find out whether a table passes all of
them: only a table that may fail one is handed to pandera (:mod:`.schemas`), whose failure
cases give the problems. A build whose data are valid never imports pandera (0.4 s to import
and 0.15 s more on its first validation, ``python -X importtime``).

:func:`passes` is exact in one direction only, which is all it is used for: True means pandera
finds nothing (the same checks on the same cells, ``tests/data/test_quickcheck.py`` compares
them); False means "ask pandera", which reports what is wrong, or nothing.
"""

from __future__ import annotations

import pandas as pd

from ..contract import SPEC, Col

#: The dtype pandera's schema enforces for each kind of column (None: not checked).
DTYPES = {
    "str": None,  # pandas 2 'object' / pandas 3 'str': both are text; the checks look at values
    "date": "datetime64[ns]",
    "flag": bool,
    "float": "float64",
}


def dtype(col: Col) -> object:
    """The dtype of a typed column of ``col`` (as :data:`DTYPES`; whole numbers ``int64``, or
    ``Int64`` where a blank is allowed)."""
    if col.kind == "int":
        return "int64" if col.required else "Int64"
    return DTYPES[col.kind]


def _dtype_ok(series: pd.Series, col: Col) -> bool:
    want = dtype(col)
    return want is None or series.dtype == pd.api.types.pandas_dtype(want)


def _values_ok(values: pd.Series, col: Col) -> bool:
    """Whether every (non-missing) value passes the checks of ``col``, as pandera runs them:
    ``isin``, ``str_matches`` (a match at the start), ``in_range`` (both ends included),
    ``gt``, ``ge``, ``le``."""
    ok = pd.Series(True, index=values.index)
    if col.codes:
        ok &= values.isin(list(col.codes))
    if col.pattern:
        ok &= values.str.match(col.pattern, na=False).astype(bool)
    if col.lo is not None and col.hi is not None:
        ok &= (values >= col.lo) & (values <= col.hi)
    elif col.lo is not None and col.lo_open:
        ok &= values > col.lo
    elif col.lo is not None:
        ok &= values >= col.lo
    elif col.hi is not None:
        ok &= values <= col.hi
    return bool(ok.all())


def passes(stem: str, typed: pd.DataFrame, loose: frozenset[str] = frozenset()) -> bool:
    """True when every column of ``typed`` that the contract checks has its dtype (unless it
    is in ``loose``) and every value passes its checks; False when one may not (or cannot be
    compared: pandera then says what is wrong)."""
    try:
        for col in SPEC[stem]:
            if col.name not in typed.columns:
                continue
            series = typed[col.name]
            if col.name not in loose and not _dtype_ok(series, col):
                return False
            if not _values_ok(series.dropna(), col):
                return False
    except (TypeError, ValueError, AttributeError):
        return False
    return True
