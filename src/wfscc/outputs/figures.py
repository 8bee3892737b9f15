"""The report's charts: drawn from the data, saved as deterministic SVG, each with alt text and
the disclosure-protected table behind it.

:func:`report_figures` writes ``report/figures/<name>.svg`` under the (staged) project and
returns a :class:`Figure` per chart; :func:`figure_facts` turns their alt texts into
``fig_alt_<name>`` facts, so a chapter shows a chart with::

    ![Caption](figures/<name>.svg){#fig-<name> fig-alt="{{< var fig_alt_<name> >}}"
    wfscc-data="figures/<name>.csv"}

(:attr:`Figure.markdown` gives that line); :func:`report_facts` adds them to the facts of
the data (:func:`wfscc.facts.compute_facts`), which the build publishes. Every chart is drawn
from the same figures as its protected table: a cell suppressed in the table is marked ``[c]``
in the chart, and the alt text says so. The tables are for the build to publish beside the
charts (``Show the data``), with the chart's labels as headers (:meth:`Figure.shown_data`).

House style (``docs/style.md``): the caption is the chart's one title (nothing is written
above the plot inside the image); charts are drawn at the report's printed width, and the
Research Summary's charts (:data:`SUMMARY`) again at its column width as
``<name>-summary.svg``, so no text prints below 8 pt. Under each figure the chapter shows
``fig_note_<name>`` (:func:`figure_facts`): what the error bars are, what ``[c]`` means when
a value is withheld, then a "Base:" and a "Source:" line.

=================  =====================================================  ==================
name               chart                                                  chapter
=================  =====================================================  ==================
``takeup``         take-up by wave, pilot and comparison, 95% intervals   7 and the summary
``composition``    make-up of starts, all pilot areas and each area       5 and the summary
``starts``         starts per quarter by area, month of a steady level    6
``referrals``      referrals per quarter, each direction                  4
``priorities``     priority ranking of the core elements by area          2
``attitudes``      confidence, aspiration, awareness by wave (pilot)      7
=================  =====================================================  ==================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from .. import analysis as an
from .. import housestyle as hs
from ..contract import DEFAULT_THRESHOLD, ELEMENT_LABELS, PILOT_END, PILOT_START
from ..contract import style as st
from ..facts import Fact, compute_facts, sorted_unique
from ..memo import Memo, code_hash, digest, reads
from ._captions import CAPTIONS, MANY_CAPTIONS, caption
from ._heap import frozen_heap
from .disclosure import ProtectedTable, protect
from .tables import labelled, percent_columns

__all__ = ["CAPTIONS", "MANY_CAPTIONS", "SUMMARY", "Figure", "caption", "draw_figures",
           "figure_facts", "report_facts", "report_figures"]

FIGURE_DIR = Path("report") / "figures"
#: Charts the Research Summary shows, drawn again at its column width (``<name>-summary.svg``).
SUMMARY = ("composition", "takeup")
#: Figure name -> (kind of data for the Source line, whether the chart has error bars).
_KIND = {"priorities": ("delivery", False), "referrals": ("referrals", False),
         "composition": ("mi", False), "starts": ("mi", False), "takeup": ("survey", True),
         "attitudes": ("survey", True)}
_PCT = ["percent", "lower", "upper"]
_SHORT = ELEMENT_LABELS["chart"]
_WORDS = ELEMENT_LABELS["prose"]


@dataclass(frozen=True)
class Figure:
    """One chart of the report: where it was written, its alt text, and its data."""

    name: str
    path: Path | None  # the SVG written (None when only drawn)
    alt: str
    caption: str
    data: ProtectedTable
    note: str = ""  # error bars and [c] (fig_note_<name>)
    base: str = ""  # who or what the figures count (fig_base_<name>, "Base: ...")
    source: str = ""  # where the data come from (fig_source_<name>, "Source: ...")

    @property
    def lines(self) -> str:
        """Everything under the figure: note, "Base:" and "Source:" lines."""
        return " ".join(x for x in (self.note, st.base_line(self.base),
                                    f"Source: {self.source}.") if x)

    @property
    def relpath(self) -> Path:
        """The SVG's path relative to the project root."""
        return FIGURE_DIR / f"{self.name}.svg"

    def shown_data(self) -> pd.DataFrame:
        """The protected data as published beside the chart ("Show the data"): suppressed
        cells ``[c]``, codes and column names replaced by the chart's labels."""
        return labelled(self.data.to_published())

    @property
    def markdown(self) -> str:
        """The line a chapter (in ``report/``) uses to show the figure: a caption that
        depends on the form drawn (:data:`MANY_CAPTIONS`) is cited as ``fig_caption_<name>``."""
        caption = (f"{{{{< var fig_caption_{self.name} >}}}}" if self.name in MANY_CAPTIONS
                   else self.caption)
        return (f"![{caption}](figures/{self.name}.svg){{#fig-{self.name} "
                f'fig-alt="{{{{< var fig_alt_{self.name} >}}}}" '
                f'wfscc-data="figures/{self.name}.csv"}}')


