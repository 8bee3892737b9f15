"""The published data tables: built from the analysis, protected, written as CSV, ODS and XLSX.

Every table goes through :func:`wfscc.outputs.disclosure.protect`. Percentages are 0..100 with one
decimal place; ``[c]`` marks a suppressed cell. :func:`write_tables` writes

* ``<name>.csv`` for each table,
* ``wfscc-tables.xlsx`` (via ``gptables``: cover, contents, notes, one sheet per table) and
  ``wfscc-tables.ods`` (the same sheets, via pandas' ODF writer), with fixed timestamps inside
  the files so two writes are byte-identical,
* ``tables.json``, the manifest the privacy guard reads:
  ``{name: {"title", "csv", "count_columns", "threshold", "suppressed_cells"}}``.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
from odf.namespaces import nsdict

from .. import analysis as an
from ..contract import DEFAULT_THRESHOLD, PUBLICATION_DATE
from ..contract import style as st
from ..memo import Memo, reads
from ..textsafe import spreadsheet_frame
from ._heap import frozen_heap
from .disclosure import ProtectedTable, protect

__all__ = ["TITLES", "labelled", "percent_columns", "report_tables", "write_tables"]

#: Table name -> title, in the order the tables are published.
TITLES = {
    "takeup_by_wave_group": "Use of Jobcentre Plus services at the centre, by wave and group",
    "takeup_by_la": "Use of Jobcentre Plus services at the centre, by local authority and wave",
    "preference_by_group": "Preferred place to use Jobcentre Plus services, by group",
    "attitudes_by_wave_group": "Parents scoring 4 or 5 on confidence, aspiration and awareness",
    "engagement": "Pilot starts by engagement measure",
    "engagement_by_la": "Pilot starts by engagement measure and local authority",
    "engagement_by_quarter": "Pilot starts by engagement measure and quarter",
    "engagement_routes": "Pilot starts by route of engagement",
    "starts_by_la_quarter": "Pilot starts by local authority and quarter",
    "bedding_in_by_la": "Months to a steady level of starts, by local authority",
    "referrals_by_quarter": "Referrals between Jobcentre Plus and centres, by quarter",
    "referrals_by_service": "Referrals between Jobcentre Plus and centres, by service",
    "referral_flows_by_la": "Months to established referral flows, by local authority",
    "delivery_by_la": "Core elements delivered and their priority, by local authority",
    "delivery_by_element": "Local authorities delivering each core element",
    "outcomes": "Outcomes among pilot starts",
    "outcomes_by_la": "Outcomes among pilot starts, by local authority",
    "themes": "Interviews mentioning each theme",
    "themes_by_role": "Interviews mentioning each theme, by role of interviewee",
}

_PCT = ["percent", "lower", "upper"]


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the house labels (:mod:`wfscc.contract.style`) for its column names and
    coded values (groups, measures, directions, waves): what a reader sees beside a chart."""
    out = frame.copy()
    for col in out.columns:
        if col == "wave":
            out[col] = [st.wave_label(v) if pd.notna(v) and str(v) != st.SUPPRESSED_MARK else v
                        for v in out[col]]
        elif not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = [st.VALUE_LABELS.get(v, v) if isinstance(v, str) else v
                        for v in out[col]]
    return out.rename(columns={c: st.column_label(c) for c in out.columns})


