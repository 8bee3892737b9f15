"""The guard finds each planted leak in each kind of output file, and nothing in clean outputs."""

from __future__ import annotations

import base64
import json
import shutil

import pandas as pd
import pytest
from guard_support import (
    ADVISER,
    INTERVIEW,
    NAMES,
    PARTICIPANT,
    PROSE,
    REFERRAL,
    RESPONDENT,
    clean_body,
    display,
    guard_kwargs,
    html_page,
    run_pagefind,
    svg_text,
    write_fragment,
    write_notebook,
    write_ods,
    write_pdf,
    write_tables,
    write_xlsx,
)

from wfscc.errors import PrivacyError
from wfscc.guard import Finding, check_outputs, identifiers_of, names_of, scan_outputs


def scan(root, **kw):
    return scan_outputs(root, **{**guard_kwargs(), **kw})


def kinds(findings):
    return {(f.kind, f.file) for f in findings}


def mi_head() -> pd.DataFrame:
    """The first rows of the MI, as a careless notebook would show them."""
    return pd.DataFrame(
        {
            "participant_id": [PARTICIPANT, "QQ654321A"],
            "la_code": ["P01", "P01"],
            "centre_code": ["P01-A", "P01-B"],
            "start_date": ["2009-04-01", "2009-05-12"],
            "lone_parent": [1, 0],
            "benefit": ["income_support", "none"],
            "customer_type": ["traditional", "non_traditional"],
        }
    )


# --- clean outputs ---------------------------------------------------------------------------


def test_clean_outputs_give_no_findings(clean_site):
    assert scan(clean_site) == []
    check_outputs(clean_site, **guard_kwargs())  # does not raise


def test_the_clean_site_really_has_every_file_type(clean_site):
    suffixes = {p.suffix for p in clean_site.rglob("*") if p.is_file()}
    assert {".html", ".css", ".js", ".json", ".csv", ".svg", ".png", ".ipynb", ".pdf"} <= suffixes
    assert {".xlsx", ".ods", ".pf_fragment", ".pf_index", ".pf_meta"} <= suffixes


def test_pagefind_ui_bundle_is_vendored_not_flagged(clean_site):
    """Pagefind's UI carries translators' real e-mail addresses; they are not ours to flag."""
    unvendored = scan(clean_site, vendored=())
    assert unvendored and {f.kind for f in unvendored} == {"email"}
    assert all(f.file.startswith("pagefind/pagefind") for f in unvendored)


def test_vendored_files_are_still_searched_for_our_data(site):
    ui = site / "pagefind" / "pagefind-ui.js"
    ui.write_text(ui.read_text() + f"\n/* {PARTICIPANT} {ADVISER} */\n")
    assert {f.kind for f in scan(site) if f.file == "pagefind/pagefind-ui.js"} == {
        "identifier",
        "name",
    }


# --- HTML ------------------------------------------------------------------------------------


def test_html_participant_id_in_a_chart_title(site):
    page = site / "chapter-1.html"
    page.write_text(html_page(clean_body() + svg_text(f"Starts for {PARTICIPANT}")))
    found = [f for f in scan(site) if f.file == "chapter-1.html"]
    assert found and {f.kind for f in found} == {"identifier"}
    assert found[0].masked_text == "QQ12****C"
    assert found[0].location.startswith("line ")
    line = int(found[0].location.split()[1])
    assert PARTICIPANT in page.read_text().splitlines()[line - 1]


def test_html_id_split_by_inline_tags_and_entities(site):
    body = "<p>Record QQ12<b>34</b>56<span>C</span> and INT&#45;0042.</p>"
    (site / "split.html").write_text(html_page(body))
    found = {(f.kind, f.masked_text) for f in scan(site) if f.file == "split.html"}
    assert found == {("identifier", "QQ12****C"), ("identifier", "INT-***2")}


