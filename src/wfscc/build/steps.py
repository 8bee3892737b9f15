"""The build's steps, each a thin call into the library module that owns the concern.

The imports below are the pipeline's data flow. They take 1.9 to 2.5 s together (data,
facts, figures, tables, notebooks, render, guard; ``python -X importtime``), which a rebuild that
finds nothing changed (goal 0.3 s) must not pay: ``build.pipeline`` imports this module only
once it knows there is something to build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config
from ..contract import ATTRIBUTES, DEFAULT_THRESHOLD, ENGINE_PANDOC
from ..data import load_dataset
from ..diff import TITLE, compare_inputs, to_markdown
from ..execute import NotebookRun, run_notebooks
from ..facts import rules_markdown, write_facts
from ..guard import (
    check_outputs,
    identifiers_of,
    names_of,
    prescan_outputs,
    redact_interviews,
    shipped_images,
)
from ..memo import Memo, digest, pack_files, tree_files, unpack_files
from ..notebook.store import la_hashes, reference_hash, reference_tables, write_store
from ..numbercheck import add_pdf_pages, link_changes, mark_variables
from ..numbercheck import prepare as number_check
from ..outputs.figures import report_facts, report_figures
from ..outputs.qa import qa_log
from ..outputs.tables import report_tables, write_tables
from ..render import read_ahead, render_book
from . import cache
from .provenance import Provenance

STORE = "store"
Event = Callable[[str, str], None]  # (kind, message): kind is "step", "notebook", "info"


def load_inputs(config: Config):
    """Load and validate every table, then redact interview excerpts before anything uses them."""
    dataset = load_dataset(config.data_dir, memo_store(config))
    return replace(dataset, interviews=redact_interviews(dataset.interviews, dataset.centres))


def prepare_report(dataset, config: Config, staging: Path, site: Path) -> tuple[Path, Path]:
    """Everything the narrative cites, drawn from the data before any page is rendered.

    Writes, under ``staging/generated/report/``: the charts (``figures/<name>.svg``) with their
    protected data (``figures/<name>.csv``), the quality-assurance log (``_qa-log.qmd``), the
    wording rules (``_wording-rules.qmd``) and the "Changes since the previous build" page
    (``changes.qmd``); into the site: ``facts.json`` and the published tables (``data/``).
    Returns the variables file and the generated folder.
    """
    store = memo_store(config)
    generated = staging / "generated"
    figures = report_figures(dataset, generated, threshold=config.threshold, store=store)
    for fig in figures.values():
        csv = generated / fig.relpath.with_suffix(".csv")
        fig.shown_data().to_csv(csv, index=False, lineterminator="\n")  # the chart's labels
    facts = report_facts(dataset, threshold=config.threshold, figures=figures, store=store)
    facts_dir = staging / "facts"
    write_facts(facts, facts_dir)
    shutil.copyfile(facts_dir / "facts.json", site / "facts.json")

    tables = report_tables(dataset, threshold=config.threshold, store=store)
    _write_tables(tables, site / "data", store)
    calibration = config.data_dir / "calibration.yml"
    report_dir = generated / "report"
    (report_dir / "_qa-log.qmd").write_text(
        qa_log(dataset, tables, facts, calibration if calibration.exists() else None,
               store=store),
        encoding="utf-8",
    )
    (report_dir / "_wording-rules.qmd").write_text(rules_markdown(), encoding="utf-8")
    (report_dir / "changes.qmd").write_text(
        _changes(config.out_dir, facts, site / "data", config.threshold), encoding="utf-8"
    )
    return facts_dir / "_variables.yml", generated


def _changes(previous: Path, facts, tables_dir: Path, threshold: int) -> str:
    """The "Changes since the previous build" page. The previous build's figures are not shown
    when it had a lower disclosure threshold: some of them are below this build's. Its heading
    is `{.unnumbered}`, as every page of the site-only "About this build" part: Quarto would
    letter it as an annex, the built-in engine leaves a site-only part's pages unlettered."""
    old_facts = _previous_facts(previous / "facts.json")
    old_threshold = _threshold_of(old_facts)
    if old_facts and old_threshold < threshold:
        return (f"# {TITLE} {{.unnumbered}}\n\nThe disclosure threshold rose from "
                f"{old_threshold} to {threshold} since the previous build, so its figures are "
                "not compared here: some of them would now be withheld.\n")
    changes = compare_inputs(
        old_facts, facts, previous / "data" if old_facts else None, tables_dir
    )
    page = to_markdown(changes, level=1)
    return page.replace(f"# {TITLE}\n", f"# {TITLE} {{.unnumbered}}\n", 1)


def _threshold_of(facts: dict) -> int:
    """The disclosure threshold a published ``facts.json`` was built with (builds from before
    it could be set used the default)."""
    value = (facts.get("disclosure_threshold") or {}).get("value")
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_THRESHOLD


