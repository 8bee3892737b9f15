"""Chart helpers in the Analysis Function style (``afcharts``), each carrying its alt text.

Convention: every helper takes a tidy frame from :mod:`wfscc.analysis` (or a protected table)
and ``ax=None``, draws on ``ax`` (a new figure if None) and **returns the Axes**. The alt text is
attached to the Axes and read back with :func:`alt_text`; :func:`save` writes a figure with
stable metadata. Missing values (for example suppressed cells) are left out of the drawing and
the alt text says so. Matplotlib is switched to the non-interactive Agg backend on import.

Colours come from the afcharts categorical palette (dark blue ``#12436D``, turquoise
``#28A197``, dark pink ``#801650``, orange ``#F46A25``), which meets the contrast guidance
against white.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from . import housestyle as hs  # noqa: E402

__all__ = [
    "PALETTE",
    "alt_text",
    "engagement_chart",
    "monthly_starts_chart",
    "referrals_chart",
    "save",
    "style",
    "takeup_chart",
]

_ATTR = "_wfscc_alt_text"


def _palette() -> list[str]:
    try:
        from afcharts.af_colours import get_af_colours

        return list(get_af_colours("categorical", number_of_colours=6))
    except Exception:  # pragma: no cover - afcharts is a declared dependency
        return ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]


PALETTE = _palette()


def style() -> None:
    """Apply the afcharts Matplotlib style (if installed) and stable SVG output settings."""
    try:
        import afcharts

        sheet = Path(afcharts.__file__).with_name("afcharts.mplstyle")
        if sheet.exists():
            plt.style.use(str(sheet))
    except ImportError:  # pragma: no cover
        pass
    plt.rcParams["svg.hashsalt"] = "wfscc"
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]


def _axes(ax: Axes | None, size=(8, 4.5)) -> Axes:
    if ax is None:
        style()
        _, ax = plt.subplots(figsize=size)
    return ax


def _set_alt(ax: Axes, text: str) -> Axes:
    setattr(ax, _ATTR, text)
    ax.figure._wfscc_alt_text = text  # the figure carries it too, for savers that get a figure
    return ax


def alt_text(ax_or_fig) -> str:
    """The alt text a helper attached to an Axes (or its Figure)."""
    text = getattr(ax_or_fig, _ATTR, None)
    if text is None:
        raise ValueError("This chart has no alt text: draw it with a wfscc.charts helper.")
    return text


def save(ax: Axes, path: Path | str) -> Path:
    """Save the figure of ``ax`` to ``path`` (SVG or PNG) with no date in its metadata."""
    path = Path(path)
    fig = ax.figure
    fig.tight_layout()
    meta = {"Date": None} if path.suffix == ".svg" else {"Software": None}
    fig.savefig(path, metadata=meta)
    return path


def _pct(x: float) -> str:
    return hs.percent(x)


def takeup_chart(takeup: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of take-up by wave (x) and group (colour) with 95% interval bars.

    ``takeup``: the output of :func:`wfscc.analysis.takeup` (``wave``, ``group``, ``estimate``,
    ``lower``, ``upper``).
    """
    ax = _axes(ax)
    groups = [g for g in ("pilot", "comparison") if g in set(takeup["group"])]
    waves = sorted(takeup["wave"].unique())
    width = 0.8 / max(len(groups), 1)
    parts = []
    for gi, g in enumerate(groups):
        sub = takeup[takeup["group"] == g].set_index("wave").reindex(waves)
        x = np.arange(len(waves)) + (gi - (len(groups) - 1) / 2) * width
        est = sub["estimate"].to_numpy(dtype=float) * 100
        err = np.vstack([est - sub["lower"].to_numpy(float) * 100,
                         sub["upper"].to_numpy(float) * 100 - est])
        ax.bar(x, est, width, yerr=err, capsize=4, color=PALETTE[gi], label=g.capitalize(),
               error_kw={"ecolor": "#3D3D3D", "elinewidth": 1})
        for w, r in sub.iterrows():
            if pd.notna(r["estimate"]):
                parts.append(f"{g} areas wave {w}: {_pct(r['estimate'])} "
                             f"(95 per cent interval {hs.interval(r['lower'], r['upper'])})")
    ax.set_xticks(np.arange(len(waves)), [f"Wave {w}" for w in waves])
    ax.set_ylabel("Per cent using Jobcentre Plus services at the centre")
    ax.legend(title=None)
    ax.set_title("Use of Jobcentre Plus services at the centre")
    text = ("Bar chart of the share of children's centre users who used Jobcentre Plus services "
            "at the centre, by survey wave and group. " + "; ".join(parts) + ".")
    return _set_alt(ax, text)


