"""One pandera schema per table: types, allowed codes, patterns and ranges (docs/contracts.md).

The schemas check typed frames (after ``_coerce``); blank and wrongly typed cells have been reported
by then and are missing, and pandera skips missing values in its checks. Uniqueness is checked in
``validate`` so that a duplicate can name the row where the value first appeared.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..contract import SPEC, TABLES, Col, expected_text
from ..errors import shown
from ._quickcheck import dtype as _dtype


def _bound(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else f"{value:g}"


def _checks(col: Col) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.codes:
        checks.append(pa.Check.isin(list(col.codes), error=expected_text(col)))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern, error=expected_text(col)))
    lo = None if col.lo is None else _bound(col.lo)
    hi = None if col.hi is None else _bound(col.hi)
    what = "a date" if col.kind == "date" else "a value"
    if lo is not None and hi is not None:
        checks.append(
            pa.Check.in_range(col.lo, col.hi, error=f"{what} from {lo} to {hi}", name="in_range")
        )
    elif lo is not None and col.lo_open:
        checks.append(pa.Check.gt(col.lo, error=f"{what} greater than {lo}"))
    elif lo is not None:
        checks.append(pa.Check.ge(col.lo, error=f"{what} of at least {lo}"))
    elif hi is not None:
        checks.append(pa.Check.le(col.hi, error=f"{what} of at most {hi}"))
    return checks


def schema(stem: str) -> pa.DataFrameSchema:
    """The pandera schema of one table (typed frame, contract column order)."""
    cols = {
        c.name: pa.Column(_dtype(c), checks=_checks(c), nullable=True, required=True, coerce=False)
        for c in SPEC[stem]
    }
    return pa.DataFrameSchema(cols, strict=True, ordered=False, name=stem)


SCHEMAS: dict[str, pa.DataFrameSchema] = {stem: schema(stem) for stem in TABLES}


def failures(
    stem: str, typed: pd.DataFrame, loose: frozenset[str] = frozenset()
) -> list[tuple[int, str, str]]:
    """Run the schema's checks lazily on the columns present.

    ``loose`` names columns that had unreadable cells: their dtype is not enforced (a whole-number
    column with gaps is ``Int64`` rather than ``int64``), only their checks.
    Returns ``(position, column, expected)`` for each failing cell (first failed check per cell),
    where ``position`` is the row's position in ``typed``.
    """
    present = {}
    for name, col in SCHEMAS[stem].columns.items():
        if name in typed.columns:
            if name in loose:
                col = pa.Column(None, checks=col.checks, nullable=True, name=name)
            present[name] = col
    part = pa.DataFrameSchema(present, strict=False, name=stem)
    frame = typed.reset_index(drop=True)
    try:
        part.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    out: list[tuple[int, str, str]] = []
    seen: set[tuple[int, str]] = set()
    dtype_errors = cases[cases["index"].isna()]
    for _, case in dtype_errors.iterrows():  # a bug, not the user's data: coercion sets dtypes
        raise TypeError(f"{stem}.{case['column']}: {case['check']} ({shown(case['failure_case'])})")
    for pos, column, check in zip(cases["index"], cases["column"], cases["check"], strict=True):
        key = (int(pos), str(column))
        if key not in seen:
            seen.add(key)
            out.append((key[0], key[1], str(check)))
    return out