def memo_store(config: Config) -> Memo:
    """The build's store of outputs made before (:mod:`wfscc.memo`), in the cache folder; one
    that keeps nothing under ``--force``."""
    return Memo(cache_subdir(config, "memo"))


def cache_subdir(config: Config, name: str) -> Path | None:
    """``cache_dir/name`` for a step's own cache, or None under ``--force`` (which ignores it)."""
    assert config.cache_dir is not None
    return None if config.force else config.cache_dir / name


def _write_tables(tables: dict, out_dir: Path, store: Memo) -> None:
    """Write the published tables (CSV, XLSX, ODS), or copy them when the same tables were
    written before: the workbooks take most of a second to make."""
    key = digest("tables", store.once("code", cache.code_hash),
                 {name: (pt.to_published(), list(pt.count_cols), pt.threshold,
                         pt.suppressed_cells) for name, pt in tables.items()})
    kept = store.get("tables", key)
    if kept is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in unpack_files(kept):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(data)
        return
    write_tables(tables, out_dir)
    store.put("tables", key, pack_files(tree_files(out_dir)))


def _previous_facts(path: Path) -> dict:
    """The facts of the build published now, or nothing when there is none (or it is unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _tables(dataset) -> dict:
    return {
        name: getattr(dataset, name)
        for name in ATTRIBUTES
    }


def profile_parameters(config: Config, la_code: str) -> dict:
    """The parameters of one LA's profile notebook, all part of its cache key. STORE is a
    stable path, so cached notebooks stay valid when other LAs change; ``threshold`` is the
    build's disclosure threshold."""
    return {"la_code": la_code, "store_dir": STORE, "threshold": config.threshold}


@dataclass
class ProfilePlan:
    """Which LA profiles to run: every pilot LA's notebook key, the executed notebooks the store
    has for them already (``found``), and the LAs to run (``todo``)."""

    keys: dict[str, str]
    found: dict[str, bytes]
    todo: list[str]
    cached: list[str]
    memo: Memo


#: The store's step for executed profile notebooks (kept by :class:`wfscc.memo.Memo`, keyed by
#: the notebook's source, the package code, the data it reads and its parameters).
NOTEBOOK_STEP = "notebook"


