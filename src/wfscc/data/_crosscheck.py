"""Checks that need more than one table: codes that must exist elsewhere, and rules that link rows.

- every LA code is in areas; every centre code is in centres, and belongs to the LA given;
- pilot-only tables (delivery, MI, referrals, interviews) name pilot LAs;
- a pilot LA has a pilot_start in 2009, a comparison LA has none;
- MI starts are not before their LA's pilot_start; outcome dates are not before the start;
- a survey respondent's group is the group of their LA;
- delivery has one row per pilot LA and core element, and priorities are unique within an LA;
- interview themes are codes from the contract.

A check is skipped when a table or column it needs is missing (that is reported already), and a
code is not called unknown when rows of the table that lists the codes could not be read (a
malformed CSV record): the code may be on that row, whose problem is reported already.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import ELEMENTS, PILOT_ONLY_TABLES, PILOT_START, THEMES
from ..errors import Problem, cut
from ._checked import Checked, check_unique

_PILOT_ONLY = PILOT_ONLY_TABLES


def crosscheck(tables: dict[str, Checked]) -> None:
    """Append cross-table problems to each table's ``problems``."""
    areas, centres = tables.get("areas"), tables.get("centres")
    la_group = _lookup(areas, "la_code", "group")
    la_start = _lookup(areas, "la_code", "pilot_start")
    centre_la = _lookup(centres, "centre_code", "la_code")
    if areas is not None:
        _check_pilot_start(areas)
    for stem, table in tables.items():
        if la_group is not None and "la_code" in table.typed and stem != "areas":
            _check_la(table, la_group, areas.file, stem in _PILOT_ONLY, areas.complete)
        if centre_la is not None and "centre_code" in table.typed and stem != "centres":
            _check_centre(table, centre_la, centres.file, centres.complete)
    if "mi_starts" in tables:
        _check_mi_dates(tables["mi_starts"], la_start)
    if "survey" in tables and la_group is not None:
        _check_survey_group(tables["survey"], la_group, areas.file)
    if "delivery" in tables:
        _check_delivery(tables["delivery"], la_group)
    if "interviews" in tables:
        _check_themes(tables["interviews"])


def _lookup(table: Checked | None, key: str, value: str) -> pd.Series | None:
    """``key -> value`` from a table, or None when either column is missing."""
    if table is None or key not in table.typed or value not in table.typed:
        return None
    frame = table.typed[[key, value]].dropna(subset=[key]).drop_duplicates(subset=[key])
    return frame.set_index(key)[value]


def _check_pilot_start(areas: Checked) -> None:
    if "group" not in areas.typed or "pilot_start" not in areas.typed:
        return
    group, start = areas.typed["group"], areas.typed["pilot_start"]
    blank = start.isna().to_numpy() & ~_bad_cell(areas, "pilot_start")
    areas.report(
        (group == "pilot").to_numpy() & blank,
        "pilot_start",
        f"a date in {PILOT_START.year} for a pilot LA",
    )
    areas.report(
        (group == "comparison").to_numpy() & start.notna().to_numpy(),
        "pilot_start",
        "a blank cell for a comparison LA",
    )


def _bad_cell(table: Checked, column: str) -> np.ndarray:
    """Cells already reported as unreadable (blank in ``typed`` but not blank in ``raw``)."""
    raw = table.raw[column]
    filled = raw.notna().to_numpy() & (raw.astype(str).str.strip() != "").to_numpy()
    return filled & table.typed[column].isna().to_numpy()


def _check_la(
    table: Checked, la_group: pd.Series, areas_file: str, pilot_only: bool, complete: bool
) -> None:
    la = table.typed["la_code"]
    group = la.map(la_group)
    known = la.isna() | la.isin(la_group.index)
    if complete:
        table.report(~known.to_numpy(), "la_code", f"an la_code listed in {areas_file}")
    if pilot_only:
        wrong = (known & la.notna() & (group != "pilot")).to_numpy()
        for pos in np.flatnonzero(wrong):
            expected = f"a pilot LA ({areas_file} lists {la.iloc[pos]!r} as {group.iloc[pos]!r})"
            table.problems.append(table.problem(int(pos), "la_code", expected))


