"""`wfscc.diff`: what changed between two builds, as Markdown and JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from wfscc.diff import compare_builds, compare_inputs, main_diff, to_markdown
from wfscc.errors import WfsccError
from wfscc.render._qmd import subset_problems

FACTS = {
    "takeup_w2_pilot_pct": {"value": 0.1432, "base": 620, "text": "14 per cent",
                            "source": "wfscc.analysis.survey.takeup"},
    "n_pilot_las": {"value": 10, "base": None, "text": "ten", "source": "wfscc.facts._core"},
    "takeup_ci": {"value": [0.11, 0.17], "base": 620, "text": "11 to 17 per cent",
                  "source": "wfscc.analysis.survey.takeup"},
}
TABLE = [
    ["la_code", "wave", "respondents", "percent"],
    ["P01", "1", "58", "5.7"],
    ["P01", "2", "61", "14.3"],
    ["P02", "1", "[c]", "[c]"],
    ["P02", "2", "44", "9.1"],
]
PROVENANCE = {"version": "0.1.0", "commit": "0123456789ab", "data_hash": "feedfacecafebeef",
              "build_date": "31 March 2011", "build_timestamp": "2011-03-31T00:00:00+00:00"}
BODY = {
    "index.html": "<h1>Welcome</h1><p>The pilot ran in ten areas.</p>",
    "01-introduction.html": "<h1>Introduction</h1><p>Take-up rose to 14 per cent.</p>"
                            "<ul><li>one</li><li>two</li></ul>",
}


def _page(title: str, body: str, prov: dict) -> str:
    footer = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in
                     (("Package version", prov["version"]), ("Git commit", prov["commit"]),
                      ("Data hash", prov["data_hash"]), ("Build date", prov["build_date"])))
    return (f'<!DOCTYPE html><html lang="en-GB"><head><title>{title}</title>'
            "<style>body {color: black}</style></head><body>"
            f'<header><p class="site-title">{title}</p></header>'
            '<nav class="book-nav"><ul><li><a href="index.html">Home</a></li></ul></nav>'
            f'<main id="main">{body}</main>'
            '<nav class="pager"><a href="index.html">Previous</a></nav>'
            f'<footer><dl class="provenance">{footer}</dl></footer>'
            "<script>var built = '" + prov["build_timestamp"] + "';</script></body></html>")


def make_build(root: Path, *, facts=None, table=None, pages=None, prov=None,
               pdf: bytes | None = None) -> Path:
    """A tiny build directory: facts.json, one table + manifest, HTML pages, optionally a PDF."""
    facts = FACTS if facts is None else facts
    table = TABLE if table is None else table
    pages = BODY if pages is None else pages
    prov = {**PROVENANCE, **(prov or {})}
    root.mkdir(parents=True)
    (root / "facts.json").write_text(json.dumps(facts, indent=2, sort_keys=True))
    (root / ".wfscc-build.json").write_text(json.dumps(prov))
    data = root / "data"
    data.mkdir()
    with (data / "takeup_by_la.csv").open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)
    manifest = {"takeup_by_la": {"title": "Take-up by local authority", "csv": "takeup_by_la.csv",
                                 "count_columns": ["respondents"], "threshold": 10,
                                 "suppressed_cells": 2}}
    (data / "tables.json").write_text(json.dumps(manifest))
    for rel, body in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(_page(rel, body, prov))
    (root / "pagefind").mkdir()
    (root / "pagefind" / "fragment.html").write_text(f"<p>{prov['commit']}</p>")
    if pdf is not None:
        (root / "report.pdf").write_bytes(pdf)
    return root


def _with(rows: list[list[str]], r: int, c: int, value: str) -> list[list[str]]:
    out = [list(row) for row in rows]
    out[r][c] = value
    return out


# ---------------------------------------------------------------------------------------------


def test_identical_builds_give_an_empty_diff_and_a_no_changes_page(tmp_path):
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b"))
    assert diff.is_empty
    assert diff.counts() == {"facts": 0, "tables": 0, "table_cells": 0, "rows_added": 0,
                             "rows_removed": 0, "pages": 0}
    page = to_markdown(diff)
    assert page.startswith("# Changes since the previous build\n")
    assert "Nothing has changed since the previous build" in page
    assert json.loads(diff.to_json())["is_empty"] is True


def test_a_changed_fact_shows_old_new_and_difference(tmp_path):
    new_facts = {**FACTS, "takeup_w2_pilot_pct": {**FACTS["takeup_w2_pilot_pct"],
                                                  "value": 0.1511, "text": "15 per cent"}}
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", facts=new_facts))
    (fact,) = diff.facts
    assert (fact.name, fact.status) == ("takeup_w2_pilot_pct", "changed")
    assert fact.old["text"] == "14 per cent" and fact.new["text"] == "15 per cent"
    assert fact.difference == pytest.approx(0.0079)
    assert ("| takeup\\_w2\\_pilot\\_pct | 14 per cent (0.1432) | 15 per cent (0.1511) "
            "| +0.0079 |") in to_markdown(diff)
    assert "one fact" in to_markdown(diff)


def test_facts_added_removed_and_text_only_changes(tmp_path):
    new_facts = {k: v for k, v in FACTS.items() if k != "n_pilot_las"}
    new_facts["takeup_ci"] = {**FACTS["takeup_ci"], "value": [0.12, 0.17]}
    new_facts["new_fact"] = {"value": "yes", "base": None, "text": "yes", "source": "x"}
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", facts=new_facts))
    by_name = {f.name: f for f in diff.facts}
    assert [f.name for f in diff.facts] == ["n_pilot_las", "new_fact", "takeup_ci"]
    assert by_name["n_pilot_las"].status == "removed" and by_name["n_pilot_las"].new is None
    assert by_name["new_fact"].status == "added" and by_name["new_fact"].difference is None
    assert by_name["takeup_ci"].difference == pytest.approx([0.01, 0.0])
    # a value that differs only by floating-point noise is not a change
    noisy = {**FACTS, "takeup_w2_pilot_pct": {**FACTS["takeup_w2_pilot_pct"],
                                              "value": 0.1432 + 1e-15}}
    assert compare_builds(tmp_path / "a", make_build(tmp_path / "c", facts=noisy)).is_empty


def test_a_changed_cell_is_located_by_row_label_and_column(tmp_path):
    table = _with(TABLE, 2, 3, "15.1")  # P01, wave 2, percent
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", table=table))
    (t,) = diff.tables
    assert t.key_columns == ("la_code", "wave")
    (cell,) = t.cells
    assert (cell.table, cell.row, cell.column) == ("takeup_by_la", ("P01", "2"), "percent")
    assert (cell.old, cell.new, cell.difference) == ("14.3", "15.1", "+0.8")
    page = to_markdown(diff)
    assert "Rows are identified by la\\_code and wave." in page
    assert "| P01, 2 | percent | 14.3 | 15.1 | +0.8 |" in page


def test_suppressed_cells_compare_as_text(tmp_path):
    table = _with(_with(TABLE, 3, 2, "12"), 3, 3, "4.0")  # P02 wave 1 no longer suppressed
    table = _with(table, 1, 2, "[c]")  # P01 wave 1 respondents now suppressed
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", table=table))
    cells = {(c.row, c.column): c for c in diff.tables[0].cells}
    assert set(cells) == {(("P01", "1"), "respondents"), (("P02", "1"), "respondents"),
                          (("P02", "1"), "percent")}
    assert (cells[("P02", "1"), "respondents"].old, cells[("P02", "1"), "respondents"].new) == \
        ("[c]", "12")
    assert all(c.difference is None for c in cells.values())
    assert "| P02, 1 | respondents | \\[c\\] | 12 |  |" in to_markdown(diff)


def test_rows_columns_and_tables_added_or_removed(tmp_path):
    table = [row + ["x"] for row in TABLE[:-1]] + [["P03", "1", "70", "8.0", "x"]]
    table[0][-1] = "note"
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", table=table))
    (t,) = diff.tables
    assert t.rows_added == (("P03", "1"),) and t.rows_removed == (("P02", "2"),)
    assert t.columns_added == ("note",) and t.cells == ()
    page = to_markdown(diff)
    assert "Rows added: P03, 1." in page and "Rows removed: P02, 2." in page
    assert "Columns added: note." in page

    (tmp_path / "b" / "data" / "tables.json").write_text("{}")
    (removed,) = compare_builds(tmp_path / "a", tmp_path / "b").tables
    assert (removed.table, removed.status) == ("takeup_by_la", "removed")
    assert "Tables removed:" in to_markdown(compare_builds(tmp_path / "a", tmp_path / "b"))


def test_rows_without_unique_labels_are_matched_by_position(tmp_path):
    table = [TABLE[0], ["P01", "1", "58", "5.7"], ["P01", "1", "58", "5.9"]]
    a = make_build(tmp_path / "a", table=table)
    b = make_build(tmp_path / "b", table=_with(table, 2, 3, "6.1"))
    (t,) = compare_builds(a, b).tables
    assert t.key_columns == ()
    assert [(c.row, c.column, c.old, c.new) for c in t.cells] == [(("2",), "percent", "5.9",
                                                                  "6.1")]
    assert "| row 2 | percent |" in to_markdown(compare_builds(a, b))


def test_a_provenance_only_change_is_not_a_page_change(tmp_path):
    pages = {**BODY, "summary.html": "<p>Rebuilt from data: package version 0.1.0; git commit "
                                     "0123456789ab; build date 31 March 2011.</p>"}
    new_prov = {"version": "0.2.0", "commit": "ba9876543210", "data_hash": "0000111122223333",
                "build_date": "1 April 2012", "build_timestamp": "2012-04-01T09:30:00+00:00"}
    new_pages = {**pages, "summary.html": pages["summary.html"]
                 .replace("0.1.0", "0.2.0").replace("0123456789ab", "ba9876543210")
                 .replace("31 March 2011", "1 April 2012")}
    old = make_build(tmp_path / "a", pages=pages)
    new = make_build(tmp_path / "b", pages=new_pages, prov=new_prov)
    assert (old / "index.html").read_text() != (new / "index.html").read_text()
    assert compare_builds(old, new).is_empty


def test_a_visible_text_change_is_a_page_change(tmp_path):
    pages = {**BODY, "01-introduction.html": BODY["01-introduction.html"].replace("14", "15"),
             "profiles/P01.html": "<h1>P01</h1>"}
    pages.pop("index.html")
    diff = compare_builds(make_build(tmp_path / "a"), make_build(tmp_path / "b", pages=pages))
    assert [(p.path, p.status) for p in diff.pages] == [
        ("01-introduction.html", "changed"), ("index.html", "removed"),
        ("profiles/P01.html", "added")]
    intro = diff.pages[0]
    assert (intro.kind, intro.lines_removed, intro.lines_added) == ("html", 1, 1)
    assert intro.sample == ("- Take-up rose to 14 per cent.", "+ Take-up rose to 15 per cent.")
    page = to_markdown(diff)
    assert "- 01-introduction.html: one line removed and one added." in page
    assert "    - Added: Take-up rose to 15 per cent." in page
    assert "- profiles/P01.html: new in this build." in page


def test_pdf_text_is_compared_without_its_colophon(tmp_path):
    typst = pytest.importorskip("typst")

    def pdf(text: str, commit: str, date: str) -> bytes:
        src = f"#set document(title: [T])\n{text}\n\nGit commit: {commit}. Build date: {date}."
        return typst.compile(src.encode())

    a = make_build(tmp_path / "a", pdf=pdf("Take-up was 14 per cent.", "0123456789ab",
                                           "2011-03-31 00:00 UTC"))
    b = make_build(tmp_path / "b", pdf=pdf("Take-up was 14 per cent.", "ba9876543210",
                                           "2012-04-01 09:30 UTC"))
    c = make_build(tmp_path / "c", pdf=pdf("Take-up was 15 per cent.", "0123456789ab",
                                           "2011-03-31 00:00 UTC"))
    assert compare_builds(a, b).is_empty
    (change,) = compare_builds(a, c).pages
    assert (change.path, change.kind, change.status) == ("report.pdf", "pdf", "changed")
    assert change.sample == ("- Take-up was 14 per cent.", "+ Take-up was 15 per cent.")


def test_missing_or_non_build_directories_give_a_clear_error(tmp_path):
    good = make_build(tmp_path / "good")
    with pytest.raises(WfsccError, match=r"^OLD build directory .*nope.* does not exist"):
        main_diff(tmp_path / "nope", good)
    (tmp_path / "empty").mkdir()
    with pytest.raises(WfsccError, match=r"^NEW directory .*empty.* has no facts\.json") as err:
        main_diff(good, tmp_path / "empty")
    assert "wfscc build" in str(err.value) and "\n" not in str(err.value)


def test_the_page_is_in_the_markdown_subset_and_escapes_build_text(tmp_path):
    tricky = {**FACTS, "n_pilot_las": {**FACTS["n_pilot_las"],
                                       "text": "{{< var x >}} | @sec-intro <b>*x*</b>"}}
    pages = {**BODY, "index.html": "<p>See @fig-one and {{< include y >}} | *here*</p>"}
    diff = compare_builds(make_build(tmp_path / "a"),
                          make_build(tmp_path / "b", facts=tricky, pages=pages))
    page = to_markdown(diff)
    assert subset_problems(page, "_changes.qmd") == []
    for raw in ("{{<", "@", "<b>", "```", ":::"):
        assert raw not in page
    assert all(line.count("|") - line.count("\\|") == 5 for line in page.splitlines()
               if line.startswith("| n\\_pilot"))


def test_output_is_deterministic_and_sorted(tmp_path):
    shuffled = dict(reversed(list(FACTS.items())))
    new_facts = {k: {**v, "text": v["text"] + "!"} for k, v in shuffled.items()}
    table = _with(_with(TABLE, 4, 3, "9.9"), 1, 2, "59")
    pages = {k: v + "<p>More.</p>" for k, v in reversed(list(BODY.items()))}
    a = make_build(tmp_path / "a")
    b = make_build(tmp_path / "b", facts=new_facts, table=table, pages=pages)
    first, second = compare_builds(a, b), compare_builds(a, b)
    assert to_markdown(first) == to_markdown(second)
    assert first.to_json() == second.to_json()
    assert [f.name for f in first.facts] == sorted(FACTS)
    assert [(c.row, c.column) for c in first.tables[0].cells] == [
        (("P01", "1"), "respondents"), (("P02", "2"), "percent")]
    assert [p.path for p in first.pages] == ["01-introduction.html", "index.html"]
    md = to_markdown(first)
    assert md.index("## Facts") < md.index("## Published tables") < md.index("## Pages")


def test_json_and_max_rows(tmp_path):
    new_facts = {k: {**v, "text": "changed"} for k, v in FACTS.items()}
    a, b = make_build(tmp_path / "a"), make_build(tmp_path / "b", facts=new_facts)
    data = json.loads(main_diff(a, b, as_json=True))
    assert data["counts"]["facts"] == 3 and [f["name"] for f in data["facts"]] == sorted(FACTS)
    short = main_diff(a, b, max_rows=1)
    assert "And two more facts not shown here." in short
    assert short.count("| changed (") == 1


def test_compare_inputs_covers_facts_and_tables_only(tmp_path):
    first = compare_inputs({}, FACTS, None, tmp_path / "none")
    assert not first.has_previous and first.is_empty
    assert "no previous build" in to_markdown(first)

    a = make_build(tmp_path / "a")
    b = make_build(tmp_path / "b", table=_with(TABLE, 1, 3, "5.8"),
                   pages={"index.html": "<p>Different.</p>"})
    new_facts = {**FACTS, "n_pilot_las": {**FACTS["n_pilot_las"], "value": 11, "text": "11"}}
    diff = compare_inputs(FACTS, new_facts, a / "data", b / "data")
    assert diff.pages == () and not diff.compared_pages
    assert [f.name for f in diff.facts] == ["n_pilot_las"] and diff.facts[0].difference == 1
    assert diff.n_cells == 1
    assert to_markdown(diff).splitlines()[2] == (
        "Since the previous build, one fact and one table cell have changed.")
    same = compare_inputs(FACTS, FACTS, a / "data", a / "data")
    assert "every fact and published table is the same" in to_markdown(same)


def test_the_changes_page_itself_is_not_compared(tmp_path):
    a = make_build(tmp_path / "a", pages={
        "changes.html": "<h1>Changes since the previous build</h1><p>One fact changed.</p>"})
    b = make_build(tmp_path / "b", pages={
        "changes.html": "<h1>Changes since the previous build</h1><p>Two facts changed.</p>"})
    assert compare_builds(a, b).is_empty


def test_compare_inputs_accepts_fact_objects(tmp_path):
    from wfscc.facts import Fact

    old = [Fact("a", 1, None, "one", "x"), Fact("b", 0.5, 10, "50 per cent", "x")]
    new = [Fact("a", 2, None, "two", "x"), Fact("b", 0.5, 10, "50 per cent", "x")]
    diff = compare_inputs(old, new, None, None)
    assert [(f.name, f.old["text"], f.new["text"], f.difference) for f in diff.facts] == [
        ("a", "one", "two", 1)]


def test_the_diff_command_prints_changes_and_fails_cleanly(tmp_path):
    """`wfscc diff OLD NEW` through the command line: text, JSON and a one-line error."""
    import subprocess
    import sys

    old = make_build(tmp_path / "old")
    changed = {**FACTS, "takeup_w2_pilot_pct": {**FACTS["takeup_w2_pilot_pct"], "value": 0.16,
                                                  "text": "16 per cent"}}
    new = make_build(tmp_path / "new", facts=changed)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "wfscc.cli", "diff", *args],
                              capture_output=True, text=True, timeout=120)

    text = run(str(old), str(new))
    assert text.returncode == 0, text.stderr
    assert "takeup\\_w2\\_pilot\\_pct" in text.stdout  # Markdown-escaped
    assert "14 per cent (0.1432) | 16 per cent (0.16) | +0.0168" in text.stdout
    as_json = json.loads(run(str(old), str(new), "--json").stdout)
    assert [f["name"] for f in as_json["facts"]] == ["takeup_w2_pilot_pct"]
    bad = run(str(old), str(tmp_path / "missing"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "missing" in bad.stderr
