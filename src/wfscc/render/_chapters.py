"""From sources to numbered syntax trees: shortcodes, notebooks, media, numbering, cross-refs.

Numbering (documented in README.md beside this module): main chapters 1, 2, ... unless their
heading is `{.unnumbered}`; appendix entries are lettered A, B, ...; a part in the appendices
takes one letter and its chapters share it. Figures and tables are numbered per chapter
("Figure 2.1", "Table B.3"); sections to `number-depth` (default 2) in numbered and
lettered chapters.
"""

from __future__ import annotations

import json
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..memo import sha256
from ..textsafe import spreadsheet_csv
from ._batch import parse_markdown_many
from ._memo import Memo
from ._notebook import notebook_markdown
from ._pandoc import (
    attr_get,
    attr_set,
    element_attr,
    span,
    stringify,
    text_inlines,
    walk,
)
from ._project import Book, Chapter, RenderError
from ._qmd import expand

PLACEHOLDER_ALT = re.compile(
    r"^(image|figure|chart|graph|picture|plot|alt|alt text|placeholder|todo|tbc|tbd|"
    r"no description has been provided.*|description|img|untitled)$", re.I)


@dataclass
class Page:
    """A chapter (or the summary) as a numbered pandoc syntax tree."""

    chapter: Chapter
    doc: dict
    label: str = ""  # "2", "B" or "" for unnumbered
    title: str = ""  # plain text of the level-1 heading, with its number
    anchor: str = ""  # id of the level-1 heading
    source_key: str = ""  # what the page was parsed from (see `source_key`)
    media: list[tuple[Path | None, str]] = field(default_factory=list)  # file -> assets/...
    numbering: tuple = ()  # (state before, state after) the page in `number_pages`
    ids: list[str] = field(default_factory=list)  # its numbered figures' and tables' ids
    found: dict | None = field(default=None, repr=False, compare=False)  # see `page_elements`


def slug(text: str) -> str:
    """An identifier made the way pandoc makes heading ids."""
    text = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    text = re.sub(r"\s+", "-", text).lstrip("0123456789-_.")
    return text or "section"


def _source_text(ch: Chapter, book: Book, media: Path, problems: list[str]) -> str:
    if ch.source.suffix == ".ipynb":
        return notebook_markdown(ch.source, book.variables, media, problems)
    return expand(ch.source, book.variables, problems)


# Notebook images and data are saved in the render's temporary media folder, whose name changes
# from one render to the next. Pages are parsed with the folder written as MEDIA (so that the same
# notebook parses from the same text, and a cached parse can be reused), then put back in
# pandoc's output before it is read.
MEDIA = "/wfscc-render-media/"


def book_chapters(book: Book) -> list[Chapter]:
    """The book's pages in order: its chapters, then the summary."""
    return book.chapters + ([book.summary] if book.summary else [])


_VAR = re.compile(rb"\{\{<\s*var\s+([^\s>]+)")
_INCLUDE = re.compile(rb"\{\{<\s*include\b")


def source_key(ch: Chapter, book: Book, problems: list[str]) -> str:
    """What a page is parsed from, cheaply: a chapter's text with its shortcodes expanded (its
    includes read), a notebook's bytes (its outputs are saved only when it is parsed) and the
    values of the variables it cites."""
    if ch.source.suffix == ".ipynb":
        data = ch.source.read_bytes()
        cited = sorted({m.decode() for m in _VAR.findall(data)})
        # an include's text is not in the bytes: such a notebook is never the same
        again = sha256(os.urandom(16)).hexdigest() if _INCLUDE.search(data) else ""
        return (f"ipynb {sha256(data).hexdigest()} {again}"
                + repr([(name, book.variables.get(name)) for name in cited]))
    return expand(ch.source, book.variables, problems)


