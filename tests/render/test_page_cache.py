"""The page cache a render keeps in its cache folder (`render_book(..., cache_dir=...)`, as the
build renders): after a change to one LA's data only that LA's page goes through the page steps
again, a changed fact redoes only the pages that cite it, and every output is byte for byte what
a whole render without any cache makes. The PDFs are compiled again only when their Typst
source changed."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from render_support import PROVENANCE, TIMESTAMP

import wfscc.render._html as html_module
import wfscc.render._incremental as incremental
import wfscc.render._steps as steps
import wfscc.render._typst as typst_module
from wfscc.render import render_book
from wfscc.render._memo import Memo
from wfscc.render._pandoc import text_inlines
from wfscc.render._typst import common_meta, render_pdf

pytestmark = pytest.mark.slow

PROFILE = "report/profiles/P01.ipynb"
NEW_DATA = dict(PROVENANCE, data_hash="sha256:0ne1a")  # the build's provenance after a change


def tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def render(book: Path, out: Path, cache: Path | None, provenance=PROVENANCE) -> dict[str, str]:
    render_book(book, out, timestamp=TIMESTAMP, provenance=provenance, cache_dir=cache)
    return tree(out)


@pytest.fixture
def redone(monkeypatch) -> dict[str, list[str]]:
    """The pages parsed, and placed (media and numbers), by any render, in order."""
    calls: dict[str, list[str]] = {"parsed": [], "placed": []}
    parse, place = steps.parse_pages, steps.place_page

    def parse_pages(book, *args, chapters=None, **kwargs):
        done = parse(book, *args, chapters=chapters, **kwargs)
        calls["parsed"] += [str(page.chapter.html) for page in done]
        return done

    def place_page(page, *args, **kwargs):
        calls["placed"].append(str(page.chapter.html))
        return place(page, *args, **kwargs)

    for module in (steps, incremental):
        monkeypatch.setattr(module, "parse_pages", parse_pages)
    monkeypatch.setattr(steps, "place_page", place_page)
    monkeypatch.setattr(incremental, "place_page", place_page)
    return calls


@pytest.fixture
def converted(monkeypatch) -> Counter:
    """The pages pandoc converted to HTML, by name, and the Typst compiles, by source."""
    runs: Counter = Counter()
    real = html_module._convert

    def counting(pages, *args, **kwargs):
        for page in pages:
            runs[str(page.chapter.html)] += 1
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(html_module, "_convert", counting)
    compile_ = typst_module.compile_pdf  # Typst runs in a process of its own: count the calls

    def counting_compile(typ, *args, **kwargs):
        runs[f"typst {Path(typ).name}"] += 1
        return compile_(typ, *args, **kwargs)

    monkeypatch.setattr(typst_module, "compile_pdf", counting_compile)
    return runs


def change_one_la(book: Path) -> None:
    """What a change to one LA's data does to the staged book: its profile notebook's outputs
    (here a count in its table) change."""
    path = book / PROFILE
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                text = "".join(html)
                new = re.sub(
                    r"<td>(\d+)</td>", lambda m: f"<td>{int(m[1]) + 7}</td>", text, count=1
                )
                assert new != text
                output["data"]["text/html"] = new
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def test_one_las_change_redoes_only_its_page_with_a_whole_renders_bytes(
    book: Path, tmp_path: Path, redone, converted
):
    cache = tmp_path / "cache"
    render(book, tmp_path / "first", cache)
    assert redone["placed"] == redone["parsed"] != []  # a cold cache: every page
    redone["parsed"].clear()
    redone["placed"].clear()
    converted.clear()

    change_one_la(book)
    after = render(book, tmp_path / "after", cache, NEW_DATA)
    assert redone == {"parsed": ["profiles/P01.html"], "placed": ["profiles/P01.html"]}
    # P01 again, and the summary, whose publication notice names the data hash; the report
    # holds P01 (and the colophon the hash): compiled again; the summary's source changed too
    assert converted == Counter(
        {"profiles/P01.html": 1, "summary.html": 1, "typst report.typ": 1, "typst summary.typ": 1}
    )
    assert after == render(book, tmp_path / "whole", None, NEW_DATA)
    assert "sha256:0ne1a" in (tmp_path / "after" / "02-findings.html").read_text("utf-8")


def test_a_changed_fact_redoes_only_the_pages_that_cite_it(book: Path, tmp_path: Path, redone):
    cache = tmp_path / "cache"
    render(book, tmp_path / "first", cache)
    redone["parsed"].clear()
    redone["placed"].clear()
    variables = book / "_variables.yml"
    text = variables.read_text(encoding="utf-8")
    variables.write_text(text.replace("n_pilot_las: ten", "n_pilot_las: eleven"), "utf-8")

    after = render(book, tmp_path / "after", cache)
    # cited by the home page, the summary and (in a Markdown cell) the profile notebook
    assert sorted(redone["placed"]) == ["index.html", "profiles/P01.html", "summary.html"]
    assert after == render(book, tmp_path / "whole", None)
    assert "eleven" in (tmp_path / "after" / "profiles" / "P01.html").read_text("utf-8")


def test_a_new_figure_renders_every_page_again(book: Path, tmp_path: Path, redone):
    cache = tmp_path / "cache"
    render(book, tmp_path / "first", cache)
    redone["placed"].clear()
    chapter = book / "report" / "01-introduction.qmd"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + '\n![Added](figures/takeup.svg){#fig-added fig-alt="The same chart again."}\n',
        encoding="utf-8",
    )
    after = render(book, tmp_path / "after", cache)
    # the edited page first, then, its numbering changed, every page
    pages = [n for n in after if n.endswith(".html")]
    assert redone["placed"][0] == "01-introduction.html"
    assert sorted(redone["placed"][1:]) == sorted(pages)
    assert after == render(book, tmp_path / "whole", None)


def test_a_damaged_or_missing_page_cache_is_a_whole_render(book: Path, tmp_path: Path, redone):
    cache = tmp_path / "cache"
    first = render(book, tmp_path / "first", cache)
    state = cache / "pages.state"
    state.write_bytes(state.read_bytes()[:-10])
    redone["placed"].clear()
    assert render(book, tmp_path / "damaged", cache) == first
    assert len(redone["placed"]) == len([n for n in first if n.endswith(".html")])
    for kept in (cache / "pages").iterdir():  # pruned by the build's store
        kept.unlink()
    redone["placed"].clear()
    assert render(book, tmp_path / "pruned", cache) == first
    assert len(redone["placed"]) == len([n for n in first if n.endswith(".html")])


def _pdf(blocks: list, build: Path, pdf: Path, memo: Memo) -> bytes:
    meta = common_meta(SimpleNamespace(date="2024", subtitle="", title="T"), "T", ["An Author"])
    render_pdf(meta, blocks, {}, "summary.typ", build, pdf, TIMESTAMP, [1, 23, 1], memo)
    return pdf.read_bytes()


def test_an_unchanged_typst_source_is_not_compiled_again(tmp_path: Path, converted):
    memo, build = Memo(tmp_path / "cache"), tmp_path / "build"
    build.mkdir()
    para = [{"t": "Para", "c": text_inlines("One sentence.")}]
    first = _pdf(para, build, tmp_path / "a" / "summary.pdf", memo)
    assert converted["typst summary.typ"] == 1
    assert _pdf(para, build, tmp_path / "b" / "summary.pdf", memo) == first
    assert converted["typst summary.typ"] == 1  # the same source: the PDF made before
    other = [{"t": "Para", "c": text_inlines("Another sentence.")}]
    assert _pdf(other, build, tmp_path / "c" / "summary.pdf", memo) != first
    assert converted["typst summary.typ"] == 2


def test_a_new_provenance_reuses_the_reports_typst_conversion(book, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    render(book, tmp_path / "first", cache)
    templates: Counter = Counter()
    real = typst_module.run_pandoc

    def counting(args, *rest, **kwargs):
        templates[Path(args[args.index("--template") + 1]).name] += 1
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(typst_module, "run_pandoc", counting)
    after = render(book, tmp_path / "after", cache, NEW_DATA)
    # the colophon alone goes through pandoc; the report's document is the one made before
    assert templates == Counter({"slot-wfscc-colophon.typ": 1, "summary.typ": 1})
    report = " ".join(
        p.extract_text() for p in pypdf.PdfReader(tmp_path / "after" / "report.pdf").pages
    )
    assert "sha256:0ne1a" in report
    assert after == render(book, tmp_path / "whole", None, NEW_DATA)
