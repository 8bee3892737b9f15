"""Coded qualitative interviews: how many interviews mention each theme.

Counts are of interviews (not of people or of mentions); ``share`` is the proportion of
interviews in the cell that mention the theme. Qualitative counts describe the interviews held,
not a population: the report puts them into words ("a few advisers") rather than percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ._stats import as_list, require

__all__ = ["THEMES", "explode_themes", "theme_frequencies"]

THEMES = (
    "flexible_role", "role_tension", "line_manager_targets", "manager_understands_employment",
    "accessible_adviser", "more_time_than_office", "partnership_growth",
    "limited_other_partners", "holistic_support", "faster_service", "new_skills_for_jcp",
    "outreach_success", "closer_to_work", "time_to_bed_in",
)


def explode_themes(interviews: pd.DataFrame) -> pd.DataFrame:
    """One row per interview and theme it mentions (``theme`` column), other columns kept."""
    require(interviews, ["interview_id", "themes"], "explode_themes")
    out = interviews.drop(columns=["excerpt"], errors="ignore").copy()
    out["theme"] = out["themes"].fillna("").str.split(";")
    out = out.explode("theme")
    out["theme"] = out["theme"].str.strip()
    return out[out["theme"] != ""].drop(columns="themes").drop_duplicates(
        ["interview_id", "theme"]).reset_index(drop=True)


def theme_frequencies(
    interviews: pd.DataFrame, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Interviews mentioning each theme, by ``by`` (e.g. ``"role"`` or ``"la_code"``).

    Long format: ``theme``, ``by``..., ``count``, ``base`` (interviews in the cell), ``share``.
    Every theme appears for every cell, with zero counts where no interview mentions it.
    """
    by = as_list(by)
    require(interviews, by, "theme_frequencies")
    long = explode_themes(interviews)
    if by:
        base = interviews.groupby(by, sort=True).size().rename("base")
        counts = long.groupby(["theme", *by]).size()
        idx = pd.MultiIndex.from_tuples(
            [(t, *((k,) if len(by) == 1 else k)) for t in THEMES for k in base.index],
            names=["theme", *by])
        out = counts.reindex(idx, fill_value=0).rename("count").reset_index()
        out = out.merge(base.reset_index(), on=by)
    else:
        counts = long.groupby("theme").size().reindex(list(THEMES), fill_value=0)
        out = counts.rename("count").rename_axis("theme").reset_index()
        out["base"] = len(interviews)
    out["count"] = out["count"].astype(int)
    out["share"] = out["count"] / out["base"]
    return out