def _note(name: str, table: ProtectedTable, threshold: int) -> str:
    """The note under a figure: what the error bars are and what ``[c]`` means, the
    sentences that apply ("No value in this figure is withheld." when neither does)."""
    lines = []
    if _KIND[name][1]:
        lines.append(st.error_bar_note())
    if table.suppressed_cells or table.frame.isna().to_numpy().any():
        lines.append(st.suppressed_note(threshold))
    return " ".join(lines) or "No value in this figure is withheld."


def _total(values) -> str:
    """The sum of published counts, or ``[c]`` when one of them is withheld (a sum of the
    others would misstate the base, and could reveal the withheld count)."""
    v = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")
    return st.SUPPRESSED_MARK if v.isna().any() else hs.count(int(v.sum()))


def _base(name: str, frame: pd.DataFrame) -> str:
    if name == "takeup":
        w = frame.groupby("wave")["respondents"].apply(_total)
        return ("centre users surveyed in pilot and comparison areas: "
                + " and ".join(f"{w[k]} at {st.wave_words(k)}" for k in w.index))
    if name == "attitudes":
        w = frame.drop_duplicates("wave").set_index("wave")["respondents"]
        return ("centre users surveyed in pilot areas: "
                + " and ".join(f"{_total([w[k]])} at {st.wave_words(k)}" for k in w.index))
    if name == "composition":
        starts = _total(frame["starts"][:1])
        return f"pilot starts recorded in the management information ({starts})"
    if name == "starts":
        return f"pilot starts in the {hs.spelled(len(frame))} pilot areas"
    if name == "referrals":
        return "referrals recorded between Jobcentre Plus and children's centres in pilot areas"
    return f"the {hs.spelled(len(frame))} pilot areas"


def _hide(frame: pd.DataFrame, table: ProtectedTable, col: str = "percent") -> pd.DataFrame:
    """``frame`` (aligned row by row with ``table``) with estimates blanked where ``table``
    suppressed ``col``."""
    out = frame.reset_index(drop=True).copy()
    hidden = table.frame[col].isna().to_numpy()
    for c in ("estimate", "lower", "upper"):
        if c in out:
            out.loc[hidden, c] = float("nan")
    return out


@reads("survey")
def _takeup(ds, threshold: int):
    tk = an.takeup(ds.survey).sort_values(["wave", "group"], ignore_index=True)
    pub = percent_columns(tk).rename(columns={"base": "respondents"})
    table = protect(pub[["wave", "group", "respondents", *_PCT]], ["respondents"],
                    threshold=threshold, base_col="respondents", pct_cols=_PCT,
                    group_totals="wave")
    return ("takeup_chart", _hide(tk, table)), table


@reads("mi")
def _composition(ds, threshold: int):
    mi = ds.mi
    nat = an.engagement_shares(mi).assign(area="All pilot areas")
    by_la = an.engagement_shares(mi, "la_code").rename(columns={"la_code": "area"})
    long = pd.concat([nat, by_la], ignore_index=True)
    areas = list(dict.fromkeys(long["area"]))
    wide = pd.DataFrame({"area": areas})
    wide["starts"] = long.groupby("area")["base"].first().reindex(areas).to_numpy()
    for m in an.MEASURES:
        sel = long[long["measure"] == m].set_index("area").reindex(areas)
        wide[m] = sel["count"].to_numpy()
    for m in an.MEASURES:
        sel = long[long["measure"] == m].set_index("area").reindex(areas)
        wide[f"{m}_percent"] = (sel["estimate"] * 100).round(1).to_numpy()
    pct_of = {f"{m}_percent": m for m in an.MEASURES}
    table = protect(wide, list(an.MEASURES), threshold=threshold, base_col="starts",
                    pct_cols=list(pct_of), pct_of=pct_of, row_totals=False,
                    total_row=("area", "All pilot areas"))
    hidden = table.frame.set_index("area")
    long["estimate"] = [float("nan") if pd.isna(hidden.loc[a, f"{m}_percent"]) else e
                        for a, m, e in zip(long["area"], long["measure"], long["estimate"],
                                           strict=True)]
    return ("composition_chart", long[["area", "measure", "estimate"]]), table


