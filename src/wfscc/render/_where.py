"""Say where a render problem is in the user's terms, never by an internal path.

A build renders a staged copy of the project, and the engine works in a temporary folder, so the
paths the engine meets (`.wfscc-cache/staging/project/report/profiles/P02.ipynb`,
`/tmp/wfscc-render-x/build/report.typ`) mean nothing to the user. Every problem a render reports
is rewritten here: a chapter becomes its path in the project (`report/02-delivery.qmd`); a
notebook run with parameters (an LA profile) becomes the page it makes and the parameters it
ran with: for a profile, the LA whose rows made it, and the one cell of free text from the data it
shows (areas, column la_name, in that LA's row); the engine's own folders go.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ._project import Book, Chapter, RenderError

#: "on page x.html:", as `_typst.compile_failure` names the page a Typst error is on.
_ON_PAGE = re.compile(r"\bon page (\S+):")
#: The engine's temporary working folder, however a tool writes its path.
_WORK = re.compile(r"[^\s'\"]*wfscc-render-[^/\\\s]+[/\\]build[/\\]")


def _parameters(source: Path) -> dict:
    try:
        nb = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    params = ((nb.get("metadata") or {}).get("papermill") or {}).get("parameters") or {}
    return params if isinstance(params, dict) else {}


def describe(ch: Chapter) -> str:
    """A chapter as the user knows it: its project path, or for a notebook run with
    parameters, the page it makes and the LA (or other parameters) it was run for."""
    if ch.source.suffix == ".ipynb":
        params = _parameters(ch.source)
        if "la_code" in params:
            code = params["la_code"]
            return (
                f"the profile of LA {code} (page {ch.html}, made from the rows with la_code "
                f"{code}; the text it takes from the data is la_name in that row of areas)"
            )
        shown = {k: v for k, v in params.items() if not str(k).endswith("_dir")}
        if shown:
            args = ", ".join(f"{k}={v!r}" for k, v in sorted(shown.items()))
            return f"page {ch.html} (the notebook run with {args})"
    return ch.rel.as_posix()


def _variants(path: Path) -> set[str]:
    return {str(path), str(path.resolve())}


def user_terms(problems: Iterable[str], book: Book, folders: Iterable[Path] = ()) -> list[str]:
    """``problems`` with every chapter's path replaced by :func:`describe`, paths inside the
    project made relative to it, and the engine's working *folders* removed."""
    names: dict[str, str] = {}
    chapters = book.chapters + ([book.summary] if book.summary else [])
    for ch in chapters:
        for variant in _variants(ch.source):
            names[variant] = describe(ch)
    prefixes = {v + os.sep: "" for v in _variants(book.project_dir)}
    for folder in folders:
        prefixes.update({v + os.sep: "" for v in _variants(Path(folder))})
    table = {**prefixes, **names}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    pages = {str(ch.html): ch for ch in chapters}

    def page(m: re.Match) -> str:  # "on page x.html:" from a Typst failure (see _typst)
        ch = pages.get(m.group(1))
        if ch is None:
            return m.group(0)
        said = describe(ch)
        return f"on {said}:" if str(ch.html) in said else f"on {said} (page {ch.html}):"

    out = []
    for problem in problems:
        problem = _WORK.sub("", pattern.sub(lambda m: table[m.group(0)], problem))
        out.append(_ON_PAGE.sub(page, problem))
    return out


def reraise_in_user_terms(exc: RenderError, book: Book, folders: Iterable[Path] = ()):
    """A RenderError like ``exc`` whose problems are in :func:`user_terms`."""
    return RenderError(list(dict.fromkeys(user_terms(exc.problems, book, folders))), head=exc.head)
