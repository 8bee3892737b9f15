"""The data contract as code: tables, columns, kinds, allowed codes, the pilot's dates and the
labels each code list wears in each context (docs/contracts.md).

Every stage (schemas, readers, validation, the generator, the analysis, facts, charts, tables,
the guard) reads the contract from here, so a change to the contract is a change to this one
module. ``tests/contract/test_contract_literals.py`` fails if a list of table names or a code list
is spelled again anywhere else in ``src/``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .build import PILOT_END_DAY

__all__ = [
    "ATTRIBUTE",
    "ATTRIBUTES",
    "BARRIERS",
    "BENEFITS",
    "CENTRE_PATTERN",
    "CODE_COLUMNS",
    "CUSTOMER_TYPES",
    "DIRECTIONS",
    "ELEMENTS",
    "ELEMENT_LABELS",
    "FIRST_YEAR",
    "GROUPS",
    "HOUSEHOLDS",
    "INTERVIEW_TYPES",
    "LAST_YEAR",
    "LA_PATTERN",
    "NAMED_BARRIERS",
    "NAME_MAX",
    "PILOT_END",
    "PILOT_ONLY_TABLES",
    "PILOT_START",
    "PILOT_START_LAST",
    "PLACES",
    "RECORD_ID_COLUMNS",
    "REGIONS",
    "ROLES",
    "ROUTES",
    "SERVICES",
    "SPEC",
    "SUFFIXES",
    "TABLES",
    "TEXT_MAX",
    "THEMES",
    "THEMES_MAX",
    "THEME_LABELS",
    "WORK_STATUSES",
    "Col",
    "columns",
    "expected_text",
]

#: The pilot ran from January 2009 to March 2011 (the bounds of every dated row).
PILOT_START = pd.Timestamp("2009-01-01")
PILOT_END = pd.Timestamp(PILOT_END_DAY)
PILOT_START_LAST = pd.Timestamp("2009-12-31")  # a pilot LA's pilot_start lies in 2009
#: The two periods the report compares (first and last day): the pilot's first calendar year
#: and its final twelve months.
FIRST_YEAR = (PILOT_START, pd.Timestamp("2009-12-31"))
LAST_YEAR = (pd.Timestamp("2010-04-01"), PILOT_END)

#: Table stems in load order. The data folder holds one file per stem.
TABLES: tuple[str, ...] = (
    "areas",
    "centres",
    "delivery",
    "mi_starts",
    "referrals",
    "survey",
    "interviews",
)
#: The ``Dataset`` attribute that holds each table.
ATTRIBUTE = {stem: ("mi" if stem == "mi_starts" else stem) for stem in TABLES}
#: The ``Dataset`` attributes, in load order (how the analysis and the build name the tables).
ATTRIBUTES: tuple[str, ...] = tuple(ATTRIBUTE.values())
#: Tables whose rows may only belong to pilot LAs.
PILOT_ONLY_TABLES: tuple[str, ...] = ("delivery", "mi_starts", "referrals", "interviews")
#: Accepted file formats, by suffix, in the order they are listed in messages.
SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet", ".sav")

GROUPS = ("pilot", "comparison")
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
ELEMENTS = (
    "jcp_provision",
    "support_packages",
    "partnership_working",
    "adviser_integration",
    "customer_engagement",
)
BENEFITS = (
    "none",
    "income_support",
    "jobseekers_allowance",
    "employment_support_allowance",
    "other_benefit",
)
CUSTOMER_TYPES = ("traditional", "non_traditional")
ROUTES = (
    "outreach_event",
    "centre_activity",
    "word_of_mouth",
    "jcp_referral",
    "centre_staff_referral",
    "partner_referral",
)
BARRIERS = ("childcare", "skills", "confidence", "health", "transport", "none")
#: The barriers a parent can name (every code but ``none``), as the facts report them.
NAMED_BARRIERS = BARRIERS[:-1]
DIRECTIONS = ("jcp_to_centre", "centre_to_jcp")
SERVICES = (
    "childcare",
    "family_support",
    "health",
    "adult_learning",
    "benefits_advice",
    "job_search",
)
PLACES = ("centre", "jcp_office", "no_preference")
WORK_STATUSES = ("employed", "seeking_work", "not_seeking")
HOUSEHOLDS = ("lone_parent", "couple_one_earner", "couple_two_earners", "couple_no_earner")
INTERVIEW_TYPES = ("case_study", "in_depth")
ROLES = ("adviser", "centre_manager", "centre_staff", "partner", "parent")
#: Interview themes (the codes of the ``themes`` column).
THEMES = (
    "flexible_role",
    "role_tension",
    "line_manager_targets",
    "manager_understands_employment",
    "accessible_adviser",
    "more_time_than_office",
    "partnership_growth",
    "limited_other_partners",
    "holistic_support",
    "faster_service",
    "new_skills_for_jcp",
    "outreach_success",
    "closer_to_work",
    "time_to_bed_in",
)

#: The labels of the delivery elements in each context: the analysis' and the tables' titles,
#: the words used inside a sentence of prose, and the short names on a chart's axis.
ELEMENT_LABELS: dict[str, dict[str, str]] = {
    "title": {
        "jcp_provision": "Jobcentre Plus provision",
        "support_packages": "Packages of support and bespoke services",
        "partnership_working": "Partnership working",
        "adviser_integration": "Integrating the Personal Adviser into the centre",
        "customer_engagement": "Identifying and engaging customers",
    },
    "prose": {
        "jcp_provision": "Jobcentre Plus provision",
        "support_packages": "packages of support and bespoke services",
        "partnership_working": "partnership working",
        "adviser_integration": "integrating the adviser into the centre",
        "customer_engagement": "identifying and engaging customers",
    },
    "chart": {
        "jcp_provision": "Jobcentre Plus provision",
        "support_packages": "Support packages",
        "partnership_working": "Partnership working",
        "adviser_integration": "Adviser integration",
        "customer_engagement": "Engaging customers",
    },
}

#: The labels of the interview themes in each context: ``prose`` names a theme inside a sentence
#: of an LA profile.
THEME_LABELS: dict[str, dict[str, str]] = {
    "prose": {
        "flexible_role": "the flexibility of the adviser's role",
        "role_tension": "balancing structured work with outreach",
        "line_manager_targets": "targets set by Jobcentre Plus line managers",
        "manager_understands_employment": "centre managers who understood employment support",
        "accessible_adviser": "an adviser who was easy to reach",
        "more_time_than_office": "advisers having more time than staff in a Jobcentre Plus office",
        "partnership_growth": "partnership working that grew over the pilot",
        "limited_other_partners": "limited links with other local providers",
        "holistic_support": "joined-up support for the whole family",
        "faster_service": "parents being seen more quickly",
        "new_skills_for_jcp": "new skills and insight for Jobcentre Plus",
        "outreach_success": "outreach that worked",
        "closer_to_work": "parents moving closer to work",
        "time_to_bed_in": "the time the pilot needed to bed in",
    },
}

#: The longest name (of an LA, a centre, an adviser), in characters. English LA names have fewer
#: than 40 and centre names rarely more than 60; 120 leaves room for any real name while still
#: fitting a table cell, a heading and a line of the PDF.
NAME_MAX = 120
#: The longest free text (an interview excerpt), in characters: about 300 words. The report quotes
#: excerpts of a few sentences (the shipped ones have under 200 characters); a longer cell is a
#: transcript, not an excerpt, and would not fit the page.
TEXT_MAX = 2000
#: The longest ``themes`` cell: room for every theme code once, separated by "; " (272).
THEMES_MAX = 300

LA_PATTERN = r"^[PC]\d{2,}$"
CENTRE_PATTERN = r"^[PC]\d{2,}-[A-Z]{1,2}$"


@dataclass(frozen=True)
class Col:
    """One column of the contract.

    kind: ``str`` (text or code), ``date``, ``flag`` (0/1 -> bool), ``int`` or ``float``.
    required: a blank cell is a problem. ``codes``/``pattern``/``lo``/``hi`` restrict values;
    ``unique`` forbids repeats; ``example`` is shown in messages about the pattern.
    ``max_len`` caps a text cell's length in characters (after trimming). Every cell of every
    column is checked for control characters (``_text``); ``free_text`` columns may also hold tabs
    and line breaks.
    """

    name: str
    kind: str = "str"
    required: bool = True
    codes: tuple[str, ...] | None = None
    pattern: str | None = None
    example: str | None = None
    unique: bool = False
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False  # lo is exclusive (weight > 0)
    max_len: int | None = None
    free_text: bool = False


def _flag(name: str) -> Col:
    return Col(name, "flag")


def _scale(name: str, required: bool = True) -> Col:
    return Col(name, "int", required=required, lo=1, hi=5)


def _name(name: str, required: bool = True) -> Col:
    return Col(name, required=required, max_len=NAME_MAX)


_LA = Col("la_code", pattern=LA_PATTERN, example="P01")
_CENTRE = Col("centre_code", pattern=CENTRE_PATTERN, example="P01-A")

SPEC: dict[str, tuple[Col, ...]] = {
    "areas": (
        Col("la_code", pattern=LA_PATTERN, example="P01", unique=True),
        _name("la_name"),
        Col("group", codes=GROUPS),
        Col("region", codes=REGIONS),
        Col("pilot_start", "date", required=False, lo=PILOT_START, hi=PILOT_START_LAST),
    ),
    "centres": (
        Col("centre_code", pattern=CENTRE_PATTERN, example="P01-A", unique=True),
        _LA,
        _name("centre_name"),
        _name("adviser_name", required=False),
    ),
    "delivery": (
        _LA,
        Col("element", codes=ELEMENTS),
        _flag("delivered"),
        Col("priority", "int", lo=1, hi=5),
    ),
    "mi_starts": (
        Col("participant_id", pattern=r"^QQ\d{6}[A-D]$", example="QQ123456C", unique=True),
        _LA,
        _CENTRE,
        Col("start_date", "date", lo=PILOT_START, hi=PILOT_END),
        _flag("lone_parent"),
        Col("benefit", codes=BENEFITS),
        Col("customer_type", codes=CUSTOMER_TYPES),
        _flag("second_earner"),
        Col("engagement_route", codes=ROUTES),
        Col("main_barrier", codes=BARRIERS),
        _flag("support_better_off_calc"),
        _flag("support_tax_credits"),
        _flag("support_cv"),
        _flag("support_training_referral"),
        _flag("referred_on"),
        Col("job_entry_date", "date", required=False),
        Col("training_start_date", "date", required=False),
    ),
    "referrals": (
        Col("referral_id", pattern=r"^R\d{6}$", example="R000123", unique=True),
        Col("date", "date", lo=PILOT_START, hi=PILOT_END),
        _LA,
        _CENTRE,
        Col("direction", codes=DIRECTIONS),
        Col("service", codes=SERVICES),
    ),
    "survey": (
        Col("respondent_id", pattern=r"^S\d{6}$", example="S000123", unique=True),
        Col("wave", "int", lo=1, hi=2),
        _LA,
        _CENTRE,
        Col("group", codes=GROUPS),
        Col("weight", "float", lo=0, lo_open=True),
        _flag("uses_jcp_at_centre"),
        Col("preferred_place", codes=PLACES),
        _scale("adviser_view", required=False),
        _scale("confidence"),
        _scale("aspiration"),
        _scale("awareness"),
        Col("work_status", codes=WORK_STATUSES),
        Col("household_type", codes=HOUSEHOLDS),
    ),
    "interviews": (
        Col("interview_id", pattern=r"^INT-\d{4,5}$", example="INT-0001", unique=True),
        Col("interview_type", codes=INTERVIEW_TYPES),
        Col("wave", "int", lo=1, hi=2),
        _LA,
        Col("role", codes=ROLES),
        Col("themes", max_len=THEMES_MAX),
        Col("excerpt", max_len=TEXT_MAX, free_text=True),
    ),
}

#: ``Dataset`` attribute -> the column that identifies one record (a participant, referral,
#: respondent or interview): the unique ``*_id`` column of each table that has one.
RECORD_ID_COLUMNS: dict[str, str] = {
    ATTRIBUTE[stem]: c.name
    for stem, cols in SPEC.items()
    for c in cols
    if c.unique and c.name.endswith("_id")
}

#: Code columns: the columns whose values must be one of a fixed list (used to map SPSS labels).
CODE_COLUMNS = {stem: {c.name: c.codes for c in cols if c.codes} for stem, cols in SPEC.items()}


def columns(stem: str) -> list[str]:
    """The contract's column names for a table, in contract order."""
    return [c.name for c in SPEC[stem]]


def expected_text(col: Col) -> str:
    """Say in words what a column holds, for problem messages."""
    if col.codes:
        shown = ", ".join(col.codes)
        return f"one of: {shown}"
    if col.pattern:
        return f"a code like {col.example!r}"
    return {
        "date": "a date in YYYY-MM-DD form",
        "flag": "0 or 1",
        "int": "a whole number",
        "float": "a number",
    }.get(col.kind, "a value")