def parse_pages(book: Book, media: Path, problems: list[str], memo: Memo | None = None,
                chapters: list[Chapter] | None = None) -> list[Page]:
    """Read every chapter (and the summary, last), or only *chapters*, and parse it; pandoc
    runs in parallel.

    With *memo*, a page whose text, filters and pandoc are unchanged is not parsed again.
    """
    chapters = book_chapters(book) if chapters is None else chapters
    texts = [_source_text(ch, book, media, problems) for ch in chapters]
    if problems:  # unknown variables, subset violations: stop before running pandoc
        raise RenderError(list(dict.fromkeys(problems)))
    prefix = media.as_posix() + "/"
    texts = [t.replace(prefix, MEDIA) for t in texts]
    # the folder put back in pandoc's output (a JSON string, so written as JSON writes it)
    swap = (MEDIA, json.dumps(prefix)[1:-1])
    docs = parse_markdown_many(texts, [str(c.source) for c in chapters], memo or Memo(None),
                               [swap if MEDIA in t else None for t in texts])
    return [Page(ch, doc, source_key=text if ch.source.suffix != ".ipynb"
                 else source_key(ch, book, problems))
            for ch, doc, text in zip(chapters, docs, texts, strict=True)]


def _line_of(source: Path, needle: str) -> str:
    if source.suffix != ".ipynb":
        for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return f"{source}:{n}"
    return str(source)


class _Where:
    """Formats as `_line_of(source, needle)`, reading the source only when formatted."""

    def __init__(self, source: Path, needle: str):
        self.source, self.needle = source, needle

    def __format__(self, spec: str) -> str:
        return format(_line_of(self.source, self.needle), spec)


def hashed(path: Path, prefix: str) -> tuple[str, bytes]:
    """The asset a file becomes: its content-hash name and its bytes."""
    data = path.read_bytes()
    if path.suffix.lower() == ".csv":  # published chart data: no cell may start a formula
        data = spreadsheet_csv(data.decode("utf-8")).encode("utf-8")
    return f"{prefix}-{sha256(data).hexdigest()[:16]}{path.suffix.lower()}", data


def _copy_hashed(path: Path, prefix: str, assets: Path, page: Page) -> str:
    name, data = hashed(path, prefix)
    if not (assets / name).exists():
        (assets / name).write_bytes(data)
    page.media.append((path, f"assets/{name}"))
    return f"assets/{name}"


_KINDS = {"Image": "media", "Link": "media", "Figure": "floats", "Table": "floats",
          "Cite": "cites"}


def page_elements(page: Page) -> dict:
    """The elements of *page* the later steps look at, found in one walk of its tree: images
    and links (`resolve_media`), figures and tables (`number_page`), citations
    (`resolve_xrefs`), and the ids of the images inside figures. Kept in `page.found` until
    the citations are resolved."""
    found: dict = {"media": [], "floats": [], "cites": [], "in_figure": set()}
    kinds = _KINDS
    for el in walk(page.doc["blocks"]):
        kind = kinds.get(el["t"])
        if kind is not None:
            found[kind].append(el)
            if el["t"] == "Figure":
                found["in_figure"].update(id(i) for i in walk(el["c"][2]) if i["t"] == "Image")
    page.found = found
    return found


