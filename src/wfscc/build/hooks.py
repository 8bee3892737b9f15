"""`quarto render` in the project folder: the steps Quarto runs before and after it renders.

``prepare`` (the ``pre-render`` step, `wfscc prepare`) validates the data and writes into the
project what its pages cite: `_variables.yml` (the facts), the charts and their data
(`report/figures/`), the QA log and the changes page, and one page per pilot LA made from its
executed notebook (`report/profiles/`, through the build's cache, so only changed LAs re-run),
listing those pages in `_quarto.yml`'s Annex A part. ``finish`` (the ``post-render`` step,
`wfscc finish`) adds the summary, the data downloads, the notebooks and the search index to the
output folder and runs the privacy guard over it; a site that fails is removed. All of these
files are listed in `.gitignore`. Under `wfscc build --engine quarto` both do nothing: the build
prepares a staged copy and guards the site itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import yaml

from ..config import Config
from ..contract import ENGINE_QUARTO
from ..errors import BuildError
from ..numbercheck import add_pdf_pages, link_changes, mark_variables, records, scan
from ..numbercheck import prepare as number_check
from ..render._html import index_site
from ..render._lists import fill_quarto_lists
from ..render._pdfdate import set_pdf_date
from ..render._project import RenderError, _flatten_vars, _read_yaml, load_book
from ..render._quarto import (
    INNER,
    MEDIA,
    _quarto,
    add_summary,
    complete_site,
    output_dir,
    sync_tree,
    write_if_changed,
    write_profile_pages,
)
from . import cache
from .provenance import build_timestamp
from .stage import PROFILES_DIR, copy_datatable_filter

DOWNLOADS = "_downloads"  # facts.json and data/, copied into the site by `finish`
GENERATED = "_generated"  # the QA log and the changes page (their placeholders are committed)


def _config(project_dir: Path, data_dir: Path | None) -> Config:
    """The build settings of the Quarto project *project_dir*; a missing `_quarto.yml` or data
    folder is the user's to fix (`BuildError` naming it)."""
    project_dir = Path(project_dir).resolve()
    if not (project_dir / "_quarto.yml").is_file():
        raise BuildError(f"No _quarto.yml in {project_dir}: pass --project with the book's folder.")
    data = Path(data_dir or project_dir / "data")
    if not data.is_dir():
        raise BuildError(f"Data folder not found: {data}. Pass --data DIR.")
    return Config(project_dir=project_dir, data_dir=data, out_dir=output_dir(project_dir),
                  engine=ENGINE_QUARTO)


def list_profiles(quarto_file: Path, part: str, pages: list[str]) -> None:
    """Write *pages* as the LA profiles in `_quarto.yml`: after the appendix chapter *part*
    (the annex's page, as Quarto letters it), or as the chapters of the appendix part titled
    *part*; nothing else in the file changes (its comments stay)."""
    lines = quarto_file.read_text(encoding="utf-8").splitlines(keepends=True)
    page = re.compile(r"^(\s*)-\s+[\"']?" + re.escape(part) + r"[\"']?\s*$")
    at = next((i for i, line in enumerate(lines) if page.match(line)), None)
    if at is not None:  # the annex's page as an appendix chapter: the profiles follow it
        pad = page.match(lines[at]).group(1)
        end = at + 1
        while end < len(lines) and re.match(
            rf"^{pad}-\s+{re.escape(PROFILES_DIR)}/\S+\.(qmd|ipynb)\s*$", lines[end]
        ):
            end += 1
        new = [f"{pad}- {p}\n" for p in pages]
        if lines[at + 1 : end] != new:
            lines[at + 1 : end] = new
            quarto_file.write_text("".join(lines), encoding="utf-8")
        return
    title = re.compile(r"^(\s*)-\s+part:\s*[\"']?" + re.escape(part) + r"[\"']?\s*$")
    start = next((i for i, line in enumerate(lines) if title.match(line)), None)
    if start is None:
        raise BuildError(
            f"{quarto_file}: no appendix part titled {part!r} to hold the LA "
            "profiles (wfscc.profiles-part names it)"
        )
    indent = len(title.match(lines[start]).group(1)) + 2
    i = start + 1
    while i < len(lines) and not lines[i].strip().startswith("chapters:"):
        i += 1
    end = i + 1
    if not lines[i].strip().endswith("[]"):
        while (
            end < len(lines)
            and re.match(r"^\s*-\s+\S+\.(qmd|ipynb)\s*$", lines[end])
            and (len(lines[end]) - len(lines[end].lstrip()) > indent)
        ):
            end += 1
    pad = " " * indent
    new = [f"{pad}chapters:\n"] + [f"{pad}  - {p}\n" for p in pages]
    if not pages:
        new = [f"{pad}chapters: []\n"]
    if lines[i:end] != new:
        lines[i:end] = new
        quarto_file.write_text("".join(lines), encoding="utf-8")


