"""Where each cited fact lands in the PDFs, for the Number check (:mod:`wfscc.numbercheck`).

Each site page's chapter starts at the PDF page its outline entry points to (the report's
top-level entries follow the book's chapters, a part's entry holding its chapters as children);
a fact cited on a page is looked for, as the text it shows, on the PDF pages of that chapter.
The summary PDF is searched whole for the facts the summary page cites. The page text comes
from `pdftotext` (poppler-utils); without it, or without an outline, nothing is added.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf

from .render import Book


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of *pdf*, hyphenated line ends joined, spaces collapsed."""
    exe = shutil.which("pdftotext")
    if exe is None or not pdf.is_file():
        return []
    proc = subprocess.run(
        [exe, "-raw", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8", check=False
    )
    if proc.returncode != 0:
        return []
    pages = proc.stdout.split("\f")
    return [" ".join(re.sub(r"-\n(?=\w)", "-", p).split()) for p in pages[:-1] or pages]


def _outline_starts(pdf: Path) -> list[tuple[int, list[int]]]:
    """(start page, [start pages of its children]) of each top-level outline entry, from 1."""
    out = []
    with pikepdf.open(pdf) as doc:
        numbers = {p.objgen: i + 1 for i, p in enumerate(doc.pages)}

        def page_of(item) -> int | None:
            dest = item.destination
            if dest is None and item.action is not None and item.action.get("/D") is not None:
                dest = item.action.D
            if isinstance(dest, pikepdf.Array) and len(dest):
                return numbers.get(dest[0].objgen)
            return None

        with doc.open_outline() as outline:
            for item in outline.root:
                start = page_of(item)
                if start is not None:
                    kids = [page_of(k) for k in item.children]
                    out.append((start, [k for k in kids if k is not None]))
    return out


def chapter_ranges(book: Book, pdf: Path, site_only: set[str] = frozenset()) -> dict[str, range]:
    """The PDF pages (from 1) of each site page of the report's chapters; *site_only* names the
    pages that are not in the PDF."""
    try:
        entries = _outline_starts(pdf)
    except Exception:  # noqa: BLE001 - an unreadable outline only means no page numbers
        return {}
    starts: list[tuple[str, int]] = []
    groups: list[list] = []
    for ch in book.chapters:
        # pages not in the PDF (site only: the Number check, the build part), and a part's own
        # page, which is the part's bookmark, not one of its children
        if str(ch.html) in site_only or ch.site_only or ch.part_page:
            continue
        if ch.part is not None and groups and groups[-1][0] == ch.part:
            groups[-1][1].append(ch)
        else:
            groups.append([ch.part, [ch]])
    if len(groups) != len(entries):
        return {}
    for (part, chapters), (start, kids) in zip(groups, entries, strict=True):
        if part is None:
            starts.append((str(chapters[0].html), start))
        elif len(kids) == len(chapters):
            starts += [(str(ch.html), k) for ch, k in zip(chapters, kids, strict=True)]
    ends = [s for _, s in starts[1:]]
    total = max((s for _, s in starts), default=0) + 10_000
    return {
        page: range(start, (ends[i] if i < len(ends) else total))
        for i, (page, start) in enumerate(starts)
    }


def _label(name: str, found: list[int]) -> str:
    return (
        f"{name} p. {found[0]}"
        if len(found) == 1
        else f"{name} pp. " + ", ".join(str(n) for n in found)
    )


def fact_pdf_pages(
    book: Book,
    site_only: set[str],
    uses: dict[str, list[str]],
    texts: dict[str, str],
    report: Path,
    summary: Path | None,
) -> dict[str, str]:
    """For each cited fact, the PDF pages where its text appears ("report p. 5; summary p. 2")."""
    report_pages = page_texts(report)
    ranges = chapter_ranges(book, report, site_only) if report_pages else {}
    summary_pages = page_texts(summary) if summary is not None else []
    summary_page = str(book.summary.html) if book.summary else None
    out = {}
    for name, pages in uses.items():
        needle = " ".join(texts.get(name, "").split())
        if not needle:
            continue
        found, in_summary = set(), set()
        for page in pages:
            if page == summary_page:
                in_summary |= {i + 1 for i, t in enumerate(summary_pages) if needle in t}
            for n in ranges.get(page, ()):
                if n <= len(report_pages) and needle in report_pages[n - 1]:
                    found.add(n)
        parts = []
        if found:
            parts.append(_label("report", sorted(found)))
        if in_summary:
            parts.append(_label("summary", sorted(in_summary)))
        out[name] = "; ".join(parts)
    return out


def fill_page(page: Path, rows: dict[str, dict], pending: str, missing: str) -> None:
    """Put the PDF pages, known only once the PDFs are made, into the rendered Number check page
    in place of each `<span data-pdf-pages="name">pending</span>` (the page is on the site only,
    so no PDF changes)."""
    if not page.is_file():
        return

    def fill(m: re.Match) -> str:
        row = rows.get(html.unescape(m.group(1)))
        if row is None:
            return m.group(0)
        return (
            f'<span data-pdf-pages="{m.group(1)}">{html.escape(row["pdf_pages"] or missing)}</span>'
        )

    pattern = r'<span data-pdf-pages="([^"]+)">' + re.escape(html.escape(pending)) + "</span>"
    page.write_text(re.sub(pattern, fill, page.read_text(encoding="utf-8")), encoding="utf-8")