def resolve_media(page: Page, book: Book, assets: Path, problems: list[str]) -> None:
    """Copy images and chart data into *assets* under content-hash names; check alt text;
    point links to other chapters at their pages."""
    ch = page.chapter
    page.media = []
    found = page.found or page_elements(page)
    in_figure = found["in_figure"]
    by_rel = {c.rel: c for c in book.chapters}
    for el in found["media"]:
        if el["t"] == "Image":
            attr, target = el["c"][0], el["c"][2]
            src = target[0]
            where = _Where(ch.source, src)  # file:line, looked up only for a problem
            if re.match(r"^[a-zA-Z][\w+.-]*:", src):
                problems.append(f"{where}: image '{src[:60]}' is not a local file; "
                                "the site and PDFs make no requests, so save it beside the chapter")
                continue
            path = Path(src) if Path(src).is_absolute() else ch.source.parent / src
            if not path.is_file():
                problems.append(f"{where}: image '{src}' not found")
                continue
            target[0] = _copy_hashed(path, "img", assets, page)
            alt = attr_get(attr, "fig-alt") or attr_get(attr, "alt")
            if not alt and id(el) not in in_figure:
                alt = stringify(el["c"][1])
            alt = (alt or "").strip()
            if not alt or PLACEHOLDER_ALT.match(alt.strip(" .")):
                problems.append(f"{where}: image '{path.name}' has no alt text"
                                + (f" (only the placeholder '{alt}')" if alt else "")
                                + "; add fig-alt=\"...\" (in a notebook: #| fig-alt: ...)")
            attr_set(attr, "fig-alt", None)
            attr_set(attr, "alt", alt)
            data = attr_get(attr, "wfscc-data")
            if data:
                data_path = Path(data) if Path(data).is_absolute() else ch.source.parent / data
                if not data_path.is_file():
                    problems.append(f"{where}: the chart's data '{data}' not found")
                    continue
                attr_set(attr, "wfscc-data", _copy_hashed(data_path, "data", assets, page))
        elif el["t"] == "Link":
            target = el["c"][2]
            url, _, frag = target[0].partition("#")
            if re.match(r"^[a-zA-Z][\w+.-]*:", url) or not url.endswith((".qmd", ".ipynb", ".md")):
                continue
            rel = PurePosixPath((ch.source.parent / url).resolve().relative_to(book.project_dir)
                                .as_posix())
            other = by_rel.get(rel)
            if other is None:
                problems.append(f"{_line_of(ch.source, url)}: link to '{url}', "
                                "which is not a chapter of the book")
            else:
                target[0] = f"wfscc:{other.html}#{frag}"


def _first_h1(page: Page) -> dict | None:
    return next((b for b in page.doc["blocks"] if b["t"] == "Header" and b["c"][0] == 1), None)


def _ensure_h1(page: Page, problems: list[str]) -> dict | None:
    h1 = _first_h1(page)
    title = page.doc["meta"].get("title")
    if h1 is None and title:
        inlines = title["c"] if title["t"] == "MetaInlines" else text_inlines(stringify(title))
        h1 = {"t": "Header", "c": [1, [slug(stringify(inlines)), [], []], inlines]}
        page.doc["blocks"].insert(0, h1)
    if h1 is None:
        problems.append(f"{page.chapter.source}: no level-1 heading and no title; "
                        "start the chapter with '# Title'")
    elif not h1["c"][1][0]:
        h1["c"][1][0] = slug(stringify(h1["c"][2]))
    return h1


def number_pages(pages: list[Page], book: Book, problems: list[str]) -> dict[str, dict]:
    """Number chapters, sections, figures and tables; return the cross-reference map
    {id: {"text": "Figure 2.1", "page": "02-x.html"}}.

    Each page keeps in `Page.numbering` the count it started from and the one it left (the
    chapter number, its label's figure and table counts), and in `Page.ids` the ids it
    numbered: a page renumbered alone (`number_page`) from the same start, leaving the same
    count and ids, leaves every other page's numbers as they are."""
    xref: dict[str, dict] = {}
    state: tuple = (0, {})
    for page in pages:
        state = number_page(page, book, problems, xref, state)
    return xref


