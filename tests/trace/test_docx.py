"""The review copy opens in python-docx: the notice first, the chapters' headings in order,
every figure with alt text, the facts' texts; byte-identical across two renders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from wfscc.render import render_book

FIXTURE = Path(__file__).resolve().parent.parent / "render" / "fixtures" / "book"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        render_book(FIXTURE, out, timestamp=datetime(2024, 5, 1, tzinfo=UTC), provenance={})
        outs.append(out)
    return outs


def test_review_copy_is_byte_identical(two):
    for name in ("report.docx", "summary.docx"):
        assert (two[0] / name).read_bytes() == (two[1] / name).read_bytes()


def test_review_copy_has_headings_alt_text_and_facts(two):
    docx = pytest.importorskip("docx")
    doc = docx.Document(str(two[0] / "report.docx"))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    first_page = " ".join(p.text for p in paras[:3])  # title, date, notice
    assert "Review copy for comments" in first_page and "not the publication" in first_page
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    titles = ["Introduction", "Findings", "Local authority profiles", "Technical"]
    positions = [next(i for i, h in enumerate(headings) if t.lower() in h.lower()) for t in titles]
    assert positions == sorted(positions), headings
    body = doc.element.body
    pictures = body.findall(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    )
    assert pictures and all(p.get("descr", "").strip() for p in pictures)
    text = "\n".join(p.text for p in doc.paragraphs)
    variables = yaml.safe_load((FIXTURE / "_variables.yml").read_text(encoding="utf-8"))
    for name in ("takeup_wave1_pilot_pct", "takeup_wave2_pilot_pct", "n_pilot_las"):
        assert str(variables[name]) in text
    # the site links to the review copy
    assert 'href="report.docx"' in (two[0] / "index.html").read_text(encoding="utf-8")
