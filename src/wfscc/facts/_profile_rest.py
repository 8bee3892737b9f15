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

#: Decimal places kept in a rest-of-pilot share and in its standard error.
SHARE_DECIMALS, SE_DECIMALS = 3, 4
_OUTCOMES = ("job_entry", "training_start", "referred_on")


def se_of(lower: float, upper: float) -> float:
    """The standard error behind a 95 per cent interval (its half-width over ``Z95``)."""
    return (float(upper) - float(lower)) / (2 * Z95)


def _estimates(mi: pd.DataFrame, survey: pd.DataFrame, las: list) -> dict[str, dict]:
    """``LA -> key -> row`` (estimate, lower, upper) of every share a profile flags, among the
    LA's others: from one pass over the rows for all LAs (:mod:`wfscc.analysis.without`), not
    one pass per LA, which grew with the square of the number of areas."""
    out: dict[str, dict] = {la: {} for la in las}

    def put(frame: pd.DataFrame, key) -> None:
        for r in frame.to_dict("records"):
            out[r["without"]][key(r)] = r

    if len(mi):
        put(an.engagement_shares_without(mi, las), lambda r: f"{r['measure']}_share")
        oc = an.outcomes_without(mi, las)
        put(oc[oc["outcome"].isin(_OUTCOMES)], lambda r: f"{r['outcome']}_rate")
    if len(survey):
        shares = an.survey_shares_without(survey, las)
        put(shares["takeup"], lambda r: f"takeup_w{int(r['wave'])}")
        pref = shares["preference"]
        put(pref[pref["place"] == "centre"], lambda r: f"pref_centre_w{int(r['wave'])}")
    return out


def rest_rows(mi: pd.DataFrame, survey: pd.DataFrame, las) -> list[dict]:
    """Reference rows for each LA in ``las``: each flagged share among the *other* LAs' rows of
    ``mi`` and ``survey`` (pilot rows only, with ``la_code``), and its standard error."""
    rows: list[dict] = []
    estimates = _estimates(mi, survey, list(las))
    for la in las:
        for key, r in sorted(estimates[la].items()):
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