@reads("mi", "areas")
def _starts(ds, threshold: int):
    quarters = list(an.quarter_label(pd.Series(pd.date_range(PILOT_START, PILOT_END, freq="QS"))))
    pilot = sorted(ds.areas.loc[ds.areas["group"] == "pilot", "la_code"])
    q = (an.add_derived(ds.mi).groupby(["la_code", "quarter"]).size().unstack(fill_value=0)
         .reindex(index=pilot, columns=quarters, fill_value=0))
    b = an.bedding_in(ds.mi, ds.areas).set_index("la_code").reindex(pilot)
    wide = q.reset_index()
    wide.columns.name = None
    wide.insert(1, "steady_month", pd.to_datetime(b["steady_month"]).dt.strftime("%Y-%m")
                .fillna("not reached").to_numpy())
    table = protect(wide, quarters, threshold=threshold)
    long = table.frame.melt(id_vars=["la_code"], value_vars=quarters, var_name="quarter",
                            value_name="starts")
    long["starts"] = long["starts"].astype("Float64").astype(float)
    year, qn = long["quarter"].str[:4].astype(int), long["quarter"].str[-1].astype(int)
    long["quarter_start"] = pd.to_datetime(dict(year=year, month=3 * qn - 2, day=1))
    steady = b.reset_index()[["la_code", "steady_month"]]
    return ("bedding_in_chart", long, steady), table


@reads("referrals")
def _referrals(ds, threshold: int):
    directions = list(an.partnership.DIRECTIONS)
    rq = an.referrals_by_quarter(ds.referrals).pivot(
        index="quarter", columns="direction", values="referrals")[directions].reset_index()
    rq.columns.name = None
    table = protect(rq, directions, threshold=threshold)
    long = table.frame.melt(id_vars=["quarter"], value_vars=directions, var_name="direction",
                            value_name="referrals")
    long["referrals"] = long["referrals"].astype("Float64").astype(float)
    return ("referrals_chart", long), table


@reads("delivery", "areas")
def _priorities(ds, threshold: int):
    dv = ds.delivery[ds.delivery["la_code"].isin(
        ds.areas.loc[ds.areas["group"] == "pilot", "la_code"])]
    wide = dv.pivot(index="la_code", columns="element", values="priority")
    wide = wide.reindex(columns=[e for e in an.ELEMENTS if e in wide.columns]).reset_index()
    wide.columns.name = None
    table = protect(wide, [], threshold=threshold)
    return ("priority_chart", dv, _SHORT, _WORDS), table


@reads("survey")
def _attitudes(ds, threshold: int):
    att = an.attitudes(ds.survey[ds.survey["group"] == "pilot"], by="wave")
    att = att.assign(group="pilot").reset_index(drop=True)
    pub = percent_columns(att).rename(columns={"base": "respondents"})
    table = protect(pub[["measure", "wave", "respondents", *_PCT]], [], threshold=threshold,
                    base_col="respondents", pct_cols=_PCT)
    return ("attitudes_chart", _hide(att, table)), table


#: Figure name -> the function making its chart's data and protected table, marked with the
#: input tables it reads (:func:`wfscc.memo.reads`): it is given only those, so a store keeps
#: both for as long as they do not change.
_DRAW = {"priorities": _priorities, "referrals": _referrals, "composition": _composition,
         "starts": _starts, "takeup": _takeup, "attitudes": _attitudes}


#: A chart to draw: the name of a :mod:`wfscc.outputs.charts` helper and the frames and labels
#: it takes.
Plot = tuple


def _chart_data(name: str, dataset, threshold: int, store: Memo | None):
    """``(plot, table, plot_digest)`` of chart ``name``: made from its input tables alone, or
    taken from ``store`` when they, the threshold and the code are unchanged. ``plot_digest``
    (:func:`wfscc.memo.digest` of the plot) keys its pictures, so it is kept with it."""
    return (store if store is not None else Memo(None)).made_from(
        "chart-data", _DRAW[name], dataset, threshold, run=_with_digest)


def _with_digest(make, tables, threshold: int):
    plot, table = make(tables, threshold)
    return plot, table, digest(plot)


def _draw(plot: Plot, size=None):
    """Draw ``plot`` with its :mod:`wfscc.outputs.charts` helper (at ``size`` inches, default the
    report's printed width); return the Axes."""
    # Matplotlib takes 0.45 to 0.7 s to import (python -X importtime): loaded only to draw
    from ._draw import draw

    return draw(plot, size)


@cache
def _matplotlib_version() -> str:
    """Matplotlib's version, read from its installed metadata, without importing it (once a
    process: 3 ms a read, which every chart's key took)."""
    return metadata.version("matplotlib")


def _summary_size(name: str) -> tuple[float, float]:
    """A Research Summary chart's size: its column's width, a height that fits the column."""
    return (st.SUMMARY_WIDTH_IN, 3.6 if name == "composition" else 2.6)


