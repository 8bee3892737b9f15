"""Reference implementations of the calibration measures in data/calibration.yml.

These are deliberately simple and independent of the analysis package: they check that the
generator hits the published figures. The analysis back-tests compute them their own way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfscc.data import Dataset


def weighted_pct(frame: pd.DataFrame, flag: pd.Series) -> float:
    return float(100 * (frame["weight"] * flag).sum() / frame["weight"].sum())


def _la_months(ds: Dataset, frame: pd.DataFrame, date_col: str) -> dict[str, np.ndarray]:
    """Each pilot LA's monthly counts from its start month to March 2011 (zeros included)."""
    out = {}
    for la, start in ds.areas.loc[ds.areas["group"] == "pilot", ["la_code", "pilot_start"]].values:
        n = (2011 - start.year) * 12 + (3 - start.month) + 1
        mine = frame[frame["la_code"] == la]
        k = (mine[date_col].dt.year - start.year) * 12 + (mine[date_col].dt.month - start.month)
        out[la] = np.bincount(k[(k >= 0) & (k < n)].astype(int), minlength=n)
    return out


def months_to_steady(ds: Dataset, frame: pd.DataFrame, date_col: str) -> list[int]:
    """Annex B's rule per LA (steady level: median of the final 12 months; the first month, the
    third at the earliest, whose mean with the two before reaches 80 per cent of it; months from
    the start month), for the LAs that reached it."""
    found = []
    for counts in _la_months(ds, frame, date_col).values():
        steady = float(np.median(counts[-12:]))
        for k in range(2, len(counts)):
            if counts[k - 2 : k + 1].mean() >= 0.8 * steady:
                found.append(k)
                break
    return found


def growth_from_own_start(ds: Dataset, window: int = 6) -> float:
    """Referrals in each LA's first ``window`` months from its own start, against the pilot's
    final ``window`` months, summed over LAs: final / first."""
    months = _la_months(ds, ds.referrals, "date")
    first = sum(int(c[:window].sum()) for c in months.values())
    last = sum(int(c[-window:].sum()) for c in months.values())
    return last / first


def measures(ds: Dataset) -> dict[str, float]:
    mi, sv, ref = ds.mi, ds.survey, ds.referrals
    pilots = ds.areas[ds.areas["group"] == "pilot"]
    out: dict[str, float] = {
        "pilot_las": len(pilots),
        "comparison_las": int((ds.areas["group"] == "comparison").sum()),
        "pilot_centres": int(ds.centres["la_code"].isin(pilots["la_code"]).sum()),
        "centres_per_pilot_la": float(
            ds.centres[ds.centres["la_code"].isin(pilots["la_code"])]
            .groupby("la_code")
            .size()
            .min()
        ),
        "mi_lone_parent_on_benefit_pct": 100
        * float((mi["lone_parent"] & (mi["benefit"] != "none")).mean()),
        "mi_non_traditional_pct": 100 * float((mi["customer_type"] == "non_traditional").mean()),
        "core_elements_delivered_pct": 100 * float(ds.delivery["delivered"].mean()),
        "mi_starts_per_pilot_la": len(mi) / len(pilots),
        "referrals_per_pilot_la": len(ref) / len(pilots),
        "mi_job_entry_pct": 100 * float(mi["job_entry_date"].notna().mean()),
        "mi_training_start_pct": 100 * float(mi["training_start_date"].notna().mean()),
        "mi_second_earner_of_non_traditional_pct": 100
        * float(mi.loc[mi["customer_type"] == "non_traditional", "second_earner"].mean()),
        "pilot_start_delayed_las": int((pilots["pilot_start"] >= "2009-04-01").sum()),
        "pilot_period_start": f"{pilots['pilot_start'].min():%Y-%m}",
        "pilot_period_end": f"{max(mi['start_date'].max(), ref['date'].max()):%Y-%m}",
        "core_elements": int(ds.delivery.loc[ds.delivery["delivered"], "element"].nunique()),
        "interviews_total": len(ds.interviews),
    }
    for group in ("pilot", "comparison"):
        for wave in (1, 2):
            part = sv[(sv["group"] == group) & (sv["wave"] == wave)]
            out[f"takeup_wave{wave}_{group}_pct"] = weighted_pct(part, part["uses_jcp_at_centre"])
            out[f"prefer_centre_wave{wave}_{group}_pct"] = weighted_pct(
                part, part["preferred_place"] == "centre"
            )
            out[f"survey_n_wave{wave}_{group}"] = len(part)
        part = sv[sv["group"] == group]
        out[f"prefer_centre_{group}_pct"] = weighted_pct(part, part["preferred_place"] == "centre")
        for name in ("confidence", "aspiration", "awareness"):
            means = part.groupby("wave").apply(
                lambda g, n=name: np.average(g[n], weights=g["weight"]), include_groups=False
            )
            out[f"{name}_change_{group}"] = float(means.loc[2] - means.loc[1])
    out["takeup_ratio_pilot"] = out["takeup_wave2_pilot_pct"] / out["takeup_wave1_pilot_pct"]
    w = sv["weight"]
    out["weight_cv"] = float(w.std() / w.mean())
    themes = ds.interviews["themes"].str.split(";").explode()
    out["interview_themes_present"] = int(themes.nunique())
    targets = ds.interviews[ds.interviews["themes"].str.contains("line_manager_targets")]
    out["line_manager_targets_las"] = int(targets["la_code"].nunique())
    mgr = ds.interviews[ds.interviews["role"] == "centre_manager"]
    out["managers_understand_employment_pct"] = 100 * float(
        mgr["themes"].str.contains("manager_understands_employment").mean()
    )
    for name, frame, col in (("bedding_in", mi, "start_date"), ("referral", ref, "date")):
        found = months_to_steady(ds, frame, col)
        out[f"{name}_months_median"] = float(np.median(found))
        out[f"{name}_months_min"] = float(min(found))
        out[f"{name}_months_max"] = float(max(found))
    out["referral_growth_own_start_ratio"] = growth_from_own_start(ds)
    return out