def test_html_alt_text_with_an_adviser_name(site):
    body = f'<img src="chart.png" alt="Caseload of {ADVISER.split()[0]}\n{ADVISER.split()[1]}">'
    (site / "alt.html").write_text(html_page(body))
    found = [f for f in scan(site) if f.file == "alt.html"]
    assert [(f.kind, f.masked_text) for f in found] == [("name", "P*** S***")]


def test_html_record_table_is_a_raw_dump(site):
    (site / "dump.html").write_text(html_page(mi_head().drop(columns="participant_id").to_html()))
    found = [f for f in scan(site) if f.file == "dump.html"]
    assert [f.kind for f in found] == ["raw_records"]
    assert "start_date" in found[0].masked_text


def test_html_patterns_each_kind(site):
    body = (
        "<p>Call 07700 900123 or write to jo.bloggs@example.org at SW1A 1AA "
        "(postcode LS6); NI AB 12 34 56 C.</p>"
    )
    (site / "contact.html").write_text(html_page(body))
    found = {(f.kind, f.masked_text) for f in scan(site) if f.file == "contact.html"}
    assert found == {
        ("phone", "077** ****23"),
        ("email", "j***@example.org"),
        ("postcode", "SW1A ***"),
        ("postcode", "LS*"),
        ("ni_number", "AB12****C"),
    }


def test_base64_images_do_not_cause_false_positives(site):
    payload = base64.b64encode(b"QQ123456C Priya Shahbaz 07700900123" * 50).decode()
    body = f'<img src="data:image/png;base64,{payload}" alt="A chart">'
    (site / "b64.html").write_text(html_page(body))
    # The image is refused as an image; its bytes are never read as text.
    line = html_page(body).split("data:image/png")[0].count("\n") + 1
    found = [(f.kind, f.location) for f in scan(site) if f.file == "b64.html"]
    assert found == [("raster_image", f"line {line}")]


# --- notebooks -------------------------------------------------------------------------------


def test_notebook_printing_df_head_of_the_mi(site):
    head = mi_head()
    outputs = [
        {
            "output_type": "execute_result",
            "execution_count": 2,
            "data": {"text/plain": repr(head), "text/html": head.to_html()},
            "metadata": {},
        }
    ]
    write_notebook(site / "notebooks" / "leaky.ipynb", outputs, source="ds.mi.head()")
    found = [f for f in scan(site) if f.file == "notebooks/leaky.ipynb"]
    where = {(f.kind, f.location.split(" (")[1].split(")")[0]) for f in found}
    assert ("raw_records", "text/plain") in where
    assert ("raw_records", "text/html") in where
    assert ("identifier", "text/plain") in where
    assert ("identifier", "text/html") in where
    assert all(f.location.startswith("cell 2, output 1") for f in found)


def test_notebook_dataframe_repr_without_ids_is_still_a_dump(site):
    head = mi_head().drop(columns="participant_id")
    write_notebook(site / "notebooks" / "leaky.ipynb", [display({"text/plain": repr(head)})])
    found = [f for f in scan(site) if f.file == "notebooks/leaky.ipynb"]
    assert [f.kind for f in found] == ["raw_records"]


def test_notebook_image_alt_text_with_an_adviser_name(site):
    outputs = [display({"image/png": "iVBORw0KGgo="}, {"image/png": {"alt": f"By {ADVISER}"}})]
    write_notebook(site / "notebooks" / "alt.ipynb", outputs)
    found = [f for f in scan(site) if f.file == "notebooks/alt.ipynb"]
    assert [(f.kind, f.location) for f in found] == [
        ("name", "cell 2, output 1 metadata image/png.alt"),
        ("raster_image", "LA P01, cell 2 (id c2), output 1 (image/png)"),
    ]


def test_notebook_source_and_stream(site):
    outputs = [{"output_type": "stream", "name": "stdout", "text": [f"respondent {RESPONDENT}\n"]}]
    write_notebook(site / "notebooks" / "s.ipynb", outputs, source=f'show("{REFERRAL}")')
    found = {(f.kind, f.location) for f in scan(site) if f.file == "notebooks/s.ipynb"}
    assert found == {
        ("identifier", "cell 2 source, line 1"),
        ("identifier", "cell 2, output 1 (stdout), line 1"),
    }


