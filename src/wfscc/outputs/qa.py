"""The build's quality-assurance log, as Markdown for ``report/_qa-log.qmd``.

:func:`qa_log` records, for one build: the tables validated (rows, problems), the cells each
published table lost to disclosure control, the claims check (every claim, the facts and
condition behind it and the wording chosen), the assumptions behind the synthetic data (from
``data/calibration.yml``), and the facts computed.

The output is deterministic (same inputs, same text: no times, no absolute paths) and uses only
the ``.qmd`` subset both render engines support: level-three headings (the log is included under
the technical annex's "Quality assurance log" section), paragraphs, lists and pipe tables. Unlike
the narrative, it may contain numerals: they are read from the build, not typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from ..config import YAML_LOADER
from ..contract import ATTRIBUTES
from ..errors import WfsccError
from ..facts import Claim, claims_from_facts
from ..memo import Memo
from ._heap import frozen_heap
from .disclosure import ProtectedTable

__all__ = ["DATA_TABLES", "qa_log"]

#: The dataset's tables, in the order of the data contract.
DATA_TABLES = ATTRIBUTES

_FILE_STEMS = {"mi": "mi_starts"}


def _cell(value: object) -> str:
    """Text safe inside a pipe-table cell (and free of raw HTML)."""
    text = " ".join(str(value).split())
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _table(header: Sequence[str], rows: Sequence[Sequence[object]],
           align: Sequence[str] | None = None) -> list[str]:
    align = align or ["l"] * len(header)
    rule = {"l": ":---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "|".join(rule[a] for a in align) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _n(n: int) -> str:
    return f"{int(n):,}"


def _validation(dataset) -> list[str]:
    sources = getattr(dataset, "source_files", None) or {}
    rows = []
    for name in DATA_TABLES:
        frame = getattr(dataset, name)
        src = sources.get(name) or sources.get(_FILE_STEMS.get(name, name))
        rows.append([name, Path(src).name if src else "", _n(len(frame)),
                     _n(len(frame.columns)), "none"])
    total = sum(len(getattr(dataset, n)) for n in DATA_TABLES)
    return [
        "### Data validation", "",
        f"Every table was checked against its schema before anything was calculated. "
        f"{len(DATA_TABLES)} tables, {_n(total)} rows in all; problems found: none.", "",
        *_table(["Table", "File", "Rows", "Columns", "Problems found"], rows,
                ["l", "l", "r", "r", "l"]),
    ]


def _disclosure(tables: Mapping[str, ProtectedTable]) -> list[str]:
    out = ["### Disclosure control", ""]
    if not tables:
        return [*out, "No tables were published in this build."]
    thresholds = sorted({pt.threshold for pt in tables.values()})
    roundings = sorted({pt.rounding for pt in tables.values() if pt.rounding})
    limit = " or ".join(str(t) for t in thresholds)
    out += [
        f"Every published table passed through the one disclosure-control function. Counts "
        f"below {limit} (other than zero) were suppressed (primary); further cells were "
        f"suppressed so that none can be worked out from totals (secondary); percentages on a "
        f"base below {limit}, or whose count was suppressed, were suppressed too (base).",
        "",
    ]
    if roundings:
        out += [f"Published counts were rounded to the nearest {', '.join(map(str, roundings))}.",
                ""]
    rows = [[name, _n(pt.primary), _n(pt.secondary), _n(pt.pct_suppressed),
             _n(pt.suppressed_cells)] for name, pt in tables.items()]
    totals = [sum(pt.primary for pt in tables.values()),
              sum(pt.secondary for pt in tables.values()),
              sum(pt.pct_suppressed for pt in tables.values())]
    rows.append(["All tables", *(_n(t) for t in totals), _n(sum(totals))])
    out += _table(["Table", "Primary", "Secondary", "Base", "Cells suppressed"], rows,
                  ["l", "r", "r", "r", "r"])
    return out


def _claims(claims: Sequence[Claim]) -> list[str]:
    out = ["### Claims check", ""]
    if not claims:
        raise WfsccError("The build made no claims: the facts behind the report's findings are "
                         "missing, so its words cannot be chosen from the data. Check that the "
                         "survey, MI and interview tables have rows.")
    what = "claim" if len(claims) == 1 else "claims"
    out += [f"{len(claims)} {what} of the report were worded from the data by the wording rules "
            "of the technical annex. Each is listed with the facts it rests on, the condition "
            "that held and the rule that chose its words.", ""]
    rows = [[f"`{c.name}`", c.text, ", ".join(f"`{n}`" for n in c.facts), c.condition, c.rule]
            for c in claims]
    return out + _table(["Claim", "Words", "Facts", "Condition", "Rule"], rows)


def _value(entry: Mapping) -> str:
    value = entry.get("achieved", entry.get("target"))
    if value is None:
        return ""
    unit = str(entry.get("unit") or "")
    if isinstance(value, float):
        value = f"{value:,.10g}"
    elif isinstance(value, int):
        value = _n(value)
    if unit in ("per cent", "months", "score points"):
        return f"{value} {unit}"
    return str(value)


def _assumptions(calibration_file: Path | None, store: Memo | None = None) -> list[str]:
    """The "Assumptions" section; with a ``store``, taken from it for a calibration file of the
    same name and bytes (reading its YAML takes a fifth of a second)."""
    if (store is None or not store.enabled or calibration_file is None
            or not Path(calibration_file).is_file()):
        return _assumptions_of(calibration_file)
    path = Path(calibration_file)
    key = store.inputs_key("qa-assumptions", path.name, path.read_bytes())
    return store.value("qa-assumptions", key, lambda: _assumptions_of(path))


def _assumptions_of(calibration_file: Path | None) -> list[str]:
    out = ["### Assumptions", ""]
    if calibration_file is None or not Path(calibration_file).is_file():
        return [*out, "No calibration file was supplied, so no assumptions are listed."]
    try:
        text = Path(calibration_file).read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise WfsccError(f"{calibration_file}: not valid YAML ({exc}); fix the file.") from exc
    entries = [e for e in doc.get("entries", []) if isinstance(e, Mapping) and e.get("assumption")]
    if not entries:
        return [*out, "The calibration file records no assumptions."]
    out += [f"Where the published report gives no figure, the synthetic data rest on an "
            f"assumption. {len(entries)} assumptions are recorded in "
            f"`{Path(calibration_file).name}`:", ""]
    rows = [[e.get("description", e.get("id", "")), _value(e), e.get("reason", "")]
            for e in entries]
    return out + _table(["Assumption", "Value", "Reason"], rows, ["l", "r", "l"])


def _facts(facts: Sequence) -> list[str]:
    by = Counter(f.source.rsplit(".", 1)[0] for f in facts)  # the module of each function
    rows = [[f"`{src}`", _n(n)] for src, n in sorted(by.items())]
    withheld = sum(1 for f in facts if getattr(f, "suppressed", False))
    were = "was" if withheld == 1 else "were"
    note = (f" {_n(withheld)} of them {were} withheld by disclosure control: the text reads "
            "\"fewer than\" the threshold or \"not shown (too few)\", and `facts.json` holds no "
            "value for them." if withheld else "")
    return ["### Facts", "",
            f"The build computed {_n(len(facts))} named facts; every number in the text is one "
            f"of them.{note}", "",
            *_table(["Computed by", "Facts"], rows, ["l", "r"])]


@frozen_heap()
def qa_log(dataset, tables: Mapping[str, ProtectedTable], facts: Sequence,
           calibration_file: Path | None, claims: Sequence[Claim] | None = None,
           store: Memo | None = None) -> str:
    """The quality-assurance log of a build, as Markdown (see the module docstring).

    dataset: the validated :class:`wfscc.data.Dataset`.
    tables: the published tables (:func:`wfscc.outputs.tables.report_tables`), in publishing order.
    facts: the :class:`wfscc.facts.Fact` list the build wrote.
    calibration_file: ``data/calibration.yml`` (or None): entries with ``assumption: true``
        are listed with their value and reason.
    claims: the :class:`wfscc.facts.Claim` list; when None, made from ``facts``
        (:func:`wfscc.facts.claims_from_facts`). A build with no claims is an error.
    store: the build's :class:`wfscc.memo.Memo`, which keeps the assumptions read from the
        calibration file.
    """
    if claims is None:
        claims = claims_from_facts(facts)
    parts = [_validation(dataset), _disclosure(tables), _claims(list(claims)),
             _assumptions(calibration_file, store), _facts(list(facts))]
    return "\n\n".join("\n".join(p) for p in parts) + "\n"