def _chart_key(name: str, plot: Plot, threshold: int, variant: str = "",
               plot_digest: str | None = None, code: str | None = None) -> str:
    """Everything that decides a chart's SVG: its data (``plot``, or its ``plot_digest`` when
    known), the disclosure threshold its data was protected with, the package code,
    Matplotlib's version (``code``: :func:`wfscc.memo.code_hash`, when known)."""
    data = ("plot", plot_digest) if plot_digest is not None else plot
    return digest("figure", name, variant, CAPTIONS[name], data, threshold, code or code_hash(),
                  _matplotlib_version())


def _drawn_svg(name: str, plot: Plot, path: Path | None, threshold: int,
               store: Memo | None, size=None, plot_digest: str | None = None) -> str:
    """Draw (or copy from ``store``) one chart, save it to ``path`` when given; its alt text."""
    variant = "summary" if size else ""
    key = (_chart_key(name, plot, threshold, variant, plot_digest,
                      store.once("code", code_hash))
           if store is not None and path is not None else None)
    kept = store.get("figures", key) if key else None
    alt, _, svg = (kept or b"").partition(b"\0")
    if svg:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(svg)
        return alt.decode("utf-8")
    # on a miss only: Matplotlib takes 0.45 to 0.7 s to import (python -X importtime), which a
    # rebuild whose charts are all in the store does not pay
    from ._draw import finish, style

    style()
    alt, drawn = finish(_draw(plot, size), path)
    if key and drawn is not None:
        store.put("figures", key, alt.encode("utf-8") + b"\0" + drawn)
    return alt


@frozen_heap()
def draw_figures(dataset, *, threshold: int = DEFAULT_THRESHOLD,
                 out_dir: Path | str | None = None,
                 store: Memo | None = None) -> dict[str, Figure]:
    """Draw every chart; with ``out_dir`` (the project root) also save each as
    ``out_dir/report/figures/<name>.svg`` (and the :data:`SUMMARY` charts again as
    ``<name>-summary.svg``, at the summary's column width). Figures are closed after use.

    With a ``store`` (:class:`wfscc.memo.Memo`), a chart whose data, code and Matplotlib
    version are unchanged is copied from it instead of drawn again (``out_dir`` is then needed).
    """
    out: dict[str, Figure] = {}
    for name in CAPTIONS:
        plot, table, plot_digest = _chart_data(name, dataset, threshold, store)
        path = None if out_dir is None else Path(out_dir) / FIGURE_DIR / f"{name}.svg"
        alt = _drawn_svg(name, plot, path, threshold, store, plot_digest=plot_digest)
        if name in SUMMARY and path is not None:
            _drawn_svg(name, plot, path.with_name(f"{name}-summary.svg"), threshold, store,
                       _summary_size(name), plot_digest)
        out[name] = Figure(name, path, alt, caption(name, table), table,
                           _note(name, table, threshold),
                           _base(name, table.frame), st.SOURCES[_KIND[name][0]])
    return out


def report_figures(dataset, out_dir: Path | str, *, threshold: int = DEFAULT_THRESHOLD,
                   store: Memo | None = None) -> dict[str, Figure]:
    """Write the report's charts as ``report/figures/<name>.svg`` under ``out_dir`` (the staged
    project root); return name -> :class:`Figure` (path, alt text, caption, protected data).
    ``store``: reuse charts drawn before from the same data (see :func:`draw_figures`)."""
    return draw_figures(dataset, threshold=threshold, out_dir=out_dir, store=store)


def figure_facts(figures: Mapping[str, Figure]) -> list[Fact]:
    """``fig_alt_<name>`` facts holding each chart's alt text, and the lines under it:
    ``fig_note_<name>`` (error bars, ``[c]``), ``fig_base_<name>``, ``fig_source_<name>``;
    sorted by name. A chapter shows them under the figure as ``Note: ...``, ``Base: ...``,
    ``Source: ...``."""
    facts = []
    for name, fig in figures.items():
        src = f"wfscc.outputs.figures._{name}"
        shown = fig.caption if name in MANY_CAPTIONS else ""
        for kind, text in (("alt", fig.alt), ("caption", shown), ("note", fig.note),
                           ("base", fig.base), ("source", fig.source)):
            if text:
                facts.append(Fact(f"fig_{kind}_{name}", text, None, text, src))
    return sorted(facts, key=lambda f: f.name)


@frozen_heap()
def report_facts(dataset, *, threshold: int = DEFAULT_THRESHOLD,
                 figures: Mapping[str, Figure] | None = None,
                 store: Memo | None = None) -> list[Fact]:
    """Every fact the report cites, sorted by name: the facts of the data
    (:func:`wfscc.facts.compute_facts`) and the charts' facts (:func:`figure_facts`) of
    ``figures``, the charts the build drew (when None they are drawn, not saved, to get them).
    ``store``: reuse the groups of facts made before from the same tables."""
    if figures is None:
        figures = draw_figures(dataset, threshold=threshold)
    return sorted_unique([*compute_facts(dataset, threshold=threshold, store=store),
                          *figure_facts(figures)])
