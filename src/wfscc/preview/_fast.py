"""The preview's fast path: a chapter edit rendered to HTML from the last build's staged project.

A full build redoes the facts, the tables and the guard, and makes the PDFs and the search
index: seconds. A chapter edit changes none of the facts, so the preview copies the edited
narrative into the project the last build rendered (kept by ``build(..., keep=...)``, see
:func:`wfscc.build.stage.keep_stage`) and renders only its HTML pages, through the render's
cache (only the edited page goes through pandoc again). The pages are the very bytes the full
build will publish; the full build follows in the background.

With a :class:`~wfscc.render.PageCache` kept from one edit to the next, only the edited pages
are parsed, resolved, numbered and converted again (see ``wfscc.render._incremental``). The
files the build completes after the PDFs (the Number check's page and panel data) are left out:
the published ones are served meanwhile.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from ..contract import ENGINE_PANDOC
from ..render import PageCache, render_book, render_html

KEPT_PROJECT = "project"
# the build writes these after the PDFs, from them (wfscc.numbercheck.trace_pdfs): a render of
# the pages alone has only their drafts
COMPLETED_LATER = ("number-check.html", "assets/trace-data.js")


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and "profiles" not in p.relative_to(root).parts
    }  # as stage_project


def sync_report(project_dir: Path, kept: Path, generated: list[str]) -> list[str]:
    """Make the report folder of the kept project (``kept/project/report``) hold the narrative
    of ``project_dir/report`` as it is now, as :func:`~wfscc.build.stage.stage_project` would
    (the profiles and the files the build generated stay as the build made them). Returns the
    names of the files changed."""
    staged = kept / KEPT_PROJECT
    made = {name.removeprefix("report/") for name in generated if name.startswith("report/")}
    source = {k: v for k, v in _files(project_dir / "report").items() if k not in made}
    target = {k: v for k, v in _files(staged / "report").items() if k not in made}
    changed = []
    for name, path in sorted(source.items()):
        dest = staged / "report" / name
        if name not in target or dest.read_bytes() != path.read_bytes():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            changed.append(name)
    for name in sorted(target.keys() - source.keys()):
        target[name].unlink()
        changed.append(name)
    return changed


def render_pages(
    kept: Path, record: dict, out: Path, cache_dir: Path | None, pages: PageCache | None = None
) -> list[Path]:
    """The HTML pages (and their assets) of the kept project into *out*, as the build that
    kept it would render them (same provenance, same cache): no PDFs, no search index, and
    not the files the build completes after the PDFs (:data:`COMPLETED_LATER`). With *pages*,
    only what changed since the last render with it is made again."""
    provenance = record["provenance"]
    timestamp = datetime.fromisoformat(provenance["build_timestamp"])
    project = kept / KEPT_PROJECT
    if pages is not None:
        result = render_html(
            project,
            out,
            timestamp=timestamp,
            provenance=provenance,
            cache=pages,
            cache_dir=cache_dir,
        )
    else:
        result = render_book(
            project,
            out,
            engine=ENGINE_PANDOC,
            timestamp=timestamp,
            provenance=provenance,
            cache_dir=cache_dir,
            html_only=True,
        )
    for name in COMPLETED_LATER:
        (out / name).unlink(missing_ok=True)
    return [p for p in result.html_pages if p.relative_to(out).as_posix() not in COMPLETED_LATER]


def same_files(pages: Path, site: Path) -> bool:
    """Whether every file under *pages* is in *site* with the same bytes."""
    for path in pages.rglob("*"):
        if path.is_file():
            other = site / path.relative_to(pages)
            if not other.is_file() or other.read_bytes() != path.read_bytes():
                return False
    return True
