"""The text of each section of an area's profile, built from its facts (:mod:`.wording`).

Every function returns Markdown for :func:`wfscc.notebook.display.show_markdown`; text from the
data (the area's name, an element or theme label) is escaped, and every number is a fact's text,
so it follows the house style (one to nine in words, "per cent").
"""

from __future__ import annotations

from .. import analysis as an
from .. import housestyle as hs
from ..textsafe import markdown as md
from .wording import ProfileFacts, cap

#: Shares that make a key point when the area differs from the other pilot areas.
KEY_SHARES = {
    "la_lone_parent_benefit_share": "lone parents on benefit among starts",
    "la_non_traditional_share": "non-traditional customers among starts",
    "la_job_entry_rate": "starts with a job entry",
    "la_takeup_w2": "centre users using Jobcentre Plus services at wave two",
}


def introduction(f: ProfileFacts) -> str:
    """The area's name as the page's one H1, and a paragraph on where and when it began."""
    centres = "children's centre" if f.value("la_centres") == 1 else "children's centres"
    region = f", in the {md(f['la_region'])} region," if "la_region" in f else ""
    return (
        f"# {f.name_md}\n\n"
        f"{f.name_md} ({f.la_code}){region} began the pilot in {f['la_pilot_start']} with "
        f"{f['la_centres']} {centres}. Its management information records {f['la_starts']} "
        f"starts on the pilot, against an average of {f['la_starts_pilot']} for each pilot area. "
        "This profile sets the area beside the pilot as a whole. Counts below "
        f"{f['la_disclosure_threshold']} are not shown; tables mark them [c]."
    )


def key_points(f: ProfileFacts) -> str:
    """The profile's claims, worded by the report's rules (Annex B), as a list; "" if none."""
    points = []
    if f.shown("la_takeup_direction"):
        points.append(
            f"Use of Jobcentre Plus services at the centres {f['la_takeup_direction']} "
            "between the survey waves."
        )
    for key, label in KEY_SHARES.items():
        flag = f.facts.get(f"{key}_flag")
        if flag is not None and flag.value != "same":
            points.append(f"{cap(label)}: {f[key]}, {flag.text}.")
    if f.shown("la_referrals_direction"):
        window = f["la_referral_growth_window"]
        points.append(
            f"Referrals {f['la_referrals_direction']} between the area's first "
            f"{window} and the pilot's final {window}."
        )
    if f.shown("la_steady_month"):
        points.append(
            f"Starts reached a steady level after {f['la_bedding_in_months']}"
            f"{f.pace('la_bedding_in_months')}."
        )
    for key, verb in (("la_starts_rank", "had"), ("la_bedding_in_rank", "was")):  # its place
        if f.shown(key):
            points.append(f"{cap(f.name_md)} {verb} {f[key]}.")
    if f.shown("la_small_base"):
        points.append(f"Caveat: {f['la_small_base']}.")
    return "**Key points**\n\n" + "\n".join(f"- {p}" for p in points) if points else ""


def starts_text(f: ProfileFacts, hidden: int) -> str:
    """When starts reached a steady level; ``hidden``: quarters marked [c] in the chart."""
    if f.shown("la_steady_month"):
        text = (
            f"Starts in {f.name_md} reached a steady level in {f['la_steady_month']}, "
            f"{f['la_bedding_in_months']} after the area began"
            f"{f.pace('la_bedding_in_months')}."
        )
    else:
        text = f"Starts in {f.name_md} did not settle at a steady level before the pilot ended."
    text += " Annex B sets out how a steady level is defined."
    if hidden:
        text += " Quarters with too few starts to show are marked [c] in the chart."
    return text


def engaged_text(f: ProfileFacts) -> str:
    """Who started on the pilot, and what happened next, beside all pilot areas."""
    return (
        f"The management information shows who started on the pilot in {f.name_md}, as shares "
        "of its starts:\n\n"
        f"- lone parents on benefit: {f.versus('la_lone_parent_benefit_share')};\n"
        f"- non-traditional Jobcentre Plus customers: {f.versus('la_non_traditional_share')}; "
        "and\n"
        f"- potential second earners: {f.versus('la_second_earner_share')}.\n\n"
        "It also records what happened next:\n\n"
        f"- a job entry: {f.versus('la_job_entry_rate')};\n"
        f"- a training start: {f.versus('la_training_start_rate')}; and\n"
        f"- a referral on to other services: {f.versus('la_referred_on_rate')}."
    )


