"""Redaction: each kind of personal data becomes its role token; ordinary text survives."""

from __future__ import annotations

import pandas as pd
import pytest

from wfscc.guard import redact_interviews, redact_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My id is QQ123456C.", "My id is [id]."),
        ("written QQ 12 34 56 C on the form", "written [id] on the form"),
        ("or qq123456c in lower case", "or [id] in lower case"),
        ("a real-looking AB123456D too", "a real-looking [id] too"),
        ("see INT-0042, S004321 and R000777", "see [id], [id] and [id]"),
        ("ring 07700 900123 today", "ring [phone] today"),
        ("ring 07700900123", "ring [phone]"),
        ("on +44 7700 900123", "on [phone]"),
        ("on +44 (0)20 7946 0000", "on [phone]"),
        ("office 020 7946 0000", "office [phone]"),
        ("office (020) 7946 0000", "office [phone]"),
        ("Manchester 0161 496 0000", "Manchester [phone]"),
        ("mail jo.bloggs+cc@example.org.uk now", "mail [email] now"),
        ("lives at SW1A 1AA", "lives at [postcode]"),
        ("lives at M1 1AE", "lives at [postcode]"),
        ("lives at sw1a 1aa", "lives at [postcode]"),
        ("moved to LS6 last year", "moved to [postcode] last year"),
        ("postcode N1, near the centre", "postcode [postcode], near the centre"),
        ("Post code: E14", "Post code: [postcode]"),
    ],
)
def test_each_pattern_kind_is_redacted(text, expected):
    assert redact_text(text) == expected


def test_names_advisers_and_places_become_role_tokens():
    text = (
        "Priya Shahbaz runs sessions at Riverside Children's Centre; Ms Shahbaz says Priya "
        "helps. PRIYA SHAHBAZ's caseload grew. Tomasz met Mr Ellingham and tomasz "
        "ellingham."
    )
    out = redact_text(
        text,
        advisers=["Priya Shahbaz"],
        names=["Tomasz Ellingham"],
        places=["Riverside Children's Centre"],
    )
    assert out == (
        "[adviser] runs sessions at [centre]; [adviser] says [adviser] "
        "helps. [adviser]'s caseload grew. [name] met [name] and [name]."
    )


def test_a_name_split_over_lines_is_redacted():
    assert redact_text("said Priya\n  Shahbaz", names=["Priya Shahbaz"]) == "said [name]"


def test_common_word_parts_survive_unless_titled_or_in_full():
    out = redact_text(
        "There is hope. Mrs Hope agreed; Grace Hope too. Grace was there.",
        names=["Grace Hope"],
    )
    assert out == "There is hope. [name] agreed; [name] too. Grace was there."


@pytest.mark.parametrize(
    "text",
    [
        "In P01 and P10 (centres P01-A, P02-B) and comparison areas C01 to C03, 14 per cent of "
        "parents used the adviser in 2009-10, against 9 per cent in 2011.",
        "Between 2009-01-01 and 2011-03-31 there were 2,345 starts; 1.6 percentage points; "
        "Table 3.2; Figure 4.1; annex A1; Level 2 and NVQ level 3; wave 2; CO2; M1 motorway.",
        "Page 12 of 120, n = 1,024, p < 0.05, 95 per cent confidence interval 12 to 16.",
        "A1 B2 C3 E1 N1 W1 S1 L2 P01 p01 C03 c03 P12-A 0.0123456789 123456 2010 20 per cent",
        "The adviser (in post since 2009) was flexible; role tension eased by wave two.",
        "file logo@2x.png and svelte@3.59.2 are not e-mail addresses",
    ],
)
def test_ordinary_text_survives(text):
    assert redact_text(text, names=["Priya Shahbaz"], places=["Riverside Centre"]) == text


def test_non_strings_pass_through():
    assert redact_text("") == ""
    assert redact_text(None) is None  # type: ignore[arg-type]


def test_redact_interviews_returns_a_new_frame():
    interviews = pd.DataFrame(
        {
            "interview_id": ["INT-0001", "INT-0002", "INT-0003"],
            "la_code": ["P01", "P01", "P02"],
            "excerpt": [
                "Priya Shahbaz at Riverside Centre helped me (QQ123456C).",
                "Call me on 07700 900123 or jo@example.org.",
                None,
            ],
        }
    )
    centres = pd.DataFrame(
        {
            "centre_code": ["P01-A", "P01-B", "C01-A"],
            "la_code": ["P01", "P01", "C01"],
            "centre_name": ["Riverside Centre", "Hilltop Centre", "Brookside Centre"],
            "adviser_name": ["Priya Shahbaz", "Tomasz Ellingham", None],
        }
    )
    before = interviews.copy(deep=True)
    out = redact_interviews(interviews, centres)
    pd.testing.assert_frame_equal(interviews, before)
    assert out is not interviews
    assert out["excerpt"].tolist()[:2] == [
        "[adviser] at [centre] helped me ([id]).",
        "Call me on [phone] or [email].",
    ]
    assert pd.isna(out["excerpt"].iloc[2])
    assert out["excerpt"].dtype == interviews["excerpt"].dtype
    assert out["interview_id"].tolist() == ["INT-0001", "INT-0002", "INT-0003"]


def test_redacted_text_passes_the_guard():
    from wfscc.guard._detect import Detector

    text = (
        "Priya Shahbaz (QQ123456C, INT-0042) on 07700 900123, priya@example.org, SW1A 1AA, "
        "postcode LS6, Ms Shahbaz."
    )
    redacted = redact_text(text, advisers=["Priya Shahbaz"])
    detector = Detector(["QQ123456C", "INT-0042"], ["Priya Shahbaz"])
    assert detector.find(text)
    assert detector.find(redacted) == []
