"""The house style's fixed choices: colours, display labels, wave labels, the ``[c]`` wording,
printed sizes and the base/source lines. Charts (:mod:`wfscc.outputs.charts`), figures
(:mod:`wfscc.outputs.figures`), tables (:mod:`wfscc.outputs.tables`) and notebook display
(:mod:`wfscc.notebook.display`) import them from here, so a choice is made once. ``docs/style.md``
explains each one.

Colours come from the Analysis Function palettes (``afcharts``) and each means one thing in
every chart:

* :data:`GROUP_COLOURS`: pilot areas dark blue, comparison areas orange (the afcharts duo);
* :data:`WAVE_COLOURS`: wave 1 turquoise, wave 2 dark pink (never used for groups);
* :data:`REFERENCE_COLOUR`: dark grey, a benchmark or marker (the average of pilot areas beside
  one area, the month a steady level was reached);
* :data:`SEQUENTIAL`: the afcharts blues, darkest first, for ranks (heat map with a colour key).

A chart of pilot data with no groups or waves (starts, referrals, who the pilot reached) uses
the pilot colour.
"""

from __future__ import annotations

from .. import housestyle as hs

__all__ = [
    "COLUMN_LABELS",
    "GRID_COLOUR",
    "GROUP_COLOURS",
    "GROUP_LABELS",
    "MIN_FONT_PT",
    "PRINT_WIDTH_IN",
    "REFERENCE_COLOUR",
    "SEQUENTIAL",
    "SOURCES",
    "SUPPRESSED_MARK",
    "SUMMARY_WIDTH_IN",
    "TEXT_COLOUR",
    "VALUE_LABELS",
    "WAVE_COLOURS",
    "WAVE_LABELS",
    "base_line",
    "column_label",
    "error_bar_note",
    "meaning_of_colour",
    "source_line",
    "suppressed_note",
    "wave_label",
    "wave_words",
]

#: How a suppressed cell is shown in published tables, charts' labels, CSV and spreadsheet files
#: (GOV.UK shorthand).
SUPPRESSED_MARK = "[c]"

# --- colours -------------------------------------------------------------------------------
# afcharts 1.2.0, af_colours.yaml: duo ["#12436D", "#F46A25"], categorical
# ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"].
PILOT = "#12436D"
COMPARISON = "#F46A25"
#: Group -> colour: pilot and comparison areas, the same two in every chart.
GROUP_COLOURS = {"pilot": PILOT, "comparison": COMPARISON}
#: Survey wave -> colour, the same two in every chart, distinct from the group colours.
WAVE_COLOURS = {1: "#28A197", 2: "#801650"}
#: A benchmark line or marker (average of all pilot areas, steady-level month).
REFERENCE_COLOUR = "#3D3D3D"
#: Text and error bars.
TEXT_COLOUR = "#0B0C0C"
#: Value gridlines (afcharts: light grey).
GRID_COLOUR = "#CCCCCC"
#: Ranks (1 darkest), afcharts sequential blues.
SEQUENTIAL = ["#092135", "#12436D", "#2073BC", "#6BACE6", "#ADD1F1"]


def meaning_of_colour(colour: str) -> str | None:
    """What a categorical colour means ("pilot", "comparison", "wave 1", "wave 2",
    "reference"), or None for a colour outside the fixed choices."""
    c = colour.upper()
    for g, v in GROUP_COLOURS.items():
        if v.upper() == c:
            return g
    for w, v in WAVE_COLOURS.items():
        if v.upper() == c:
            return f"wave {w}"
    return "reference" if REFERENCE_COLOUR.upper() == c else None


# --- labels --------------------------------------------------------------------------------
#: Group code -> label in charts and tables.
GROUP_LABELS = {"pilot": "Pilot areas", "comparison": "Comparison areas"}
#: Wave -> its one name, in charts, table headers and prose alike (numbers one to nine in
#: words, the house rule): "Wave one", "wave two" inside a sentence (:func:`wave_words`). Not
#: "Baseline", not "Wave 1".
WAVE_LABELS = {1: "Wave one", 2: "Wave two"}


def wave_label(wave) -> str:
    """``wave_label(1) == "Wave one"``: the one name of a survey wave in charts and tables."""
    w = int(wave)
    return WAVE_LABELS.get(w, f"Wave {hs.number_in_words(w)}")


