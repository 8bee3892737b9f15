"""The narrative's tables and figures in the house style (docs/style.md): numeral cells, right-
aligned numbers of one width, units in headers, and Base and Source lines under each; a Note, a
Base and a Source line under each figure; one name for the survey waves."""

from __future__ import annotations

import re

import pytest

from wfscc.contract import TABLE_CELLS

VAR = re.compile(r"\{\{< var (\w+) >\}\}")
SEPARATOR = re.compile(r"\|(:?-+:?\|)+")


def _chapters(repo_root):
    return sorted((repo_root / "report").glob("*.qmd"))


def _tables(lines):
    """(header, separator, rows, index of the line after the table) for each pipe table."""
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and SEPARATOR.fullmatch(lines[i + 1]):
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            yield lines[i], lines[i + 1], lines[i + 2 : j], j
            i = j
        else:
            i += 1


def _after(lines, j, n=8):
    return [x for x in lines[j : j + n] if x.strip()]


@pytest.fixture(scope="module")
def chapters(repo_root):
    return {p.name: p.read_text(encoding="utf-8").split("\n") for p in _chapters(repo_root)}


def test_tables_have_numerals_aligned_numbers_units_base_and_source(chapters):
    seen = 0
    for name, lines in chapters.items():
        for header, sep, rows, end in _tables(lines):
            seen += 1
            cols = sep.strip("|").split("|")
            assert cols[0].startswith(":") and not cols[0].endswith(":"), (name, sep)
            assert all(c.endswith(":") and not c.startswith(":") for c in cols[1:]), (name, sep)
            assert len({len(c) for c in cols[1:]}) == 1, (name, "numeric columns of one width")
            heads = [h.strip() for h in header.strip("|").split("|")][1:]
            assert all(re.search(r"\((per cent|number|percentage points)\)$", h) for h in heads), (
                name,
                heads,
            )
            for row in rows:
                for cell in row.strip("|").split("|")[1:]:
                    names = VAR.findall(cell)
                    assert names and all(n.endswith("_cell") for n in names), (name, cell)
                    assert all(TABLE_CELLS.fullmatch(n[: -len("_cell")]) for n in names)
                    assert not re.search(r"per cent|\b(one|two|three|zero)\b", cell), cell
            after = _after(lines, end)
            assert after[0].startswith(": "), (name, "caption")
            assert after[1].startswith("Base: "), (name, after[:3])
            assert re.fullmatch(r"Source: \{\{< var source_\w+ >\}\}\.", after[2]), name
    assert seen >= 7


def test_every_figure_has_a_note_base_and_source(chapters):
    seen = 0
    for name, lines in chapters.items():
        for i, line in enumerate(lines):
            m = re.match(r"!\[[^\]]*\]\(figures/(\w+?)(-summary)?\.svg\)", line)
            if not m:
                continue
            seen += 1
            fig = m.group(1)
            assert _after(lines, i + 1, 6) == [
                f"Note: {{{{< var fig_note_{fig} >}}}}",
                f"Base: {{{{< var fig_base_{fig} >}}}}.",
                f"Source: {{{{< var fig_source_{fig} >}}}}.",
            ], (name, fig)
    assert seen >= 8


def test_the_summary_shows_charts_drawn_at_its_column_width(chapters):
    from wfscc.outputs.figures import SUMMARY

    shown = re.findall(r"\]\(figures/([\w-]+)\.svg\)", "\n".join(chapters["summary.qmd"]))
    assert shown and all(s.endswith("-summary") and s[: -len("-summary")] in SUMMARY for s in shown)


def test_one_name_for_the_survey_waves(chapters):
    # the references quote the earlier reports' published titles ("… Baseline Report") as they are
    text = "\n".join("\n".join(v) for k, v in chapters.items() if k != "references.qmd")
    assert not re.search(r"\bbaseline\b|\bwave [12]\b|\(2009\)|\(2011\)", text, re.IGNORECASE)
    assert "wave one" in text.lower() and "wave two" in text.lower()


def test_one_wording_for_c(chapters):
    text = "\n".join("\n".join(v) for v in chapters.values())
    assert "left blank" not in text and "blank cell" not in text
    assert text.count("{{< var suppressed_note >}}") >= 2
