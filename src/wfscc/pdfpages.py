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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf

from .render import Book


def page_texts(pdf: Path, first: int | None = None, last: int | None = None) -> list[str]:
    """The text of each page of *pdf* (or of its pages *first* to *last*, from 1),
    hyphenated line ends joined, spaces collapsed."""
    exe = shutil.which("pdftotext")
    if exe is None or not pdf.is_file():
        return []
    span = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    proc = subprocess.run(
        [exe, "-raw", *span, str(pdf), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode != 0:
        return []
    pages = proc.stdout.split("\f")
    return [" ".join(re.sub(r"-\n(?=\w)", "-", p).split()) for p in pages[:-1] or pages]


def spans(pages: set[int]) -> list[tuple[int, int]]:
    """*pages* as runs of consecutive numbers: (first, last) each, in order."""
    runs: list[tuple[int, int]] = []
    for n in sorted(pages):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


#: pdftotext processes run at once by :func:`texts_of` (each reads the whole file's structure
#: first: one after another, the shipped report's three runs took 0.15 to 0.3 s of the build)
PDFTOTEXT_JOBS = 4


def texts_of(pdf: Path, pages: set[int]) -> dict[int, str]:
    """The text (as :func:`page_texts`) of each of *pages* of *pdf* (from 1) that it has: only
    those pages are read (pdftotext once a run of consecutive pages, the runs at once). The
    report of 150 LAs has 656 pages, of which its LA profiles, which cite no fact, fill about
    600."""
    runs = spans(pages)
    out: dict[int, str] = {}
    if not runs:
        return out
    with ThreadPoolExecutor(min(len(runs), PDFTOTEXT_JOBS)) as pool:
        found = list(pool.map(lambda run: page_texts(pdf, *run), runs))
    for (first, _), texts in zip(runs, found, strict=True):
        for n, text in enumerate(texts, start=first):
            out[n] = text
    return out


def _outline_starts(pdf: Path) -> tuple[list[tuple[int, list[int]]], int]:
    """(start page, [start pages of its children]) of each top-level outline entry, from 1;
    and the number of pages."""
    out = []
    with pikepdf.open(pdf) as doc:
        count = len(doc.pages)
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
    return out, count


def chapter_ranges(book: Book, pdf: Path, site_only: set[str] = frozenset()) -> dict[str, range]:
    """The PDF pages (from 1) of each site page of the report's chapters; *site_only* names the
    pages that are not in the PDF. The last chapter runs to the last page."""
    try:
        entries, count = _outline_starts(pdf)
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
    total = max(count, *(s for _, s in starts)) + 1 if starts else 0
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
    summary_page = str(book.summary.html) if book.summary else None
    cited = {page for pages in uses.values() for page in pages if page != summary_page}
    with ThreadPoolExecutor(1) as pool:  # the summary's text is read meanwhile
        summary_text = pool.submit(page_texts, summary) if summary is not None else None
        ranges = chapter_ranges(book, report, site_only) if report.is_file() and cited else {}
        # only the pages of the chapters that cite a fact are read
        report_pages = texts_of(report, {n for page in cited for n in ranges.get(page, ())})
        summary_pages = summary_text.result() if summary_text is not None else []
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
                if needle in report_pages.get(n, ""):
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
