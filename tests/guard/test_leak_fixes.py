"""Leaks the planted builds (test_build_leaks.py) showed the guard missing, each now caught.

- small counts in tables that no `tables.json` manifest describes (a notebook's HTML table, a
  chart's data, a stray CSV file);
- a listed name written without its role word ("Jo Bloggs" for "Adviser Jo Bloggs");
- the synthetic data's planted fake postcodes (area `Q…`, which no real postcode uses);
- findings in content-hashed assets now say which page shows the asset.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from guard_support import (
    PARTICIPANT,
    REPO,
    display,
    guard_kwargs,
    html_page,
    svg_text,
    write_notebook,
    write_tables,
)

from wfscc.guard import redact_text, scan_outputs
from wfscc.guard._detect import Detector, is_count_column, name_forms

ADVISER = "Adviser Jorvane Halloway-Prynn"


def scan(root, **kw):
    return scan_outputs(root, **{**guard_kwargs(), **kw})


def small(findings):
    return [(f.file, f.location) for f in findings if f.kind == "small_count"]


# --- small counts outside the manifest -------------------------------------------------------


def by_centre(starts: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"centre_code": [f"P01-{c}" for c in "ABC"[: len(starts)]], "starts": starts}
    )


def test_small_count_in_a_notebook_html_table(site):
    table = by_centre([40, 3, 0]).to_html(index=False)
    write_notebook(site / "notebooks" / "p.ipynb", [display({"text/html": table})])
    assert small(scan(site)) == [
        (
            "notebooks/p.ipynb",
            "cell 2, output 1 (text/html), table at line 1, row 3, column 'starts'",
        )
    ]


def test_small_count_under_a_two_row_pandas_header(site):
    """A frame with a named index: pandas writes the column names and the index name on two
    header rows; the body starts at row 3."""
    table = by_centre([5, 40]).set_index("centre_code").to_html()
    write_notebook(site / "notebooks" / "p.ipynb", [display({"text/html": table})])
    assert small(scan(site)) == [
        (
            "notebooks/p.ipynb",
            "cell 2, output 1 (text/html), table at line 1, row 3, column 'starts'",
        )
    ]


def test_small_counts_in_a_page_table_only_in_count_columns(site):
    rows = [
        ["Number of parents", "Total", "Share of starts (%)", "rank", "Number of centres", "wave"],
        ["4", "5", "3", "2", "3", "1"],
        ["[c]", "0", "7", "1", "2", "2"],
        ["1,234", "12.0", "9", "3", "3", "1"],
    ]
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>\n" for r in rows[1:])
    page = html_page(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>")
    (site / "counts.html").write_text(page)
    found = small(scan(site))
    line = page.splitlines().index("<table>") + 1
    assert found == [
        ("counts.html", f"table at line {line}, row 2, column 'Number of parents'"),
        ("counts.html", f"table at line {line}, row 2, column 'Total'"),
    ]


def test_small_count_in_chart_data_and_in_a_csv_without_manifest(site):
    csv = "month,starts\n2009-01-01,[c]\n2009-02-01,6\n"
    write_notebook(
        site / "notebooks" / "p.ipynb",
        [display({"text/csv": csv, "text/plain": "Data for the chart"})],
    )
    (site / "assets" / "data-0123456789abcdef.csv").write_text(csv)
    assert sorted(small(scan(site))) == [
        ("assets/data-0123456789abcdef.csv", "row 3, column 'starts'"),
        ("notebooks/p.ipynb", "cell 2, output 1 (text/csv), row 3, column 'starts'"),
    ]


def test_a_csv_in_the_manifest_is_reported_once(site):
    write_tables(site, [120, 3])
    assert small(scan(site)) == [("data/starts_by_la.csv", "row 3, column 'starts'")]


def test_a_record_listing_is_a_dump_not_a_table_of_counts(site):
    mi = pd.DataFrame(
        {
            "participant_id": ["QQ000001A"],
            "start_date": ["2009-04-01"],
            "lone_parent": [1],
            "referred_on": [1],
        }
    )
    write_notebook(site / "notebooks" / "p.ipynb", [display({"text/html": mi.to_html()})])
    kinds = {f.kind for f in scan(site)}
    assert "raw_records" in kinds and "small_count" not in kinds  # a flag of 1 is not a count


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("starts", True),
        ("n", True),
        ("count", True),
        ("Number of parents", True),
        ("job_entry", True),
        ("training_start", True),
        ("respondents", True),
        ("Total", True),
        ("Share of starts", False),
        ("starts_percent", False),
        ("Starts (%)", False),
        ("steady_month", False),
        ("job_entry_date", False),
        ("Number of centres", False),
        ("Areas delivering it", False),
        ("rank", False),
        ("la_code", False),
        ("Cells suppressed", False),
        ("wave", False),
    ],
)
def test_count_columns_are_named_for_people_or_records(name, counts):
    assert is_count_column(name) is counts


# --- names without their role word -----------------------------------------------------------


def test_a_listed_name_is_found_without_its_role_word():
    detector = Detector([], [ADVISER])
    for text in (
        "the centre where Jorvane Halloway-Prynn is the adviser",
        "JORVANE HALLOWAY-PRYNN",
        "Adviser Halloway-Prynn said",
        "Adviser Jorvane Halloway-Prynn said",
        "Ms Halloway-Prynn said",
    ):
        assert [h.kind for h in detector.find(text)] == ["name"], text
    assert detector.find("Jorvane said") == []  # one given name alone: redaction's job, not ours
    assert name_forms(ADVISER) == {
        ADVISER,
        "Jorvane Halloway-Prynn",
        "Adviser Halloway-Prynn",
    }
    assert name_forms("Priya Shahbaz") == {"Priya Shahbaz"}
    assert name_forms("Adviser Shahbaz") == {"Adviser Shahbaz"}


def test_a_name_in_alt_text_is_reported_masked(site):
    svg = '<img src="x.svg" alt="Starts at the centre run by Jorvane Halloway-Prynn">'
    (site / "alt.html").write_text(html_page(svg))
    found = [(f.kind, f.masked_text) for f in scan(site, names={ADVISER}) if f.file == "alt.html"]
    assert found == [("name", "J*** H***")]


# --- the planted fake postcodes --------------------------------------------------------------


def test_fake_q_postcodes_are_caught_and_redacted():
    detector = Detector()
    assert [(h.kind, h.masked) for h in detector.find("near QX4 7ZZ and Q3 9ZZ")] == [
        ("postcode", "QX4 ***"),
        ("postcode", "Q3 ***"),
    ]
    assert detector.find("in 2009 Q4, Q3 2010 and QQ3 figures") == []
    assert redact_text("the hall near QX4 7ZZ, or qx4 7zz") == (
        "the hall near [postcode], or [postcode]"
    )


def test_every_planted_identifier_in_the_shipped_excerpts_is_caught():
    """Each excerpt of data/interviews.csv with a planted fake identifier is flagged by the guard
    as loaded from the shipped data, and nothing is left once it is redacted."""
    from wfscc.data import load_dataset
    from wfscc.guard import identifiers_of, names_of, redact_interviews

    dataset = load_dataset(REPO / "data")
    detector = Detector(identifiers_of(dataset), names_of(dataset))
    excerpts = dataset.interviews["excerpt"]
    planted = excerpts[excerpts.str.contains(r"QQ\d|07700|example\.org|Adviser |\bQ[A-Z]\d ")]
    kinds = set()
    for text in planted:
        hits = detector.find(text)
        assert hits, re.sub(r"\d", "9", text)
        kinds |= {h.kind for h in hits}
    assert kinds == {"identifier", "name", "phone", "email", "postcode"}
    redacted = redact_interviews(dataset.interviews, dataset.centres)["excerpt"]
    assert not [t for t in redacted if detector.find(t)]


# --- locations -------------------------------------------------------------------------------


def test_a_finding_in_an_asset_names_the_pages_that_show_it(site):
    name = "img-0123456789abcdef.svg"
    (site / "assets" / name).write_text(svg_text(f"Starts for {PARTICIPANT}"))
    (site / "profile.html").write_text(html_page(f'<img src="assets/{name}" alt="Starts">'))
    found = [f.location for f in scan(site) if f.file == f"assets/{name}"]
    assert found and all(w.endswith("(shown on profile.html)") for w in found), found
