"""The build's steps, each a thin call into the library module that owns the concern."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from ..config import Config
from . import cache
from .pipeline import Event
from .provenance import Provenance

STORE = "store"


def load_inputs(config: Config):
    """Load and validate every table, then redact interview excerpts before anything uses them."""
    from ..data import load_dataset
    from ..guard import redact_interviews

    dataset = load_dataset(config.data_dir)
    return replace(dataset, interviews=redact_interviews(dataset.interviews, dataset.centres))


def compute_and_write_facts(dataset, staging: Path, site: Path) -> Path:
    from ..facts import compute_facts, write_facts

    facts_dir = staging / "facts"
    write_facts(compute_facts(dataset), facts_dir)
    shutil.copyfile(facts_dir / "facts.json", site / "facts.json")
    return facts_dir / "_variables.yml"


def _tables(dataset) -> dict:
    return {
        name: getattr(dataset, name)
        for name in ("areas", "centres", "delivery", "mi", "referrals", "survey", "interviews")
    }


def run_profiles(
    config: Config, dataset, data_digest: str, staging: Path, on_event: Event
) -> tuple[dict[str, Path], list[str], list[str]]:
    """Run the profile notebook for each pilot LA whose inputs changed; reuse the rest."""
    from ..execute import NotebookRun, run_notebooks
    from ..profile import la_hashes, reference_hash, write_store
    from ..profile_reference import reference_tables

    assert config.cache_dir is not None
    tables = _tables(dataset)
    reference = reference_tables(dataset)
    store_rel = f"{STORE}/{data_digest[:16]}"
    write_store(tables, reference, config.cache_dir / store_rel)

    pilot = sorted(dataset.areas.loc[dataset.areas["group"] == "pilot", "la_code"])
    nb_source = cache.combine(config.notebook.read_bytes().hex(), cache.code_hash())
    ref_key = reference_hash(reference)
    keys = {
        la: cache.combine(nb_source, ref_key, h, {"la_code": la, "store_dir": store_rel})
        for la, h in la_hashes(tables, pilot).items()
    }
    done_dir = config.cache_dir / "notebooks"
    done_dir.mkdir(parents=True, exist_ok=True)
    profiles = {la: done_dir / f"{la}-{keys[la][:20]}.ipynb" for la in pilot}
    todo = [la for la in pilot if config.force or not profiles[la].exists()]
    cached = [la for la in pilot if la not in todo]
    if todo:
        runs = [NotebookRun(la, {"la_code": la, "store_dir": store_rel}) for la in todo]
        out = staging / "notebooks"
        report = run_notebooks(
            config.notebook,
            runs,
            out_dir=out,
            staging_dir=staging / "notebooks-running",
            jobs=config.jobs,
            timeout=config.notebook_timeout,
            executor=config.executor,
            scheduler=config.scheduler,
            cwd=config.cache_dir,
            on_event=lambda ev, run, sec: on_event("notebook", f"{ev} {run.key} {sec:.1f}s"),
        )
        _keep_failed(report, out, config.cache_dir)
        report.raise_for_failures()
        for la, path in report.succeeded.items():
            shutil.copyfile(path, profiles[la])
    return profiles, todo, cached


def _keep_failed(report, out: Path, cache_dir: Path) -> None:
    """Failed notebooks stay for inspection in the cache, outside the staging area."""
    failed_dir = cache_dir / "failed"
    for key, failure in report.failed.items():
        if failure.notebook_path and Path(failure.notebook_path).exists():
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / f"{key}.ipynb"
            shutil.copyfile(failure.notebook_path, kept)
            failure.notebook_path = kept


def render(project: Path, site: Path, engine: str, provenance: Provenance):
    from ..render import render_book

    return render_book(
        project,
        site,
        engine=engine,
        timestamp=provenance.timestamp,
        provenance=provenance.as_dict(),
    )


def write_published_tables(dataset, config: Config, site: Path) -> None:
    from ..tables import report_tables, write_tables

    write_tables(report_tables(dataset, threshold=config.threshold), site / "data")


def check_privacy(dataset, site: Path, threshold: int) -> None:
    from ..guard import check_outputs

    identifiers: set[str] = set()
    for frame, column in (
        (dataset.mi, "participant_id"),
        (dataset.survey, "respondent_id"),
        (dataset.referrals, "referral_id"),
        (dataset.interviews, "interview_id"),
    ):
        identifiers.update(frame[column].astype(str))
    names = set(dataset.centres["adviser_name"].dropna().astype(str)) - {""}
    check_outputs(site, identifiers=identifiers, names=names, threshold=threshold)
