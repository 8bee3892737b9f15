"""Annex A as Quarto letters it, read the same by the built-in engine (no Quarto needed).

Quarto letters every numbered appendix chapter in turn and never a part, so `_quarto.yml` lists
the LA profiles' annex page as an appendix chapter with the profiles after it, headed
`{.unnumbered}`: Quarto then letters the page A and the technical annex B. Both Quarto routes
(`wfscc build --engine quarto` and plain `quarto render`) render that same `_quarto.yml`; the
built-in engine reads the page and its profiles as one part sharing the letter A."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from wfscc.build.stage import stage_project
from wfscc.render._project import load_book
from wfscc.render._quarto import profile_pages

FIXTURE = Path(__file__).parents[1] / "render" / "fixtures" / "book"

FLAT = """\
book:
  chapters:
    - index.qmd
    - report/01-a.qmd
  appendices:
    - report/annex-a.qmd
    - report/profiles/P01.qmd
    - report/profiles/P02.qmd
    - report/annex-b.qmd
    - part: About this build
      chapters:
        - report/about.qmd
wfscc:
  profiles-part: report/annex-a.qmd
crossref:
  appendix-title: Annex
  appendix-delim: ":"
"""
PART = FLAT.replace(
    "    - report/annex-a.qmd\n    - report/profiles/P01.qmd\n    - report/profiles/P02.qmd\n",
    "    - part: report/annex-a.qmd\n      chapters:\n        - report/profiles/P01.qmd\n"
    "        - report/profiles/P02.qmd\n",
)


def _project(root: Path, config: str, annex_heading: str) -> Path:
    (root / "report" / "profiles").mkdir(parents=True)
    (root / "_quarto.yml").write_text(config, encoding="utf-8")
    pages = {
        "index.qmd": "# Preface\n",
        "report/01-a.qmd": "# Chapter\n",
        "report/annex-a.qmd": f"# {annex_heading}\n\nText.\n",
        "report/profiles/P01.qmd": "# Pilot area 01 {.unnumbered}\n",
        "report/profiles/P02.qmd": "# Pilot area 02 {.unnumbered}\n",
        "report/annex-b.qmd": "# Technical annex\n",
        "report/about.qmd": "# About\n",
    }
    for rel, text in pages.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _chapters(project: Path) -> list[tuple]:
    book = load_book(project)
    return [
        (str(c.rel), c.appendix, c.part, c.part_index, c.appendix_index, c.part_page)
        for c in book.chapters
    ]


def test_the_built_in_engine_reads_quartos_lettering_as_the_annex_part(tmp_path: Path):
    flat = _project(tmp_path / "flat", FLAT, "Local authority profiles")
    part = _project(tmp_path / "part", PART, "Annex A: Local authority profiles")
    assert _chapters(flat) == _chapters(part)
    by_rel = {c[0]: c for c in _chapters(flat)}
    annex = ("Annex A: Local authority profiles", 0)  # (part, letter A)
    assert by_rel["report/annex-a.qmd"][2:5] == (annex[0], 0, 0)
    assert by_rel["report/profiles/P02.qmd"][2:5] == (annex[0], 0, 0)
    assert by_rel["report/annex-b.qmd"][4] == 1  # Annex B, as in Quarto
    assert by_rel["report/about.qmd"][4] == 2


def test_the_build_lists_the_profiles_after_their_annex_page(tmp_path: Path):
    project = _project(tmp_path / "project", FLAT, "Local authority profiles")
    for name in ("P01", "P02"):
        (project / "report" / "profiles" / f"{name}.qmd").unlink()
    notebooks = {}
    for la in ("P03", "P01"):
        notebooks[la] = tmp_path / f"{la}.ipynb"
        notebooks[la].write_text("{}", encoding="utf-8")
    variables = tmp_path / "_variables.yml"
    variables.write_text("a: 1\n", encoding="utf-8")
    root = stage_project(project, tmp_path / "staging", notebooks, variables)
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["book"]["appendices"][:4] == [
        "report/annex-a.qmd",
        "report/profiles/P01.ipynb",
        "report/profiles/P03.ipynb",
        "report/annex-b.qmd",
    ]


def test_profile_pages_are_unnumbered_so_they_share_the_annex_letter(tmp_path: Path):
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    (page,) = profile_pages(book)
    headings = [line for line in page.read_text(encoding="utf-8").splitlines() if line[:2] == "# "]
    assert headings and headings[0].endswith(".unnumbered}"), headings


def test_the_repository_lists_annex_a_as_quarto_letters_it(repo_root: Path):
    config = yaml.safe_load((repo_root / "_quarto.yml").read_text(encoding="utf-8"))
    page = config["wfscc"]["profiles-part"]
    appendices = config["book"]["appendices"]
    assert appendices[0] == page  # a lettered appendix chapter, not a `- part:`
    heading = (repo_root / page).read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# ") and "Annex" not in heading  # Quarto adds "Annex A:"
