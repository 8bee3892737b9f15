"""Engagement from the management information (MI) on pilot starts.

Who the pilot reached: the share of starts who were lone parents on benefit
(``lone_parent`` and ``benefit != "none"``), non-traditional Jobcentre Plus customers, and
potential second earners; nationally, by LA, by quarter or by engagement route. Shares are
unweighted proportions of starts with 95% Wilson intervals; ``base`` is the number of starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._groups import group_rows, repeat_labels
from ._stats import (
    as_list,
    equals,
    flag_array,
    quarter_label,
    require,
    share,
    share_frame,
)

__all__ = ["DERIVED", "MEASURES", "add_derived", "engagement_shares", "route_mix",
           "with_derived"]

#: Engagement measures and what each counts.
MEASURES = {
    "lone_parent_benefit": "lone parents in receipt of benefit",
    "non_traditional": "non-traditional Jobcentre Plus customers",
    "second_earner": "potential second earners",
}
#: The columns :func:`add_derived` adds (or replaces), in order.
DERIVED = (*MEASURES, "quarter")
#: The MI columns the derived columns are made from.
MI_COLUMNS = ("lone_parent", "benefit", "customer_type", "second_earner", "start_date")
_NEEDED = list(MI_COLUMNS)


def _derived(mi: pd.DataFrame, name: str) -> pd.Series:
    """One derived column of :func:`add_derived`, made from ``mi`` alone."""
    if name == "lone_parent_benefit":
        return mi["lone_parent"].astype(bool) & (mi["benefit"] != "none")
    if name == "non_traditional":
        return mi["customer_type"] == "non_traditional"
    if name == "second_earner":
        return mi["second_earner"].astype(bool)
    return quarter_label(mi["start_date"])


def _measure(mi: pd.DataFrame, name: str) -> np.ndarray:
    """The measure ``name`` of :func:`_derived` as a NumPy bool array, as ``share`` takes it."""
    if name == "lone_parent_benefit":
        lone, not_none = mi["lone_parent"], equals(mi["benefit"], "none", negate=True)
        if lone.dtype == np.dtype(bool) and isinstance(not_none, np.ndarray):
            return lone.to_numpy() & not_none
    elif name == "non_traditional":
        flag = equals(mi["customer_type"], "non_traditional")
        if isinstance(flag, np.ndarray):
            return flag
    return flag_array(_derived(mi, name), bool)


def add_derived(mi: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``mi`` with the derived flags and a ``quarter`` column ("2009 Q1")."""
    require(mi, _NEEDED, "MI")
    out = mi.copy()
    for name in DERIVED:
        out[name] = _derived(mi, name)
    return out


def with_derived(mi: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``mi``'s ``columns``, any derived ones (:data:`DERIVED`) made as :func:`add_derived`
    makes them: the columns a grouping needs, without copying the whole MI."""
    require(mi, _NEEDED, "MI")
    missing = [c for c in columns if c not in DERIVED and c not in mi.columns]
    if missing:
        require(add_derived(mi), columns, "engagement_shares")  # raises, naming every column
    return pd.DataFrame({c: (_derived(mi, c) if c in DERIVED else mi[c]).array for c in columns},
                        index=mi.index)


def engagement_shares(mi: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Shares of starts in each engagement measure, by ``by``.

    ``by`` may name any MI column, or ``"quarter"``. Long format: ``measure``, ``by``...,
    ``count``, ``base``, ``estimate``, ``lower``, ``upper``.
    """
    by = as_list(by)
    require(mi, _NEEDED, "MI")
    groups = group_rows(with_derived(mi, by) if by else mi, by)
    flags = [_measure(mi, m) for m in MEASURES]
    if by:
        count = np.concatenate([groups.count(f) for f in flags])
        base = np.tile(groups.size(), len(MEASURES))
    else:
        count = np.array([f.sum() for f in flags])
        base = np.full(len(MEASURES), len(mi))
    long_keys = groups.key_columns(groups.tiled(len(MEASURES)))
    return share_frame({"measure": repeat_labels(list(MEASURES), groups.n), **long_keys},
                       count, base)


def route_mix(mi: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """How starts were engaged: share of starts by ``engagement_route``, by ``by``.

    Long format: ``by``..., ``engagement_route``, ``count``, ``base``, ``estimate``, ``lower``,
    ``upper``; the base is all starts in the ``by`` cell.
    """
    by = as_list(by)
    if any(c not in mi.columns and c not in DERIVED for c in [*by, "engagement_route"]):
        require(add_derived(mi), [*by, "engagement_route"], "route_mix")
    data = with_derived(mi, [*dict.fromkeys([*by, "engagement_route"])])
    out = []
    for route in sorted(data["engagement_route"].dropna().unique()):
        est = share(data, equals(data["engagement_route"], route), by)
        est.insert(len(by), "engagement_route", route)
        out.append(est)
    return pd.concat(out, ignore_index=True).sort_values([*by, "engagement_route"],
                                                         ignore_index=True)
