"""A small seeded dataset that follows docs/contracts.md, for tests that run before (and
independently of) the shipped data and its generator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ELEMENTS = ("jcp_provision", "support_packages", "partnership_working", "adviser_integration",
            "customer_engagement")
ROUTES = ("outreach_event", "centre_activity", "word_of_mouth", "jcp_referral",
          "centre_staff_referral", "partner_referral")
BENEFITS = ("income_support", "jobseekers_allowance", "employment_support_allowance",
            "other_benefit")
THEMES = ("flexible_role", "role_tension", "line_manager_targets",
          "manager_understands_employment", "accessible_adviser", "more_time_than_office",
          "partnership_growth", "limited_other_partners", "holistic_support", "faster_service",
          "new_skills_for_jcp", "outreach_success", "closer_to_work", "time_to_bed_in")
END = pd.Timestamp("2011-03-31")


@dataclass(frozen=True)
class FakeDataset:
    """Duck-types ``wfscc.data.Dataset``."""

    areas: pd.DataFrame
    centres: pd.DataFrame
    delivery: pd.DataFrame
    mi: pd.DataFrame
    referrals: pd.DataFrame
    survey: pd.DataFrame
    interviews: pd.DataFrame
    source_files: dict[str, Path] = field(default_factory=dict)


def _areas(rng) -> pd.DataFrame:
    rows = []
    for i in range(1, 11):
        month = 1 + (i - 1) % 6
        rows.append({"la_code": f"P{i:02d}", "la_name": f"Pilot area {i}", "group": "pilot",
                     "region": "London", "pilot_start": pd.Timestamp(2009, month, 1)})
    for i in range(1, 4):
        rows.append({"la_code": f"C{i:02d}", "la_name": f"Comparison area {i}",
                     "group": "comparison", "region": "North West", "pilot_start": pd.NaT})
    return pd.DataFrame(rows)


def _centres(areas) -> pd.DataFrame:
    rows = []
    for la, group in zip(areas["la_code"], areas["group"], strict=True):
        for letter in "ABC":
            rows.append({"centre_code": f"{la}-{letter}", "la_code": la,
                         "centre_name": f"Centre {la}{letter}",
                         "adviser_name": f"Adviser {la}{letter}" if group == "pilot" else ""})
    return pd.DataFrame(rows)


def _delivery(rng, areas) -> pd.DataFrame:
    rows = []
    for la in areas.loc[areas["group"] == "pilot", "la_code"]:
        for el, pr in zip(ELEMENTS, rng.permutation(5) + 1, strict=True):
            rows.append({"la_code": la, "element": el, "delivered": True, "priority": int(pr)})
    return pd.DataFrame(rows)


def _mi(rng, areas) -> pd.DataFrame:
    rows = []
    pid = 100000
    for la, start in zip(areas["la_code"], areas["pilot_start"], strict=True):
        if pd.isna(start):
            continue
        months = pd.date_range(start, END, freq="MS")
        for m, month in enumerate(months):
            lam = 12 * min(1.0, (m + 1) / 8)
            for _ in range(rng.poisson(lam)):
                pid += 1
                day = month + pd.Timedelta(days=int(rng.integers(0, 28)))
                lone = rng.random() < 0.7
                benefit = rng.choice(BENEFITS) if (lone and rng.random() < 0.86) else "none"
                nontrad = rng.random() < 0.3
                job = day + pd.Timedelta(days=int(rng.integers(20, 200)))
                train = day + pd.Timedelta(days=int(rng.integers(10, 120)))
                rows.append({
                    "participant_id": f"QQ{pid:06d}{'ABCD'[pid % 4]}",
                    "la_code": la, "centre_code": f"{la}-{'ABC'[pid % 3]}",
                    "start_date": day, "lone_parent": bool(lone), "benefit": benefit,
                    "customer_type": "non_traditional" if nontrad else "traditional",
                    "second_earner": bool(nontrad and rng.random() < 0.6),
                    "engagement_route": rng.choice(ROUTES),
                    "main_barrier": rng.choice(["childcare", "skills", "none"]),
                    "support_better_off_calc": bool(rng.random() < 0.5),
                    "support_tax_credits": bool(rng.random() < 0.4),
                    "support_cv": bool(rng.random() < 0.3),
                    "support_training_referral": bool(rng.random() < 0.2),
                    "referred_on": bool(rng.random() < 0.35),
                    "job_entry_date": job if (rng.random() < 0.15 and job <= END) else pd.NaT,
                    "training_start_date": train if (rng.random() < 0.2 and train <= END)
                    else pd.NaT,
                })
    return pd.DataFrame(rows)


def _referrals(rng, areas) -> pd.DataFrame:
    rows = []
    rid = 0
    for la, start in zip(areas["la_code"], areas["pilot_start"], strict=True):
        if pd.isna(start):
            continue
        for m, month in enumerate(pd.date_range(start, END, freq="MS")):
            lam = 10 * min(1.0, (m + 1) / 13)
            for _ in range(rng.poisson(lam)):
                rid += 1
                rows.append({"referral_id": f"R{rid:06d}",
                             "date": month + pd.Timedelta(days=int(rng.integers(0, 28))),
                             "la_code": la, "centre_code": f"{la}-A",
                             "direction": rng.choice(["jcp_to_centre", "centre_to_jcp"]),
                             "service": rng.choice(["childcare", "health", "job_search"])})
    return pd.DataFrame(rows)


def _survey(rng, areas) -> pd.DataFrame:
    rows = []
    sid = 0
    p_use = {("pilot", 1): 0.03, ("pilot", 2): 0.14, ("comparison", 1): 0.03,
             ("comparison", 2): 0.04}
    for la, group in zip(areas["la_code"], areas["group"], strict=True):
        for wave in (1, 2):
            for _ in range(60):
                sid += 1
                att = [int(rng.integers(1, 6)) + (wave == 2 and group == "pilot")
                       for _ in range(3)]
                rows.append({
                    "respondent_id": f"S{sid:06d}", "wave": wave, "la_code": la,
                    "centre_code": f"{la}-{'ABC'[sid % 3]}", "group": group,
                    "weight": float(rng.uniform(0.5, 2.0)),
                    "uses_jcp_at_centre": bool(rng.random() < p_use[(group, wave)]),
                    "preferred_place": rng.choice(["centre", "jcp_office", "no_preference"],
                                                  p=[0.8, 0.1, 0.1]),
                    "adviser_view": float(rng.integers(1, 6)) if rng.random() < 0.5 else np.nan,
                    "confidence": min(att[0], 5), "aspiration": min(att[1], 5),
                    "awareness": min(att[2], 5),
                    "work_status": rng.choice(["employed", "seeking_work", "not_seeking"]),
                    "household_type": rng.choice(["lone_parent", "couple_one_earner"]),
                })
    return pd.DataFrame(rows)


def _interviews(rng, areas) -> pd.DataFrame:
    rows = []
    iid = 0
    roles = ["adviser", "centre_manager", "centre_staff", "partner", "parent"]
    for la in areas.loc[areas["group"] == "pilot", "la_code"]:
        for wave in (1, 2):
            for role in roles:
                iid += 1
                themes = [t for t in THEMES if rng.random() < 0.3] or ["flexible_role"]
                rows.append({"interview_id": f"INT-{iid:04d}",
                             "interview_type": "in_depth" if role == "parent" else "case_study",
                             "wave": wave, "la_code": la, "role": role,
                             "themes": ";".join(themes), "excerpt": "Invented text."})
    return pd.DataFrame(rows)


def make_dataset(seed: int = 20110801) -> FakeDataset:
    """A full fake dataset; same seed, same data."""
    rng = np.random.default_rng(seed)
    areas = _areas(rng)
    return FakeDataset(
        areas=areas, centres=_centres(areas), delivery=_delivery(rng, areas),
        mi=_mi(rng, areas), referrals=_referrals(rng, areas), survey=_survey(rng, areas),
        interviews=_interviews(rng, areas),
    )
