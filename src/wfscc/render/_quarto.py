"""Choosing an engine, and handing the render to the Quarto CLI where it is installed.

The Quarto engine renders the same staged project as the built-in one: the book
(`quarto render`: the HTML site and `report.pdf`), then the summary (`quarto render --profile
summary`: `summary.html` and `summary.pdf`, see `_quarto-summary.yml`), then the Pagefind index.
Before that, each executed LA notebook listed in the book becomes a `.qmd` page made by the
built-in engine's own notebook converter (`profile_pages`), so that both engines show exactly the
same outputs of it (charts with alt text and data, tables, text; never code or streams). Each page
gives its figures and tables their numbers in its front matter (`wfscc-numbers`, A.1, A.2, ...
through the annex, as the built-in engine numbers them), which the site shows in their captions
(`_filters/wfscc-post.lua`): Quarto numbers each page of a book's site from 1.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

from wfscc.errors import EngineNotFoundError

from ..contract import ENGINE_AUTO, ENGINE_PANDOC, ENGINE_QUARTO, ENGINES
from ._docx import set_docx_date
from ._html import index_site
from ._lists import fill_quarto_lists
from ._notebook import notebook_markdown
from ._pandoc import resource
from ._pdfdate import set_pdf_date
from ._project import RenderError, _flatten_vars, _is_profile, _read_yaml
from ._qmd import expand

QUARTO_FIX = (
    "the Quarto CLI is not on PATH: install it from https://quarto.org/docs/get-started/ "
    "(or, offline, `bash ../shared/quarto/setup.sh PREFIX`) and put `quarto` on PATH, "
    "or render with the built-in engine (--engine pandoc)"
)
# Set while wfscc itself runs Quarto: the project's pre- and post-render steps then do nothing
# (the build has prepared the staged project and checks the site itself).
INNER = "WFSCC_QUARTO_INNER"
MEDIA = "media"  # report/profiles/media/<LA>/: a profile page's charts and their data


def select_engine(engine: str = ENGINE_AUTO) -> str:
    """Resolve "auto" | "pandoc" | "quarto" to the engine that will run.

    "auto" picks Quarto when its CLI is on PATH, else pandoc. Asking for "quarto" without the
    CLI raises `EngineNotFoundError` naming the fix.
    """
    if engine not in ENGINES:
        raise RenderError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == ENGINE_QUARTO and not shutil.which("quarto"):
        raise EngineNotFoundError(f"Cannot render with Quarto: {QUARTO_FIX}.")
    if engine == ENGINE_AUTO:
        return ENGINE_QUARTO if shutil.which("quarto") else ENGINE_PANDOC
    return engine


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write *data* to *path* unless it holds them already (`quarto preview` re-renders what
    changes on disk, so the pre-render step must leave unchanged files alone)."""
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def sync_tree(source: Path, target: Path) -> None:
    """Make *target* hold exactly the files of *source*, writing only those that differ."""
    wanted = {p.relative_to(source) for p in Path(source).rglob("*") if p.is_file()}
    if Path(target).is_dir():
        for path in sorted(Path(target).rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel in sorted(wanted):
        write_if_changed(Path(target) / rel, (Path(source) / rel).read_bytes())


def profile_page(source: Path, variables: dict[str, str], problems: list[str]) -> str:
    """The markdown of the page of the executed notebook *source*, its charts and their data
    written under `media/<name>/` beside it, made by the converter the built-in engine uses (so
    both engines show the same outputs of a notebook, never its code); problems (alt text,
    errors) go to *problems*. Its heading is `{.unnumbered}`: Quarto letters every numbered
    appendix chapter, and a profile shares the letter of its annex's page (`_quarto.yml`), as
    in the built-in engine."""
    source = Path(source)
    media = source.parent / MEDIA / source.stem
    with tempfile.TemporaryDirectory(prefix="wfscc-profile-") as tmp:
        made = Path(tmp)
        markdown = notebook_markdown(source, variables, made, problems)
        markdown = markdown.replace(made.as_posix() + "/", f"{MEDIA}/{source.stem}/")
        sync_tree(made, media)
    return _unnumbered(markdown)


NUMBERS = "wfscc-numbers"  # a profile page's front matter: {float id: its number, "A.4"}
_FLOAT_ID = re.compile(r"\{\s*#((?:fig|tbl)-[\w-]+)")


def annex_start(project_dir: Path, variables: dict[str, str]) -> tuple[str, dict[str, int]] | None:
    """The letter of the LA profiles' annex (`wfscc.profiles-part`) as both engines letter it,
    and how many figures and tables its own page holds before the first profile; None when
    `_quarto.yml` has no such annex among its appendices."""
    project_dir = Path(project_dir)
    config = _read_yaml(project_dir / "_quarto.yml")
    part = (config.get("wfscc") or {}).get("profiles-part", "Annex A: Local authority profiles")
    appendices = (config.get("book") or {}).get("appendices") or []
    items = [a for a in appendices if not (isinstance(a, str) and _is_profile(a, str(part)))]
    for n, item in enumerate(items):
        page = item.get("part") if isinstance(item, dict) else item
        if page != part:
            continue
        counts = {"fig": 0, "tbl": 0}
        if str(page).endswith((".qmd", ".md")) and (project_dir / str(page)).is_file():
            for ident in _FLOAT_ID.findall(expand(project_dir / str(page), variables, [])):
                counts[ident[:3]] += 1
        return string.ascii_uppercase[n % 26], counts
    return None


def float_numbers(pages: list[str], letter: str, start: dict[str, int]) -> list[dict[str, str]]:
    """The numbers of the figures and tables of *pages* (markdown, in book order), counted on
    from *start* through the annex lettered *letter*: {"fig-p02-starts": "A.4", ...} per page,
    as the built-in engine numbers a part's pages (`render/_chapters.py`)."""
    counts = dict(start)
    out = []
    for markdown in pages:
        numbers = {}
        for ident in _FLOAT_ID.findall(markdown):
            counts[ident[:3]] += 1
            numbers[ident] = f"{letter}.{counts[ident[:3]]}"
        out.append(numbers)
    return out


def write_profile_pages(
    project_dir: Path, notebooks: list[Path], variables: dict[str, str], problems: list[str]
) -> list[Path]:
    """Write the `.qmd` page of each executed notebook (`profile_page`) beside it, in book
    order, each with its figures' and tables' numbers through the annex in its front matter
    (`NUMBERS`); an unchanged page is not rewritten (`quarto preview` watches them)."""
    markdowns = [profile_page(source, variables, problems) for source in notebooks]
    start = annex_start(project_dir, variables)
    numbers = float_numbers(markdowns, *start) if start else [{} for _ in markdowns]
    pages = []
    for source, markdown, given in zip(notebooks, markdowns, numbers, strict=True):
        if given:
            front = yaml.safe_dump({NUMBERS: given}, sort_keys=False, allow_unicode=True)
            markdown = f"---\n{front}---\n\n{markdown}"
        page = Path(source).with_suffix(".qmd")
        write_if_changed(page, markdown.encode("utf-8"))
        pages.append(page)
    return pages


def profile_pages(project_dir: Path) -> list[Path]:
    """Turn every executed notebook the book lists (`*.ipynb` chapters) into its page
    (`write_profile_pages`) and list the pages in `_quarto.yml` instead.

    Raises `RenderError` for a notebook that fails its checks (alt text, errors).
    """
    project_dir = Path(project_dir)
    config_path = project_dir / "_quarto.yml"
    text = config_path.read_text(encoding="utf-8")
    variables = {}
    if (project_dir / "_variables.yml").is_file():
        variables = _flatten_vars(_read_yaml(project_dir / "_variables.yml"))
    notebooks = sorted(set(re.findall(r"^\s*-\s+(\S+\.ipynb)\s*$", text, re.M)))
    problems: list[str] = []
    pages = write_profile_pages(
        project_dir, [project_dir / rel for rel in notebooks], variables, problems
    )
    for rel in notebooks:
        text = re.sub(rf"^(\s*-\s+){re.escape(rel)}\s*$", rf"\g<1>{rel[:-6]}.qmd", text, flags=re.M)
    if problems:
        raise RenderError(problems)
    write_if_changed(config_path, text.encode("utf-8"))
    return pages


def _unnumbered(text: str) -> str:
    """*text* (a page's markdown) with its first level-1 heading marked `{.unnumbered}`."""

    def mark(m: re.Match) -> str:
        head = m.group(1).rstrip()
        if head.endswith("}") and "{" in head:
            return head[:-1].rstrip() + " .unnumbered}"
        return head + " {.unnumbered}"

    return re.sub(r"^(# .+)$", mark, text, count=1, flags=re.M)


def _quarto(args: list[str], project_dir: Path, epoch: int | None = None) -> None:
    quarto = shutil.which("quarto")
    if quarto is None:
        raise EngineNotFoundError(f"Cannot render with Quarto: {QUARTO_FIX}.")
    env = {**os.environ, INNER: "1"}
    if epoch is not None:  # the Typst CLI dates its PDFs with it (the offline bundle's shim not)
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    proc = subprocess.run(
        [quarto, *args], cwd=project_dir, capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise RenderError(f"quarto {' '.join(args)} failed:\n{proc.stderr.strip()[-4000:]}")


def output_dir(project_dir: Path) -> Path:
    """The book's output folder named in `_quarto.yml` (`project: output-dir:`)."""
    config = yaml.safe_load((Path(project_dir) / "_quarto.yml").read_text(encoding="utf-8"))
    return Path(project_dir) / ((config.get("project") or {}).get("output-dir") or "_book")


def add_summary(project_dir: Path, out_dir: Path, epoch: int | None = None) -> dict[str, Path]:
    """Render the summary (`quarto render --profile summary`) and copy `summary.html`,
    its files and `summary.pdf` into *out_dir*; return the PDF by name (none without one)."""
    project_dir = Path(project_dir)
    config = _read_yaml(project_dir / "_quarto.yml")
    rel = (config.get("wfscc") or {}).get("summary") or "report/summary.qmd"
    if not (project_dir / rel).is_file():
        return {}
    _quarto(["render", "--profile", "summary"], project_dir, epoch)
    made = project_dir / "_summary" / Path(rel).parent
    stem = Path(rel).stem
    shutil.copyfile(made / f"{stem}.html", out_dir / "summary.html")
    shutil.copyfile(made / f"{stem}.pdf", out_dir / "summary.pdf")
    if (made / f"{stem}.docx").is_file():  # the review copy
        shutil.copyfile(made / f"{stem}.docx", out_dir / "summary.docx")
    # summary.html moves from the summary's folder to the site's root: what it links to
    # beside it (charts, their data, Quarto's files) moves with it
    for folder in sorted(p for p in made.iterdir() if p.is_dir() and p.name != "profiles"):
        shutil.copytree(folder, out_dir / folder.name, dirs_exist_ok=True)
    libs = project_dir / "_summary" / "site_libs"
    if libs.is_dir():
        shutil.copytree(libs, out_dir / "site_libs", dirs_exist_ok=True)
    return {"summary": out_dir / "summary.pdf"}


def complete_site(out_dir: Path, when: datetime) -> None:
    """What the built-in engine's template adds to every site and Quarto does not: the script
    of "Show where numbers come from" beside its panel data in `assets/` (an empty data file
    where the build wrote none; wfscc-trace.lua links both); and the review copies dated
    *when*, byte for byte the same from build to build."""
    assets = Path(out_dir) / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource("templates", "trace.js"), assets / "trace.js")
    if not (assets / "trace-data.js").exists():
        (assets / "trace-data.js").write_text("window.wfsccFacts = null;\n", encoding="utf-8")
    for name in ("report.docx", "summary.docx"):
        if (Path(out_dir) / name).is_file():
            set_docx_date(Path(out_dir) / name, when)


def _footer(project_dir: Path, items: list[tuple[str, str]]) -> None:
    """Show the build's provenance (package version, commit, data hash, build date) in every
    page's footer, as the built-in engine does: `book: page-footer:` of the staged project, and
    in report.pdf as one line on the title verso (`wfscc-colophon`, typst-show.typ)."""
    path = project_dir / "_quarto.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    text = " · ".join(f"{label}: {value}" for label, value in items)
    config.setdefault("book", {})["page-footer"] = {"center": text}
    # report.pdf: one line at the foot of the title verso, without the timestamp beside the
    # build date (as the built-in engine's, so that it fits on one line)
    dated = any(label == "Build date" for label, _ in items)
    config["wfscc-colophon"] = " · ".join(
        f"{label}: {value}" for label, value in items if not (dated and label == "Build timestamp")
    )
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def render_quarto(
    project_dir: Path,
    out_dir: Path,
    *,
    footer_items: list[tuple[str, str]] | None = None,
    epoch: int | None = None,
) -> tuple[list[Path], dict[str, Path]]:
    """Render the staged book with the Quarto CLI into *out_dir*; return (html pages, pdfs).

    *out_dir* may already hold files (the data downloads): Quarto renders into the project's
    own output folder, whose files are then copied over. *footer_items* (label, value) go in
    every page's footer; *epoch* (seconds) dates the PDFs where the Typst CLI reads it.
    """
    project_dir = Path(project_dir).resolve()
    out_dir = Path(out_dir).resolve()
    profile_pages(project_dir)
    if footer_items:
        _footer(project_dir, footer_items)
    _quarto(["render"], project_dir, epoch)
    book = output_dir(project_dir)
    shutil.copytree(book, out_dir, dirs_exist_ok=True)
    pdfs = {"report": out_dir / "report.pdf"}
    if not pdfs["report"].is_file():
        raise RenderError(f"quarto render made no report.pdf in {book}")
    pdfs.update(add_summary(project_dir, out_dir, epoch))
    when = datetime.fromtimestamp(epoch or 0, tz=UTC)
    fill_quarto_lists(project_dir, out_dir)  # the lists of tables and figures (issue 16)
    if epoch is not None:
        for pdf in pdfs.values():
            set_pdf_date(pdf, when)
    complete_site(out_dir, when)
    index_site(out_dir)
    return sorted(p for p in out_dir.rglob("*.html") if "pagefind" not in p.parts), pdfs