# --- PDF, spreadsheets -----------------------------------------------------------------------


@pytest.mark.parametrize("extractor", ["pdftotext", "pypdf"])
def test_pdf_with_an_id_in_the_text_and_a_name_in_alt_text(site, extractor, monkeypatch):
    """Page text comes from poppler's pdftotext when installed, else pypdf: both must find it."""
    import shutil

    import wfscc.guard._documents as documents

    if extractor == "pypdf":
        monkeypatch.setattr(documents, "_poppler_pages", lambda path, n_pages: None)
    elif shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    write_pdf(site / "report.pdf", f"{PROSE}\n\nInterview {INTERVIEW} was long.", alt=ADVISER)
    if extractor == "pdftotext":
        assert documents._poppler_pages(site / "report.pdf", 1) is not None
    found = [f for f in scan(site) if f.file == "report.pdf"]
    assert {(f.kind, f.masked_text) for f in found} == {
        ("identifier", "INT-***2"),
        ("name", "P*** S***"),
    }
    where = {f.kind: f.location for f in found}
    assert where["identifier"].startswith("page 1, line ")
    assert where["name"].startswith("page 1 alt text")


def test_xlsx_with_an_id_in_a_cell(site):
    write_xlsx(site / "tables.xlsx", {"A1": "Starts", "A3": "P01", "B3": f"see {PARTICIPANT}"})
    found = [(f.kind, f.location) for f in scan(site) if f.file == "tables.xlsx"]
    assert found == [("identifier", "sheet 'Table_1', cell B3")]


def test_xlsx_raw_record_header_row(site):
    cells = {f"{c}1": name for c, name in zip("ABCDE", mi_head().columns[1:], strict=False)}
    write_xlsx(site / "tables.xlsx", cells)
    found = [(f.kind, f.location) for f in scan(site) if f.file == "tables.xlsx"]
    assert found == [("raw_records", "sheet 'Table_1', row 1")]


def test_ods_with_an_id_in_a_cell(site):
    write_ods(site / "tables.ods", [["Starts"], ["la_code", "starts"], ["P01", PARTICIPANT]])
    found = [(f.kind, f.location) for f in scan(site) if f.file == "tables.ods"]
    assert found == [("identifier", "sheet 'Table_1', cell B3")]


def test_ods_sheet_name_and_document_title(site):
    write_ods(site / "tables.ods", [["Starts", 12]], sheet=f"Table for {ADVISER}")
    found = [f for f in scan(site) if f.file == "tables.ods"]
    assert found and {f.kind for f in found} == {"name"}
    assert found[0].location.startswith("sheet name")


# --- Pagefind --------------------------------------------------------------------------------


def test_pagefind_fragment_with_a_name(site):
    write_fragment(site / "pagefind" / "fragment" / "en_0000000.pf_fragment", f"{ADVISER} said")
    found = [f for f in scan(site) if f.file.endswith("en_0000000.pf_fragment")]
    assert [(f.kind, f.location) for f in found] == [
        ("name", "fragment of /chapter-1.html: content")
    ]


def test_real_pagefind_index_of_a_leaky_page(site):
    (site / "chapter-1.html").write_text(
        html_page(f"<p>{PROSE} Adviser {ADVISER} met {PARTICIPANT}.</p>")
    )
    shutil.rmtree(site / "pagefind")
    run_pagefind(site)
    found = kinds(scan(site))
    fragments = {k for k, f in found if f.endswith(".pf_fragment")}
    assert fragments == {"name", "identifier"}
    assert ("identifier", "chapter-1.html") in found


