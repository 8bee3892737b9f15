"""Engagement from the management information (MI) on pilot starts.

Who the pilot reached: the share of starts who were lone parents on benefit
(``lone_parent`` and ``benefit != "none"``), non-traditional Jobcentre Plus customers, and
potential second earners; nationally, by LA, by quarter or by engagement route. Shares are
unweighted proportions of starts with 95% Wilson intervals; ``base`` is the number of starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ._stats import as_list, quarter_label, require, share

__all__ = ["MEASURES", "add_derived", "engagement_shares", "route_mix"]

#: Engagement measures and what each counts.
MEASURES = {
    "lone_parent_benefit": "lone parents in receipt of benefit",
    "non_traditional": "non-traditional Jobcentre Plus customers",
    "second_earner": "potential second earners",
}


def add_derived(mi: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``mi`` with the derived flags and a ``quarter`` column ("2009 Q1")."""
    require(mi, ["lone_parent", "benefit", "customer_type", "second_earner", "start_date"], "MI")
    out = mi.copy()
    out["lone_parent_benefit"] = out["lone_parent"].astype(bool) & (out["benefit"] != "none")
    out["non_traditional"] = out["customer_type"] == "non_traditional"
    out["second_earner"] = out["second_earner"].astype(bool)
    out["quarter"] = quarter_label(out["start_date"])
    return out


def engagement_shares(mi: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Shares of starts in each engagement measure, by ``by``.

    ``by`` may name any MI column, or ``"quarter"``. Long format: ``measure``, ``by``...,
    ``count``, ``base``, ``estimate``, ``lower``, ``upper``.
    """
    by = as_list(by)
    data = add_derived(mi)
    require(data, by, "engagement_shares")
    out = []
    for measure in MEASURES:
        est = share(data, measure, by)
        est.insert(0, "measure", measure)
        out.append(est)
    return pd.concat(out, ignore_index=True)


def route_mix(mi: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """How starts were engaged: share of starts by ``engagement_route``, by ``by``.

    Long format: ``by``..., ``engagement_route``, ``count``, ``base``, ``estimate``, ``lower``,
    ``upper``; the base is all starts in the ``by`` cell.
    """
    by = as_list(by)
    data = add_derived(mi)
    require(data, [*by, "engagement_route"], "route_mix")
    out = []
    for route in sorted(data["engagement_route"].dropna().unique()):
        est = share(data, data["engagement_route"] == route, by)
        est.insert(len(by), "engagement_route", route)
        out.append(est)
    return pd.concat(out, ignore_index=True).sort_values([*by, "engagement_route"],
                                                         ignore_index=True)
