"""The preview's file watcher and its copy of the narrative into the kept project."""

from __future__ import annotations

import os
from pathlib import Path

from wfscc.preview._fast import same_files, sync_report
from wfscc.preview._watch import Watcher


def test_watcher_reports_content_changes_only(tmp_path: Path):
    report = tmp_path / "report"
    report.mkdir()
    chapter = report / "01.qmd"
    chapter.write_text("# One\n", encoding="utf-8")
    config = tmp_path / "_quarto.yml"
    config.write_text("book: {}\n", encoding="utf-8")
    watcher = Watcher([report, config, tmp_path / "absent"])
    assert watcher.changes() == set()

    chapter.write_text("# One, edited\n", encoding="utf-8")
    assert watcher.changes() == {chapter}
    assert watcher.changes() == set()

    os.utime(chapter, (1, 1))  # touched, same bytes: nothing to rebuild
    chapter.write_bytes(chapter.read_bytes())
    assert watcher.changes() == set()

    (report / ".01.qmd.swp").write_text("x", encoding="utf-8")  # editor droppings
    (report / "01.qmd~").write_text("x", encoding="utf-8")
    assert watcher.changes() == set()

    new = report / "sub" / "02.qmd"
    new.parent.mkdir()
    new.write_text("# Two\n", encoding="utf-8")
    config.write_text("book: {title: x}\n", encoding="utf-8")
    assert watcher.changes() == {new, config}
    new.unlink()
    assert watcher.changes() == {new}


def test_sync_report_copies_the_narrative_but_not_what_the_build_generated(tmp_path: Path):
    project = tmp_path / "project"
    (project / "report" / "profiles").mkdir(parents=True)
    (project / "report" / "01.qmd").write_text("# One, edited\n", encoding="utf-8")
    (project / "report" / "new.qmd").write_text("# New\n", encoding="utf-8")
    (project / "report" / "changes.qmd").write_text("placeholder\n", encoding="utf-8")
    (project / "report" / "profiles" / "stray.ipynb").write_text("{}", encoding="utf-8")
    kept = tmp_path / "kept"
    staged = kept / "project" / "report"
    (staged / "profiles").mkdir(parents=True)
    (staged / "01.qmd").write_text("# One\n", encoding="utf-8")
    (staged / "gone.qmd").write_text("# Gone\n", encoding="utf-8")
    (staged / "changes.qmd").write_text("made by the build\n", encoding="utf-8")
    (staged / "profiles" / "P01.ipynb").write_text("{}", encoding="utf-8")

    changed = sync_report(project, kept, ["report/changes.qmd", "report/figures/a.svg"])

    assert sorted(changed) == ["01.qmd", "gone.qmd", "new.qmd"]
    assert (staged / "01.qmd").read_text(encoding="utf-8") == "# One, edited\n"
    assert (staged / "new.qmd").exists() and not (staged / "gone.qmd").exists()
    assert (staged / "changes.qmd").read_text(encoding="utf-8") == "made by the build\n"
    assert sorted(p.name for p in (staged / "profiles").iterdir()) == ["P01.ipynb"]
    assert sync_report(project, kept, ["report/changes.qmd"]) == []


def test_same_files(tmp_path: Path):
    pages, site = tmp_path / "pages", tmp_path / "site"
    for root in (pages, site):
        (root / "profiles").mkdir(parents=True)
        (root / "profiles" / "P01.html").write_text("same", encoding="utf-8")
    (site / "report.pdf").write_bytes(b"%PDF")  # only the pages' files are compared
    assert same_files(pages, site)
    (pages / "profiles" / "P01.html").write_text("other", encoding="utf-8")
    assert not same_files(pages, site)
    (pages / "profiles" / "P01.html").write_text("same", encoding="utf-8")
    (pages / "extra.html").write_text("x", encoding="utf-8")
    assert not same_files(pages, site)
