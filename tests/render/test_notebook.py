"""Executed notebooks to markdown: charts, alt text, chart data and tables."""

from __future__ import annotations

import json
from pathlib import Path

from wfscc.render._notebook import cell_options, notebook_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "book"

NOTEBOOK = FIXTURE / "report" / "profiles" / "P01.ipynb"


def test_cell_options():
    assert cell_options("#| label: fig-a\n#| fig-alt: A chart\nplot()") == {
        "label": "fig-a", "fig-alt": "A chart"}
    assert cell_options("plot()") == {}


def test_cell_options_read_once_are_each_cells_own():
    source = "#| label: fig-b\n#| fig-cap: [One, Two]\nplot()"
    first = cell_options(source)
    first["label"] = "changed"
    assert cell_options(source) == {"label": "fig-b", "fig-cap": ["One", "Two"]}
    assert cell_options("#| label: [unclosed\nplot()") == {}  # not YAML: no options


def test_fixture_notebook(tmp_path):
    problems: list[str] = []
    md = notebook_markdown(NOTEBOOK, {"n_pilot_las": "ten"}, tmp_path, problems)
    assert problems == []
    assert "# Pilot area 1" in md and 'ran in [ten]{data-fact="n_pilot_las"} areas' in md
    assert '{#fig-profile-chart fig-alt="Line chart of starts' in md
    assert "wfscc-data=" in md and len(list(tmp_path.glob("*.csv"))) == 1
    assert '::: {#tbl-p01 .wfscc-nbtable tbl-cap="Outcomes in pilot area 1"}' in md
    assert "print(" not in md and "hi\n" not in md  # code and streams are not shown


def _with_chart_cell(tmp_path, source, metadata):
    nb = json.loads(NOTEBOOK.read_text())
    chart = nb["cells"][2]
    chart["source"] = source
    chart["outputs"][0]["metadata"] = metadata
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_alt_text_falls_back_to_output_metadata(tmp_path):
    path = _with_chart_cell(tmp_path, ["chart()"], {"image/png": {"alt": "Alt from metadata"}})
    problems: list[str] = []
    md = notebook_markdown(path, {"n_pilot_las": "ten"}, tmp_path, problems)
    assert problems == [] and 'fig-alt="Alt from metadata"' in md


def test_chart_without_alt_text_is_a_problem(tmp_path):
    path = _with_chart_cell(tmp_path, ["chart()"], {})
    problems: list[str] = []
    notebook_markdown(path, {"n_pilot_las": "ten"}, tmp_path, problems)
    assert len(problems) == 1
    assert "nb.ipynb cell 3" in problems[0] and "#| fig-alt" in problems[0]
