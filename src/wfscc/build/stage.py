"""Stage a copy of the Quarto project for one build.

Both render engines read the same staged project: ``_quarto.yml`` with the per-LA profiles listed in
Annex A, ``_variables.yml`` with the facts, ``report/`` as written, and the executed notebooks in
``report/profiles/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from ..config import YAML_LOADER
from ..errors import BuildError

PROFILES_DIR = "report/profiles"
ROOT_FILES = ("index.qmd", "_quarto-summary.yml")
FILTERS = Path(__file__).resolve().parent.parent / "render" / "filters"
#: The package's "Show the data" reader (a chart's CSV as a table, numbers right-aligned), which
#: the built-in engine's render.lua loads in place, and where a Quarto project gets its copy.
DATATABLE_FILTER = FILTERS / "datatable.lua"
DATATABLE_COPY = ("_generated", "wfscc-datatable.lua")
#: The package's keep-with-notes rule (a figure's Note, Base and Source lines on its page in the
#: PDF), loaded in place by render.lua and from this copy by ``_filters/wfscc-post.lua``.
KEEPNOTES_FILTER = FILTERS / "keepnotes.lua"
KEEPNOTES_COPY = ("_generated", "wfscc-keepnotes.lua")
#: Each Lua module both engines share, and where a Quarto project gets its copy.
SHARED_FILTERS = ((DATATABLE_FILTER, DATATABLE_COPY), (KEEPNOTES_FILTER, KEEPNOTES_COPY))


def copy_datatable_filter(project_root: Path) -> Path:
    """Put the package's Lua modules that the project's Quarto filters load (the "Show the data"
    reader for ``_filters/wfscc-pre.lua``, the keep-with-notes rule for
    ``_filters/wfscc-post.lua``) in its ``_generated/``; an unchanged file is not rewritten.
    Returns the reader's copy. Found by path, not through ``wfscc.render``, so a rebuild that
    finds nothing changed need not import it."""
    for source, copy in SHARED_FILTERS:
        target = project_root.joinpath(*copy)
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return project_root.joinpath(*DATATABLE_COPY)


def _profiles_part(book: dict, title: str) -> dict:
    for entry in book.get("appendices", []) or []:
        if isinstance(entry, dict) and entry.get("part") == title:
            return entry
    raise BuildError(
        f"_quarto.yml: no appendix part titled {title!r} (named by wfscc.profiles-part) "
        "to hold the LA profiles. Add `- part: \"...\"` with `chapters: []` under book.appendices."
    )


def stage_project(
    project_dir: Path,
    staging: Path,
    profiles: dict[str, Path],
    variables_file: Path,
    generated: Path | None = None,
) -> Path:
    """Copy the project into ``staging`` and fill in the profiles and facts; return its root.

    Files under ``generated`` (charts, the QA log, the changes page) are laid over the copy.
    """
    quarto_file = project_dir / "_quarto.yml"
    if not quarto_file.exists():
        raise BuildError(f"No _quarto.yml in {project_dir}: is --project the project's folder?")
    config = yaml.load(quarto_file.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    book = config.get("book") or {}
    part_title = (config.get("wfscc") or {}).get(
        "profiles-part", "Annex A: Local authority profiles"
    )
    appendices = book.get("appendices") or []
    # the profiles' annex page as an appendix chapter (as Quarto letters it): the profiles are
    # listed after it; else an appendix part (`- part:`) holds them
    part = None if part_title in appendices else _profiles_part(book, part_title)

    root = staging / "project"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(
        project_dir / "report",
        root / "report",
        ignore=shutil.ignore_patterns("profiles", "figures"),
    )
    if (project_dir / "_filters").is_dir():
        shutil.copytree(project_dir / "_filters", root / "_filters")
    copy_datatable_filter(root)  # Quarto's wfscc-pre.lua and wfscc-post.lua load these
    for name in ROOT_FILES:
        if (project_dir / name).exists():
            shutil.copyfile(project_dir / name, root / name)
    if generated is not None and generated.is_dir():
        shutil.copytree(generated, root, dirs_exist_ok=True)
    (root / PROFILES_DIR).mkdir(parents=True, exist_ok=True)
    listed = []
    for la_code in sorted(profiles):
        target = root / PROFILES_DIR / f"{la_code}.ipynb"
        shutil.copyfile(profiles[la_code], target)
        listed.append(f"{PROFILES_DIR}/{la_code}.ipynb")
    if part is None:
        at = appendices.index(part_title) + 1
        end = at
        while end < len(appendices) and str(appendices[end]).startswith(PROFILES_DIR + "/"):
            end += 1
        appendices[at:end] = listed
    else:
        part["chapters"] = listed
    # the build prepares the staged copy and guards the site itself: no `quarto render` hooks
    for hook in ("pre-render", "post-render"):
        (config.get("project") or {}).pop(hook, None)
    (root / "_quarto.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    shutil.copyfile(variables_file, root / "_variables.yml")
    return root


KEPT = "stage.json"  # beside the kept project: what it was made from


def keep_stage(staging: Path, keep: Path, inputs: str, engine: str, provenance) -> None:
    """Leave the project a build rendered (``staging/project``) in ``keep/incoming/``, with
    ``stage.json``: the build's inputs key, engine, provenance, and the files the build
    generated into it (charts, QA log, changes page), which the narrative does not hold.

    ``wfscc preview`` takes it (:func:`take_kept`) and renders a chapter edit from it."""
    incoming = keep / "incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    generated = staging / "generated"
    names = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*")
                   if p.is_file()) if generated.is_dir() else []
    shutil.move(staging / "project", incoming / "project")
    record = {"inputs": inputs, "engine": engine, "generated": names,
              "provenance": provenance.as_dict()}
    # not sort_keys: the provenance's order is the order of the pages' footer
    (incoming / KEPT).write_text(json.dumps(record, indent=1), encoding="utf-8")


def take_kept(keep: Path) -> dict | None:
    """Make ``keep/incoming`` (if any) the kept stage, ``keep/current``; return its record."""
    incoming, current = keep / "incoming", keep / "current"
    if (incoming / KEPT).is_file():
        old = keep / "old"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        incoming.rename(current)
        shutil.rmtree(old, ignore_errors=True)
    try:
        return json.loads((current / KEPT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def kept_inputs(keep: Path) -> str | None:
    """The inputs key of the stage kept in ``keep`` (the newest, taken or not), or None."""
    for name in ("incoming", "current"):
        try:
            return json.loads((keep / name / KEPT).read_text(encoding="utf-8"))["inputs"]
        except (OSError, ValueError, KeyError):
            continue
    return None
