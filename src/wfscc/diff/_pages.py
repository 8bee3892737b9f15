"""Comparing the text a reader sees: HTML pages and PDF documents.

An HTML page's text is what is inside ``<main>`` (or, without one, the body less its header,
navigation and footer), with scripts, styles and templates dropped; one line per block
element. A PDF's text is what ``pypdf`` extracts. In both, provenance that changes with every
build (package version, git commit, data hash, build date and time) is masked first, so a new
commit or build date alone is not a change. The "Changes since the previous build" page is
skipped: it differs in every build.
"""

from __future__ import annotations

import difflib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from ..contract import PUBLISH_MARKER as MARKER
from ._model import ADDED, CHANGED, REMOVED, TITLE, PageChange

#: Directories of a build that hold no pages of the report.
SKIP_DIRS = {"assets", "pagefind", "data", "notebooks"}
#: How many changed lines a page change carries as a sample.
SAMPLE = 4

_SKIP_TAGS = {"script", "style", "template", "noscript", "nav", "header", "footer", "head"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "caption", "figure", "figcaption",
    "blockquote", "pre", "br", "hr", "main", "body", "details", "summary",
}
_CELL_TAGS = {"td", "th"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_LABELLED = re.compile(
    r"\b(package\s+version|git\s+commit|data\s+hash|build\s+date|build\s+timestamp)"
    r"(\s*:?\s*)(\S+(?:\s+(?:UTC|\d{1,2}:\d{2}(?::\d{2})?|" + _MONTHS + r"|\d{4}\.?))*)",
    re.IGNORECASE)
_STAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                    r"(?:\s?UTC|Z|[+-]\d{2}:?\d{2})?")


class _TextParser(HTMLParser):
    """Collects the visible text of a page, split into lines at block elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.main = 0
        self.seen_main = False
        self.body: list[str] = []
        self.in_main: list[str] = []

    def _emit(self, text: str) -> None:
        if self.skip:
            return
        self.body.append(text)
        if self.main:
            self.in_main.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "main":
            self.main += 1
            self.seen_main = True
        if tag in _BLOCK_TAGS:
            self._emit("\n")
        elif tag in _CELL_TAGS:
            self._emit(" | ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._emit(f"\nImage: {alt}\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self._emit("\n")
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "main":
            self.main = max(0, self.main - 1)

    def handle_data(self, data):
        self._emit(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page, one line per block (see the module docstring)."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.in_main if parser.seen_main else parser.body)


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF, as ``pypdf`` extracts it."""
    from pypdf import PdfReader  # on use: about 60 ms to import, and most diffs have no PDF

    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def provenance_values(build: Path) -> list[str]:
    """Commit and data hash (and ISO timestamp) of a build, from its ``.wfscc-build.json``."""
    try:
        marker = json.loads((build / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    keys = ("commit", "data_hash", "build_timestamp")
    return [str(marker[k]) for k in keys if isinstance(marker.get(k), str) and len(marker[k]) >= 7]


def lines(text: str, mask: list[str] = ()) -> list[str]:
    """Non-empty, whitespace-normalised lines of ``text`` with provenance masked."""
    for value in sorted(set(mask), key=len, reverse=True):
        text = text.replace(value, "…")
    text = _LABELLED.sub(lambda m: m.group(1) + m.group(2) + "…", text)
    text = _STAMP.sub("…", text)
    out = []
    for line in text.splitlines():
        line = " ".join(line.split()).strip(" |")
        if line and not line.isdigit():  # a bare number is a PDF page number
            out.append(line)
    return out


def _crop(a: str, b: str, context: int = 40) -> tuple[str, str]:
    """Both lines cut to start shortly before the first character where they differ."""
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += 1
    if same <= context:
        return a, b
    cut = a.rfind(" ", 0, same - context) + 1
    return "…" + a[cut:], "…" + b[cut:]


def _line_diff(old: list[str], new: list[str]) -> tuple[int, int, tuple[str, ...]]:
    """Lines removed, lines added, and the first changed lines (a replaced line is shown as
    its old and new versions one after the other, cut to where they differ)."""
    removed = added = 0
    sample: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        gone, came = old[i1:i2], new[j1:j2]
        for k in range(max(len(gone), len(came))):
            if k < len(gone) and k < len(came):
                a, b = _crop(gone[k], came[k])
                sample += [f"- {a}", f"+ {b}"]
            else:
                sample.append(f"- {gone[k]}" if k < len(gone) else f"+ {came[k]}")
    return removed, added, tuple(sample[:SAMPLE])


def _documents(build: Path, suffix: str) -> dict[str, Path]:
    found = {}
    for path in build.rglob(f"*{suffix}"):
        rel = path.relative_to(build)
        if path.is_file() and rel.parts[0] not in SKIP_DIRS:
            found[rel.as_posix()] = path
    return found


def _read(path: Path, kind: str, mask: list[str]) -> list[str]:
    try:
        if kind == "html":
            return lines(html_text(path.read_text(encoding="utf-8", errors="replace")), mask)
        return lines(pdf_text(path), mask)
    except Exception as exc:  # a damaged document is reported, not fatal
        return [f"(the text could not be read: {type(exc).__name__})"]


def _is_changes_page(*pages: list[str]) -> bool:
    """True for the "Changes since the previous build" page itself (its title, perhaps
    numbered, is its first line)."""
    return any(p and p[0].endswith(TITLE) for p in pages)


def compare_pages(old: Path, new: Path) -> list[PageChange]:
    """HTML pages and PDFs added, removed or with changed text, sorted by path."""
    mask = provenance_values(old) + provenance_values(new)
    out = []
    for kind, suffix in (("html", ".html"), ("pdf", ".pdf")):
        a, b = _documents(old, suffix), _documents(new, suffix)
        for rel in sorted(set(a) | set(b)):
            if rel not in b:
                out.append(PageChange(rel, kind, REMOVED))
            elif rel not in a:
                out.append(PageChange(rel, kind, ADDED))
            elif a[rel].read_bytes() != b[rel].read_bytes():
                old_lines, new_lines = _read(a[rel], kind, mask), _read(b[rel], kind, mask)
                if kind == "html" and _is_changes_page(old_lines, new_lines):
                    continue
                removed, added, sample = _line_diff(old_lines, new_lines)
                if removed or added:
                    out.append(PageChange(rel, kind, CHANGED, removed, added, sample))
    return sorted(out, key=lambda p: p.path)
