"""The rest of the pilot, for each LA: what a profile's flags compare the area with.

A profile flags an area's share when it differs significantly from the *other* pilot areas (not
from a pilot-wide figure that includes the area itself). :func:`rest_rows` adds to the pilot
reference (:func:`wfscc.facts.pilot_reference`), for every pilot LA and every share a profile
flags, the share among the other pilot areas (``rest_<key>_<LA>``) and its standard error
(``rest_<key>_<LA>_se``), from the analysis's own estimates and intervals. Values are rounded as
the reference's are, so a small change to one LA's records rarely changes them.
"""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..analysis import Z95
from ._core import row

#: Decimal places kept in a rest-of-pilot share and in its standard error.
SHARE_DECIMALS, SE_DECIMALS = 3, 4
_OUTCOMES = ("job_entry", "training_start", "referred_on")


def se_of(lower: float, upper: float) -> float:
    """The standard error behind a 95 per cent interval (its half-width over ``Z95``)."""
    return (float(upper) - float(lower)) / (2 * Z95)


def _estimates(mi: pd.DataFrame, survey: pd.DataFrame) -> dict[str, pd.Series]:
    """``key -> row`` (estimate, lower, upper, base) of every share a profile flags."""
    out: dict[str, pd.Series] = {}
    if len(mi):
        eng = an.engagement_shares(mi)
        for m in an.MEASURES:
            out[f"{m}_share"] = row(eng, measure=m)
        oc = an.outcomes(mi)
        for name in _OUTCOMES:
            out[f"{name}_rate"] = row(oc, outcome=name)
    if len(survey):
        for _, r in an.takeup(survey, by="wave").iterrows():
            out[f"takeup_w{int(r['wave'])}"] = r
        pref = an.preference(survey, by="wave")
        for _, r in pref[pref["place"] == "centre"].iterrows():
            out[f"pref_centre_w{int(r['wave'])}"] = r
    return out


def rest_rows(mi: pd.DataFrame, survey: pd.DataFrame, las) -> list[dict]:
    """Reference rows for each LA in ``las``: each flagged share among the *other* LAs' rows of
    ``mi`` and ``survey`` (pilot rows only, with ``la_code``), and its standard error."""
    rows: list[dict] = []
    for la in las:
        others = _estimates(mi[mi["la_code"] != la], survey[survey["la_code"] != la])
        for key, r in sorted(others.items()):
            if pd.isna(r["estimate"]) or pd.isna(r["lower"]) or pd.isna(r["upper"]):
                continue
            est = hs.round_half_up(float(r["estimate"]), SHARE_DECIMALS)
            se = hs.round_half_up(se_of(r["lower"], r["upper"]), SE_DECIMALS)
            rows.append(
                {
                    "name": f"rest_{key}_{la}",
                    "value": est,
                    "base": None,
                    "text": hs.percent(float(r["estimate"])),
                }
            )
            rows.append(
                {"name": f"rest_{key}_{la}_se", "value": se, "base": None, "text": f"{se:.4f}"}
            )
    return rows