def prepare(project_dir: Path, data_dir: Path | None = None) -> None:
    """Write everything the project's pages cite into the project (see the module's doc)."""
    if os.environ.get(INNER):
        return
    # the build's steps: 1.8 to 2.6 s to import beyond this module (python -X importtime), which
    # Quarto's pre- and post-render calls under `wfscc build --engine quarto` (INNER) skip
    from .steps import load_inputs, plan_profiles, prepare_report, run_profiles

    config = _config(project_dir, data_dir)
    project = config.project_dir
    assert config.cache_dir is not None
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    staging = config.cache_dir / "prepare"
    shutil.rmtree(staging, ignore_errors=True)
    downloads = staging / DOWNLOADS
    downloads.mkdir(parents=True)
    try:
        dataset = load_inputs(config)
        plan = plan_profiles(config, dataset, cache.data_hash(config.data_dir))
        variables, generated = prepare_report(dataset, config, staging, downloads)
        profiles, _, _ = run_profiles(config, plan, staging, lambda kind, message: None)
        sync_tree(generated / "report" / "figures", project / "report" / "figures")
        # pages that stand in the project as committed placeholders: Quarto reads every chapter
        # (and include) before this step runs, so they must exist; the Quarto filter
        # (_filters/wfscc-pre.lua) puts these in their place when it renders
        (staging / GENERATED / "report").mkdir(parents=True)
        for page in sorted((generated / "report").glob("*.qmd")):
            shutil.copyfile(page, staging / GENERATED / "report" / page.name)
        mark_variables(variables)  # each cited number marked `data-fact`, as `wfscc build` does
        write_if_changed(project / "_variables.yml", variables.read_bytes())
        _profile_pages(project, profiles)
        settings = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
        part = (settings.get("wfscc") or {}).get(
            "profiles-part", "Annex A: Local authority profiles"
        )
        list_profiles(
            project / "_quarto.yml", part, [f"{PROFILES_DIR}/{la}.qmd" for la in sorted(profiles)]
        )
        # the Number check page (beside its placeholder), its CSV and JSON and the panel data
        check = number_check(project, downloads / "facts.json", downloads, staging / GENERATED)
        link_changes(staging / GENERATED / "report" / "changes.qmd", check)
        copy_datatable_filter(staging)  # _generated/: the shared Lua ("Show the data", notes)
        sync_tree(downloads, project / DOWNLOADS)
        sync_tree(staging / GENERATED, project / GENERATED)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def left_out(project: Path, out: Path) -> list[str]:
    """The LA profile pages (`report/profiles/*.qmd`) whose page in *out* is missing or older
    than them once Quarto has rendered: `quarto render` re-reads the book after the pre-render
    step and renders them, but `quarto preview` renders the files it listed before that step
    wrote them into the book, so a clean project's first preview leaves them out."""
    missing = []
    for page in sorted((project / PROFILES_DIR).glob("*.qmd")):
        html = out / page.relative_to(project).with_suffix(".html")
        if not html.is_file() or html.stat().st_mtime < page.stat().st_mtime:
            missing.append(page.relative_to(project).as_posix())
    return missing


def render_left_out(project: Path, out: Path) -> None:
    """Render (as HTML, with these steps switched off) the profile pages `left_out` of
    Quarto's run, so that the site has every LA profile before it is completed and guarded."""
    missing = left_out(project, out)
    if missing:
        _quarto(["render", *missing, "--to", "html"], project)


def _profile_pages(project: Path, profiles: dict[str, Path]) -> None:
    """Each executed notebook in `report/profiles/` with its page; nothing else stays there."""
    variables = _flatten_vars(_read_yaml(project / "_variables.yml"))
    problems: list[str] = []
    notebooks = []
    for la_code, path in sorted(profiles.items()):
        notebooks.append(project / PROFILES_DIR / f"{la_code}.ipynb")
        write_if_changed(notebooks[-1], path.read_bytes())
    kept = set(notebooks) | set(write_profile_pages(project, notebooks, variables, problems))
    for notebook in notebooks:
        kept |= set((notebook.parent / MEDIA / notebook.stem).rglob("*"))
    if problems:
        raise RenderError(problems)
    for stale in sorted((project / PROFILES_DIR).rglob("*"), reverse=True):
        if stale.is_file() and stale not in kept:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()


def finish(project_dir: Path, data_dir: Path | None = None, out_dir: Path | None = None) -> None:
    """Complete and check the site Quarto rendered (see the module's doc); on a privacy
    finding, remove it and raise."""
    if os.environ.get(INNER):
        return
    config = _config(project_dir, data_dir)
    project = config.project_dir
    out = Path(out_dir or os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or config.out_dir)
    out = out if out.is_absolute() else project / out
    if not out.is_dir():
        raise BuildError(f"Nothing to finish: {out} does not exist (run `quarto render` first).")
    try:
        render_left_out(project, out)
        if (project / DOWNLOADS).is_dir():
            shutil.copytree(project / DOWNLOADS, out, dirs_exist_ok=True)
        notebooks = out / "notebooks"
        shutil.rmtree(notebooks, ignore_errors=True)
        notebooks.mkdir()
        for path in sorted((project / PROFILES_DIR).glob("*.ipynb")):
            shutil.copyfile(path, notebooks / path.name)
        add_summary(project, out)
        fill_quarto_lists(project, out)  # the lists of tables and figures (issue 16)
        for pdf in ("report.pdf", "summary.pdf"):
            if (out / pdf).is_file():
                set_pdf_date(out / pdf, build_timestamp(project))
        complete_site(out, build_timestamp(project))
        _pdf_pages(project, out)
        shutil.rmtree(out / "pagefind", ignore_errors=True)
        index_site(out)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    guard_or_remove(config, out)


def _pdf_pages(project: Path, site: Path) -> None:
    """The PDF pages of each cited fact in the Number check's files and page, once the PDFs
    are made (as `wfscc build` does, from the same scan of the project's pages)."""
    if not (site / "facts.json").is_file() or not (site / "report.pdf").is_file():
        return
    check = scan(load_book(project))
    check.rows = records(json.loads((site / "facts.json").read_text(encoding="utf-8")), check)
    add_pdf_pages(project, site, check)


def guard_or_remove(config: Config, site: Path) -> None:
    """The privacy guard over *site*; on any finding (or error) the site is removed, so no
    failing site is left in place, and the guard's error is raised."""
    from .steps import check_privacy, load_inputs  # 1.8 to 2.6 s: see prepare()

    try:
        check_privacy(load_inputs(config), site, config.threshold)
    except BaseException:
        shutil.rmtree(site, ignore_errors=True)
        raise
