"""In the PDFs, a figure's or a short table's Note, Base and Source lines stay on its page: the
built-in engine's Typst puts them in one unbreakable block with it (render/filters/render.lua).
(The layout check that finds them parted in a built PDF: `wfscc.layoutcheck.parted_notes`.)"""

from __future__ import annotations

import json
import re
import subprocess

from wfscc.render._pandoc import pandoc_path, resource

DOC = (
    "Text before.\n\n"
    "![Starts by area](chart.svg){#fig-a}\n\n"
    "Note: bars show counts.\n\nBase: all starts.\n\nSource: management information.\n\n"
    "After the figure.\n\n"
    "| Area | Starts |\n|---|--:|\n| P01 | 12 |\n\n: Starts {#tbl-a}\n\n"
    "Base: all starts.\n\nSource: survey.\n\n"
    "A paragraph that is no note.\n"
)


def _typst(markdown: str) -> str:
    config = {"target": "typst", "root": "", "page": "", "anchors": {}}
    return subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "typst", "-M",
         f"wfscc-config={json.dumps(config)}", "--lua-filter",
         str(resource("filters", "render.lua"))],
        input=markdown, capture_output=True, text=True, check=True,
    ).stdout


def _blocks(typst: str) -> list[str]:
    """The text of each top-level `#block(breakable: false)[...]`."""
    return re.findall(r"^#block\(breakable: false\)\[\n(.*?)^\]$", typst, flags=re.S | re.M)


def test_a_figure_and_its_lines_are_one_unbreakable_block():
    blocks = _blocks(_typst(DOC))
    figure = next(b for b in blocks if "Starts by area" in b)
    assert figure.startswith("#figure(image(")
    for line in ("Note: bars show counts.", "Base: all starts.",
                 "Source: management information."):
        assert line in figure
    assert "After the figure." not in figure


def test_a_short_table_keeps_its_lines_in_its_block():
    blocks = _blocks(_typst(DOC))
    table = next(b for b in blocks if "wfscc-table(" in b)
    assert "Source: survey." in table and "Base: all starts." in table
    assert "A paragraph that is no note." not in table
    assert table.count("#block(") == 0  # the table's own block, not one inside another


def test_a_figure_without_lines_is_left_as_it_was():
    typst = _typst("![Alone](chart.svg){#fig-b}\n\nProse.\n")
    assert typst.lstrip().startswith("#figure(") and not _blocks(typst)
