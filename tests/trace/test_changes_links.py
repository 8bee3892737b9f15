"""The changes page links each changed fact to the pages where it appears and to its entry on
the Number check page; a fact that did not change is not linked."""

from __future__ import annotations

from wfscc.diff import compare_inputs, to_markdown
from wfscc.numbercheck import Check, link_changes


def test_changed_fact_links_to_its_pages(tmp_path):
    old = {
        "takeup_share": {"value": 0.31, "base": 400, "text": "31 per cent", "source": "s"},
        "n_las": {"value": 10, "base": None, "text": "ten", "source": "s"},
    }
    new = {
        "takeup_share": {"value": 0.35, "base": 400, "text": "35 per cent", "source": "s"},
        "n_las": {"value": 10, "base": None, "text": "ten", "source": "s"},
    }
    page = tmp_path / "report" / "changes.qmd"
    page.parent.mkdir()
    page.write_text(to_markdown(compare_inputs(old, new, None, None), level=1), encoding="utf-8")
    check = Check(
        uses={"takeup_share": ["01-introduction.html", "summary.html"], "n_las": ["index.html"]},
        sources={"01-introduction.html": "01-introduction.qmd", "index.html": "index.qmd"},
    )
    link_changes(page, check)
    text = page.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| takeup\\_share"))
    assert "](01-introduction.qmd)" in row
    assert "summary\\.html" in row  # the summary is named; links go to chapters only
    assert "(number-check.qmd#fact-takeup_share)" in row
    assert "35 per cent" in row and "31 per cent" in row  # the row's cells are kept
    assert "index.qmd" not in text  # n_las did not change
