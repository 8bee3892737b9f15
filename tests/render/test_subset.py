"""The .qmd subset check and the shortcode pre-pass (no pandoc needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfscc.render import RenderError, check_qmd_subset
from wfscc.render._project import load_book
from wfscc.render._qmd import expand

FIXTURE = Path(__file__).parent / "fixtures" / "book"


def _check(tmp_path: Path, text: str) -> str:
    path = tmp_path / "chapter.qmd"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RenderError) as info:
        check_qmd_subset(path)
    return str(info.value)


def test_fixture_chapters_pass():
    check_qmd_subset(FIXTURE / "report")


@pytest.mark.parametrize(("text", "line", "needle"), [
    ("# T\n\n{{< video https://example.org/v.mp4 >}}\n", 3, "shortcode 'video'"),
    ("# T\n\n::: {.panel-tabset}\n## A\n:::\n", 3, "callout classes"),
    ("# T\n\n```{python}\n1 + 1\n```\n", 3, "executable cell"),
    ("# T\n\nSee @sec-intro.\n", 3, "@sec-intro"),
    ("# T\n\n![a](x.png){.column-margin fig-alt=\"b\"}\n", 3, "column-margin"),
    ("# T\n\n![a](x.png){layout-ncol=2}\n", 3, "layout-ncol"),
    ("# T\n\n{{< meta title >}}\n", 3, "shortcode 'meta'"),
    ("# T\n\nText\n{{< var a >}} and {{< var b >}}\n", 4, "one block shortcode"),
])
def test_rejects_quarto_only_features(tmp_path, text, line, needle):
    message = _check(tmp_path, text)
    assert f"chapter.qmd:{line}:" in message
    assert needle in message
    assert "allowed:" in message and "{{< var name >}}" in message


def test_allows_the_subset(tmp_path):
    path = tmp_path / "ok.qmd"
    path.write_text(
        "# T {.unnumbered}\n\nText {{< var x >}}\n\n{{< pagebreak >}}\n\n"
        "::: {.callout-warning title=\"Careful\"}\nText @fig-a and @tbl-b.\n:::\n\n"
        "::: {#tbl-b}\n| a |\n|---|\n| 1 |\n\nCaption\n:::\n\nmail me@example.org\n",
        encoding="utf-8")
    check_qmd_subset(path)


def test_unknown_variable_names_file_and_line(tmp_path):
    path = tmp_path / "c.qmd"
    path.write_text("# T\n\nOne {{< var known >}}.\nTwo {{< var nope >}}.\n", encoding="utf-8")
    problems: list[str] = []
    text = expand(path, {"known": "ten"}, problems)
    assert 'One [ten]{data-fact="known"}.' in text  # a cited fact is marked (issue 18)
    assert problems == [f"{path}:4: unknown variable 'nope' (not in _variables.yml)"]


def test_include_is_expanded_with_its_own_line_numbers(tmp_path):
    (tmp_path / "_part.qmd").write_text("first\n{{< var missing >}}\n", encoding="utf-8")
    path = tmp_path / "c.qmd"
    path.write_text("# T\n\n{{< include _part.qmd >}}\n", encoding="utf-8")
    problems: list[str] = []
    text = expand(path, {}, problems)
    assert "first" in text
    assert problems == [f"{tmp_path / '_part.qmd'}:2: unknown variable 'missing' "
                        "(not in _variables.yml)"]


def test_load_book_pages_mirror_the_chapter_paths():
    book = load_book(FIXTURE)
    assert [str(c.html) for c in book.chapters] == [
        "index.html", "01-introduction.html", "02-findings.html", "profiles/P01.html",
        "annex-b-technical.html"]
    assert book.summary is not None and str(book.summary.html) == "summary.html"
    assert book.chapters[3].part == "Annex A: Local authority profiles"
    assert book.variables["n_pilot_las"] == "ten"


def test_appendix_letters_follow_entries_even_for_an_empty_part(book):
    config = book / "_quarto.yml"
    config.write_text(config.read_text().replace(
        "      chapters:\n        - report/profiles/P01.ipynb\n", "      chapters: []\n"))
    loaded = load_book(book)
    assert [c.rel.name for c in loaded.chapters][-1] == "annex-b-technical.qmd"
    assert loaded.chapters[-1].appendix_index == 1  # "B": the empty part keeps "A"
