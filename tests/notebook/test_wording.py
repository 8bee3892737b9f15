"""wfscc.notebook.wording: an area's facts as the profile words them."""

from __future__ import annotations

from .helpers import facts


def test_cap_upper_cases_only_the_first_letter():
    from wfscc.notebook.wording import cap

    assert cap("jobcentre Plus services") == "Jobcentre Plus services"
    assert cap("") == ""


def test_a_fact_is_shown_only_when_it_exists_and_has_a_value():
    f = facts(("la_a", 0.4, "40 per cent"), ("la_b", None, "not shown (too few)"))
    assert f.shown("la_a") and not f.shown("la_b") and not f.shown("la_c")
    assert f["la_b"] == "not shown (too few)" and f.get("la_c", "none") == "none"


def test_versus_sets_the_share_beside_the_pilot_and_its_flag():
    f = facts(("la_x", 0.6, "60 per cent"), ("la_x_pilot", 0.59, "59 per cent"),
              ("la_x_flag", "same", "not significantly different from the other pilot areas"))
    assert f.versus("la_x") == ("60 per cent (59 per cent across all pilot areas; not "
                                "significantly different from the other pilot areas)")


def test_versus_gives_the_facts_own_text_when_withheld_or_missing():
    f = facts(("la_x", None, "not shown (too few)"), ("la_x_pilot", 0.59, "59 per cent"),
              ("la_y", 0.2, "20 per cent"))
    assert f.versus("la_x") == "not shown (too few)"
    assert f.versus("la_y") == "20 per cent"  # no pilot figure: the area's alone
    assert f.versus("la_z") == "not available"


def test_pace_compares_months_with_the_median_pilot_area():
    def pace(la, pilot):
        return facts(("la_m", la, "m"), ("la_m_pilot", pilot, "eight months")).pace("la_m")

    assert pace(5, 8) == ", sooner than the median pilot area (eight months)"
    assert pace(11, 8) == ", later than the median pilot area (eight months)"
    assert pace(8, 8) == ", the same time as the median pilot area"
    assert pace(None, 8) == "" and pace(5, None) == ""


def test_the_name_is_escaped_as_markdown_but_kept_for_alt_text():
    f = facts(name="St *Mary* [North]")
    assert f.name == "St *Mary* [North]"
    assert "*Mary*" not in f.name_md and "Mary" in f.name_md
