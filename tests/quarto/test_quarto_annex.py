"""Quarto letters every appendix chapter in turn and never a part; `share_annex_letter` (run by
`wfscc build --engine quarto` on its staged project) makes the LA profiles share Annex A, as the
built-in engine does. No Quarto needed: this checks the staged project it hands to Quarto."""

from __future__ import annotations

from pathlib import Path

import yaml

from wfscc.render._quarto import share_annex_letter

CONFIG = """\
book:
  appendices:
    - part: report/annex-a.qmd
      chapters:
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
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "report" / "profiles").mkdir(parents=True)
    (tmp_path / "_quarto.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "report" / "annex-a.qmd").write_text(
        "# Annex A: Local authority profiles\n\nText.\n", encoding="utf-8"
    )
    (tmp_path / "report" / "profiles" / "P01.qmd").write_text(
        "::: {.x}\n# Pilot area 01\n\n## Starts\n", encoding="utf-8"
    )
    (tmp_path / "report" / "profiles" / "P02.qmd").write_text(
        "# Pilot area 02 {#p02}\n", encoding="utf-8"
    )
    return tmp_path


def test_profiles_follow_a_lettered_annex_page_unnumbered(tmp_path: Path):
    project = _project(tmp_path)
    share_annex_letter(project)
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    appendices = config["book"]["appendices"]
    assert appendices[:4] == [
        "report/annex-a.qmd",
        "report/profiles/P01.qmd",
        "report/profiles/P02.qmd",
        "report/annex-b.qmd",
    ]
    assert appendices[4] == {"part": "About this build", "chapters": ["report/about.qmd"]}
    # Quarto adds "Annex A:" itself now
    assert (project / "report/annex-a.qmd").read_text().startswith("# Local authority profiles\n")
    p01 = (project / "report/profiles/P01.qmd").read_text()
    assert "# Pilot area 01 {.unnumbered}\n\n## Starts\n" in p01
    assert (
        project / "report/profiles/P02.qmd"
    ).read_text() == "# Pilot area 02 {#p02 .unnumbered}\n"


def test_a_book_without_the_profiles_part_is_left_alone(tmp_path: Path):
    project = _project(tmp_path)
    text = CONFIG.replace("profiles-part: report/annex-a.qmd", "profiles-part: Annex A")
    (project / "_quarto.yml").write_text(text, encoding="utf-8")
    share_annex_letter(project)
    assert (project / "_quarto.yml").read_text(encoding="utf-8") == text
    assert (project / "report/annex-a.qmd").read_text().startswith("# Annex A:")