def monthly_starts_chart(monthly: pd.DataFrame, la_code: str, ax: Axes | None = None) -> Axes:
    """Line of one LA's monthly starts against the average across pilot LAs.

    ``monthly``: the output of :func:`wfscc.analysis.monthly_starts` (``la_code``, ``month``,
    ``starts``); the average is the mean over LAs for each calendar month.
    """
    ax = _axes(ax)
    la = monthly[monthly["la_code"] == la_code].sort_values("month")
    avg = monthly.groupby("month")["starts"].mean().sort_index()
    ax.plot(avg.index, avg.to_numpy(), color=PALETTE[1], linestyle="--",
            label="Average of pilot areas")
    ax.plot(la["month"], la["starts"].to_numpy(dtype=float), color=PALETTE[0], label=la_code)
    ax.set_ylabel("Starts per month")
    ax.set_xlabel("Month")
    ax.legend()
    ax.set_title(f"Monthly starts: {la_code} and the pilot average")
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
    return _set_alt(ax, text)


def engagement_chart(shares: pd.DataFrame, la_code: str, ax: Axes | None = None) -> Axes:
    """Horizontal bars of engagement shares for one LA against the pilot as a whole.

    ``shares``: :func:`wfscc.analysis.engagement_shares` by ``la_code``; the pilot figure is the
    share of all starts (the count over the base, summed across LAs).
    """
    from .analysis import MEASURES

    ax = _axes(ax)
    la = shares[shares["la_code"] == la_code].set_index("measure")
    tot = shares.groupby("measure")[["count", "base"]].sum()
    pilot = tot["count"] / tot["base"]
    measures = [m for m in MEASURES if m in la.index]
    y = np.arange(len(measures))
    ax.barh(y - 0.2, la.loc[measures, "estimate"].to_numpy(float) * 100, 0.4,
            color=PALETTE[0], label=la_code)
    ax.barh(y + 0.2, pilot.loc[measures].to_numpy(float) * 100, 0.4, color=PALETTE[1],
            label="All pilot areas")
    ax.set_yticks(y, [MEASURES[m].capitalize() for m in measures])
    ax.invert_yaxis()
    ax.set_xlabel("Per cent of starts")
    ax.legend()
    ax.set_title(f"Who the pilot reached: {la_code} and all pilot areas")
    parts = [f"{MEASURES[m]}: {_pct(la.loc[m, 'estimate'])} in {la_code}, "
             f"{_pct(pilot.loc[m])} across the pilot" for m in measures
             if pd.notna(la.loc[m, "estimate"])]
    text = "Bar chart comparing the share of starts who were " + "; ".join(parts) + "."
    return _set_alt(ax, text)


def referrals_chart(quarterly: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of referrals per quarter, one colour per direction.

    ``quarterly``: :func:`wfscc.analysis.referrals_by_quarter` (``quarter``, ``direction``,
    ``referrals``).
    """
    from .analysis.partnership import DIRECTIONS

    ax = _axes(ax, size=(9, 4.5))
    labels = {"jcp_to_centre": "Jobcentre Plus to centre",
              "centre_to_jcp": "Centre to Jobcentre Plus"}
    quarters = sorted(quarterly["quarter"].unique())
    x = np.arange(len(quarters))
    for i, d in enumerate(DIRECTIONS):
        sub = quarterly[quarterly["direction"] == d].set_index("quarter").reindex(quarters)
        ax.bar(x + (i - 0.5) * 0.4, sub["referrals"].to_numpy(dtype=float), 0.4,
               color=PALETTE[i], label=labels[d])
    ax.set_xticks(x, quarters, rotation=45, ha="right")
    ax.set_ylabel("Referrals")
    ax.legend()
    ax.set_title("Referrals between Jobcentre Plus and children's centres")
    totals = quarterly.groupby("quarter")["referrals"].sum().reindex(quarters)
    text = (f"Bar chart of referrals per quarter in each direction, from {quarters[0]} to "
            f"{quarters[-1]}. Referrals rose from {hs.count(int(totals.iloc[0]))} in the first "
            f"quarter to {hs.count(int(totals.iloc[-1]))} in the last."
            if len(quarters) and totals.notna().all()
            else "Bar chart of referrals per quarter in each direction.")
    return _set_alt(ax, text)
