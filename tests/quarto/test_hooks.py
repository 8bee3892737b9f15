"""The pieces of the Quarto path that need no Quarto CLI: the Annex A list `wfscc prepare` writes
into `_quarto.yml`, the profile pages made from executed notebooks, and the hooks' hand-off."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from wfscc.build.hooks import finish, list_profiles, prepare
from wfscc.render._quarto import INNER, NUMBERS, annex_start, float_numbers, profile_pages

FIXTURE = Path(__file__).parents[1] / "render" / "fixtures" / "book"
# Annex A's page in the repository's _quarto.yml: an appendix chapter, its profiles after it
PART = "report/annex-a-profiles.qmd"


def test_list_profiles_rewrites_only_the_profiles_and_keeps_comments(repo_root, tmp_path):
    path = tmp_path / "_quarto.yml"
    shutil.copyfile(repo_root / "_quarto.yml", path)
    before = path.read_text(encoding="utf-8")
    old = yaml.safe_load(before)["book"]["appendices"]
    at = old.index(PART) + 1
    list_profiles(path, PART, ["report/profiles/P01.qmd", "report/profiles/P02.qmd"])
    new = yaml.safe_load(path.read_text(encoding="utf-8"))["book"]["appendices"]
    assert new == [*old[:at], "report/profiles/P01.qmd", "report/profiles/P02.qmd", *old[at:]]
    assert path.read_text(encoding="utf-8").count("#") == before.count("#")  # comments stay
    list_profiles(path, PART, ["report/profiles/P03.qmd"])  # a second run replaces the list
    new = yaml.safe_load(path.read_text(encoding="utf-8"))["book"]["appendices"]
    assert new == [*old[:at], "report/profiles/P03.qmd", *old[at:]]
    list_profiles(path, PART, [])
    assert path.read_text(encoding="utf-8") == before


def test_list_profiles_fills_an_appendix_part_too(tmp_path):
    path = tmp_path / "_quarto.yml"
    text = "book:\n  appendices:\n    - part: Profiles\n      chapters: []\n    - b.qmd\n"
    path.write_text(text, encoding="utf-8")
    list_profiles(path, "Profiles", ["report/profiles/P01.qmd"])
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["book"]["appendices"] == [
        {"part": "Profiles", "chapters": ["report/profiles/P01.qmd"]},
        "b.qmd",
    ]
    list_profiles(path, "Profiles", [])
    assert path.read_text(encoding="utf-8") == text


def test_list_profiles_names_a_missing_part(repo_root, tmp_path):
    from wfscc.errors import BuildError

    path = tmp_path / "_quarto.yml"
    shutil.copyfile(repo_root / "_quarto.yml", path)
    with pytest.raises(BuildError, match="no appendix part titled 'Annex Z'"):
        list_profiles(path, "Annex Z", ["report/profiles/P01.qmd"])


def test_profile_pages_show_outputs_and_never_code(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    pages = profile_pages(book)
    assert [p.relative_to(book).as_posix() for p in pages] == ["report/profiles/P01.qmd"]
    text = pages[0].read_text(encoding="utf-8")
    assert "import " not in text and "```python" not in text
    assert 'fig-alt="' in text and "(media/P01/" in text
    for target in text.split("(media/P01/")[1:]:
        assert (book / "report" / "profiles" / "media" / "P01" / target.split(")")[0]).is_file()
    assert "report/profiles/P01.qmd" in (book / "_quarto.yml").read_text(encoding="utf-8")
    assert "P01.ipynb" not in (book / "_quarto.yml").read_text(encoding="utf-8")


def _two_profiles(book: Path) -> None:
    """The fixture's book with two LA profiles, P01 and P02, from the one notebook."""
    profiles = book / "report" / "profiles"
    text = (profiles / "P01.ipynb").read_text(encoding="utf-8")
    text = text.replace("fig-profile-chart", "fig-{notebook}-chart").replace(
        "tbl-p01", "tbl-{notebook}"
    )
    for la in ("P01", "P02"):
        (profiles / f"{la}.ipynb").write_text(text, encoding="utf-8")
    config = book / "_quarto.yml"
    one = "        - report/profiles/P01.ipynb\n"
    config.write_text(
        config.read_text(encoding="utf-8").replace(one, one + one.replace("P01", "P02")),
        encoding="utf-8",
    )


