"""Charts of one LA against the pilot, for the LA profiles.

The area is drawn in the pilot colour, all pilot areas (the benchmark) in the reference colour
(:mod:`wfscc.contract.style`); no title inside the image (the notebook cell's caption is it).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ... import housestyle as hs
from ...analysis import MEASURES
from ...contract import style as st
from ._base import bars, cap, legend_above, mark_suppressed, new_axes, pct, set_alt
from ._lines import line

PILOT_AVERAGE = "Average of pilot areas"
ALL_PILOT = "All pilot areas"


def monthly_starts_chart(monthly: pd.DataFrame, la_code: str, ax: Axes | None = None, *,
                         average: pd.DataFrame | None = None) -> Axes:
    """Line of one LA's monthly starts against the average across pilot LAs.

    ``monthly``: :func:`wfscc.analysis.monthly_starts` (``la_code``, ``month``, ``starts``),
    holding at least ``la_code``'s rows. ``average``: the pilot average as a frame ``month``,
    ``starts`` (:func:`wfscc.facts.monthly_average_starts`); when None it is the mean of
    ``monthly`` over LAs for each calendar month.
    """
    ax = new_axes(ax)
    la = monthly[monthly["la_code"] == la_code].sort_values("month")
    if average is None:
        avg = monthly.groupby("month")["starts"].mean().sort_index()
    else:
        avg = average.set_index("month")["starts"].sort_index()
    line(ax, avg.index, avg.to_numpy(dtype=float), color=st.REFERENCE_COLOUR,
         linestyle="--", label=PILOT_AVERAGE)
    line(ax, la["month"].to_numpy(), la["starts"].to_numpy(dtype=float),
         color=st.GROUP_COLOURS["pilot"], label=la_code)
    ax.set_ylabel("Starts per month (number)")
    ax.set_xlabel("Month")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, frameon=False,
              borderaxespad=0.0)
    hidden = int(la["starts"].isna().sum())
    valid = la.dropna(subset=["starts"])
    peak = valid.loc[valid["starts"].idxmax()] if len(valid) else None
    text = (f"Line chart of monthly pilot starts in {la_code} from "
            f"{hs.month_year(la['month'].min())} to {hs.month_year(la['month'].max())}, with the "
            "average of all pilot areas as a dashed line.")
    if peak is not None:
        text += (f" {la_code} peaked at {hs.count(int(peak['starts']))} starts in "
                 f"{hs.month_year(peak['month'])}.")
    if hidden:
        text += f" {hs.count(hidden).capitalize()} months with small numbers are not shown."
    return set_alt(ax, text)


def _pilot_shares(pilot, shares: pd.DataFrame) -> pd.Series:
    """Pilot shares per measure from a Series, a frame (``measure``, ``estimate``), or a
    :func:`wfscc.facts.pilot_reference` frame (``name`` = ``<measure>_share``, ``value``)."""
    if pilot is None:
        tot = shares.groupby("measure")[["count", "base"]].sum()
        return tot["count"] / tot["base"]
    if isinstance(pilot, pd.Series):
        return pilot.astype(float)
    if {"measure", "estimate"} <= set(pilot.columns):
        return pilot.set_index("measure")["estimate"].astype(float)
    if {"name", "value"} <= set(pilot.columns):
        ref = pilot.set_index("name")["value"]
        return pd.Series({n[: -len("_share")]: v for n, v in ref.items()
                          if str(n).endswith("_share")}, dtype=float)
    raise ValueError("pilot must be a Series by measure, a frame with measure and estimate, or "
                     f"a pilot_reference frame with name and value; it has {list(pilot.columns)}.")


def engagement_chart(shares: pd.DataFrame, la_code: str, ax: Axes | None = None, *,
                     pilot: pd.DataFrame | pd.Series | None = None) -> Axes:
    """Horizontal bars of engagement shares for one LA against the pilot as a whole.

    ``shares``: :func:`wfscc.analysis.engagement_shares` by ``la_code`` (at least this LA).
    ``pilot``: the pilot-wide shares per measure (see :func:`_pilot_shares`); when None, the
    share of all starts in ``shares`` (the count over the base, summed across LAs).
    """
    ax = new_axes(ax)
    la = shares[shares["la_code"] == la_code].set_index("measure")
    pilot_s = _pilot_shares(pilot, shares).reindex(list(MEASURES))
    measures = [m for m in MEASURES if m in la.index]
    names = [cap(MEASURES[m]) for m in measures]
    frame = pd.DataFrame({
        "measure": names * 2,
        "area": [la_code] * len(measures) + [ALL_PILOT] * len(measures),
        "estimate": [*(la.loc[measures, "estimate"].to_numpy(float) * 100),
                     *(pilot_s.loc[measures].to_numpy(float) * 100)],
    })
    colours = {la_code: st.GROUP_COLOURS["pilot"], ALL_PILOT: st.REFERENCE_COLOUR}
    drawn = bars(ax, frame, "measure", "area", "estimate", order=names,
                 hue_order=list(colours), colours=colours, horizontal=True)
    # one lookup table, not an index made per bar (a third of the chart's time)
    keys = zip(frame["measure"], frame["area"], strict=True)
    values = dict(zip(keys, frame["estimate"], strict=True))
    for key, (centre, _) in drawn.items():
        if pd.isna(values[key]):
            mark_suppressed(ax, centre, horizontal=True)
    ax.set_xlabel("Per cent of starts")
    ax.set_ylabel("")
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    legend_above(ax, colours)
    parts = [f"{MEASURES[m]}: {pct(la.loc[m, 'estimate'])} in {la_code}, "
             f"{pct(pilot_s.loc[m])} across the pilot" for m in measures
             if pd.notna(la.loc[m, "estimate"]) and pd.notna(pilot_s.loc[m])]
    if parts:
        text = "Bar chart comparing the share of starts who were " + "; ".join(parts) + "."
    else:
        text = (f"Bar chart comparing who the pilot reached in {la_code} and across the pilot; "
                f"the figures for {la_code} are not shown because they rest on too few starts.")
    if 0 < len(parts) < len(measures):
        text += " Shares resting on too few starts are not shown and are marked [c]."
    return set_alt(ax, text)
