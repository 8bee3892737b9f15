"""The built-in engine stays a faithful subset of Quarto: every `.qmd` feature it accepts
(`wfscc.render._qmd.ALLOWED`) has a sample here, the built-in engine's checker accepts the
samples, and the Quarto CLI renders each of them as the feature it is (nothing left as raw
syntax). A feature added to the subset without a Quarto sample fails
`test_every_feature_of_the_subset_has_a_quarto_sample`; a Quarto-only feature is rejected by
the checker (tests/render/test_subset.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from wfscc.render import check_qmd_subset
from wfscc.render._qmd import ALLOWED

pytestmark = [pytest.mark.slow, pytest.mark.quarto]

FIGURE = Path(__file__).parents[1] / "render" / "fixtures" / "book" / "report" / "figures"
# one sample of each feature of the subset (keys: the features as ALLOWED names them)
SAMPLES = {
    ALLOWED[0]: "The pilot ran in {{< var n_areas >}} areas.",
    ALLOWED[1]: "{{< include _included.qmd >}}",
    ALLOWED[2]: "{{< pagebreak >}}",
    ALLOWED[3]: '![Take-up by area](takeup.svg){#fig-takeup fig-alt="A bar chart of take-up, '
    'one bar per pilot area."}\n\nAs @fig-takeup shows.',
    ALLOWED[4]: "| Area | Starts |\n|---|---|\n| P01 | 12 |\n\n: Starts by area {#tbl-starts}"
    "\n\nAs @tbl-starts lists.",
    ALLOWED[5]: '::: {.callout-warning title="Read with care"}\nSmall numbers.\n:::',
}


def test_every_feature_of_the_subset_has_a_quarto_sample():
    assert set(SAMPLES) == set(ALLOWED), "give each feature of ALLOWED a sample in SAMPLES"


def test_quarto_renders_every_feature_of_the_subset(tmp_path: Path, quarto_path: str):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: default\nformat:\n  html:\n    number-sections: true\n",
        encoding="utf-8",
    )
    (tmp_path / "_variables.yml").write_text("n_areas: ten\n", encoding="utf-8")
    (tmp_path / "_included.qmd").write_text("Included sentence.\n", encoding="utf-8")
    shutil.copyfile(FIGURE / "takeup.svg", tmp_path / "takeup.svg")
    doc = tmp_path / "doc.qmd"
    doc.write_text("# Features\n\n" + "\n\n".join(SAMPLES.values()) + "\n", encoding="utf-8")
    check_qmd_subset(doc)  # the built-in engine accepts every sample
    proc = subprocess.run(
        ["quarto", "render", "doc.qmd", "--to", "html"],
        cwd=tmp_path,
        env={**os.environ, "PATH": quarto_path},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup.body
    text = main.get_text(" ")
    assert "The pilot ran in ten areas." in " ".join(text.split())
    assert "Included sentence." in text
    assert soup.select_one("img#fig-takeup, #fig-takeup img") is not None
    assert "one bar per pilot area" in (main.find("img").get("alt") or "")
    assert main.find("table") is not None
    refs = [" ".join(a.get_text().split()) for a in main.select("a.quarto-xref")]
    assert refs == ["Figure 1", "Table 1"], refs
    assert main.select_one(".callout-warning") is not None and "Read with care" in text
    for raw in ("{{<", ":::", "?@", "@fig-", "@tbl-"):
        assert raw not in text, f"Quarto left {raw!r} in the page"
