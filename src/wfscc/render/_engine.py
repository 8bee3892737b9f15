"""`render_book`: the pandoc + Typst engine from start to finish."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ._chapters import Page
from ._docx import write_docx
from ._html import index_site, provenance_items, render_site
from ._incremental import PageCache, ReadAhead
from ._lists import typst_lists
from ._memo import Memo, package_identity
from ._pandoc import meta_str, pandoc_identity, stringify, text_inlines, walk
from ._project import Book, RenderError, load_book
from ._steps import book_pages
from ._typst import (
    combine,
    common_meta,
    compile_identity,
    is_large,
    page_mark,
    publication_meta,
    render_pdf,
    shift_headings,
)
from ._where import reraise_in_user_terms

#: The PDFs' and review copies' jobs run at once: the report's and the summary's PDF and
#: review copy (mostly pandoc and Typst, in processes of their own)
PDF_JOBS = 4


@dataclass
class RenderResult:
    """What a render produced: the site's pages, the PDFs by name, and any warnings."""

    html_pages: list[Path] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _para(text: str) -> dict:
    return {"t": "Para", "c": text_inlines(text)}


def _notice(book: Book, summary: Page, items: list[tuple[str, str]]) -> list[dict]:
    """The publication notice: the summary's `notice:` front matter (`false`: none), else ours."""
    value = summary.doc["meta"].get("notice")
    if value == {"t": "MetaBool", "c": False}:  # `notice: false`: the summary has its own
        return []
    if value:
        return value["c"] if value["t"] == "MetaBlocks" else [
            {"t": "Para", "c": value["c"] if value["t"] == "MetaInlines"
             else text_inlines(stringify(value))}]
    by = " and ".join(book.authors) or "the evaluation team"
    first = f"This is a summary of the report {book.title}, by {by}"
    first += f" ({book.date})." if book.date else "."
    build = "; ".join(f"{k.lower()} {v}" for k, v in items)
    return [_para(first + " The full report is published with this summary."),
            _para(f"Both documents were rebuilt from data: {build}.")]


def _summary_meta(book: Book, summary: Page) -> tuple[dict, list]:
    """Template variables for the summary PDF, and its body without the title heading."""
    blocks = json.loads(json.dumps(summary.doc["blocks"]))  # a copy: JSON data, faster
    meta = summary.doc["meta"]
    title = stringify(meta["title"]) if "title" in meta else summary.title
    if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:
        title = title or stringify(blocks[0]["c"][2])
        blocks = blocks[1:]
    levels = [el["c"][0] for el in walk(blocks) if el["t"] == "Header"]
    if levels and min(levels) > 1:  # PDF/UA-1: the first heading must be of level 1
        shift_headings(blocks, 1 - min(levels))
    authors = book.authors
    if "author" in meta:
        value = meta["author"]
        authors = [stringify(a) for a in value["c"]] if value["t"] == "MetaList" \
            else [stringify(value)]
    out = common_meta(book, title or book.title, authors)
    series = stringify(meta["series"]) if "series" in meta else "Research summary"
    out["wfscc-series"] = meta_str(series)
    return out, blocks


def _finished(jobs: dict[str, Future]) -> dict[str, Path]:
    """Each ended job's result, in the order of their names; their failures raised together,
    in the same order (one `RenderError` listing every problem, else the first other error)."""
    jobs = dict(sorted(jobs.items()))
    failures = list(dict.fromkeys(exc for job in jobs.values()
                                  if (exc := job.exception()) is not None))
    for exc in failures:
        if not isinstance(exc, RenderError):
            raise exc
    if failures:
        raise RenderError([problem for exc in failures for problem in exc.problems])
    return {name: job.result() for name, job in jobs.items()}


def read_ahead(cache_dir: Path | None) -> ReadAhead | None:
    """What a render into *cache_dir* reads before its first page, read now: for a caller that
    has time to spare before it can render (the build, while its notebooks run), to pass to
    :func:`render_pandoc` as *ahead*. The kept pages' state (a pickle of the pages' trees and
    conversions), and the identities of pandoc, its filters and templates, Typst, its fonts
    and this package's render code, which each process works out once (0.05 to 0.1 s in all).
    Nothing is written; a problem here is left for the render to report."""
    for identity in (pandoc_identity, compile_identity,
                     lambda: package_identity("wfscc", "wfscc.render")):
        with contextlib.suppress(Exception):
            identity()
    return None if cache_dir is None else PageCache.read_ahead(Path(cache_dir) / "pages")