def percent_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``estimate``, ``lower`` and ``upper`` (shares) as per cent to one decimal
    place, the estimate in a ``percent`` column: the form every published share takes."""
    out = frame.copy()
    for src, dst in (("estimate", "percent"), ("lower", "lower"), ("upper", "upper")):
        out[dst] = (out[src] * 100).round(1)
    return out


@reads("survey")
def _survey_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    s = ds.survey
    kw = {"threshold": threshold, "base_col": "respondents", "pct_cols": _PCT}
    tk = percent_columns(an.takeup(s)).rename(columns={"base": "respondents"})
    t = {"takeup_by_wave_group": protect(
        tk[["wave", "group", "respondents", *_PCT]], ["respondents"], group_totals="wave", **kw)}
    la = percent_columns(an.takeup(s, ["wave", "la_code"])).rename(columns={"base": "respondents"})
    t["takeup_by_la"] = protect(la[["la_code", "wave", "respondents", *_PCT]], ["respondents"],
                                group_totals="wave", **kw)
    pref = percent_columns(an.preference(s)).rename(columns={"base": "respondents"})
    t["preference_by_group"] = protect(pref[["group", "place", "respondents", *_PCT]], [], **kw)
    att = percent_columns(an.attitudes(s)).rename(columns={"base": "respondents"})
    t["attitudes_by_wave_group"] = protect(
        att[["measure", "wave", "group", "respondents", *_PCT]], [], **kw)
    return t


def _wide_measures(long: pd.DataFrame, key: str, names: dict[str, str]) -> pd.DataFrame:
    counts = long.pivot(index=key, columns="measure", values="count")
    base = long.groupby(key)["base"].first()
    pct = long.pivot(index=key, columns="measure", values="estimate") * 100
    out = pd.DataFrame({"starts": base})
    for m, label in names.items():
        out[label] = counts[m].astype(int)
    for m, label in names.items():
        out[f"{label}_percent"] = pct[m].round(1)
    return out.reset_index()


@reads("mi")
def _mi_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    mi = ds.mi
    names = {m: m for m in an.MEASURES}
    labels = list(names.values())
    pct_of = {f"{m}_percent": m for m in labels}
    kw = {"threshold": threshold, "base_col": "starts", "row_totals": False,
          "pct_cols": list(pct_of), "pct_of": pct_of}
    nat = percent_columns(an.engagement_shares(mi)).rename(columns={"base": "starts"})
    t = {"engagement": protect(nat[["measure", "count", "starts", *_PCT]], ["count"],
                               threshold=threshold, base_col="starts", pct_cols=_PCT,
                               pct_of={c: "count" for c in _PCT}, row_totals=False)}
    for by in ("la_code", "quarter"):
        wide = _wide_measures(an.engagement_shares(mi, by), by, names)
        t[f"engagement_by_{'la' if by == 'la_code' else by}"] = protect(wide, labels, **kw)
    routes = an.route_mix(mi)
    routes = percent_columns(routes).rename(columns={"count": "starts"})
    t["engagement_routes"] = protect(routes[["engagement_route", "starts", *_PCT]], ["starts"],
                                     threshold=threshold, pct_cols=_PCT,
                                     pct_of={c: "starts" for c in _PCT})
    # Only the two columns counted (add_derived would copy the whole MI first).
    q = an.with_derived(mi, ["la_code", "quarter"]).groupby(
        ["la_code", "quarter"]).size().unstack(fill_value=0)
    q = q.reset_index()
    q.columns.name = None
    t["starts_by_la_quarter"] = protect(q, [c for c in q.columns if c != "la_code"],
                                        threshold=threshold)
    oc = percent_columns(an.outcomes(mi)).rename(columns={"base": "starts"})
    oc["median_days"] = oc["median_days"].round(0)
    t["outcomes"] = protect(oc[["outcome", "count", "starts", *_PCT, "median_days"]], ["count"],
                            threshold=threshold, base_col="starts",
                            pct_cols=[*_PCT, "median_days"],
                            pct_of={c: "count" for c in [*_PCT, "median_days"]},
                            row_totals=False)
    ocl = an.outcomes(mi, "la_code").rename(columns={"outcome": "measure"})
    wide = _wide_measures(ocl, "la_code", {o: o for o in an.OUTCOMES})
    olabels = list(an.OUTCOMES)
    opct = {f"{m}_percent": m for m in olabels}
    t["outcomes_by_la"] = protect(wide, olabels, threshold=threshold, base_col="starts",
                                  row_totals=False, pct_cols=list(opct), pct_of=opct)
    return t


@reads("mi", "areas")
def _bedding_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    b = an.bedding_in(ds.mi, ds.areas)
    b = b.assign(pilot_start=pd.to_datetime(b["pilot_start"]).dt.strftime("%Y-%m"))
    return {"bedding_in_by_la": protect(b[["la_code", "pilot_start", "months_to_steady"]], [],
                                        threshold=threshold)}


@reads("referrals", "areas")
def _referral_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    t: dict[str, ProtectedTable] = {}
    rq = an.referrals_by_quarter(ds.referrals).pivot(
        index="quarter", columns="direction", values="referrals")
    rq = rq[list(an.partnership.DIRECTIONS)].reset_index()
    rq.columns.name = None
    t["referrals_by_quarter"] = protect(rq, list(an.partnership.DIRECTIONS), threshold=threshold)
    rs = an.referrals_by_service(ds.referrals).pivot(
        index="service", columns="direction", values="referrals")
    rs = rs[list(an.partnership.DIRECTIONS)].reset_index()
    rs.columns.name = None
    t["referrals_by_service"] = protect(rs, list(an.partnership.DIRECTIONS), threshold=threshold)
    rf = an.referral_flows(ds.referrals, ds.areas)
    t["referral_flows_by_la"] = protect(
        rf[["la_code", "months_to_steady"]].rename(
            columns={"months_to_steady": "months_to_established"}), [], threshold=threshold)
    return t


@reads("delivery")
def _delivery_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    t: dict[str, ProtectedTable] = {}
    dl = an.delivery_by_la(ds.delivery)
    for c in dl.columns:
        if c.startswith("delivered_") or c == "all_five":
            dl[c] = dl[c].map({True: "Yes", False: "No"})
    t["delivery_by_la"] = protect(dl, [], threshold=threshold)
    de = an.delivery_by_element(ds.delivery)
    de["mean_priority"] = de["mean_priority"].round(1)
    t["delivery_by_element"] = protect(de, [], threshold=threshold)
    return t


@reads("interviews")
def _theme_tables(ds, threshold: int) -> dict[str, ProtectedTable]:
    t: dict[str, ProtectedTable] = {}
    th = an.theme_frequencies(ds.interviews).rename(columns={"count": "interviews"})
    th["percent"] = (th["share"] * 100).round(1)
    t["themes"] = protect(th[["theme", "interviews", "base", "percent"]], ["interviews"],
                          threshold=threshold, base_col="base", pct_cols=["percent"],
                          pct_of={"percent": "interviews"}, row_totals=False,
                          unit="interviews")
    tr = an.theme_frequencies(ds.interviews, "role").pivot(
        index="theme", columns="role", values="count").reset_index()
    tr.columns.name = None
    roles = [c for c in tr.columns if c != "theme"]
    # An interview can mention many themes, so neither rows nor columns add up to a total.
    t["themes_by_role"] = protect(tr, roles, threshold=threshold, row_totals=False,
                                  col_totals=False, unit="interviews")
    return t


#: The groups of tables, each marked with the input tables it reads (:func:`wfscc.memo.reads`):
#: a group is given only those (:func:`report_tables`), so a store keeps it for as long as they
#: do not change.
GROUPS = (_survey_tables, _mi_tables, _bedding_tables, _referral_tables, _delivery_tables,
          _theme_tables)


@frozen_heap()
def report_tables(dataset, *, threshold: int = DEFAULT_THRESHOLD,
                  store: Memo | None = None) -> dict[str, ProtectedTable]:
    """Every table the report publishes, each passed through :func:`protect`. With a
    ``store`` (:class:`wfscc.memo.Memo`), a group of :data:`GROUPS` whose input tables,
    threshold and code are unchanged is taken from it."""
    tables: dict[str, ProtectedTable] = {}
    store = store if store is not None else Memo(None)
    for make in GROUPS:
        tables.update(store.made_from("report-tables", make, dataset, threshold))
    return {name: tables[name] for name in TITLES}


FIXED_TIME = PUBLICATION_DATE
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_COVER = {
    "title": "Work-Focused Services in Children's Centres: data tables",
    "intro": "Tables behind the rebuilt evaluation report (DWP Research Report 772). All data in "
             "this release are synthetic.",
}


def _about(threshold: int) -> str:
    """The cover's note on disclosure control, for the threshold the tables were protected with."""
    if threshold <= 1:
        return "No counts are suppressed. Percentages are weighted for the survey tables."
    return (f"{st.suppressed_note(threshold)} Further cells are withheld so that they cannot "
            "be worked out from totals. Percentages are weighted for the survey tables.")


