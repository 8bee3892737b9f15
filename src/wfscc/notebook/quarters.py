"""An area's monthly counts by calendar quarter, and their bar chart with its alt text.

The chart is :func:`wfscc.outputs.charts.bedding_in_chart` drawn for one area: bars per quarter (a
withheld quarter marked ``[c]`` by the chart helper), a dashed line at the month the series
reached a steady level. Titles, size and fonts are left to
:func:`wfscc.notebook.display.show_chart`, which applies the house style.
"""

from __future__ import annotations

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..contract import style as st
from ..outputs import charts
from ..outputs.disclosure import ProtectedTable, protect
from .store import ProfileData
from .wording import ProfileFacts, cap

#: Height of the one-panel quarterly chart at the printed width, in inches.
HEIGHT_IN = 2.9


def by_quarter(monthly: pd.DataFrame, count: str, label: str) -> pd.DataFrame:
    """Monthly counts (``month``, ``count``) summed by calendar quarter: ``Quarter`` ("2009
    Q1"), ``label`` (the sum) and ``quarter_start`` (its first day)."""
    period = monthly["month"].dt.to_period("Q")
    out = monthly.groupby(period, sort=True)[count].sum()
    return pd.DataFrame(
        {
            "Quarter": [f"{p.year} Q{p.quarter}" for p in out.index],
            label: out.to_numpy(),
            "quarter_start": [p.start_time for p in out.index],
        }
    )


def quarterly(
    monthly: pd.DataFrame, count: str, label: str, threshold: int
) -> tuple[pd.DataFrame, ProtectedTable]:
    """:func:`by_quarter`, and its ``Quarter`` and ``label`` columns after disclosure control
    (the table published beside the chart)."""
    quarters = by_quarter(monthly, count, label)
    return quarters, protect(quarters[["Quarter", label]], [label], threshold=threshold)


def starts(profile: ProfileData, threshold: int) -> tuple[pd.DataFrame, ProtectedTable]:
    """The area's starts by quarter, from its pilot start (:func:`quarterly`)."""
    return quarterly(an.monthly_starts(profile.mi, profile.areas), "starts", "Starts", threshold)


def referrals(profile: ProfileData, threshold: int) -> tuple[pd.DataFrame, ProtectedTable]:
    """The area's referrals by quarter, from its pilot start (:func:`quarterly`)."""
    monthly = an.monthly_counts(profile.referrals, profile.areas, "date")
    return quarterly(monthly, "count", "Referrals", threshold)


def quarterly_chart(
    f: ProfileFacts,
    quarters: pd.DataFrame,
    table: ProtectedTable,
    label: str,
    month_key: str,
    what: str,
):
    """Bars per quarter of the protected ``table`` for the area of ``f``, a dashed line at the
    month in fact ``month_key``. Returns (Axes, alt text, number of quarters withheld); the alt
    text says what is shown, the highest quarter and how many quarters are marked [c]."""
    drawn = quarters.assign(
        la_code=f.la_code, starts=table.frame[label].astype("Float64").astype(float).to_numpy()
    )
    month = pd.Timestamp(f.value(month_key)) if f.shown(month_key) else pd.NaT
    steady = pd.DataFrame({"la_code": [f.la_code], "steady_month": [month]})
    ax = charts.bedding_in_chart(drawn, steady, ncols=1)[0, 0]
    ax.figure.supylabel(f"{label} per quarter (number)", fontsize=charts.FONT["text"])
    # one panel: tall enough for the longest label ("Referrals per quarter (number)")
    ax.figure.set_size_inches(st.PRINT_WIDTH_IN, HEIGHT_IN)
    hidden = int(drawn["starts"].isna().sum())
    return ax, _alt(f, drawn, month, month_key, what, hidden), hidden


def _alt(
    f: ProfileFacts, drawn: pd.DataFrame, month, month_key: str, what: str, hidden: int
) -> str:
    alt = (
        f"Bar chart of {what} per quarter in {f.name}, from {drawn['Quarter'].iloc[0]} to "
        f"{drawn['Quarter'].iloc[-1]}"
    )
    if pd.notna(month):
        alt += f", with a dashed line at {f[month_key]}, when {what} reached a steady level."
    else:
        alt += f"; {what} did not reach a steady level."
    published = drawn.dropna(subset=["starts"])
    if len(published) and published["starts"].max() > 0:
        peak = published.loc[published["starts"].idxmax()]
        most = hs.count(int(peak["starts"]))
        alt += f" {cap(what)} were highest in {peak['Quarter']}, at {most}."
    if hidden:
        alt += (
            f" {cap(hs.count(hidden))} quarter{'s' if hidden > 1 else ''} with fewer than "
            f"{f['la_disclosure_threshold']} {what} {'are' if hidden > 1 else 'is'} "
            "marked [c] and not drawn."
        )
    return alt
