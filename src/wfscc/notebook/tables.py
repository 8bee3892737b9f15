"""The profile's tables: who the pilot engaged (with its chart), the core elements and the
survey results, each after disclosure control at the build's threshold."""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..contract import style as st
from ..outputs import charts
from ..outputs.disclosure import SUPPRESSED_MARK, ProtectedTable, protect
from .prose import elements
from .store import ProfileData
from .wording import ProfileFacts, cap

#: Survey measures (:func:`wfscc.analysis.attitudes`) -> the row label in the survey table.
ATTITUDES = {
    "confidence": "Rated their confidence about work highly",
    "aspiration": "Rated their aspiration to work highly",
    "awareness": "Rated their awareness of work-focused opportunities highly",
}
TAKEUP = "Used Jobcentre Plus services at the centre"
PREFERENCE = "Would rather use Jobcentre Plus services at the centre than at an office"


def engaged(profile: ProfileData, threshold: int):
    """Who started on the pilot in the area beside all pilot areas: (Axes, protected table);
    a share withheld in the table is left out of the chart too."""
    shares = an.engagement_shares(profile.mi, by="la_code")
    pilot = profile.reference["pilot"].set_index("name")["value"]
    table = protect(
        pd.DataFrame(
            {
                "Group": [cap(an.MEASURES[m]) for m in shares["measure"]],
                "Starts": shares["base"].to_numpy(),
                "Starts in the group": shares["count"].to_numpy(),
                "Per cent of starts": [hs.round_half_up(100 * e, 1) for e in shares["estimate"]],
                "All pilot areas (per cent)": [
                    hs.round_half_up(100 * pilot[f"{m}_share"], 1) for m in shares["measure"]
                ],
            }
        ),
        ["Starts in the group"],
        base_col="Starts",
        pct_cols=["Per cent of starts"],
        pct_of={"Per cent of starts": "Starts in the group"},
        row_totals=False,
        col_totals=False,
        threshold=threshold,
    )
    hidden = table.frame["Per cent of starts"].isna().to_numpy()
    ax = charts.engagement_chart(
        shares.assign(estimate=shares["estimate"].mask(hidden)),
        profile.la_code,
        pilot=profile.reference["pilot"],
    )
    return ax, table


def elements_table(f: ProfileFacts, threshold: int) -> ProtectedTable:
    """The core elements in the area's order of priority, whether each was delivered."""
    order = elements(f)
    return protect(
        pd.DataFrame(
            {
                "Core element": [an.ELEMENTS[e] for e in order],
                "Delivered": [cap(f[f"la_delivered_{e}"]) for e in order],
                "Priority": [cap(f[f"la_priority_{e}"]) for e in order],
            }
        ),
        [],
        threshold=threshold,
    )


def survey_results(survey: pd.DataFrame, threshold: int) -> ProtectedTable:
    """Take-up, preference for the centre and the three attitudes, by wave (long: one row per
    measure and wave, in per cent with the interval), after disclosure control."""
    preference = an.preference(survey, by="wave")
    attitudes = an.attitudes(survey, by="wave")
    rows = pd.concat(
        [
            an.takeup(survey, by="wave").assign(measure=TAKEUP),
            preference[preference["place"] == "centre"].assign(measure=PREFERENCE),
            attitudes.assign(measure=attitudes["measure"].map(ATTITUDES)),
        ],
        ignore_index=True,
    )
    return protect(
        pd.DataFrame(
            {
                "Measure": rows["measure"],
                "Wave": rows["wave"].to_numpy(),
                "Respondents": rows["base"].to_numpy(),
                "Per cent": [hs.round_half_up(100 * v) for v in rows["estimate"]],
                "Lower": [hs.round_half_up(100 * v) for v in rows["lower"]],
                "Upper": [hs.round_half_up(100 * v) for v in rows["upper"]],
            }
        ),
        [],
        base_col="Respondents",
        pct_cols=["Per cent", "Lower", "Upper"],
        threshold=threshold,
    )


def survey_table(results: ProtectedTable, ci_level: str) -> pd.DataFrame:
    """:func:`survey_results` wide: a row per measure, a column per wave headed by its house
    label ("Wave one: per cent (95 per cent interval)") holding "60 (52 to 67)", and a last row
    with the respondents at each wave."""
    published = results.to_published()
    waves = sorted(published["Wave"].unique())
    measures = list(dict.fromkeys(published["Measure"]))
    bases = published.drop_duplicates("Wave").set_index("Wave")["Respondents"]
    columns = {"Measure": [*measures, "Respondents"]}
    for w in waves:
        sub = published[published["Wave"] == w].set_index("Measure").reindex(measures)
        cells = [
            r["Per cent"]
            if pd.isna(r["Lower"]) or r["Lower"] == SUPPRESSED_MARK
            else f"{r['Per cent']:.0f} ({r['Lower']:.0f} to {r['Upper']:.0f})"
            for _, r in sub.iterrows()
        ]
        columns[f"{st.wave_label(w)}: per cent ({ci_level} interval)"] = [*cells, bases[w]]
    return pd.DataFrame(columns, dtype=object)