def test_profile_pages_number_figures_and_tables_as_the_built_in_engine(tmp_path):
    """Quarto numbers each page of a site from 1; the profile pages carry the numbers the
    built-in engine gives their figures and tables, on through the annex (A.1, A.2, ...), in
    their front matter (`wfscc-numbers`, shown by _filters/wfscc-post.lua)."""
    from wfscc.render._chapters import number_pages, parse_pages
    from wfscc.render._project import load_book

    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    _two_profiles(book)
    loaded = load_book(book)
    (tmp_path / "media").mkdir()
    problems: list[str] = []
    xref = number_pages(parse_pages(loaded, tmp_path / "media", problems), loaded, problems)
    assert not problems
    builtin = {k: v["text"].split()[-1] for k, v in xref.items() if "profiles/" in v["page"]}
    given = {}
    for page in profile_pages(book):
        front = page.read_text(encoding="utf-8").split("---\n")[1]
        given.update(yaml.safe_load(front)[NUMBERS])
    assert given == builtin
    assert given == {
        "fig-p01-chart": "A.1",
        "tbl-p01": "A.1",
        "fig-p02-chart": "A.2",
        "tbl-p02": "A.2",
    }


def test_profile_numbers_count_on_from_the_annex_page(tmp_path):
    """The annex's own figures come first, and its letter is the one both engines give it."""
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "a.qmd").write_text("# A\n", encoding="utf-8")
    (tmp_path / "report" / "b.qmd").write_text(
        '# Profiles\n\n![A map](map.svg){#fig-map fig-alt="A map of the areas."}\n',
        encoding="utf-8",
    )
    appendices = ["report/a.qmd", "report/b.qmd", "report/profiles/P01.qmd", "report/c.qmd"]
    config = {"book": {"appendices": appendices}, "wfscc": {"profiles-part": "report/b.qmd"}}
    (tmp_path / "_quarto.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    start = annex_start(tmp_path, {})
    assert start == ("B", {"fig": 1, "tbl": 0})
    pages = ['![x](x.svg){#fig-x fig-alt="..."}', "::: {#tbl-y .wfscc-nbtable}\n:::"]
    assert float_numbers(pages, *start) == [{"fig-x": "B.2"}, {"tbl-y": "B.1"}]
    config["wfscc"]["profiles-part"] = "report/none.qmd"
    (tmp_path / "_quarto.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert annex_start(tmp_path, {}) is None


def test_the_about_this_build_pages_are_unnumbered(repo_root, tmp_path):
    """Quarto letters every numbered appendix chapter (it lettered these D to F); the built-in
    engine leaves the site-only "About this build" part's pages unlettered. Each of them, as
    committed and as the build writes it, is headed `{.unnumbered}`, so both engines agree."""
    from wfscc.build.steps import _changes
    from wfscc.numbercheck import Check, page_markdown

    config = yaml.safe_load((repo_root / "_quarto.yml").read_text(encoding="utf-8"))
    part = config["wfscc"]["build-part"]
    chapters = next(
        a["chapters"]
        for a in config["book"]["appendices"]
        if isinstance(a, dict) and a.get("part") == part
    )
    texts = {rel: (repo_root / rel).read_text(encoding="utf-8") for rel in chapters}
    texts["the changes page"] = _changes(tmp_path, {}, tmp_path, 10)
    texts["the Number check page"] = page_markdown({}, Check())
    for name, text in texts.items():
        heading = next(line for line in text.splitlines() if line.startswith("# "))
        assert re.search(r"\{[^}]*\.unnumbered[^}]*\}\s*$", heading), f"{name}: {heading}"


def test_hooks_do_nothing_under_wfscc_build(tmp_path, monkeypatch):
    """`wfscc build --engine quarto` prepares and guards the staged copy itself."""
    monkeypatch.setenv(INNER, "1")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copyfile(FIXTURE / "_quarto.yml", project / "_quarto.yml")
    prepare(project, tmp_path / "no-data")
    finish(project, tmp_path / "no-data", tmp_path / "site")
    assert sorted(p.name for p in project.iterdir()) == ["_quarto.yml"]


def test_a_site_the_guard_fails_is_not_left_in_place(project_copy, tmp_path):
    from wfscc.build.hooks import _config, guard_or_remove
    from wfscc.errors import WfsccError

    site = tmp_path / "_book"
    site.mkdir()
    (site / "index.html").write_text("<p>Nothing personal here.</p>", encoding="utf-8")
    config = _config(project_copy, None)
    guard_or_remove(config, site)  # a clean site stays
    assert (site / "index.html").is_file()
    record = (project_copy / "data" / "mi_starts.csv").read_text().splitlines()[1].split(",")[0]
    (site / "leak.html").write_text(f"<p>Participant {record}</p>", encoding="utf-8")
    with pytest.raises(WfsccError):
        guard_or_remove(config, site)
    assert not site.exists()


def test_profile_pages_leave_unchanged_files_alone(tmp_path):
    """`quarto preview` re-renders what changes on disk: a second run must write nothing."""
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    profile_pages(book)
    written = {p: p.stat().st_mtime_ns for p in book.rglob("*") if p.is_file()}
    config = (book / "_quarto.yml").read_text(encoding="utf-8")
    (book / "_quarto.yml").write_text(config.replace("P01.qmd", "P01.ipynb"), encoding="utf-8")
    written[book / "_quarto.yml"] = (book / "_quarto.yml").stat().st_mtime_ns
    time.sleep(0.05)
    profile_pages(book)
    changed = [p for p, t in written.items() if p.stat().st_mtime_ns != t]
    assert changed == [book / "_quarto.yml"]


@pytest.mark.parametrize("command", ["prepare", "finish"])
def test_hook_commands_share_options_and_report_errors_alike(command, tmp_path, monkeypatch):
    """`wfscc prepare` and `wfscc finish` (the steps `_quarto.yml` runs) take the same options,
    and a user's mistake ends as one `error:` line with status 1, not a traceback."""
    from click.testing import CliRunner

    from wfscc.cli import main

    monkeypatch.delenv(INNER, raising=False)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copyfile(FIXTURE / "_quarto.yml", project / "_quarto.yml")
    helped = CliRunner().invoke(main, [command, "--help"])
    assert helped.exit_code == 0 and "--data" in helped.output and "--project" in helped.output
    result = CliRunner().invoke(
        main, [command, "--project", str(project), "--data", str(tmp_path / "no-data")]
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert "no-data" in result.output


def test_profile_pages_quarto_left_out_are_found(tmp_path):
    """`quarto preview` renders the files it listed before the pre-render step wrote the LA
    profiles into the book; `left_out` names those `finish` must render itself."""
    from wfscc.build.hooks import left_out

    out = tmp_path / "_book"
    for la in ("P01", "P02", "P03"):
        page = tmp_path / "report" / "profiles" / f"{la}.qmd"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("# P\n", encoding="utf-8")
    for la in ("P02", "P03"):  # rendered after their page was written
        html = out / "report" / "profiles" / f"{la}.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text("<html></html>", encoding="utf-8")
    old = time.time() - 60
    os.utime(out / "report" / "profiles" / "P03.html", (old, old))  # older than its page
    assert left_out(tmp_path, out) == ["report/profiles/P01.qmd", "report/profiles/P03.qmd"]


def test_every_placeholder_the_build_replaces_is_marked_for_quarto_render(repo_root):
    """Plain `quarto render` shows a committed placeholder unless it is marked
    `<!-- wfscc-generated: report/x.qmd -->` ... `<!-- /wfscc-generated -->`, which
    `_filters/wfscc-pre.lua` replaces by the version `wfscc prepare` writes into `_generated/`
    (the wording rules' table was once left out of Quarto's Annex B this way)."""
    unmarked = []
    for path in sorted((repo_root / "report").glob("*.qmd")):
        text = path.read_text(encoding="utf-8")
        if "placeholder" not in text.lower():
            continue
        rel = path.relative_to(repo_root).as_posix()
        if (
            f"<!-- wfscc-generated: {rel} -->" not in text
            or "<!-- /wfscc-generated -->" not in text
        ):
            unmarked.append(rel)
    assert not unmarked, f"placeholders without the wfscc-generated markers: {unmarked}"