def referrals_text(f: ProfileFacts, hidden: int) -> str:
    """Referrals in the area, their growth from its own start and when they settled."""
    window = f["la_referral_growth_window"]
    text = (
        f"Jobcentre Plus and the children's centres in {f.name_md} made "
        f"{f['la_referrals_total']} referrals to each other's services during the pilot, "
        f"against an average of {f['la_referrals_total_pilot']} for each pilot area. "
        f"Counted from the area's own start, its first {window} brought "
        f"{f['la_referrals_own_first']} referrals and the pilot's final {window} "
        f"{f['la_referrals_own_last']}"
    )
    if f.shown("la_referrals_direction"):
        text += (
            f": {f['la_referral_ratio_own_start']} as many, so referrals "
            f"{f['la_referrals_direction']}."
        )
    else:
        text += "; too few referrals, or too little time since the area began, to compare the two."
    if f.shown("la_referral_steady_month"):
        text += (
            f" Referrals settled into a steady flow in {f['la_referral_steady_month']}, "
            f"{f['la_referral_months']} after the area began"
            f"{f.pace('la_referral_months')}."
        )
    else:
        text += " Referrals did not settle into a steady flow before the pilot ended."
    if hidden:
        text += " Quarters with too few referrals to show are marked [c] in the chart."
    return text


def elements(f: ProfileFacts) -> list[str]:
    """The core elements the area has facts for, in the order of priority it gave them."""
    return sorted(
        (e for e in an.ELEMENTS if f"la_priority_{e}" in f),
        key=lambda e: f.value(f"la_priority_{e}"),
    )


def elements_text(f: ProfileFacts) -> str:
    """How many core elements the area delivered, and which came first."""
    delivered = f.facts["la_elements_delivered"]
    return (
        f"{f.name_md} delivered {delivered.text} of the {hs.count(delivered.base)} core "
        f"elements of the pilot ({f['la_elements_quantifier']}). It gave the highest "
        f"priority to {md(f['la_top_priority_element'])}. The table lists the elements in "
        "the order of priority the area gave them."
    )


def survey_text(f: ProfileFacts) -> str:
    """Who took part in the survey, take-up and preference at each wave and its change."""
    ci = f["la_ci_level"]
    text = (
        f"The survey of children's centre users spoke to {f['la_respondents_w1']} people "
        f"in the area's centres at wave one and {f['la_respondents_w2']} at wave two."
    )
    if f.shown("la_takeup_w2"):
        text += (
            f" At wave two, {f['la_takeup_w2']} of them said they used Jobcentre Plus "
            f"services at the centre ({ci} interval {f['la_takeup_w2_ci']}), against "
            f"{f['la_takeup_w2_pilot']} across all pilot areas."
        )
    if f.shown("la_takeup_w1"):
        text += (
            f" At wave one the share was {f['la_takeup_w1']}, against "
            f"{f['la_takeup_w1_pilot']} across all pilot areas."
        )
    if f.shown("la_takeup_direction"):
        text += (
            f" Between the waves, take-up in the area {f['la_takeup_direction']}: "
            f"{f['la_takeup_change']} ({ci} interval {f['la_takeup_change_ci']})."
        )
    if f.shown("la_pref_centre_w2"):
        text += (
            f" At wave two, {f.versus('la_pref_centre_w2')} would rather use those services "
            "at the centre than at a Jobcentre Plus office."
        )
    if not (f.shown("la_takeup_w1") and f.shown("la_takeup_w2")):
        text += " Too few users took part for all the results to be shown."
    if f.shown("la_small_base"):
        text += f" {cap(f['la_small_base'])}."
    return text + (
        " The table gives each result with its interval. A rating is high at the "
        "top of the scale, as Annex B defines it."
    )


def themes_text(f: ProfileFacts) -> str:
    """The themes of the area's interviews, grouped by how many interviews raised each."""
    themes = sorted(
        (t for t in an.THEMES if f"la_theme_{t}_quantifier" in f),
        key=lambda t: -f.value(f"la_theme_{t}_n"),
    )
    if not themes:
        return f"No coded interviews from {f.name_md} are available."
    groups: dict[str, list[str]] = {}  # how many interviews, in words -> the themes
    for t in themes:
        n = "interview" if f.value(f"la_theme_{t}_n") == 1 else "interviews"
        groups.setdefault(f[f"la_theme_{t}_quantifier"], []).append(
            f"{md(f[f'la_theme_{t}_label'])} (in {f[f'la_theme_{t}_n']} {n})"
        )
    lines = [f"- {words}: {and_list(labels)}" for words, labels in groups.items()]
    return (
        f"Researchers held {f['la_interviews']} interviews in {f.name_md}. The themes of "
        "the interviews, by how many of them raised each theme:\n\n" + ";\n".join(lines) + "."
    )


def and_list(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]
