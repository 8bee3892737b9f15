"""The "Changes since the previous build" page, in a plain Markdown subset.

Only headings, paragraphs, lists and pipe tables: no raw HTML, no shortcodes, no attributes,
so the page is valid input for both render engines and passes the `.qmd` subset check. Text
taken from the builds is escaped: Markdown punctuation with a backslash, and ``{``, ``}`` and
``@`` as character references so that nothing can become a shortcode, attribute or
cross-reference.
"""

from __future__ import annotations

from ..housestyle import count
from ._model import ADDED, REMOVED, TITLE, BuildDiff, FactChange, TableChange

_WIDTH = 160  # longest cell or sample line shown
_ESCAPE = {c: "\\" + c for c in "\\`*_[]<>#|$^~&"}
_ESCAPE.update({"{": "&#123;", "}": "&#125;", "@": "&#64;"})


def md(text: object) -> str:
    """``text`` on one line, shortened to a readable width, with Markdown escaped."""
    s = " ".join(str(text).split())
    if len(s) > _WIDTH:
        s = s[: _WIDTH - 1].rstrip() + "…"
    return "".join(_ESCAPE.get(c, c) for c in s)


def _n(k: int, one: str, many: str | None = None) -> str:
    """``_n(3, "fact") == "three facts"``, ``_n(0, "fact") == "no facts"``."""
    return f"{count(k) if k else 'no'} {one if k == 1 else (many or one + 's')}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _table(header: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """A pipe table; ``widths`` are the columns' relative widths (dashes in the rule)."""
    out = ["| " + " | ".join(header) + " |", "|" + "".join(f" {'-' * w} |" for w in widths)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]


def _more(shown: int, total: int, what: str) -> list[str]:
    """A line saying how many ``what`` (singular) were left out, if any."""
    return [f"And {_n(total - shown, 'more ' + what)} not shown here.", ""] if total > shown else []


def _number(v) -> str:
    if isinstance(v, bool) or v is None:
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{int(v):,}" if v.is_integer() and abs(v) < 1e15 else f"{v:.4g}"
    if isinstance(v, list | tuple):
        return ", ".join(_number(x) for x in v)
    return str(v)


def _signed(d) -> str:
    if d is None:
        return ""
    if isinstance(d, list):
        return ", ".join(_signed(x) for x in d)
    return f"{d:+,}" if isinstance(d, int) else f"{d:+.4g}"


def _fact_side(rec: dict | None, show_base: bool) -> str:
    if rec is None:
        return "(none)"
    value, text = _number(rec.get("value")), str(rec.get("text") or "")
    detail = [value] if text and text != value else []
    if show_base:
        detail.append(f"base {_number(rec.get('base'))}")
    shown = text or value
    return md(f"{shown} ({'; '.join(detail)})" if detail else shown)


def _facts(diff: BuildDiff, h: str, max_rows: int) -> list[str]:
    out = [f"{h} Facts", "",
           "Each fact is shown as the report prints it, with its unrounded value in brackets. "
           "The difference is the new value less the old one.", ""]
    rows = []
    for f in diff.facts[:max_rows]:
        base = _base_changed(f)
        rows.append([md(f.name), _fact_side(f.old, base), _fact_side(f.new, base),
                     md(_signed(f.difference))])
    return out + _table(["Fact", "Previous build", "This build", "Difference"], rows,
                        [9, 9, 9, 4]) + \
        _more(len(rows), len(diff.facts), "fact")


def _base_changed(f: FactChange) -> bool:
    return bool(f.old and f.new and f.old.get("base") != f.new.get("base"))


def _row(t: TableChange, key: tuple[str, ...]) -> str:
    return md(", ".join(key)) if t.key_columns else f"row {key[0]}"