def render_pandoc(project_dir: Path, out_dir: Path, *, timestamp: datetime,
                  provenance: Mapping[str, str], cache_dir: Path | None = None,
                  html_only: bool = False, on_site: Callable[[], object] | None = None,
                  ahead: ReadAhead | None = None,
                  on_pdfs: Callable[[], object] | None = None) -> RenderResult:
    """Render the book with pandoc and Typst: the HTML site, `report.pdf` and `summary.pdf`.

    With *cache_dir*, pandoc's parses and conversions, the Typst compiles and the Pagefind index
    are kept there (see `_memo`) and reused when their inputs are unchanged, and the pages
    (`_incremental`: `cache_dir/pages`) so that only the changed pages are made again.
    *html_only*: the pages and their assets only, the same bytes as a full render's, without
    the PDFs and the search index (`wfscc preview` shows an edit this way first).
    *on_site*: called once the pages and assets are written, *on_pdfs* once the PDFs and
    review copies are too (see `render_book`).
    *ahead*: :func:`read_ahead` of *cache_dir*, done before.
    """
    memo = Memo(cache_dir)
    book = load_book(project_dir)
    try:
        if cache_dir is None:
            return _render(book, Path(out_dir), timestamp, provenance, memo, html_only=html_only,
                           on_site=on_site, on_pdfs=on_pdfs)
        pages = PageCache(Path(cache_dir) / "pages")
        with pages.using(across_processes=True):
            pages = PageCache.load(pages.folder, ahead)
            result = _render(book, Path(out_dir), timestamp, provenance, memo,
                             html_only=html_only, cache=pages, on_site=on_site,
                             on_pdfs=on_pdfs)
            pages.save()
            return result
    except RenderError as exc:  # say where in the user's terms, not by staging or temp paths
        raise reraise_in_user_terms(exc, book) from exc


def render_html(project_dir: Path, out_dir: Path, *, timestamp: datetime,
                provenance: Mapping[str, str], cache: PageCache,
                cache_dir: Path | None = None) -> RenderResult:
    """The HTML pages and their assets of the book in *project_dir* into *out_dir*, as
    ``render_pandoc(..., html_only=True)`` writes them, redoing only what changed since the
    last render with *cache* (see `_incremental`)."""
    memo = Memo(cache_dir)
    book = load_book(project_dir)
    try:
        with cache.using():
            return _render(book, Path(out_dir), timestamp, provenance, memo, html_only=True,
                           cache=cache)
    except RenderError as exc:  # say where in the user's terms, not by staging or temp paths
        raise reraise_in_user_terms(exc, book) from exc


