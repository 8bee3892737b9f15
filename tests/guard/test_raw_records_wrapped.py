"""The raw-records rule judges a line with the caption, list entry or table row it belongs
to, not alone where a PDF wrapped it: "confidence, aspiration and awareness of work" out of a
figure's title is no printout of records (Quarto's list of figures had been set at 9 pt to dodge
that), while a real header of raw columns is still found, wrapped or not."""

from __future__ import annotations

import subprocess

import pytest
from guard_support import guard_kwargs, write_pdf

from wfscc.guard import scan_outputs
from wfscc.guard._headers import raw_header_line, raw_header_lines

WRAPPED_ENTRY = (
    "List of figures\n"
    "Figure 7.2: Centre users in pilot areas rating their\n"
    "confidence, aspiration and awareness of work\n"
    "highly, by survey wave . . . . . . . . . 27\n"
    "Figure A.1: Starts per quarter . . . . . 33\n"
)
HANGING = (  # an entry set with a hanging indent
    "Figure 7.2: Centre users in pilot areas rating their\n"
    "            confidence, aspiration and awareness of work\n"
    "            highly, by survey wave . . . . . . . 27\n"
)
WRAPPED_CELL = (
    "Measure                     Wave one   Wave two\n"
    "Centre users rating their   43         58\n"
    "confidence, aspiration and awareness\n"
)


def test_a_wrapped_line_alone_looks_like_a_header():
    """The case the rule used to get wrong: the line on its own is mostly column names."""
    assert raw_header_line("confidence, aspiration and awareness of work")


@pytest.mark.parametrize("text", [WRAPPED_ENTRY, HANGING, WRAPPED_CELL])
def test_a_wrapped_caption_or_cell_is_judged_whole(text):
    assert list(raw_header_lines(text)) == []


@pytest.mark.parametrize(
    ("text", "header", "first_line"),
    [
        # a DataFrame printout after its title: columns as the data spell them
        ("Records of the pilot\n\nparticipant_id start_date lone_parent benefit\n0 P1 2009 y n\n",
         "participant_id start_date lone_parent benefit", "participant_id"),
        # a header of plain words on a line of its own, data rows below
        ("Survey extract\n\nconfidence aspiration awareness weight\n4 3 5 1.2\n",
         "confidence aspiration awareness weight", "confidence"),
        # a header of plain words that goes on from a line: the whole is still column names
        ("Columns:\nconfidence aspiration awareness\nweight themes\n3 4 5 1.1\n",
         "confidence aspiration awareness", "confidence"),
        # a list of columns as the data spell them that goes on from a line of prose
        ("the file held\nparticipant_id, start_date, benefit and\nmore\n",
         "participant_id, start_date, benefit and", "participant_id"),
    ],
)
def test_real_headers_are_still_found(text, header, first_line):
    found = {line: offset for offset, line in raw_header_lines(text)}
    assert header in found, found
    assert text[found[header] :].startswith(first_line)


def _page_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_pdf_list_entry_wrapped_onto_column_names_is_not_a_finding(site, require_tool):
    require_tool("pdftotext")
    entry = ("Figure 7.2: Centre users in pilot areas rating their \\\n"
             "confidence, aspiration and awareness of work \\\n"
             "highly, by survey wave #box(width: 1fr, repeat[.]) 27")
    pdf = write_pdf(site / "report.pdf", "== List of figures\n" + entry)
    lines = [line.strip() for line in _page_text(pdf).splitlines()]
    assert "confidence, aspiration and awareness of work" in lines  # the wrap really happened
    found = [f for f in scan_outputs(site, **guard_kwargs()) if f.file == "report.pdf"]
    assert not [f for f in found if f.kind == "raw_records"], found


def test_a_pdf_printout_of_records_is_still_a_finding(site, require_tool):
    require_tool("pdftotext")
    write_pdf(site / "report.pdf",
              "Extract: \\\nparticipant\\_id start\\_date lone\\_parent benefit \\\n1 2 3 4")
    found = [f for f in scan_outputs(site, **guard_kwargs()) if f.file == "report.pdf"]
    assert [f.kind for f in found if f.kind == "raw_records"] == ["raw_records"], found