def _changed_table(t: TableChange, h: str, max_rows: int) -> list[str]:
    out = [f"{h} {md(t.title)}", ""]
    about = [f"Table {md(t.table)}."]
    if t.key_columns:
        about.append(f"Rows are identified by {md(_join(list(t.key_columns)))}.")
    else:
        about.append("Rows are matched by their position.")
    if t.cells:
        about.append(f"{_n(len(t.cells), 'cell')} changed.".capitalize())
    out += [" ".join(about), ""]
    for label, items in (("Columns added", t.columns_added), ("Columns removed", t.columns_removed),
                         ("Rows added", [_row(t, k) for k in t.rows_added]),
                         ("Rows removed", [_row(t, k) for k in t.rows_removed])):
        if items:
            shown = [md(i) if label.startswith("Columns") else i for i in items[:max_rows]]
            extra = f" and {count(len(items) - len(shown))} more" if len(items) > len(shown) else ""
            out += [f"{label}: {'; '.join(shown)}{extra}.", ""]
    if t.cells:
        rows = [[_row(t, c.row), md(c.column), md(c.old), md(c.new), md(c.difference or "")]
                for c in t.cells[:max_rows]]
        out += _table(["Row", "Column", "Previous build", "This build", "Difference"],
                      rows, [6, 6, 5, 5, 4])
        out += _more(len(rows), len(t.cells), "cell")
    return out


def _tables(diff: BuildDiff, h: str, max_rows: int) -> list[str]:
    out = [f"{h} Published tables", ""]
    for status, label in ((ADDED, "Tables added"), (REMOVED, "Tables removed")):
        named = [t for t in diff.tables if t.status == status]
        if named:
            out += [f"{label}:", ""] + [f"- {md(t.title)} ({md(t.table)})" for t in named] + [""]
    for t in diff.tables:
        if t.status not in (ADDED, REMOVED):
            out += _changed_table(t, h + "#", max_rows)
    return out


def _pages(diff: BuildDiff, h: str, max_rows: int) -> list[str]:
    out = [f"{h} Pages and documents", "",
           "Text is compared line by line, ignoring navigation, footers and build details "
           "(version, commit, data hash, build date).", ""]
    for p in diff.pages[:max_rows]:
        if p.status == ADDED:
            out.append(f"- {md(p.path)}: new in this build.")
        elif p.status == REMOVED:
            out.append(f"- {md(p.path)}: no longer in the build.")
        else:
            out.append(f"- {md(p.path)}: {_n(p.lines_removed, 'line')} removed and "
                       f"{count(p.lines_added)} added.")
            out += [f"    - {'Removed' if s.startswith('-') else 'Added'}: {md(s[2:])}"
                    for s in p.sample]
    return out + [""] + _more(min(len(diff.pages), max_rows), len(diff.pages), "page")


def summary(diff: BuildDiff) -> str:
    """The one-sentence summary the page opens with."""
    if not diff.has_previous:
        return "There is no previous build to compare this one with."
    checked = "every fact, published table and page" if diff.compared_pages else \
        "every fact and published table"
    if diff.is_empty:
        return f"Nothing has changed since the previous build: {checked} is the same."
    c = diff.counts()
    parts = [_n(c["facts"], "fact"), _n(c["table_cells"], "table cell")]
    if diff.compared_pages:
        parts.append(_n(c["pages"], "page or document", "pages or documents"))
    text = f"Since the previous build, {_join(parts)} have changed."
    extra = [_n(sum(t.status == s for t in diff.tables), f"table {s}", f"tables {s}")
             for s in (ADDED, REMOVED) if any(t.status == s for t in diff.tables)]
    extra += [_n(c[k], f"row {w}", f"rows {w}") for k, w in
              (("rows_added", "added"), ("rows_removed", "removed")) if c[k]]
    if extra:
        text += f" In the published tables: {_join(extra)}."
    return text


def render(diff: BuildDiff, max_rows: int = 50, level: int = 1) -> str:
    """The whole page; ``level`` is the level of its title heading."""
    h = "#" * (level + 1)
    out = ["#" * level + " " + TITLE, "", summary(diff), ""]
    if diff.facts:
        out += _facts(diff, h, max_rows)
    if diff.tables:
        out += _tables(diff, h, max_rows)
    if diff.pages:
        out += _pages(diff, h, max_rows)
    for note in diff.notes:
        out += [md(note), ""]
    text = "\n".join(out).rstrip() + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
