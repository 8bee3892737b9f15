"""The keep-with-notes rule (a figure's Note, Base and Source lines on its page in the PDF) is
defined once, in `render/filters/keepnotes.lua`: the built-in engine's render.lua loads it from
the package, Quarto's `_filters/wfscc-post.lua` the copy that `wfscc build` (staging) and `wfscc
prepare` write into `_generated/`. Quarto's filter is run here in plain pandoc with a stand-in
for Quarto's `quarto` module, so that these tests need no Quarto."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from wfscc.build.stage import KEEPNOTES_COPY, copy_datatable_filter, stage_project
from wfscc.render._pandoc import pandoc_path, resource

#: a Lua line that defines the rule's list of openings or its test of a paragraph
DEFINES = re.compile(r"^\s*(local\s+)?[\w.]*NOTE_STARTS\s*=|function\s+[\w.:]*is_note\b", re.M)
SKIPPED = {".git", ".venv", "_book", "_generated", "node_modules", ".wfscc-cache"}
LINES = ["Note: bars show counts.", "Base: all starts.", "Source: survey."]
NOT_LINES = ["Notes on the chart.", "A note: not at the start.", "Sources differ."]


def _lua_files(root: Path) -> list[Path]:
    return [
        p
        for p in sorted(root.rglob("*.lua"))
        if not SKIPPED.intersection(p.relative_to(root).parts)
    ]


def test_the_rule_is_defined_in_one_lua_file_only(repo_root: Path):
    defining = [
        p.relative_to(repo_root).as_posix()
        for p in _lua_files(repo_root)
        if DEFINES.search(p.read_text(encoding="utf-8"))
    ]
    assert defining == ["src/wfscc/render/filters/keepnotes.lua"], (
        "NOTE_STARTS / is_note must be defined only in render/filters/keepnotes.lua "
        f"(both engines load it); defined in: {defining}"
    )


def test_the_check_finds_a_second_definition(tmp_path: Path):
    """The check above can fail: a copied rule is found."""
    (tmp_path / "a.lua").write_text('local NOTE_STARTS = {"Note:"}\n', encoding="utf-8")
    (tmp_path / "b.lua").write_text("local function is_note(block) end\n", encoding="utf-8")
    (tmp_path / "c.lua").write_text("return keepnotes.is_note(b)\n", encoding="utf-8")
    found = [p.name for p in _lua_files(tmp_path) if DEFINES.search(p.read_text("utf-8"))]
    assert found == ["a.lua", "b.lua"]


def _builtin(markdown: str) -> str:
    config = {"target": "typst", "root": "", "page": "", "anchors": {}}
    return subprocess.run(
        [
            pandoc_path(),
            "-f",
            "markdown",
            "-t",
            "typst",
            "-M",
            f"wfscc-config={json.dumps(config)}",
            "--lua-filter",
            str(resource("filters", "render.lua")),
        ],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _quarto_post(markdown: str, project: Path, repo_root: Path) -> subprocess.CompletedProcess:
    """`_filters/wfscc-post.lua` on *markdown* as Quarto runs it for report.pdf (Typst) in
    *project*: Quarto's figure floats are `quarto-scaffold` divs by then."""
    stand_in = project / "quarto-stand-in.lua"
    stand_in.write_text(
        "quarto = {doc = {is_format = function(f) return f == 'typst' end},\n"
        f"  project = {{directory = {str(project)!r}}}}}\n"
        f"dofile({str(repo_root / '_filters' / 'wfscc-post.lua')!r})\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "typst", "--lua-filter", str(stand_in)],
        input=markdown,
        capture_output=True,
        text=True,
    )


def _kept(typst: str) -> list[str]:
    """The text of each top-level `#block(breakable: false)[...]` (to its own closing "]": a
    line that ends in "[" opens a bracket, one that starts with "]" closes one)."""
    found, depth = [], 0
    for line in typst.splitlines():
        if depth == 0:
            if line == "#block(breakable: false)[":
                found.append([])
                depth = 1
            continue
        depth += line.rstrip().endswith("[") - line.strip().startswith("]")
        if depth:
            found[-1].append(line)
    return ["\n".join(lines) for lines in found]


@pytest.mark.parametrize("line", LINES + NOT_LINES)
def test_both_engines_keep_the_same_lines_with_a_figure(line, repo_root: Path, tmp_path: Path):
    copy_datatable_filter(tmp_path)
    builtin = _kept(_builtin(f"![Chart](c.svg){{#fig-a}}\n\n{line}\n"))
    quarto = _quarto_post(
        f"::: {{.quarto-scaffold}}\n![Chart](c.svg)\n:::\n\n{line}\n", tmp_path, repo_root
    )
    assert quarto.returncode == 0, quarto.stderr
    kept = _kept(quarto.stdout)
    if line in LINES:
        assert len(builtin) == 1 and line in builtin[0] and "c.svg" in builtin[0]
        assert len(kept) == 1 and line in kept[0] and "c.svg" in kept[0]
    else:
        assert builtin == [] and kept == []


def test_quarto_keeps_every_line_with_its_figure_and_leaves_table_floats(
    repo_root: Path, tmp_path: Path
):
    copy_datatable_filter(tmp_path)
    doc = (
        "::: {.quarto-scaffold}\n![Chart](c.svg)\n:::\n\n"
        + "\n\n".join(LINES)
        + "\n\nAfter the figure.\n\n"
        "::: {.quarto-scaffold}\n| A | B |\n|---|---|\n| 1 | 2 |\n:::\n\nSource: a table.\n"
    )
    result = _quarto_post(doc, tmp_path, repo_root)
    assert result.returncode == 0, result.stderr
    kept = _kept(result.stdout)
    assert len(kept) == 1
    assert all(line in kept[0] for line in LINES) and "After the figure." not in kept[0]
    assert "Source: a table." in result.stdout


def test_quarto_without_the_copy_says_what_to_run(repo_root: Path, tmp_path: Path):
    result = _quarto_post(
        "::: {.quarto-scaffold}\n![Chart](c.svg)\n:::\n\nNote: x.\n", tmp_path, repo_root
    )
    assert result.returncode != 0
    assert "wfscc-keepnotes.lua is missing" in result.stderr
    assert "wfscc prepare" in result.stderr and "wfscc build" in result.stderr


def test_staging_and_prepare_copy_the_rule_for_quarto(repo_root: Path, tmp_path: Path):
    package = resource("filters", "keepnotes.lua").read_bytes()
    copy_datatable_filter(tmp_path)  # what `wfscc prepare` calls
    copied = tmp_path.joinpath(*KEEPNOTES_COPY)
    assert copied.read_bytes() == package
    copied.write_text("-- stale", encoding="utf-8")
    copy_datatable_filter(tmp_path)
    assert copied.read_bytes() == package

    variables = tmp_path / "_variables.yml"
    variables.write_text("x: 1\n", encoding="utf-8")
    root = stage_project(repo_root, tmp_path / "staging", {}, variables)
    assert root.joinpath(*KEEPNOTES_COPY).read_bytes() == package
    post = (root / "_filters" / "wfscc-post.lua").read_text(encoding="utf-8")
    assert f'"{KEEPNOTES_COPY[-1]}"' in post
