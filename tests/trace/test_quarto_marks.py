"""Quarto marks numbers the way the built-in engine does when `_variables.yml` carries the marks
(`marked_variables`): `<span data-fact>` in prose, lists, table cells, captions and headings;
the alt text and the Typst source (so the PDF) exactly as without marks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from wfscc.render._trace import marked_variables
from wfscc.textsafe import markdown

pytestmark = pytest.mark.slow
QUARTO = shutil.which("quarto") or "/root/.cache/q/bin/quarto"
CONFIG = """project:
  type: book
book:
  title: "Trace test"
  author: "A Tester"
  chapters:
    - index.qmd
    - ch1.qmd
format:
  html: default
  typst:
    keep-typ: true
"""
CHAPTER = """# Take-up

Take-up rose to {{< var pct >}}; name {{< var odd >}}.

- In a list: {{< var n_las >}}

| Wave | Take-up |
|---|---|
| 2 | {{< var pct >}} |

![Take-up {{< var pct >}}](fig.svg){#fig-t ALT}

## Section at {{< var pct >}}
""".replace("ALT", 'fig-alt="Take-up reached {{< var pct >}} in {{< var n_las >}} areas"')
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10"/></svg>'
)
VALUES = {"n_las": "ten", "pct": "31 per cent", "odd": "Area [x] *y* <b>"}


def _project(root: Path, marked: bool) -> Path:
    root.mkdir()
    (root / "_quarto.yml").write_text(CONFIG, encoding="utf-8")
    (root / "index.qmd").write_text("# Preface {.unnumbered}\n\nIn {{< var n_las >}} areas.\n")
    (root / "ch1.qmd").write_text(CHAPTER, encoding="utf-8")
    (root / "fig.svg").write_text(SVG, encoding="utf-8")
    variables = {k: markdown(v) for k, v in VALUES.items()}
    if marked:
        variables = marked_variables(variables)
    (root / "_variables.yml").write_text(yaml.safe_dump(variables, allow_unicode=True))
    subprocess.run(
        [QUARTO, "render"],
        cwd=root,
        check=True,
        capture_output=True,
        env=dict(os.environ, QUARTO_LOG_LEVEL="ERROR"),
        timeout=300,
    )
    return root


def test_quarto_marks_like_the_built_in_engine(tmp_path):
    if not Path(QUARTO).exists():
        pytest.skip("the Quarto CLI is not installed")
    marked = _project(tmp_path / "marked", True)
    plain = _project(tmp_path / "plain", False)
    page = (marked / "_book" / "ch1.html").read_text(encoding="utf-8")
    spans = re.findall(r'<span data-fact="(\w+)">([^<]*)</span>', page)
    assert ("pct", "31 per cent") in spans and ("n_las", "ten") in spans
    assert ("odd", "Area [x] *y* &lt;b&gt;") in spans
    assert re.search(r'<h2[^>]*>.*<span data-fact="pct">', page)  # a heading
    assert re.search(r'<td><p><span data-fact="pct">', page)  # a table cell
    assert 'alt="Take-up reached 31 per cent in ten areas"' in page  # alt text stays plain
    assert (marked / "index.typ").read_text() == (plain / "index.typ").read_text()
