"""`render_html` with a `PageCache`: after an edit only the edited pages are parsed, resolved,
numbered and converted again, and the pages are byte for byte those of a whole render; an edit
that moves the book's numbering renders every page again."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

import wfscc.render._incremental as incremental
import wfscc.render._steps as steps
from wfscc.render import PageCache, render_book, render_html
from wfscc.render._chapters import book_chapters

pytestmark = pytest.mark.slow

TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0", "commit": "abc1234def", "data_hash": "sha256:5eed"}
INTRO = "report/01-introduction.qmd"


def tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def whole(book: Path, out: Path) -> dict[str, str]:
    """The pages of a render of the whole book, without any cache."""
    render_book(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE, html_only=True)
    return tree(out)


def again(book: Path, out: Path, cache: PageCache) -> dict[str, str]:
    render_html(book, out, timestamp=TIMESTAMP, provenance=PROVENANCE, cache=cache)
    return tree(out)


class Spied(dict):
    """The pages each page step was run on, by step, since the last :meth:`reset`."""

    def reset(self) -> None:
        for calls in self.values():
            calls.clear()


@pytest.fixture
def spied(monkeypatch) -> Spied:
    """The pages each step of a render was run on (whole or incremental)."""
    calls = Spied(resolve_media=[], number_page=[], parse_pages=[])

    def spy(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            if name == "parse_pages":
                chapters = kwargs["chapters"] if "chapters" in kwargs else book_chapters(args[0])
                calls[name] += [str(ch.html) for ch in chapters]
            else:
                calls[name].append(str(args[0].chapter.html))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    spy(incremental, "parse_pages")
    for name in calls:
        spy(steps, name)
    return calls


@pytest.mark.parametrize("kept_in", ["memory", "folder"])
def test_a_one_line_edit_redoes_only_its_page_and_gives_the_whole_renders_bytes(
    book: Path, tmp_path: Path, spied, kept_in: str
):
    cache = PageCache(tmp_path / "kept" if kept_in == "folder" else None)
    first = again(book, tmp_path / "first", cache)
    spied.reset()
    assert first == whole(book, tmp_path / "whole-before")
    spied.reset()
    chapter = book / INTRO
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nA sentence added in the preview.\n",
        encoding="utf-8",
    )
    edited = again(book, tmp_path / "edited", cache)
    assert spied == {name: ["01-introduction.html"] for name in spied}
    assert [str(p) for p in cache.redone] == ["01-introduction.html"]
    assert "A sentence added in the preview." in (
        tmp_path / "edited" / "01-introduction.html"
    ).read_text(encoding="utf-8")
    assert edited == whole(book, tmp_path / "whole-after")
    assert edited != first
    if kept_in == "folder":  # the assets are linked from it, not written again
        assert (tmp_path / "edited" / "assets").is_dir()
        assert len(list((tmp_path / "kept").iterdir())) == len(
            [n for n in edited if n.startswith(("assets/img-", "assets/data-"))]
        )


def test_no_edit_redoes_no_page(book: Path, tmp_path: Path, spied):
    cache = PageCache()
    first = again(book, tmp_path / "first", cache)
    spied.reset()
    assert again(book, tmp_path / "second", cache) == first
    assert cache.redone == [] and spied["parse_pages"] == []


NEW_FIGURE = (
    '![A new chart](figures/takeup.svg){#fig-new fig-alt="A bar chart added before the '
    'others."}\n\n'
)


@pytest.mark.parametrize(
    "edit",
    [
        # a figure before Figure 1.1: it becomes 1.2, in the findings' cross-reference too
        lambda text: text.replace("## The pilot", NEW_FIGURE + "## The pilot", 1),
        # chapter 1 loses its number: the chapters after it are renumbered
        lambda text: text.replace("# Introduction", "# Introduction {.unnumbered}", 1),
        # a figure removed: the lists and the references to it change
        lambda text: text.replace("{#fig-takeup ", "{", 1).replace("@fig-takeup", "the chart"),
    ],
    ids=["figure-added", "chapter-unnumbered", "figure-removed"],
)
def test_an_edit_that_moves_the_numbering_renumbers_every_page(
    book: Path, tmp_path: Path, edit, spied
):
    cache = PageCache()
    again(book, tmp_path / "first", cache)
    for page in ("01-introduction.qmd", "02-findings.qmd"):
        path = book / "report" / page
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    edited = again(book, tmp_path / "edited", cache)
    assert edited == whole(book, tmp_path / "whole")
    assert len(cache.redone) == len([p for p in edited if p.endswith(".html")])


def test_the_figure_added_renumbers_the_later_references(book: Path, tmp_path: Path):
    cache = PageCache()
    again(book, tmp_path / "first", cache)
    findings = (tmp_path / "first" / "02-findings.html").read_text(encoding="utf-8")
    assert "Figure 1.1" in findings and "Figure 1.2" not in findings
    chapter = book / INTRO
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("## The pilot", NEW_FIGURE + "## The pilot"),
        encoding="utf-8",
    )
    again(book, tmp_path / "edited", cache)
    findings = (tmp_path / "edited" / "02-findings.html").read_text(encoding="utf-8")
    assert "Figure 1.2" in findings


def test_a_changed_image_redoes_the_pages_that_show_it(book: Path, tmp_path: Path):
    cache = PageCache()
    again(book, tmp_path / "first", cache)
    image = book / "report" / "figures" / "takeup.svg"
    image.write_text(
        image.read_text(encoding="utf-8").replace("</svg>", "<!-- redrawn --></svg>"),
        encoding="utf-8",
    )
    edited = again(book, tmp_path / "edited", cache)
    assert edited == whole(book, tmp_path / "whole")
    assert {"01-introduction.html", "02-findings.html"} <= {str(p) for p in cache.redone}
