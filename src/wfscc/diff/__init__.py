"""What changed since the last draft: compare two builds, or a build's new facts and tables.

::

    compare_builds(old, new) -> BuildDiff      # two build directories (e.g. _book copies)
    compare_inputs(old_facts, new_facts, old_tables_dir, new_tables_dir) -> BuildDiff
    to_markdown(diff) -> str                   # the "Changes since the previous build" page
    BuildDiff.to_json() / .is_empty
    main_diff(old, new, as_json=False, max_rows=50) -> str   # what `wfscc diff` prints

What counts as a change:

* a **fact** added, removed, or whose ``value``, ``text`` or ``base`` differs (numbers equal to
  a relative 1e-9 are the same; ``source`` is ignored);
* a **table** added or removed, a column or row added or removed, or a **cell** whose CSV text
  differs (``[c]`` is compared as text). Rows are matched on the shortest run of leading label
  columns (before the first count column) that identifies every row, else by position;
* a **page** (HTML) or **document** (PDF) added, removed, or whose visible text differs line by
  line, after dropping navigation, header, footer, scripts and styles and masking build
  provenance (version, commit, data hash, build date and time). The "Changes since the
  previous build" page itself is not compared.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import WfsccError
from ._data import compare_facts, compare_tables, read_facts
from ._markdown import md
from ._markdown import render as to_markdown
from ._model import TITLE, BuildDiff, CellChange, FactChange, PageChange, TableChange
from ._pages import compare_pages

__all__ = ["TITLE", "BuildDiff", "CellChange", "FactChange", "PageChange", "TableChange",
           "compare_builds", "compare_inputs", "main_diff", "md", "to_markdown"]


def _check_build(path: Path, which: str) -> None:
    if not path.is_dir():
        raise WfsccError(f"{which} build directory '{path}' does not exist: pass the output "
                         "directory of a finished `wfscc build` (by default _book).")
    if not (path / "facts.json").is_file():
        raise WfsccError(f"{which} directory '{path}' is not a wfscc build (it has no "
                         "facts.json): pass the output directory of a finished `wfscc build` "
                         "(by default _book).")


def _facts(path: Path, which: str) -> dict:
    try:
        return read_facts(path / "facts.json")
    except ValueError as exc:
        raise WfsccError(f"{which} build's facts.json ('{path / 'facts.json'}') is not valid "
                         f"JSON ({exc}): rebuild it with `wfscc build`.") from None


def _by_name(facts) -> dict:
    if isinstance(facts, list | tuple):
        return {f.name: f for f in facts}
    return dict(facts or {})


def compare_builds(old: Path | str, new: Path | str) -> BuildDiff:
    """Every fact, published table cell and page that differs between two build directories.

    Raises :class:`~wfscc.errors.WfsccError` when either is not a build (no ``facts.json``).
    """
    old, new = Path(old), Path(new)
    _check_build(old, "OLD")
    _check_build(new, "NEW")
    return BuildDiff(
        old=str(old), new=str(new),
        facts=tuple(compare_facts(_facts(old, "OLD"), _facts(new, "NEW"))),
        tables=tuple(compare_tables(old / "data", new / "data")),
        pages=tuple(compare_pages(old, new)))


def compare_inputs(old_facts: dict, new_facts: dict, old_tables_dir: Path | None,
                   new_tables_dir: Path | None) -> BuildDiff:
    """Facts and published tables only, for use during a build before any page exists.

    ``*_facts`` map names to facts (``facts.json`` records or ``Fact`` objects) or are lists of
    ``Fact`` objects; the tables directories hold the CSVs and ``tables.json`` (``None`` or
    missing: no tables). With no old facts and no old tables there is no previous build, and
    the page says so.
    """
    old_facts, new_facts = _by_name(old_facts), _by_name(new_facts)
    old_dir = Path(old_tables_dir) if old_tables_dir is not None else None
    new_dir = Path(new_tables_dir) if new_tables_dir is not None else None
    has_previous = bool(old_facts) or (old_dir is not None and old_dir.is_dir())
    if not has_previous:
        return BuildDiff(old="previous build", new="this build", has_previous=False,
                         compared_pages=False)
    return BuildDiff(
        old="previous build", new="this build",
        facts=tuple(compare_facts(old_facts or {}, new_facts or {})),
        tables=tuple(compare_tables(old_dir, new_dir)),
        compared_pages=False)


def main_diff(old: Path | str, new: Path | str, as_json: bool = False, max_rows: int = 50) -> str:
    """What ``wfscc diff OLD NEW [--json] [--max-rows N]`` prints."""
    if max_rows < 1:
        raise WfsccError(f"--max-rows must be at least 1, not {max_rows}.")
    diff = compare_builds(old, new)
    return diff.to_json() if as_json else to_markdown(diff, max_rows=max_rows)
