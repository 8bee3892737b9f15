"""Renders that must fail, and say where and what to fix."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from wfscc.render import RenderError, render_book

TIMESTAMP = datetime(2024, 5, 1, tzinfo=UTC)


def _render(book, tmp_path):
    with pytest.raises(RenderError) as info:
        render_book(book, tmp_path / "out", timestamp=TIMESTAMP, provenance={})
    return str(info.value)


def test_unknown_variable_names_file_and_line(book, tmp_path):
    path = book / "report" / "02-findings.qmd"
    path.write_text(path.read_text() + "\nThe {{< var no_such_fact >}} is unknown.\n")
    message = _render(book, tmp_path)
    lines = len(path.read_text().splitlines())
    # the file as the user knows it: its path in the project, not where the engine read it
    assert f"report/02-findings.qmd:{lines}: unknown variable 'no_such_fact'" in message
    assert str(book) not in message
    assert not (tmp_path / "out" / "index.html").exists()


def test_image_without_alt_text_fails(book, tmp_path):
    path = book / "report" / "02-findings.qmd"
    text = path.read_text().replace(' fig-alt="The same bar chart of take-up by wave, repeated."',
                                    "")
    path.write_text(text)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "figures/takeup.svg" in s)
    message = _render(book, tmp_path)
    assert f"report/02-findings.qmd:{line}: image 'takeup.svg' has no alt text" in message


def test_placeholder_alt_text_fails(book, tmp_path):
    path = book / "report" / "profiles" / "P01.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = ["#| label: fig-profile-chart\n", "#| fig-cap: Starts\n",
                                "#| fig-alt: No description has been provided for this image\n",
                                "chart()"]
    path.write_text(json.dumps(nb))
    assert "only the placeholder" in _render(book, tmp_path)


def test_broken_cross_reference_fails(book, tmp_path):
    path = book / "report" / "annex-b-technical.qmd"
    path.write_text(path.read_text() + "\nSee @fig-nowhere.\n")
    assert "cross-reference '@fig-nowhere' has no #fig-nowhere" in _render(book, tmp_path)


def test_subset_violation_fails_before_rendering(book, tmp_path):
    path = book / "report" / "01-introduction.qmd"
    path.write_text(path.read_text() + "\n{{< video clip.mp4 >}}\n")
    assert "shortcode 'video' is not supported" in _render(book, tmp_path)


@pytest.mark.slow
def test_summary_notice_false_leaves_the_notice_out(book, tmp_path):
    path = book / "report" / "summary.qmd"
    path.write_text(path.read_text().replace("---\ntitle:", "---\nnotice: false\ntitle:", 1))
    result = render_book(book, tmp_path / "out", timestamp=TIMESTAMP, provenance={"commit": "c0"})
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(result.pdfs["summary"]).pages)
    assert "The summary is short." in text and "rebuilt from data" not in text
    assert "rebuilt from data" not in (tmp_path / "out" / "summary.html").read_text()