def _render(book: Book, out_dir: Path, timestamp: datetime, provenance: Mapping[str, str],
            memo: Memo, *, html_only: bool = False, cache: PageCache | None = None,
            on_site: Callable[[], object] | None = None,
            on_pdfs: Callable[[], object] | None = None) -> RenderResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RenderResult()
    with tempfile.TemporaryDirectory(prefix="wfscc-render-") as tmp:
        build = Path(tmp) / "build"  # pandoc's working folder and Typst's root
        pdf_dir = Path(tmp) / "pdf"
        (build / "media").mkdir(parents=True)
        (build / "assets").mkdir()
        if cache is None:
            pages, _ = book_pages(book, build, memo)
            redo = None
        else:  # the pages that changed made again, the others' assets linked into build
            pages, redo = cache.begin(book, build, memo)
        # a page with `wfscc-site-only: true` in its front matter (the Number check) is on the
        # site only: not in report.pdf nor the review copy
        # site only too: the pages of the `wfscc.build-part` part ("About this build")
        chapters = [p for p in pages if p.chapter != book.summary and not p.chapter.site_only
                    and p.doc["meta"].get("wfscc-site-only") != {"t": "MetaBool", "c": True}]
        summary = next((p for p in pages if p.chapter == book.summary), None)
        items = provenance_items(provenance, timestamp)
        notice = _notice(book, summary, items) if summary else []
        if cache is not None and summary is not None and repr(notice) != cache.notice:
            redo.add(summary.chapter.html)  # its publication notice names the build
        if summary is None:
            result.warnings.append(f"{book.project_dir}: no summary.qmd beside the chapters; "
                                   "summary.html and summary.pdf were not made")

        def report_meta() -> dict:
            meta = common_meta(book, book.title, book.authors)
            meta.update(publication_meta(book))
            # the build's provenance: one line on the verso, nothing else of the build
            # (the build date, not the timestamp beside it, so that the line fits on one line)
            meta["wfscc-colophon"] = meta_str(" · ".join(
                f"{k}: {v}" for k, v in items
                if not (k == "Build timestamp" and any(x == "Build date" for x, _ in items))))
            return meta

        def pdf_jobs(pool: ThreadPoolExecutor) -> dict[str, Future]:
            """The PDFs and review copies, each a job of its own on *pool*, into a temporary
            folder: nothing may be added to out_dir while Pagefind reads it. Nothing here
            changes *pages*, which the site is made from meanwhile. The report's PDF, the
            longest, first; its review copy starts once the chapters are combined (once the PDF is
            made, for a large report: :func:`._typst.is_large`)."""
            api = pages[0].doc["pandoc-api-version"]
            jobs: dict[str, Future] = {}
            combined: Future = Future()

            def report_pdf() -> Path:
                try:
                    blocks, anchors = combine(chapters)
                except BaseException as exc:
                    combined.set_exception(exc)
                    raise
                combined.set_result(blocks)
                return render_pdf(report_meta(), typst_lists(blocks), anchors, "report.typ",
                                  build, pdf_dir / "report.pdf", timestamp, api, memo,
                                  slots=("wfscc-colophon",))

            def report_docx() -> Path:
                large = is_large(combined.result())
                if large:  # with the compile, their memory adds up
                    wait([jobs["report"]])
                # once the PDF is made, the combined chapters are the review copy's alone
                return write_docx(combined.result(), book.title, api, pdf_dir / "report.docx",
                                  build, timestamp, memo, own=large)

            jobs["report"] = pool.submit(report_pdf)
            if summary is not None:
                meta, blocks = _summary_meta(book, summary)
                blocks = [page_mark(summary), *blocks]
                meta["wfscc-notice"] = {"t": "MetaBlocks", "c": notice}
                anchors = {str(summary.chapter.html): summary.anchor}
                title = stringify(summary.doc["meta"].get("title")) or summary.title
                jobs["summary"] = pool.submit(render_pdf, meta, blocks, anchors, "summary.typ",
                                              build, pdf_dir / "summary.pdf", timestamp, api,
                                              memo)
                jobs["summary.docx"] = pool.submit(write_docx, blocks, title or book.title, api,
                                                   pdf_dir / "summary.docx", build, timestamp,
                                                   memo)
            jobs["report.docx"] = pool.submit(report_docx)
            return jobs

        made: dict[str, str] = {}

        def make_site() -> list[Path]:
            return render_site(book, pages, build, out_dir, footer_items=items, notice=notice,
                               summary_pdf=summary is not None, memo=memo, only=redo,
                               kept=None if cache is None else cache.html, made=made)

        if html_only:
            result.html_pages = make_site()
        else:
            # The PDFs and review copies (pandoc, then Typst, in processes of their own) are
            # made while the site is, each on its own; the first failure is raised once all
            # have ended, and nothing of them reaches out_dir unless all succeeded.
            with ThreadPoolExecutor(PDF_JOBS, thread_name_prefix="wfscc-pdf") as pool:
                jobs = pdf_jobs(pool)
                result.html_pages = make_site()
                if on_site is not None:
                    on_site()
                index_site(out_dir, memo)
            for name, path in _finished(jobs).items():
                moved = Path(shutil.move(path, out_dir / path.name))
                if path.suffix == ".pdf":
                    result.pdfs[name] = moved
            if on_pdfs is not None:
                on_pdfs()
        if cache is not None:
            cache.finish(book, build, redo, made, repr(notice))
    return result