def number_page(page: Page, book: Book, problems: list[str], xref: dict[str, dict],
                state: tuple) -> tuple:
    """Number one page, adding its figures and tables to *xref*; *state* is the count left by
    the pages before it, as `number_page` returns it."""
    chapter_no, counters = state[0], dict(state[1])
    appendix_word = book.crossref["appendix-title"]
    page.ids = []
    ch = page.chapter
    h1 = _ensure_h1(page, problems)
    if h1 is None:
        page.numbering = (state, state)
        return state
    classes = h1["c"][1][1]
    unnumbered = ("unnumbered" in classes or "-" in classes or ch == book.summary
                  or (ch.part_page and not ch.appendix))
    prefix, sections = "", True
    if ch.appendix and ch.appendix_index is not None:
        page.label = string.ascii_uppercase[ch.appendix_index % 26]
    if ch.appendix and ch.part_index is not None:
        # a part's pages share its letter; its own page gets "Annex A:" where its heading
        # does not say it (the LA profiles' annex, lettered as Quarto letters it)
        word = f"{appendix_word} {page.label}"
        heading = stringify(h1["c"][2]).lower()
        sections = ch.part_page and not heading.startswith(word.lower())
        prefix = word + ":" if sections else ""
    elif ch.appendix:
        word = f"{appendix_word} {page.label}"
        if not stringify(h1["c"][2]).lower().startswith(word.lower()):
            prefix = word + ":"
    elif not unnumbered:
        chapter_no += 1
        page.label = prefix = str(chapter_no)
    if prefix:
        h1["c"][2][:0] = [span("chapter-number", prefix), {"t": "Space"}]
    page.title, page.anchor = stringify(h1["c"][2]), h1["c"][1][0]
    if book.number_sections and page.label and sections:
        _number_sections(page, book.number_depth)
    # a label's counts run on over the pages sharing it; an unlabelled page counts alone
    count = list(counters.get(page.label, (0, 0))) if page.label else [0, 0]
    for el in (page.found or page_elements(page))["floats"]:
        kind = {"Figure": 0, "Table": 1}.get(el["t"])
        ident = element_attr(el)[0] if kind is not None else ""
        if kind is None or not ident.startswith(("fig-", "tbl-")[kind]):
            continue
        count[kind] += 1
        number = f"{page.label}.{count[kind]}" if page.label else str(count[kind])
        text = f"{book.crossref[('fig-title', 'tbl-title')[kind]]} {number}"
        if ident in xref:
            problems.append(f"{ch.source}: id '{ident}' is used twice in the book")
        caption = stringify(el["c"][1][1]).strip()
        xref[ident] = {"text": text, "page": str(ch.html), "caption": caption}
        page.ids.append(ident)
        _caption_label(el["c"][1], text)
    if page.label:
        counters[page.label] = tuple(count)
    after = (chapter_no, counters)
    page.numbering = (state, after)
    return after


def _caption_label(caption: list, text: str) -> None:
    blocks = caption[1]
    if blocks and blocks[0]["t"] in ("Plain", "Para") and blocks[0]["c"]:
        blocks[0]["c"][:0] = [span("figure-label", text + ":"), {"t": "Space"}]
    else:
        blocks.insert(0, {"t": "Plain", "c": [span("figure-label", text)]})


def _number_sections(page: Page, depth: int) -> None:
    counts = [0] * 7
    for block in page.doc["blocks"]:
        if block["t"] != "Header" or not 2 <= block["c"][0] <= depth:
            continue
        level, classes = block["c"][0], block["c"][1][1]
        if "unnumbered" in classes or "-" in classes:
            continue
        counts[level] += 1
        counts[level + 1:] = [0] * (6 - level)
        number = ".".join([page.label] + [str(n) for n in counts[2:level + 1]])
        block["c"][2][:0] = [span("header-section-number", number), {"t": "Space"}]


def resolve_xrefs(pages: list[Page], xref: dict[str, dict], problems: list[str]) -> None:
    """Replace @fig-/@tbl- citations by links; other citations become their plain text."""
    for page in pages:
        cites = (page.found or page_elements(page))["cites"]
        page.found = None  # the elements are changed from here on
        for el in cites:
            ids = [c["citationId"] for c in el["c"][0]]
            if not all(i.startswith(("fig-", "tbl-")) for i in ids):
                el["t"], el["c"] = "Span", [["", ["citation"], []], el["c"][1]]
                continue
            inlines: list[dict] = []
            for i in ids:
                if i not in xref:
                    problems.append(f"{_line_of(page.chapter.source, '@' + i)}: "
                                    f"cross-reference '@{i}' has no #{i} in the book")
                    continue
                if inlines:
                    inlines += [{"t": "Str", "c": ","}, {"t": "Space"}]
                target = [f"wfscc:{xref[i]['page']}#{i}", ""]
                inlines.append({"t": "Link", "c": [["", ["xref"], []],
                                                   text_inlines(xref[i]["text"]), target]})
            el["t"], el["c"] = "Span", [["", [], []], inlines]
