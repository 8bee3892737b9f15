"""Delivery of the five core elements of pilot provision, by LA."""

from __future__ import annotations

import pandas as pd

from ..contract import ELEMENT_LABELS
from ._stats import require

__all__ = ["ELEMENTS", "delivery_by_la", "delivery_by_element", "las_delivering_all"]

#: The five core elements, in the order the report lists them, with their labels.
ELEMENTS = ELEMENT_LABELS["title"]


def delivery_by_la(delivery: pd.DataFrame) -> pd.DataFrame:
    """One row per LA: ``delivered_<element>`` and ``priority_<element>`` columns, plus
    ``n_delivered`` and ``all_five`` (bool)."""
    require(delivery, ["la_code", "element", "delivered", "priority"], "delivery_by_la")
    wide = delivery.pivot(index="la_code", columns="element", values=["delivered", "priority"])
    out = pd.DataFrame(index=wide.index)
    for el in ELEMENTS:
        out[f"delivered_{el}"] = wide[("delivered", el)].astype(bool)
    for el in ELEMENTS:
        out[f"priority_{el}"] = wide[("priority", el)].astype(int)
    delivered = out[[f"delivered_{el}" for el in ELEMENTS]]
    out["n_delivered"] = delivered.sum(axis=1).astype(int)
    out["all_five"] = out["n_delivered"] == len(ELEMENTS)
    return out.reset_index().sort_values("la_code", ignore_index=True)


def delivery_by_element(delivery: pd.DataFrame) -> pd.DataFrame:
    """One row per element: ``n_las`` delivering it, ``base`` (LAs), ``mean_priority``,
    ``n_top_priority`` (LAs ranking it first)."""
    require(delivery, ["la_code", "element", "delivered", "priority"], "delivery_by_element")
    g = delivery.groupby("element")
    out = pd.DataFrame({
        "n_las": g["delivered"].sum().astype(int),
        "base": g["la_code"].nunique().astype(int),
        "mean_priority": g["priority"].mean(),
        "n_top_priority": g["priority"].apply(lambda s: int((s == 1).sum())),
    })
    out = out.reindex([e for e in ELEMENTS if e in out.index])
    out.insert(0, "label", [ELEMENTS[e] for e in out.index])
    return out.rename_axis("element").reset_index()


def las_delivering_all(delivery: pd.DataFrame) -> pd.DataFrame:
    """One row: ``count`` of LAs delivering all five elements and ``base`` (pilot LAs)."""
    per_la = delivery_by_la(delivery)
    return pd.DataFrame([{"count": int(per_la["all_five"].sum()), "base": len(per_la)}])
