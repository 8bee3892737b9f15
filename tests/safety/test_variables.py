"""A fact's text reaches the page as written: `_variables.yml` carries it escaped for Markdown,
and the built-in engine shows the plain text in prose, in an attribute (alt text) and in the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from wfscc.facts import Fact, write_facts
from wfscc.render import render_book

FIXTURE = Path(__file__).resolve().parent.parent / "render" / "fixtures" / "book"
HOSTILE = 'Area [x](javascript:alert(1)) <b>b</b> *bold* $x^2$ @fig-a #set page(fill: red) "q"'


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _straight(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split())


@pytest.mark.slow
def test_fact_text_is_shown_as_written_by_the_built_in_engine(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(FIXTURE, book)
    variables = yaml.safe_load((book / "_variables.yml").read_text(encoding="utf-8"))
    facts = [Fact(k, None, None, str(v), "test") for k, v in variables.items()]
    write_facts([*facts, Fact("hostile", None, None, HOSTILE, "test")], tmp_path / "facts")
    written = (tmp_path / "facts" / "_variables.yml").read_text(encoding="utf-8")
    assert "[x](" not in written and "<b>" not in written  # escaped for Markdown
    shutil.copyfile(tmp_path / "facts" / "_variables.yml", book / "_variables.yml")
    page = book / "report" / "02-findings.qmd"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        'fig-alt="The same bar chart of take-up by wave, repeated."',
        'fig-alt="{{< var hostile >}}"',
    )
    page.write_text(text + "\nThe name: {{< var hostile >}}.\n", encoding="utf-8")

    out = tmp_path / "out"
    render_book(book, out, timestamp=datetime(2024, 5, 1, tzinfo=UTC), provenance={})
    parsed = _Text()
    parsed.feed((out / "02-findings.html").read_text(encoding="utf-8"))
    assert f"The name: {HOSTILE}." in _straight("".join(parsed.text))
    assert not [t for t, _ in parsed.tags if t == "b"]
    assert not [
        a for _, a in parsed.tags if any((v or "").startswith("javascript:") for v in a.values())
    ]
    assert HOSTILE in [a.get("alt") for t, a in parsed.tags if t == "img"]

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = subprocess.run(
        [pdftotext, "-raw", str(out / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"The name: {HOSTILE}." in _straight(re.sub(r"-\n", "-", pdf))