def plan_profiles(config: Config, dataset, data_digest: str) -> ProfilePlan:
    """Write the profile store and find the pilot LAs whose notebook inputs changed."""
    assert config.cache_dir is not None
    tables = _tables(dataset)
    reference = reference_tables(dataset)
    write_store(tables, reference, config.cache_dir / STORE, data_digest)

    pilot = sorted(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    nb_source = cache.combine(config.notebook.read_bytes().hex(), cache.code_hash())
    ref_key = reference_hash(reference)
    keys = {
        la: cache.combine(nb_source, ref_key, h, profile_parameters(config, la))
        for la, h in la_hashes(tables, pilot).items()
    }
    memo = memo_store(config)  # keeps nothing under --force, so every LA runs
    found = {la: data for la in pilot if (data := memo.get(NOTEBOOK_STEP, keys[la])) is not None}
    todo = [la for la in pilot if la not in found]
    return ProfilePlan(keys, found, todo, [la for la in pilot if la in found], memo)


def run_profiles(
    config: Config, plan: ProfilePlan, staging: Path, on_event: Event, pool=None
) -> tuple[dict[str, Path], list[str], list[str]]:
    """Run the profile notebook for each LA of ``plan.todo`` (on ``pool``, an
    :class:`~wfscc.execute.EarlyPool`, when given); reuse the rest."""
    assert config.cache_dir is not None
    if pool is not None and not plan.todo:
        pool.release()  # its kernel shuts down while the pages render; the build waits at its end
    out = staging / "notebooks"
    profiles: dict[str, Path] = {}
    for la, data in plan.found.items():  # reused from the store, as the executor writes them
        out.mkdir(parents=True, exist_ok=True)
        profiles[la] = out / f"{la}.ipynb"
        profiles[la].write_bytes(data)
    if plan.todo:
        runs = [NotebookRun(la, profile_parameters(config, la)) for la in plan.todo]
        where = dict(out_dir=out, staging_dir=staging / "notebooks-running",
                     on_event=lambda ev, run, sec: on_event("notebook",
                                                            f"{ev} {run.key} {sec:.1f}s"))
        if pool is not None:
            report = pool.run(config.notebook, runs, **where)
        else:
            report = run_notebooks(
                config.notebook, runs, jobs=config.jobs, timeout=config.notebook_timeout,
                executor=config.executor, scheduler=config.scheduler, cwd=config.cache_dir,
                **where,
            )
        _keep_failed(report, out, config.cache_dir)
        report.raise_for_failures()
        for la, path in report.succeeded.items():
            plan.memo.put(NOTEBOOK_STEP, plan.keys[la], path.read_bytes())
            profiles[la] = path
    return profiles, plan.todo, plan.cached


def _keep_failed(report, out: Path, cache_dir: Path) -> None:
    """Failed notebooks stay for inspection in the cache, outside the staging area."""
    failed_dir = cache_dir / "failed"
    for key, failure in report.failed.items():
        if failure.notebook_path and Path(failure.notebook_path).exists():
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / f"{key}.ipynb"
            shutil.copyfile(failure.notebook_path, kept)
            failure.notebook_path = kept


def trace(project: Path, site: Path):
    """The Number check page, its CSV and the panel data of "Show where numbers come from"
    (:mod:`wfscc.numbercheck`); the changes page links each changed fact to its pages; the
    staged `_variables.yml` carries each fact's mark (`data-fact`) for both engines."""
    check = number_check(project, site / "facts.json", site)
    link_changes(project / "report" / "changes.qmd", check)
    mark_variables(project / "_variables.yml")
    return check


def trace_pdfs(project: Path, site: Path, check) -> None:
    """The PDF pages of each cited fact, once the PDFs are made (:mod:`wfscc.pdfpages`)."""
    add_pdf_pages(project, site, check)


def render(project: Path, site: Path, engine: str, provenance: Provenance,
           cache_dir: Path | None = None, on_site: Callable[[], object] | None = None,
           ahead=None, on_pdfs: Callable[[], object] | None = None):
    """Render the staged book into the site; ``cache_dir`` keeps pandoc's, Typst's and
    Pagefind's outputs for inputs seen before, so only what changed is made again;
    ``on_site`` is called once the pages are written, while the PDFs are being made,
    ``on_pdfs`` once the PDFs are written too, and ``ahead`` is :func:`render_ahead`'s (the
    built-in engine only)."""
    return render_book(project, site, engine=engine, timestamp=provenance.timestamp,
                       provenance=provenance.as_dict(), cache_dir=cache_dir, on_site=on_site,
                       ahead=ahead, on_pdfs=on_pdfs)


def render_ahead(engine: str, cache_dir: Path | None):
    """What the built-in engine's render reads first (:func:`wfscc.render.read_ahead`), read
    while the build waits for its notebooks; None for Quarto."""
    return read_ahead(cache_dir) if engine == ENGINE_PANDOC else None


def made_before_render(site: Path, folders: tuple[str, ...] = ("data", "notebooks")
                       ) -> list[Path]:
    """The site's files that are final before the pages are rendered: the published tables
    (``data/``), ``facts.json`` and the executed notebooks (``notebooks/``); or of *folders*
    only ``facts.json`` and theirs."""
    found = [site / "facts.json"]
    for folder in folders:
        found += sorted(p for p in (site / folder).rglob("*") if p.is_file())
    return [p for p in found if p.is_file()]


def made_by_render(site: Path, before: list[Path]) -> list[Path]:
    """The site's files that are final once the pages and PDFs are rendered: all but those
    made ``before`` and the Number check's page, data and panel data (``trace-data.js``),
    which :func:`trace_pdfs` fills in afterwards."""
    done = set(before)
    return sorted(p for p in site.rglob("*") if p.is_file() and p not in done
                  and not p.name.startswith(("number-check", "trace-data")))


def privacy_terms(dataset) -> tuple[set[str], set[str]]:
    """What the guard looks for in the outputs: the data's record ids and staff names (found
    once for all of a build's scans: 0.02 to 0.03 s each time)."""
    return identifiers_of(dataset), names_of(dataset)


def prescan_privacy(terms: tuple[set[str], set[str]], site: Path, paths: list[Path],
                    threshold: int, cache_dir: Path | None = None) -> None:
    """The guard on ``paths`` (looking for :func:`privacy_terms`), run while the build does
    other work: the files it finds clean are kept so in ``cache_dir`` and
    :func:`check_privacy` does not read them again (it still checks everything; without a
    cache this does nothing)."""
    identifiers, names = terms
    prescan_outputs(site, paths, identifiers=identifiers, names=names, threshold=threshold,
                    cache_dir=cache_dir)


def check_privacy(dataset, site: Path, threshold: int, cache_dir: Path | None = None,
                  project: Path | None = None,
                  terms: tuple[set[str], set[str]] | None = None) -> None:
    """The guard on the whole staged site; ``cache_dir`` keeps text it extracted and the files
    it found clean (a file with findings is searched again every time); the raster images that
    ``project`` ships are the only ones let through. ``terms``: the dataset's
    :func:`privacy_terms`, if found already."""
    identifiers, names = terms or privacy_terms(dataset)
    check_outputs(site, identifiers=identifiers, names=names, threshold=threshold,
                  cache_dir=cache_dir, shipped_images=shipped_images(project))
