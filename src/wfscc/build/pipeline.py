"""The build: validate → facts → per-LA notebooks → pages and PDFs → tables → guard → publish.

Each step is a plain function of the library; this module only wires them together, keeps the cache
and makes sure nothing half-built is published.
"""

from __future__ import annotations

import json
import resource
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..contract import ENGINE_PANDOC, EXECUTOR_LOCAL
from ..contract import PUBLISH_MARKER as MARKER
from ..errors import BuildError
from ..memo import prune
from . import cache
from .lock import one_build_at_a_time
from .provenance import Provenance, build_timestamp, collect
from .publish import publish, recover
from .stage import keep_stage, kept_inputs, stage_project

if TYPE_CHECKING:
    from ..execute import EarlyPool
    from .steps import Event

#: Called with the staged site and its files that are final once the pages are rendered
OnPages = Callable[[Path, list[Path]], object]
#: The cache folders that :func:`wfscc.memo.prune` bounds after every build: the build's store
#: (facts, charts, tables and the executed notebooks, by inputs) and the render's.
CACHE_STORES = ("memo", "render")
#: The timing, in the build's record, of the CPU seconds the privacy guard spends scanning files
#: while the pages and PDFs render (its step's own time is only the final check)
EARLY_GUARD_CPU = "Checking outputs for personal data while rendering (CPU)"


def _quiet(kind: str, message: str) -> None:  # the default reporter says nothing
    return None


@dataclass
class BuildResult:
    out_dir: Path
    noop: bool = False
    html_pages: list[Path] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)
    notebooks_run: list[str] = field(default_factory=list)
    notebooks_cached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    provenance: Provenance | None = None


def _inputs_key(config: Config, engine: str) -> tuple[str, str]:
    data = cache.data_hash(config.data_dir)
    key = cache.combine(
        data,
        cache.project_hash(config.project_dir),
        cache.code_hash(),
        engine,
        config.threshold,
        _fixed_timestamp_key(config),
    )
    return key, data


def _engine(asked: str) -> str:
    """The engine that will render. wfscc.render costs about 0.1 s to import (python -X
    importtime), a third of a rebuild that finds nothing changed: the built-in engine is taken
    as it is, only "auto" and "quarto" need looking up."""
    if asked == ENGINE_PANDOC:
        return asked
    from ..render import select_engine  # 40 to 90 ms (python -X importtime): see above

    return select_engine(asked)


def _fixed_timestamp_key(config: Config) -> str:
    return build_timestamp(config.project_dir).isoformat()


def _is_current(config: Config, key: str) -> bool:
    marker = config.out_dir / MARKER
    try:
        return json.loads(marker.read_text()).get("inputs") == key
    except (OSError, ValueError):
        return False


def build(config: Config, on_event: Event = _quiet, keep: Path | None = None,
          kernels: EarlyPool | None = None, on_pages: OnPages | None = None) -> BuildResult:
    """Build the report described by ``config``; publish it to ``config.out_dir`` atomically.

    ``keep`` (for ``wfscc preview``): a folder where a published build leaves the project it
    rendered (:func:`~wfscc.build.stage.keep_stage`); the "nothing changed" shortcut is then
    taken only when what is kept there was made from the same inputs.
    ``kernels`` (for ``wfscc preview``'s build worker): kernels started before the build, for
    its notebooks, instead of the ones the build would start. A build that runs notebooks
    gives them its runs (``kernels.given``; the caller closes them); one that has none to run
    leaves them waiting for the next build.
    ``on_pages`` (for ``wfscc preview``): called with the staged site and the files in it that
    are final once the pages are rendered, before the search index, the PDFs and the privacy
    guard's check; nothing of that site is published unless the whole build succeeds."""
    started = time.perf_counter()
    if not config.data_dir.is_dir():
        raise BuildError(
            f"Data folder not found: {config.data_dir}. Pass --data DIR with the input tables."
        )
    engine = _engine(config.engine)
    assert config.cache_dir is not None
    with one_build_at_a_time(config.cache_dir, lambda: on_event(
            "info", f"Another build is using {config.cache_dir} (the same --out): waiting for it "
                    "to finish.")):
        return _build_alone(config, engine, on_event, keep, started, kernels, on_pages)


