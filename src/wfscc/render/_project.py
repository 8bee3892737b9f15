"""Read a Quarto book project: `_quarto.yml`, `_variables.yml` and the chapter list.

Only the keys this engine uses are read; the rest of `_quarto.yml` is left for the Quarto CLI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from wfscc.config import YAML_LOADER
from wfscc.errors import BuildError


class RenderError(BuildError):
    """The book could not be rendered; the message says which file and what to fix."""

    def __init__(self, problems: list[str] | str, head: str = "The book could not be rendered"):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.head = head
        lines = [head + ":"] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Chapter:
    """One page of the book: a `.qmd` chapter or an executed `.ipynb` notebook."""

    source: Path  # absolute path of the source file
    rel: PurePosixPath  # path relative to the project directory, as written in `_quarto.yml`
    html: PurePosixPath  # output page, relative to the site root
    appendix: bool = False
    part: str | None = None  # title of the part this chapter belongs to, if any
    part_index: int | None = None  # index of that part among the book's parts
    appendix_index: int | None = None  # position of its entry in `appendices:` (A = 0)
    part_page: bool = False  # the part's own page (`- part: file.qmd`), before its chapters
    site_only: bool = False  # on the site only: a chapter of the `wfscc.build-part` part


@dataclass
class Book:
    """What the engine needs from the project: metadata, chapters and variables."""

    project_dir: Path
    title: str
    subtitle: str
    authors: list[str]
    date: str
    chapters: list[Chapter]
    parts: list[str]
    variables: dict[str, str]
    summary: Chapter | None
    crossref: dict[str, str] = field(default_factory=dict)
    number_depth: int = 2
    number_sections: bool = True
    publication: dict[str, str] = field(default_factory=dict)  # `wfscc.publication`

    @property
    def site_root(self) -> PurePosixPath:
        """The directory that page paths are relative to (the chapters' common folder)."""
        return _common_dir([c.rel for c in self.chapters])


def _common_dir(paths: list[PurePosixPath]) -> PurePosixPath:
    """The chapters' common folder, leaving out pages at the project root (Quarto's home page,
    `index.qmd`, must be there while the chapters live in `report/`)."""
    paths = [p for p in paths if p.parent != PurePosixPath(".")] or paths
    if not paths:
        return PurePosixPath(".")
    common = os.path.commonpath([str(p.parent) for p in paths]) or "."
    return PurePosixPath(common)


def _page(rel: PurePosixPath, root: PurePosixPath) -> PurePosixPath:
    """The page a chapter becomes: its path below *root* (a root-level page keeps its name)."""
    return (rel.relative_to(root) if rel.is_relative_to(root) else rel).with_suffix(".html")


def _flatten_vars(data: object, prefix: str = "") -> dict[str, str]:
    """Flatten nested variables to dotted names, as Quarto's `{{< var a.b >}}` expects."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                out.update(_flatten_vars(value, name + "."))
            else:
                out[name] = "" if value is None else str(value)
    return out


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise RenderError(f"{path}: expected a mapping at the top level")
    return data


def _authors(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        names.append(str(item.get("name", "")) if isinstance(item, dict) else str(item))
    return [n for n in names if n]


PART_FILE = (".qmd", ".md")


def _part_title(source: Path) -> str:
    """The title of a part page: its front matter's `title`, else its first level-1 heading
    without attributes (Quarto shows that title in the sidebar and the PDF's outline)."""
    text = source.read_text(encoding="utf-8")
    front = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    if front:
        meta = yaml.load(front.group(1), Loader=YAML_LOADER) or {}
        if isinstance(meta, dict) and meta.get("title"):
            return str(meta["title"])
    heading = re.search(r"^#\s+(.+?)\s*(\{[^}]*\})?\s*$", text, re.M)
    return heading.group(1).strip() if heading else source.stem


def _publication(extra: dict, config_path: Path) -> dict[str, str]:
    """`wfscc.publication` (report number, ISBN, publisher...) as strings."""
    value = extra.get("publication") or {}
    if not isinstance(value, dict):
        raise RenderError(f"{config_path}: wfscc.publication must be a mapping of names to values")
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


PROFILES = "profiles"  # the LA profile pages: this folder beside their annex's page


def _is_profile(rel: str, annex: str) -> bool:
    """Whether *rel* is an LA profile page of the annex page *annex* (in its `profiles/`)."""
    return PurePosixPath(rel).parent == PurePosixPath(annex).parent / PROFILES


def _profiles_annex(extra: dict, book: dict, crossref: dict, project_dir: Path):
    """(page, title) of the LA profiles' annex when `_quarto.yml` lists it the way Quarto
    letters it: `wfscc.profiles-part` names a page that is an appendix chapter, followed by the
    profile pages (`profiles/` beside it, headed `{.unnumbered}` for Quarto). This engine reads
    it as the part it is: the page (its title "Annex A: ...") and the profiles under it, all
    sharing its letter. None when the profiles' annex is a `- part:` (or absent)."""
    page = extra.get("profiles-part")
    appendices = book.get("appendices") or []
    if not isinstance(page, str) or page not in appendices or not (project_dir / page).is_file():
        return None
    title = _part_title(project_dir / page)
    word = crossref["appendix-title"]
    if not title.lower().startswith(word.lower() + " "):
        numbered = [a for a in appendices if not (isinstance(a, str) and _is_profile(a, page))]
        letter = chr(ord("A") + numbered.index(page) % 26)
        title = f"{word} {letter}{crossref.get('appendix-delim', ':')} {title}"
    return page, title


def load_book(project_dir: Path) -> Book:
    """Read `_quarto.yml` and `_variables.yml` from *project_dir* and list the chapters."""
    project_dir = Path(project_dir).resolve()
    config_path = project_dir / "_quarto.yml"
    if not config_path.is_file():
        raise RenderError(f"{config_path}: not found; the project needs a _quarto.yml")
    config = _read_yaml(config_path)
    book = config.get("book") or {}
    if not isinstance(book, dict) or not book.get("chapters"):
        raise RenderError(f"{config_path}: expected 'book:' with a 'chapters:' list")
    variables: dict[str, str] = {}
    vars_path = project_dir / "_variables.yml"
    if vars_path.is_file():
        variables = _flatten_vars(_read_yaml(vars_path))

    extra = config.get("wfscc") if isinstance(config.get("wfscc"), dict) else {}
    build_part = extra.get("build-part")
    crossref = {"fig-title": "Figure", "tbl-title": "Table", "appendix-title": "Annex"}
    crossref.update({k: str(v) for k, v in (config.get("crossref") or {}).items()})
    profiles = _profiles_annex(extra, book, crossref, project_dir)
    entries: list[tuple[str, bool, str | None, int | None, int | None, bool]] = []
    parts: list[str] = []
    problems: list[str] = []
    for appendix, key in ((False, "chapters"), (True, "appendices")):
        n = -1
        for item in book.get(key) or []:
            if not (profiles and isinstance(item, str) and _is_profile(item, profiles[0])):
                n += 1  # a profile shares the letter of its annex's page
            letter = n if appendix else None
            if profiles and appendix and item == profiles[0]:  # the profiles' annex, a part
                parts.append(profiles[1])
                entries.append((item, appendix, None, len(parts) - 1, letter, True))
            elif profiles and appendix and isinstance(item, str) and _is_profile(item, profiles[0]):
                entries.append((item, appendix, profiles[1], len(parts) - 1, letter, False))
            elif isinstance(item, str):
                entries.append((item, appendix, None, None, letter, False))
            elif isinstance(item, dict) and "part" in item:
                title = str(item["part"])
                if title.endswith(PART_FILE):  # Quarto's part page: its title is the part's
                    if (project_dir / title).is_file():
                        entries.append((title, appendix, None, len(parts), letter, True))
                        title = _part_title(project_dir / title)
                    else:
                        problems.append(f"{config_path}: part page '{title}' does not exist")
                parts.append(title)
                for sub in item.get("chapters") or []:
                    entries.append((str(sub), appendix, title, len(parts) - 1, letter, False))
            else:
                problems.append(f"{config_path}: book.{key}: cannot read entry {item!r}")

    rels = [PurePosixPath(e[0]) for e in entries]
    root = _common_dir(rels)
    chapters = []
    for (rel_s, appendix, part, part_index, letter, part_page), rel in zip(entries, rels,
                                                                            strict=True):
        source = project_dir / rel
        if not source.is_file():
            problems.append(f"{config_path}: chapter '{rel_s}' does not exist")
        if rel.suffix not in (".qmd", ".ipynb", ".md"):
            problems.append(f"{config_path}: chapter '{rel_s}' must be a .qmd, .md or .ipynb file")
        html = _page(rel, root)
        if part_page:
            part = parts[part_index]
        site_only = build_part is not None and part == str(build_part)
        chapters.append(Chapter(source, rel, html, appendix, part, part_index, letter,
                                part_page, site_only))
    seen: dict[PurePosixPath, PurePosixPath] = {}
    for ch in chapters:
        if ch.html in seen:
            problems.append(f"{config_path}: '{ch.rel}' and '{seen[ch.html]}' make the same page")
        seen[ch.html] = ch.rel

    summary = None
    summary_rel = PurePosixPath(extra.get("summary") or root / "summary.qmd")
    if (project_dir / summary_rel).is_file():
        summary = Chapter(project_dir / summary_rel, summary_rel, PurePosixPath("summary.html"))
    elif extra.get("summary"):
        problems.append(f"{config_path}: wfscc.summary '{summary_rel}' does not exist")
        if summary.html in seen:
            problems.append(f"{config_path}: a chapter would overwrite summary.html")
    if problems:
        raise RenderError(problems)

    return Book(
        project_dir=project_dir,
        title=str(book.get("title", "")),
        subtitle=str(book.get("subtitle", "")),
        authors=_authors(book.get("author")),
        date=str(book.get("date", "")),
        chapters=chapters,
        parts=parts,
        variables=variables,
        summary=summary,
        crossref=crossref,
        number_depth=int(config.get("number-depth", 2)),
        number_sections=bool(config.get("number-sections", True)),
        publication=_publication(extra, config_path),
    )