def _check_centre(table: Checked, centre_la: pd.Series, centres_file: str, complete: bool) -> None:
    centre = table.typed["centre_code"]
    known = centre.isna() | centre.isin(centre_la.index)
    if complete:
        table.report(~known.to_numpy(), "centre_code", f"a centre_code listed in {centres_file}")
    if "la_code" not in table.typed:
        return
    owner = centre.map(centre_la)
    la = table.typed["la_code"]
    wrong = (known & centre.notna() & la.notna() & owner.notna() & (owner != la)).to_numpy()
    for pos in np.flatnonzero(wrong):
        expected = (
            f"a centre of LA {la.iloc[pos]!r} ({centres_file} lists {centre.iloc[pos]!r} "
            f"under LA {owner.iloc[pos]!r})"
        )
        table.problems.append(table.problem(int(pos), "centre_code", expected))


def _check_mi_dates(mi: Checked, la_start: pd.Series | None) -> None:
    typed = mi.typed
    if "start_date" not in typed:
        return
    start = typed["start_date"]
    if la_start is not None and "la_code" in typed:
        first = typed["la_code"].map(la_start)
        early = (start.notna() & first.notna() & (start < first)).to_numpy()
        for pos in np.flatnonzero(early):
            expected = (
                f"a date on or after {typed['la_code'].iloc[pos]}'s pilot_start "
                f"({first.iloc[pos]:%Y-%m-%d})"
            )
            mi.problems.append(mi.problem(int(pos), "start_date", expected))
    for column in ("job_entry_date", "training_start_date"):
        if column not in typed:
            continue
        before = (typed[column].notna() & start.notna() & (typed[column] < start)).to_numpy()
        for pos in np.flatnonzero(before):
            expected = f"a date after start_date ({start.iloc[pos]:%Y-%m-%d})"
            mi.problems.append(mi.problem(int(pos), column, expected))


def _check_survey_group(survey: Checked, la_group: pd.Series, areas_file: str) -> None:
    typed = survey.typed
    if "group" not in typed or "la_code" not in typed:
        return
    want = typed["la_code"].map(la_group)
    wrong = (typed["group"].notna() & want.notna() & (typed["group"] != want)).to_numpy()
    for pos in np.flatnonzero(wrong):
        expected = (
            f"{want.iloc[pos]!r}, the group of LA {typed['la_code'].iloc[pos]!r} in {areas_file}"
        )
        survey.problems.append(survey.problem(int(pos), "group", expected))


def _check_delivery(delivery: Checked, la_group: pd.Series | None) -> None:
    typed = delivery.typed
    if "la_code" not in typed or "element" not in typed:
        return
    check_unique(delivery, ["la_code", "element"], "one row per LA and element")
    if "priority" in typed:
        check_unique(delivery, ["la_code", "priority"], "a priority used once within the LA")
    if la_group is None or not delivery.complete:
        return
    have = set(zip(typed["la_code"], typed["element"], strict=True))
    for la in la_group.index[la_group == "pilot"]:
        for element in ELEMENTS:
            if (la, element) not in have:
                expected = f"a row for pilot LA {la!r} and core element {element!r}"
                delivery.problems.append(Problem(delivery.file, None, "element", None, expected))


def _check_themes(interviews: Checked) -> None:
    if "themes" not in interviews.typed:
        return
    allowed = set(THEMES)
    themes = interviews.typed["themes"]
    for pos in np.flatnonzero(themes.notna().to_numpy()):
        codes = [c.strip() for c in str(themes.iloc[pos]).split(";")]
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            listed = cut(", ".join(unknown))
            expected = f"theme codes separated by ';' from the contract's list (unknown: {listed})"
            interviews.problems.append(interviews.problem(int(pos), "themes", expected))