def _build_alone(config: Config, engine: str, on_event: Event, keep: Path | None,
                 started: float, kernels: EarlyPool | None = None,
                 on_pages: OnPages | None = None) -> BuildResult:
    """:func:`build`, holding the build cache's lock."""
    assert config.cache_dir is not None
    recover(config.out_dir)
    key, data_digest = _inputs_key(config, engine)
    if not config.force and _is_current(config, key) and (
            keep is None or kept_inputs(keep) == key):
        on_event("info", "Nothing changed since the last build: the published output is current.")
        return BuildResult(config.out_dir, noop=True, seconds=time.perf_counter() - started)

    staging = config.cache_dir / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        result = _build_into(config, engine, staging, data_digest, on_event, kernels, on_pages)
        (result.out_dir / MARKER).write_text(json.dumps(
            {"inputs": key, "threshold": config.threshold, **result.provenance.as_dict()},
            indent=2, sort_keys=True,
        ))
        on_event("step", "Publishing")
        publish(result.out_dir, config.out_dir)
        result.out_dir = config.out_dir
        result.html_pages = [config.out_dir / p for p in result.html_pages]
        result.pdfs = {k: config.out_dir / p for k, p in result.pdfs.items()}
        if keep is not None:
            keep_stage(staging, keep, key, engine, result.provenance)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for store in CACHE_STORES:  # bounded by age and size; the guard prunes its own after a scan
        prune(config.cache_dir / store)
    result.seconds = time.perf_counter() - started
    (config.cache_dir / "last-build.json").write_text(
        json.dumps({"seconds": result.seconds, "timings": result.timings, "cpu": result.cpu,
                    "cpu_seconds": _cpu_now(), "notebooks_run": result.notebooks_run},
                   indent=2, sort_keys=True)
    )
    return result


