"""Typst compiles each PDF in a short-lived process of its own (`_typst.compile_pdf`, issue 17:
the build's peak memory): the same bytes as a compile in this process, Typst never loaded in
the process that renders, and its errors still reported in the user's terms."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typst

from wfscc.render import RenderError, _typst
from wfscc.render._typst import COMPILE_OPTIONS, PAGE_MARK, compile_pdf, font_paths

TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SOURCE = """#set document(title: "A test", author: "wfscc")
#set text(lang: "en", font: "DejaVu Sans")
= A heading

Some text, and a figure:

#figure(image("chart.svg", alt: "Two bars"), caption: [Two bars])
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="10" height="20"/><rect x="20" width="10" height="12"/></svg>'
)


def _document(folder: Path, source: str = SOURCE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chart.svg").write_text(SVG, encoding="utf-8")
    typ = folder / "doc.typ"
    typ.write_text(source, encoding="utf-8")
    return typ


def test_the_pdf_made_in_its_own_process_is_the_one_made_in_this_one(tmp_path):
    typ = _document(tmp_path / "build")
    here = tmp_path / "here.pdf"
    typst.compile(
        str(typ),
        output=str(here),
        root=str(typ.parent),
        font_paths=font_paths(),
        timestamp=TIMESTAMP,
        **COMPILE_OPTIONS,
    )
    there = tmp_path / "there.pdf"
    compile_pdf(typ, there, TIMESTAMP)
    assert there.read_bytes() == here.read_bytes()
    assert b"/StructTreeRoot" in there.read_bytes()  # tagged, as PDF/UA-1 asks
    again = tmp_path / "again.pdf"
    compile_pdf(typ, again, TIMESTAMP)
    assert again.read_bytes() == there.read_bytes()


def test_rendering_a_pdf_does_not_load_typst_in_the_rendering_process(tmp_path):
    """The compile happens elsewhere: Typst (and the 0.8 GB it takes for the report of 150 LAs)
    never enters the process that calls it."""
    typ = _document(tmp_path / "build")
    script = textwrap.dedent(f"""
        import sys
        from datetime import datetime
        from pathlib import Path
        import wfscc.render
        from wfscc.render._typst import compile_pdf
        compile_pdf(Path({str(typ)!r}), Path({str(tmp_path / "out.pdf")!r}),
                    datetime.fromisoformat({TIMESTAMP.isoformat()!r}))
        print("typst" in sys.modules)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_a_typst_error_names_the_page_it_is_on(tmp_path):
    source = SOURCE + f"\n{PAGE_MARK}chapter.html\n#let broken = (\n"
    typ = _document(tmp_path / "build", source)
    with pytest.raises(RenderError) as info:
        compile_pdf(typ, tmp_path / "report.pdf", TIMESTAMP)
    message = str(info.value)
    assert "report.pdf: Typst could not compile the PDF" in message
    assert "on page chapter.html: error: unclosed delimiter" in message
    assert not (tmp_path / "report.pdf").exists()


def test_a_compile_process_that_dies_is_a_render_error(tmp_path, monkeypatch):
    """A compile killed (by the system, short of memory) says so instead of passing silently."""
    runner = tmp_path / "runner.py"
    runner.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    monkeypatch.setattr(_typst, "RUNNER", runner)
    typ = _document(tmp_path / "build")
    with pytest.raises(RenderError, match=r"report\.pdf: Typst's process ended with status -9"):
        compile_pdf(typ, tmp_path / "report.pdf", TIMESTAMP)


def test_the_runner_is_given_every_compile_option(tmp_path, monkeypatch):
    seen = []
    run = subprocess.run

    def spy(args, *a, **k):
        seen.append(json.loads(args[-1]))  # the request is the last argument
        return run(args, *a, **k)

    monkeypatch.setattr(subprocess, "run", spy)
    typ = _document(tmp_path / "build")
    compile_pdf(typ, tmp_path / "out.pdf", TIMESTAMP)
    (request,) = seen
    assert request["timestamp"] == TIMESTAMP.isoformat()
    assert request["font_paths"] == font_paths()
    assert {k: request[k] for k in COMPILE_OPTIONS} == COMPILE_OPTIONS


def test_a_module_beside_the_runner_does_not_shadow_the_standard_library(tmp_path, monkeypatch):
    """The runner is started with -P: its own folder (the render package's modules) is not put
    first on the child's path, so a module there named like one of the standard library (here
    ``json``) is not what the runner imports."""
    folder = tmp_path / "runner"
    folder.mkdir()
    runner = folder / _typst.RUNNER.name
    runner.write_bytes(_typst.RUNNER.read_bytes())
    (folder / "json.py").write_text("raise SystemExit('the shadowing json was imported')\n")
    monkeypatch.setattr(_typst, "RUNNER", runner)
    typ = _document(tmp_path / "build")
    pdf = tmp_path / "out.pdf"
    compile_pdf(typ, pdf, TIMESTAMP)
    assert pdf.read_bytes().startswith(b"%PDF")
