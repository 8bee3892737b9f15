"""wfscc.notebook.prose: the text of each section, from hand-made facts."""

from __future__ import annotations

from wfscc.notebook import prose

from .helpers import facts


def test_no_key_points_give_no_text():
    assert prose.key_points(facts()) == ""


def test_key_points_list_the_claims_that_hold():
    f = facts(("la_takeup_direction", "rose", "rose"),
              ("la_job_entry_rate", 0.3, "30 per cent"),
              ("la_job_entry_rate_flag", "higher", "significantly higher than the others"),
              ("la_non_traditional_share", 0.1, "ten per cent"),
              ("la_non_traditional_share_flag", "same", "not significantly different"),
              ("la_small_base", 40, "fewer than 50 centre users at a wave"))
    text = prose.key_points(f)
    assert text.startswith("**Key points**\n\n- Use of Jobcentre Plus services at the centres "
                           "rose between the survey waves.\n")
    assert "- Starts with a job entry: 30 per cent, significantly higher than the others." in text
    assert "non-traditional" not in text.lower()  # flagged "same": not a key point
    assert text.endswith("- Caveat: fewer than 50 centre users at a wave.")


def test_starts_text_says_when_a_steady_level_was_reached_or_not():
    f = facts(("la_steady_month", "2009-06-01", "June 2009"),
              ("la_bedding_in_months", 7, "seven months"), ("la_bedding_in_months_pilot", 7, "x"))
    assert prose.starts_text(f, 0) == (
        "Starts in Northam reached a steady level in June 2009, seven months after the area "
        "began, the same time as the median pilot area. Annex B sets out how a steady level is "
        "defined.")
    never = facts(("la_steady_month", None, "not reached"))
    text = prose.starts_text(never, 2)
    assert text.startswith("Starts in Northam did not settle at a steady level")
    assert text.endswith("Quarters with too few starts to show are marked [c] in the chart.")


def test_themes_are_grouped_by_how_many_interviews_raised_them():
    f = facts(("la_interviews", 6, "six"),
              *[(f"la_theme_{t}_{k}", v, s) for t, n, q, label in (
                  ("faster_service", 4, "most", "a faster service"),
                  ("outreach_success", 1, "a few", "outreach worked"),
                  ("holistic_support", 2, "a few", "support for the whole family"))
                for k, v, s in (("n", n, str(n)), ("quantifier", q, q), ("label", label, label))])
    assert prose.themes_text(f) == (
        "Researchers held six interviews in Northam. The themes of the interviews, by how many "
        "of them raised each theme:\n\n- most: a faster service (in 4 interviews);\n"
        "- a few: support for the whole family (in 2 interviews) and outreach worked "
        "(in 1 interview).")
    assert prose.themes_text(facts()) == "No coded interviews from Northam are available."


def test_and_list_joins_with_commas_and_a_final_and():
    assert prose.and_list(["a"]) == "a"
    assert prose.and_list(["a", "b", "c"]) == "a, b and c"


def test_elements_follow_the_areas_priority():
    f = facts(("la_priority_jcp_provision", 2, "second"),
              ("la_priority_support_packages", 1, "first"))
    assert prose.elements(f) == ["support_packages", "jcp_provision"]