def _cpu_now() -> dict[str, float]:
    """CPU seconds so far of this process and of its children that have ended (the kernels,
    pandoc, pdftotext): with the wall time, how busy the build kept the machine."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return {"process": round(own.ru_utime + own.ru_stime, 3),
            "children": round(ended.ru_utime + ended.ru_stime, 3)}


def _thread_cpu(function: Callable, spent: list[float]) -> Callable:
    """``function``, adding the CPU seconds of the thread it runs in to ``spent`` at each call."""

    def counted(*args):
        started = time.thread_time()
        try:
            return function(*args)
        finally:
            spent.append(time.thread_time() - started)

    return counted


def _timed(function: Callable, *args):
    """``function(*args)`` and the seconds it took."""
    started = time.perf_counter()
    return function(*args), time.perf_counter() - started


class _Steps:
    """Announces each step and times it, until the next one starts."""

    def __init__(self, on_event: Event):
        self.on_event = on_event
        self.timings: dict[str, float] = {}
        #: CPU seconds of this process (all its threads) per step: on a shared machine the wall
        #: times above vary with the load, these much less
        self.cpu: dict[str, float] = {}
        self._name, self._since, self._cpu = "", time.perf_counter(), time.process_time()
        self._cpu_name = ""

    def __call__(self, name: str, *, timed: bool = True) -> None:
        """Start step ``name``; ``timed=False`` for a step that records its own timings."""
        now, cpu = time.perf_counter(), time.process_time()
        if self._name:
            self.timings[self._name] = now - self._since
        if self._cpu_name:
            self.cpu[self._cpu_name] = cpu - self._cpu
        self._name, self._since = (name if timed else ""), now
        self._cpu_name, self._cpu = name, cpu
        if name:
            self.on_event("step", name)


def _build_into(
    config: Config, engine: str, staging: Path, data_digest: str, on_event: Event,
    kernels: EarlyPool | None = None, on_pages: OnPages | None = None,
) -> BuildResult:
    # The first kernel starts now, on the core this process leaves idle while it imports the
    # build's steps and reads the data. The executor takes 0.2 to 0.35 s to import, the steps
    # 1.9 to 2.5 s (CPU; python -X importtime), which a rebuild that finds nothing changed does
    # not pay: both imported on work, the executor first (tests/build/test_early_kernel.py).
    from .early import early_pool

    if kernels is not None:  # the caller's: given runs only if there are notebooks to run
        return _run_steps(config, engine, staging, data_digest, on_event, kernels, on_pages,
                          release=False)
    with early_pool(config) or nullcontext() as pool:
        return _run_steps(config, engine, staging, data_digest, on_event, pool, on_pages)


def _run_steps(
    config: Config, engine: str, staging: Path, data_digest: str, on_event: Event, pool,
    on_pages: OnPages | None = None, release: bool = True,
) -> BuildResult:
    # 1.9 to 2.5 s to import (python -X importtime), which a no-op rebuild does not pay
    from .steps import (
        cache_subdir,
        check_privacy,
        load_inputs,
        made_before_render,
        made_by_render,
        plan_profiles,
        prepare_report,
        prescan_privacy,
        privacy_terms,
        render,
        render_ahead,
        run_profiles,
        trace,
        trace_pdfs,
    )

    provenance = collect(config.project_dir, data_digest)
    site = staging / "site"
    site.mkdir()
    step = _Steps(on_event)
    timings = step.timings

    step("Validating data")
    dataset = load_inputs(config)

    step("Finding the LA profiles to run")
    plan = plan_profiles(config, dataset, data_digest)

    # The guard reads each output as soon as it is final, in a thread of its own, while this
    # thread does other work: the tables and facts once written, the notebooks, the pages and
    # assets (mostly while pandoc and Typst make the PDFs, in other processes), the PDFs.
    # What it finds clean it keeps in its cache, which the check of the whole site below finds.
    guard_cache = cache_subdir(config, "guard")
    scanning: list[float] = []  # CPU seconds of the early scans, in their own thread
    with ThreadPoolExecutor(1, thread_name_prefix="wfscc-guard") as early:
        terms = early.submit(_thread_cpu(privacy_terms, scanning), dataset)
        scans = []
        prescan = _thread_cpu(prescan_privacy, scanning)

        def scan(paths: list[Path]) -> list[Path]:
            scans.append(early.submit(lambda: prescan(terms.result(), site, paths,
                                                      config.threshold, guard_cache)))
            return paths

        try:
            # The notebooks run in their kernels while this process computes the facts, charts
            # and tables (neither reads what the other writes): on 2 cores this saves about a
            # second on a cold build, and a kernel's start-up is hidden when only a few
            # notebooks need running. This thread then reads what the render reads first
            # while the notebooks end (a rebuild after one LA's data changed waits for its
            # notebook about half a second). The second kernel waits for the facts (see
            # EarlyPool.sharing_cores): on 2 cores it would only slow them and the first.
            ahead = None
            if plan.todo and config.executor == EXECUTOR_LOCAL:
                step("Computing facts, charts and tables; running LA profile notebooks",
                     timed=False)
                together = time.perf_counter()
                with ThreadPoolExecutor(1, thread_name_prefix="wfscc-notebooks") as background:
                    with pool.sharing_cores():
                        notebooks = background.submit(
                            _timed, run_profiles, config, plan, staging, on_event, pool
                        )
                        facts = _timed(prepare_report, dataset, config, staging, site)
                    (variables_file, generated), seconds = facts
                    timings["Computing facts, charts and tables"] = seconds
                    scanned = scan(made_before_render(site, ("data",)))
                    ahead = render_ahead(engine, cache_subdir(config, "render"))
                    (profiles, ran, cached), timings["Running LA profile notebooks"] = (
                        notebooks.result())
                timings["Facts and notebooks, overlapped"] = time.perf_counter() - together
            else:  # nothing to run, or runs sent to a Dask cluster
                step("Computing facts, charts and tables")
                variables_file, generated = prepare_report(dataset, config, staging, site)
                scanned = scan(made_before_render(site, ("data",)))
                step("Running LA profile notebooks")
                # the build's own pool, with nothing to run, shuts its kernel down now; the
                # caller's is left waiting for the next build
                profiles, ran, cached = run_profiles(config, plan, staging, on_event,
                                                     pool if release else None)

            step("Rendering pages and PDFs")
            notebooks_dir = site / "notebooks"
            notebooks_dir.mkdir()
            for la_code, path in sorted(profiles.items()):
                shutil.copyfile(path, notebooks_dir / f"{la_code}.ipynb")
            before = made_before_render(site)
            scanned_already = set(scanned)
            scan([p for p in before if p not in scanned_already])  # the notebooks
            # Then the pages, PDFs and search index, while the PDFs' pages are found for the
            # Number check (mostly poppler's pdftotext, in another process).
            project = stage_project(config.project_dir, staging, profiles, variables_file,
                                    generated)
            check = trace(project, site)
            pdfs_scanned: list[bool] = []  # the built-in engine scans them before it ends

            def scan_pdfs() -> None:
                scan(made_by_render(site, before))
                pdfs_scanned.append(True)

            def pages_done() -> None:
                made = scan(made_by_render(site, before))
                if on_pages is not None:
                    on_pages(site, made)

            rendered = render(project, site, engine, provenance, cache_subdir(config, "render"),
                              on_site=pages_done, ahead=ahead, on_pdfs=scan_pdfs)
            if not pdfs_scanned:
                scan_pdfs()
            trace_pdfs(project, site, check)
            for done in scans:
                done.result()
        except BaseException:
            for waiting in scans:  # not started: not needed any more
                waiting.cancel()
            raise
    # hidden in the render's wall time, but not free: the early scans hold the interpreter
    # while the render's own Python waits (the benchmark counts them in the guard's share)
    timings[EARLY_GUARD_CPU] = sum(scanning)

    step("Checking outputs for personal data")
    check_privacy(dataset, site, config.threshold, cache_dir=guard_cache,
                  project=config.project_dir, terms=terms.result())
    step("")

    return BuildResult(
        out_dir=site,
        html_pages=[p.relative_to(site) for p in rendered.html_pages],
        pdfs={k: p.relative_to(site) for k, p in rendered.pdfs.items()},
        notebooks_run=ran,
        notebooks_cached=cached,
        timings=timings,
        cpu=step.cpu,
        provenance=provenance,
    )
