"""The PDFs and review copies are made as separate jobs at the same time (`_engine.pdf_jobs`,
issue 17: the render's critical path). Whatever order they end in, the outputs are the same
bytes; a failing job still says which file and page, all failures are reported together in a
fixed order, and no PDF or review copy reaches the output folder unless all were made."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from render_support import FIXTURE, PROVENANCE, TIMESTAMP

from wfscc.render import RenderError, _docx, _typst, render_book
from wfscc.render import _engine as engine_module
from wfscc.render._pandoc import pandoc_path

DOCUMENTS = ("report.pdf", "summary.pdf", "report.docx", "summary.docx")


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _failure(book: Path, out: Path) -> str:
    with pytest.raises(RenderError) as info:
        render_book(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE)
    return str(info.value)


def _break_typst(path: Path) -> None:
    path.write_text(path.read_text() + "\n```{=typst}\n#let broken = (\n```\n\nAfter.\n")


@pytest.mark.slow
def test_the_summary_ending_first_or_last_gives_the_same_bytes(rendered, tmp_path, monkeypatch):
    """The report's compile is held until the summary's has ended (it waits for it, so the two
    ran at the same time, else the summary could not end first), then in the other order: both
    renders are byte-identical to the fixture's render."""
    out, result = rendered
    real = _typst.compile_pdf
    summary_done = threading.Event()
    report_done = threading.Event()
    order: list[str] = []

    def report_last(typ, pdf, *args, **kwargs):
        if pdf.name == "report.pdf":
            assert summary_done.wait(120), "the summary's compile did not run beside the report's"
        real(typ, pdf, *args, **kwargs)
        order.append(pdf.name)
        if pdf.name == "summary.pdf":
            summary_done.set()

    monkeypatch.setattr(_typst, "compile_pdf", report_last)
    first = tmp_path / "summary-first"
    made = render_book(FIXTURE, first, timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert order == ["summary.pdf", "report.pdf"]
    assert list(made.pdfs) == list(result.pdfs) == ["report", "summary"]
    assert _hashes(first) == _hashes(out)

    def summary_last(typ, pdf, *args, **kwargs):
        if pdf.name == "summary.pdf":
            assert report_done.wait(120), "the report's compile did not run beside the summary's"
        real(typ, pdf, *args, **kwargs)
        if pdf.name == "report.pdf":
            report_done.set()

    monkeypatch.setattr(_typst, "compile_pdf", summary_last)
    last = tmp_path / "summary-last"
    render_book(FIXTURE, last, timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert _hashes(last) == _hashes(out)


@pytest.mark.slow
def test_a_summary_that_typst_cannot_compile_names_its_page_and_publishes_no_pdf(book, tmp_path):
    _break_typst(book / "report" / "summary.qmd")
    out = tmp_path / "out"
    message = _failure(book, out)
    assert "summary.pdf: Typst could not compile the PDF" in message
    assert "(page summary.html): error: unclosed delimiter" in message
    assert "report.pdf" not in message  # the report itself was made
    assert [name for name in DOCUMENTS if (out / name).exists()] == []


@pytest.mark.slow
def test_failures_of_both_pdfs_are_reported_together_report_first(book, tmp_path):
    _break_typst(book / "report" / "02-findings.qmd")
    _break_typst(book / "report" / "summary.qmd")
    out = tmp_path / "out"
    message = _failure(book, out)
    report = message.index("report.pdf: Typst could not compile the PDF")
    summary = message.index("summary.pdf: Typst could not compile the PDF")
    assert report < summary
    assert "(page 02-findings.html): error: unclosed delimiter" in message[report:summary]
    assert [name for name in DOCUMENTS if (out / name).exists()] == []


@pytest.mark.slow
def test_a_review_copy_pandoc_cannot_write_is_a_render_error_naming_it(book, tmp_path, monkeypatch):
    """pandoc failing on the review copies (here: made to fail by an option it does not know)
    is reported for each, in order, and neither the PDFs, made meanwhile, nor the review
    copies are published."""
    monkeypatch.setattr(
        _docx, "pandoc_command", lambda *args: [pandoc_path(), "--no-such-option", *args]
    )
    out = tmp_path / "out"
    message = _failure(book, out)
    report = message.index("report.docx: pandoc could not write the review copy")
    summary = message.index("summary.docx: pandoc could not write the review copy")
    assert report < summary
    assert "--no-such-option" in message
    assert [name for name in DOCUMENTS if (out / name).exists()] == []


@pytest.mark.slow
def test_a_failure_outside_the_render_errors_is_raised_as_it_is(book, tmp_path, monkeypatch):
    """A bug (not a problem the user can fix) in one job is not turned into a RenderError."""

    real = engine_module.write_docx

    def broken(blocks, title, api, out, *args, **kwargs):
        if out.name == "summary.docx":
            raise ZeroDivisionError("a bug in the summary's job")
        return real(blocks, title, api, out, *args, **kwargs)

    monkeypatch.setattr(engine_module, "write_docx", broken)
    with pytest.raises(ZeroDivisionError, match="summary's job"):
        render_book(book, tmp_path / "out", timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert [name for name in DOCUMENTS if (tmp_path / "out" / name).exists()] == []


@pytest.mark.slow
def test_memory_is_released_only_before_a_large_document_is_compiled(book, tmp_path, monkeypatch):
    """`release_memory` (a garbage collection, then malloc_trim) runs before a compile only
    when the document is large: the fixture's are small, so never; made "large", once for
    each of the two PDFs."""
    calls: list[int] = []
    monkeypatch.setattr(_typst, "release_memory", lambda: calls.append(1))
    render_book(book, tmp_path / "small", timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert calls == []
    monkeypatch.setattr(_typst, "LARGE_BLOCKS", 1)
    render_book(book, tmp_path / "large", timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert calls == [1, 1]


@pytest.mark.slow
def test_on_site_is_called_once_the_pages_are_written_before_any_pdf(book, tmp_path):
    """The build scans the pages for personal data from `on_site` on, while the PDFs are made:
    by then every page and asset is in the output folder, and no PDF or review copy is."""
    out = tmp_path / "out"
    seen: list[tuple[set[str], list[str]]] = []

    def on_site() -> None:
        files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        seen.append((files, [name for name in DOCUMENTS if (out / name).exists()]))

    result = render_book(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE, on_site=on_site)
    ((files, documents),) = seen
    assert documents == []
    pages = {p.relative_to(out).as_posix() for p in result.html_pages}
    assets = {p.relative_to(out).as_posix() for p in (out / "assets").iterdir()}
    assert pages and pages <= files and assets <= files
    assert not any(name.startswith("pagefind/") for name in files)  # the index comes after


def test_on_site_is_not_called_when_the_pages_fail(book, tmp_path):
    path = book / "report" / "02-findings.qmd"
    path.write_text(path.read_text() + "\nSee @fig-nowhere.\n")
    called: list[int] = []
    with pytest.raises(RenderError):
        render_book(
            book,
            tmp_path / "out",
            timestamp=TIMESTAMP,
            provenance=PROVENANCE,
            on_site=lambda: called.append(1),
        )
    assert called == []



@pytest.mark.slow
def test_a_large_reports_review_copy_is_made_after_its_pdf(rendered, tmp_path, monkeypatch):
    """Below LARGE_BLOCKS the report's docx run begins beside its Typst compile (the compile
    waits here until it has); from LARGE_BLOCKS on it begins once the PDF is made (their memory
    would add up at 150 LAs). The same bytes either way."""
    out, _ = rendered
    events: list[str] = []
    docx_began = threading.Event()
    compile_real, docx_real = _typst.compile_pdf, _docx._make
    large = False

    def compile_pdf(typ, pdf, *args, **kwargs):
        if pdf.name == "report.pdf" and not large:
            assert docx_began.wait(60), "the review copy did not begin beside the compile"
        compile_real(typ, pdf, *args, **kwargs)
        events.append(f"made {pdf.name}")

    def make(source, docx, *args, **kwargs):
        events.append(f"began {docx.name}")
        if docx.name == "report.docx":
            docx_began.set()
        return docx_real(source, docx, *args, **kwargs)

    monkeypatch.setattr(_typst, "compile_pdf", compile_pdf)
    monkeypatch.setattr(_docx, "_make", make)
    render_book(FIXTURE, tmp_path / "small", timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert events.index("began report.docx") < events.index("made report.pdf")

    events.clear()
    large = True
    monkeypatch.setattr(_typst, "LARGE_BLOCKS", 1)
    render_book(FIXTURE, tmp_path / "large", timestamp=TIMESTAMP, provenance=PROVENANCE)
    assert events.index("began report.docx") > events.index("made report.pdf")
    assert _hashes(tmp_path / "large") == _hashes(out) == _hashes(tmp_path / "small")


@pytest.mark.slow
def test_on_pdfs_is_called_once_every_pdf_and_review_copy_is_in_place(book, tmp_path):
    """The build scans the PDFs for personal data from `on_pdfs` on, while the render keeps
    its cache: by then every document is in the output folder, the same bytes as at the end,
    with the search index; it is not called when a PDF fails."""
    out = tmp_path / "out"
    seen: list[dict[str, str]] = []

    def on_pdfs() -> None:
        seen.append({name: hashlib.sha256((out / name).read_bytes()).hexdigest()
                     for name in DOCUMENTS if (out / name).exists()})
        assert (out / "pagefind").is_dir()

    render_book(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE, on_pdfs=on_pdfs,
                cache_dir=tmp_path / "cache")
    assert len(seen) == 1 and sorted(seen[0]) == sorted(DOCUMENTS)
    assert seen[0] == {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
                       for name in DOCUMENTS}
    _break_typst(book / "report" / "02-findings.qmd")
    called: list[int] = []
    with pytest.raises(RenderError):
        render_book(book, tmp_path / "broken", timestamp=TIMESTAMP, provenance=PROVENANCE,
                    on_pdfs=lambda: called.append(1))
    assert called == []