def wave_words(wave) -> str:
    """``wave_words(2) == "wave two"``: a survey wave inside a sentence."""
    return wave_label(wave).lower()


#: Column name (as the analysis and the published CSVs name it) -> the label a reader sees in
#: a chart's "Show the data" table and the notebooks' tables. Units go in the label.
COLUMN_LABELS = {
    "wave": "Survey wave",
    "group": "Group",
    "area": "Area",
    "la_code": "Area",
    "quarter": "Quarter",
    "measure": "Measure",
    "respondents": "Respondents (number)",
    "starts": "Starts (number)",
    "percent": "Per cent",
    "lower": "Lower limit of 95 per cent interval (per cent)",
    "upper": "Upper limit of 95 per cent interval (per cent)",
    "steady_month": "Month a steady level was reached",
    "jcp_to_centre": "Jobcentre Plus to centre (number)",
    "centre_to_jcp": "Centre to Jobcentre Plus (number)",
    "lone_parent_benefit": "Lone parents on benefit (number)",
    "non_traditional": "Non-traditional customers (number)",
    "second_earner": "Potential second earners (number)",
    "lone_parent_benefit_percent": "Lone parents on benefit (per cent of starts)",
    "non_traditional_percent": "Non-traditional customers (per cent of starts)",
    "second_earner_percent": "Potential second earners (per cent of starts)",
    "jcp_provision": "Jobcentre Plus provision (rank)",
    "support_packages": "Support packages (rank)",
    "partnership_working": "Partnership working (rank)",
    "adviser_integration": "Adviser integration (rank)",
    "customer_engagement": "Engaging customers (rank)",
}
#: Codes inside cells -> labels (groups, attitudes, directions, measures).
VALUE_LABELS = {
    "pilot": "Pilot areas",
    "comparison": "Comparison areas",
    "confidence": "Confidence",
    "aspiration": "Aspiration",
    "awareness": "Awareness",
    "jcp_to_centre": "Jobcentre Plus to centre",
    "centre_to_jcp": "Centre to Jobcentre Plus",
    "lone_parent_benefit": "Lone parents on benefit",
    "non_traditional": "Non-traditional customers",
    "second_earner": "Potential second earners",
    "not reached": "Not reached",
}


def column_label(name: str) -> str:
    """The label of a column: :data:`COLUMN_LABELS`, a quarter as it is ("2009 Q1"), or the
    name with underscores as spaces and a capital first letter."""
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


# --- notes under tables and figures ---------------------------------------------------------
#: Where each kind of data comes from (the "Source:" line).
SOURCES = {
    "survey": "Survey of children's centre users in pilot and comparison areas",
    "mi": "Pilot management information",
    "referrals": "Pilot referral records of Jobcentre Plus and children's centres",
    "delivery": "Delivery records of the pilot areas",
    "interviews": "Coded interviews with staff, partners and parents",
}


def suppressed_note(threshold: int) -> str:
    """The one explanation of ``[c]``, used under every table and chart and in the notes."""
    return (
        f"{SUPPRESSED_MARK} marks a value withheld to protect confidentiality: it rests "
        f"on fewer than {threshold} people or records."
    )


def error_bar_note() -> str:
    """What an error bar shows."""
    return (
        "Error bars show 95 per cent confidence intervals of the weighted survey "
        "estimates, allowing for the survey weights."
    )


def base_line(text: str) -> str:
    """``Base: <text>.`` under a table or figure."""
    return f"Base: {text.rstrip('.')}."


def source_line(kind: str) -> str:
    """``Source: <where the data come from>.`` under a table or figure."""
    return f"Source: {SOURCES[kind]}."


# --- printed size ----------------------------------------------------------------------------
#: Text width of the report PDF (A4, 24 mm margins): charts are drawn at this width.
PRINT_WIDTH_IN = 162 / 25.4
#: One column of the two-column Research Summary (A4, 16 mm margins, 7 mm gutter).
SUMMARY_WIDTH_IN = (210 - 32 - 7) / 2 / 25.4
#: Smallest text at printed size, in points.
MIN_FONT_PT = 8.0
