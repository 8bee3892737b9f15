"""Turn raw cells into typed columns, reporting every cell that is blank or of the wrong type.

The input may be text (CSV), mixed Python objects (Excel) or already typed (Parquet, SPSS);
the output follows the contract: dates ``datetime64[ns]``, 0/1 flags ``bool``, whole numbers
``int64`` (``Int64`` when the column may be blank), numbers ``float64``, text and codes ``str``.
Bad cells become missing, and each is reported once, with its raw value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..contract import Col, expected_text

_DATE_RE = r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?$"


def blank_mask(raw: pd.Series) -> np.ndarray:
    """True where a cell is empty: missing, or text that is only white space."""
    missing = raw.isna().to_numpy()
    if raw.dtype == object:
        text = raw.map(lambda v: v.strip() == "" if isinstance(v, str) else False)
        missing = missing | text.to_numpy(dtype=bool)
    elif pd.api.types.is_string_dtype(raw.dtype):
        missing = missing | raw.str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    return missing


def _as_text(raw: pd.Series) -> pd.Series:
    """Cells as stripped text; whole-number floats lose their ``.0`` (Excel and SPSS numbers)."""
    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        return raw.str.strip()

    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (dt.datetime, pd.Timestamp)):
            return value.strftime("%Y-%m-%d") if _midnight(value) else str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()

    return raw.map(one).astype(object)


def _midnight(value: dt.datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0


def _numbers(raw: pd.Series) -> pd.Series:
    """Cells as floats; anything that is not a number becomes NaN."""
    if pd.api.types.is_bool_dtype(raw.dtype) or pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.astype(float)
    if raw.dtype != object:  # text
        return pd.to_numeric(raw.str.strip(), errors="coerce").astype(float)

    def one(value: object) -> object:
        if isinstance(value, (bool, int, float, np.number)):
            return float(value)
        return value.strip() if isinstance(value, str) else None

    return pd.to_numeric(raw.map(one).astype(object), errors="coerce").astype(float)


def _dates(raw: pd.Series) -> pd.Series:
    """Cells as timestamps: typed dates pass; text must be ISO ``YYYY-MM-DD``."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        out = raw
        if getattr(raw.dtype, "tz", None) is not None:
            out = raw.dt.tz_localize(None)
        return out.dt.normalize().astype("datetime64[ns]")
    if raw.dtype == object:
        typed = raw.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
        if typed.any():
            as_ts = pd.to_datetime(raw.where(typed), errors="coerce").astype("datetime64[ns]")
            from_text = _dates(_as_text(raw.where(~typed)).astype(str))
            return as_ts.where(typed, from_text).astype("datetime64[ns]")
    text = _as_text(raw).astype(str)
    ok = text.str.match(_DATE_RE, na=False)
    parsed = pd.to_datetime(text.str.slice(0, 10).where(ok), format="%Y-%m-%d", errors="coerce")
    return parsed.astype("datetime64[ns]")


def coerce(
    raw: pd.Series, col: Col, blank: np.ndarray | None = None
) -> tuple[pd.Series, np.ndarray, np.ndarray, str]:
    """Coerce one column (``blank``: its ``blank_mask``, if already known).

    Returns ``(typed, blank, bad, expected)``: the typed column, where cells are blank, where
    non-blank cells could not be read as the column's kind, and what was expected there.
    """
    blank = blank_mask(raw) if blank is None else blank
    expected = {
        "date": "a date in YYYY-MM-DD form",
        "flag": "0 or 1",
        "int": "a whole number",
        "float": "a number",
    }.get(col.kind, expected_text(col))
    if col.kind == "str":
        text = _as_text(raw)
        typed = text.where(~blank).astype(str)
        return typed, blank, np.zeros(len(raw), dtype=bool), expected
    if col.kind == "date":
        typed = _dates(raw)
        bad = ~blank & typed.isna().to_numpy()
        return typed.where(~bad), blank, bad, expected
    numbers = _numbers(raw)
    invalid = numbers.isna().to_numpy() | ~np.isfinite(numbers.fillna(0).to_numpy())
    if col.kind in ("int", "flag"):
        invalid |= (numbers.fillna(0) % 1 != 0).to_numpy()
    if col.kind == "flag":
        invalid |= ~numbers.isin([0.0, 1.0]).to_numpy()
    bad = ~blank & invalid
    clean = numbers.where(~(bad | blank))
    if col.kind == "flag":
        typed = clean.fillna(0).astype(bool)
    elif col.kind == "int":
        typed = clean.astype("Int64")
        if col.required:
            typed = clean.fillna(0).astype("int64") if not (bad | blank).any() else typed
    else:
        typed = clean.astype("float64")
    return typed, blank, bad, expected