def _normalise_zip(path: Path) -> None:
    """Rewrite a zip-based document with fixed entry times and metadata dates."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S")
    with zipfile.ZipFile(buf, "w") as zout:
        for info, data in entries:
            if info.filename in ("meta.xml", "docProps/core.xml"):
                text = data.decode("utf-8")
                text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?", stamp + "Z", text)
                text = re.sub(r"<meta:editing-duration>[^<]*</meta:editing-duration>", "", text)
                data = text.encode("utf-8")
            if info.filename.endswith(".xml"):
                data = _sort_root_attributes(data)
            new = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            new.compress_type = info.compress_type
            new.external_attr = 0o644 << 16
            zout.writestr(new, data)
    path.write_bytes(buf.getvalue())


_ROOT = re.compile(rb"(<\?xml[^>]*\?>\s*<)([\w:.-]+)((?:\s+[\w:.-]+=\"[^\"]*\")*)(\s*/?>)")


def _sort_root_attributes(data: bytes) -> bytes:
    """Canonicalise the root element's attributes of an ODF part.

    odfpy declares only the namespaces used so far *in this process* (its state is global), in
    set order, so the same document can come out differently. Declare every ODF namespace, sorted,
    whenever the root declares any: unused declarations are harmless.
    """
    m = _ROOT.match(data)
    if not m:
        return data
    attrs = re.findall(rb'([\w:.-]+)="([^"]*)"', m.group(3))
    plain = sorted(f'{k.decode()}="{v.decode()}"' for k, v in attrs if not k.startswith(b"xmlns"))
    ns = {k.decode(): v.decode() for k, v in attrs if k.startswith(b"xmlns")}
    if ns:
        ns.update({f"xmlns:{prefix}": uri for uri, prefix in nsdict.items()})
    decl = sorted(f'{k}="{v}"' for k, v in ns.items())
    body = "".join(" " + a for a in [*plain, *decl]).encode()
    return m.group(1) + m.group(2) + body + m.group(4) + data[m.end():]


def _notes(threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    return pd.DataFrame({
        "Note number": ["note1", "note2"],
        "Note text": [
            st.suppressed_note(threshold),
            "lower and upper are the bounds of a 95 per cent confidence interval.",
        ],
    })


def _write_xlsx(published: dict[str, pd.DataFrame], path: Path, about: str,
                threshold: int = DEFAULT_THRESHOLD) -> None:
    # on use: 90 ms to import after pandas and seaborn (python -X importtime); the notebook
    # kernels import this module (wfscc.notebook.display) and never write a workbook
    import gptables as gpt

    sheets = {
        name[:31]: gpt.GPTable(table=frame, table_name=name, title=TITLES.get(name, name),
                               source="Work-Focused Services in Children's Centres pilot data",
                               instructions="This worksheet contains one table.")
        for name, frame in published.items()
    }
    cover = gpt.Cover(cover_label="Cover", title=_COVER["title"], intro=[_COVER["intro"]],
                      about=[about])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # in memory: xlsxwriter otherwise writes each part to a temporary file and deletes it
        # (a third of the workbook's time); _normalise_zip gives the parts fixed entry times
        wb = gpt.produce_workbook(str(path), sheets, cover=cover, notes_table=_notes(threshold),
                                  workbook_options={"in_memory": True})
        wb.set_properties({"title": _COVER["title"], "author": "wfscc", "created": FIXED_TIME})
        wb.close()
    _normalise_zip(path)


def _write_ods(published: dict[str, pd.DataFrame], path: Path, about: str,
               threshold: int = DEFAULT_THRESHOLD) -> None:
    contents = pd.DataFrame({"Sheet name": [n[:31] for n in published],
                             "Table description": [TITLES.get(n, n) for n in published]})
    cover = pd.DataFrame({_COVER["title"]: [_COVER["intro"], about]})
    with pd.ExcelWriter(path, engine="odf") as writer:
        cover.to_excel(writer, sheet_name="Cover", index=False)
        contents.to_excel(writer, sheet_name="Contents", index=False)
        _notes(threshold).to_excel(writer, sheet_name="Notes", index=False)
        for name, frame in published.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    _normalise_zip(path)


@frozen_heap()
def write_tables(tables: dict[str, ProtectedTable], out_dir: Path | str) -> dict[str, Path]:
    """Write each table as CSV, the ODS and XLSX workbooks, and the ``tables.json`` manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # No text cell may start a formula in a spreadsheet (OWASP, CSV injection).
    published = {name: spreadsheet_frame(pt.to_published()) for name, pt in tables.items()}
    manifest = {}
    paths: dict[str, Path] = {}
    for name, pt in tables.items():
        csv = out / f"{name}.csv"
        published[name].to_csv(csv, index=False, lineterminator="\n")
        paths[name] = csv
        manifest[name] = {"title": TITLES.get(name, name), "csv": csv.name,
                          "count_columns": list(pt.count_cols), "threshold": pt.threshold,
                          "suppressed_cells": pt.suppressed_cells}
    paths["xlsx"] = out / "wfscc-tables.xlsx"
    threshold = max((pt.threshold for pt in tables.values()), default=DEFAULT_THRESHOLD)
    about = _about(threshold)
    _write_xlsx(published, paths["xlsx"], about, threshold)
    paths["ods"] = out / "wfscc-tables.ods"
    _write_ods(published, paths["ods"], about, threshold)
    paths["manifest"] = out / "tables.json"
    paths["manifest"].write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")
    return paths