# --- text files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("notes.md", "Contact 020 7946 0000.\n", "phone"),
        ("readme.txt", "\n\nWrite to a.person@example.co.uk\n", "email"),
        ("extra.csv", "la_code,postcode\nP01,M1 1AE\n", "postcode"),
        ("facts2.json", json.dumps({"x": {"text": "ref AB123456C"}}), "ni_number"),
        ("style.css", f"/* {PARTICIPANT} */ .a {{ color: #AB1234; }}", "identifier"),
        ("data/dump.csv", "participant_id,start_date,benefit\nx,2009-04-01,none\n", "raw_records"),
        ("config.yml", f"title: by {ADVISER}\n", "name"),
    ],
)
def test_text_files(site, name, content, kind):
    (site / name).write_text(content)
    found = [f for f in scan(site) if f.file == name]
    assert found and {f.kind for f in found} == {kind}


def test_json_locations_are_paths(site):
    (site / "x.json").write_text(json.dumps({"pages": [{"title": "ok"}, {"title": INTERVIEW}]}))
    assert [f.location for f in scan(site) if f.file == "x.json"] == ["pages[1].title"]


# --- counts ----------------------------------------------------------------------------------


def test_unsuppressed_small_count_in_a_published_table(site):
    write_tables(site, [120, 3, None, 0, 40])
    found = [f for f in scan(site) if f.kind == "small_count"]
    assert [(f.file, f.location) for f in found] == [
        ("data/starts_by_la.csv", "row 3, column 'starts'")
    ]


def test_manifest_threshold_is_at_least_the_guards(site):
    write_tables(site, [120, 12, 40])
    assert [f for f in scan(site, threshold=15) if f.kind == "small_count"]
    assert not [f for f in scan(site, threshold=10) if f.kind == "small_count"]


def test_manifest_pointing_at_a_missing_csv(site):
    (site / "data" / "starts_by_la.csv").unlink()
    assert [f.kind for f in scan(site)] == ["manifest"]


# --- the error -------------------------------------------------------------------------------


def test_check_outputs_raises_with_every_finding_masked(site):
    write_xlsx(site / "tables.xlsx", {"B3": PARTICIPANT})
    (site / "contact.html").write_text(html_page(f"<p>{ADVISER}: jo.bloggs@example.org</p>"))
    write_tables(site, [120, 3])
    with pytest.raises(PrivacyError) as err:
        check_outputs(site, **guard_kwargs())
    message = str(err.value)
    findings = err.value.findings
    assert {f.kind for f in findings} == {"identifier", "name", "email", "small_count"}
    assert all(isinstance(f, Finding) for f in findings)
    for secret in (PARTICIPANT, ADVISER, *ADVISER.split(), "jo.bloggs"):
        assert secret not in message
    assert "tables.xlsx, sheet 'Table_1', cell B3: identifier QQ12****C" in message
    assert "data/starts_by_la.csv, row 3, column 'starts'" in message
    assert "What to do" in message and "wfscc.outputs.disclosure.protect" in message
    assert "redact_text" in message


def test_unreadable_files_are_findings(site):
    (site / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    (site / "broken.xlsx").write_bytes(b"PK nope")
    found = {(f.kind, f.file) for f in scan(site)}
    assert found == {("unreadable", "broken.pdf"), ("unreadable", "broken.xlsx")}


# --- helpers for the build -------------------------------------------------------------------


def test_identifiers_and_names_of_a_dataset():
    class Dataset:
        mi = mi_head()
        survey = pd.DataFrame({"respondent_id": [RESPONDENT]})
        referrals = pd.DataFrame({"referral_id": [REFERRAL]})
        interviews = pd.DataFrame({"interview_id": [INTERVIEW]})
        centres = pd.DataFrame({"adviser_name": [*sorted(NAMES), None, ""]})

    assert identifiers_of(Dataset) == {PARTICIPANT, "QQ654321A", RESPONDENT, REFERRAL, INTERVIEW}
    assert names_of(Dataset) == NAMES


def test_inline_and_tagged_pdf_alt_text_is_reported_once(site):
    write_pdf(site / "report.pdf", PROSE, alt=f"Caseload of {ADVISER}")
    found = [f for f in scan(site) if f.file == "report.pdf"]
    assert [(f.kind, f.location) for f in found] == [("name", "page 1 alt text, line 1")]
