"""The guard's shortcuts (a text met again is analysed once, the detector of the early scans is
reused by the check of the whole site, names looked for by their first word, tag texts kept
across files, the number regex written class-first) skip work, never a finding."""

from __future__ import annotations

import json

import pytest
from cache_helpers import scan
from guard_support import (
    ADVISER,
    PARTICIPANT,
    clean_body,
    display,
    guard_kwargs,
    html_page,
    svg_text,
    write_notebook,
)

from wfscc.guard import prescan_outputs
from wfscc.guard._detect import Detector
from wfscc.guard._patterns import _FEW_KEYS, NameMatcher
from wfscc.guard._prose import small_counts_in_text
from wfscc.guard._text import html_to_text


def _found(findings) -> set[tuple[str, str]]:
    return {(f.kind, f.file) for f in findings}


@pytest.mark.parametrize("cached", [False, True])
def test_a_leak_in_text_repeated_on_several_pages_is_reported_for_each(site, tmp_path, cached):
    footer = f"<footer><p>Contact {ADVISER} about {PARTICIPANT}</p></footer>"
    pages = [f"page-{n}.html" for n in range(4)]
    for name in pages:
        (site / name).write_text(html_page(clean_body() + footer))
    found = scan(site, tmp_path / "cache" if cached else None)
    for name in pages:
        assert ("name", name) in _found(found)
        assert ("identifier", name) in _found(found)
        locations = {f.location for f in found if f.file == name}
        assert locations and all("line" in where for where in locations)


def test_a_chart_in_its_notebook_and_as_an_asset_is_reported_in_both(site, tmp_path):
    chart = svg_text(f"Starts seen by {ADVISER}")
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "img-0123456789abcdef.svg").write_text(chart)
    write_notebook(site / "notebooks" / "P99.ipynb", [display({"image/svg+xml": chart})])
    found = _found(scan(site, tmp_path / "cache"))
    assert ("name", "assets/img-0123456789abcdef.svg") in found
    assert ("name", "notebooks/P99.ipynb") in found


def test_a_leak_found_by_an_early_scan_is_reported_by_the_whole_scan(site, tmp_path):
    """The whole scan reuses the early scan's detector and what it analysed: a leak it found
    there, and the same text in a file written afterwards, are both reported."""
    cache = tmp_path / "cache"
    note = {"note": {"text": f"see {PARTICIPANT}"}}
    (site / "facts.json").write_text(json.dumps(note))
    kwargs = {k: v for k, v in guard_kwargs().items() if k != "shipped_images"}
    prescan_outputs(site, [site / "facts.json"], **kwargs, cache_dir=cache)
    (site / "facts-copy.json").write_text(json.dumps(note))
    found = _found(scan(site, cache))
    assert {("identifier", "facts.json"), ("identifier", "facts-copy.json")} <= found


def test_the_same_text_analysed_again_gives_the_same_hits_in_another_mode():
    detector = Detector([], [])
    text = "Call the LS6 office"
    prose = detector.analyse(text, "prose", 10, one_value_per_line=False, header_lines=True)
    code = detector.analyse(text, "code", 10, one_value_per_line=False, header_lines=True)
    assert [h.text for h in prose.hits] == ["LS6"]  # a bare outward code: prose only
    assert code.hits == []


def test_a_text_without_digits_still_has_its_names_found():
    detector = Detector([PARTICIPANT], [ADVISER])
    text = "No numbers at all here, only a name: priya shahbaz, and Ms Shahbaz."
    assert not any(c.isdigit() for c in text)
    assert [(h.kind, h.text) for h in detector.find(text)] == [
        ("name", "priya shahbaz"),
        ("name", "Ms Shahbaz"),
    ]


def test_a_name_glued_to_a_symbol_is_found():
    detector = Detector([], [ADVISER])
    assert [h.text for h in detector.find("signed ×Priya Shahbaz×")] == ["Priya Shahbaz"]


@pytest.mark.parametrize("extra", [0, 2 * _FEW_KEYS])
def test_names_are_found_with_few_or_many_first_words(extra):
    """Few first words are looked for with `in`, many among the text's words: same names."""
    others = [f"Q{chr(97 + n // 26)}{chr(97 + n % 26)}x Else" for n in range(extra)]
    detector = Detector([], [ADVISER, "Adviser Tomasz Ellingham", *others])
    assert (len(detector._names._first) > _FEW_KEYS) == (extra > 0)
    text = (
        "Notes.\nADVISER ELLINGHAM met priya\n shahbaz; tomasz ellingham's file; "
        "Shahbaz-like; Priyanka Shahbazi; Dr Shahbaz."
    )
    assert [h.text for h in detector.find(text)] == [
        "ADVISER ELLINGHAM",
        "priya\n shahbaz",
        "tomasz ellingham",
        "Dr Shahbaz",
    ]


def test_the_first_listed_form_of_a_name_wins_as_before():
    matcher = NameMatcher(["Adviser Jo Bloggs", "Adviser Bloggs"], [], ["Bloggs"])
    assert sorted(matcher.finditer("adviser jo bloggs, adviser bloggs")) == [
        (0, 17, "adviser jo bloggs"),
        (19, 33, "adviser bloggs"),
    ]


def test_the_same_tag_reads_the_same_in_every_file():
    alt = f'<img alt="{ADVISER}" src="a.png">'
    first = html_to_text(f"<p>One {alt} two</p>")
    again = html_to_text(f"<div>\n{alt}\n</div>")
    assert ADVISER in first and ADVISER in again
    assert html_to_text("QQ12<b>3456</b>C and QQ12<b>3456</b>C") == "QQ123456C and QQ123456C"
    assert html_to_text("a<br\n/>b") == "a \nb"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Three parents said so.", ["three"]),
        ("THREE PARENTS", ["three"]),
        ("Twelve parents and seven starts", ["seven"]),
        ("٣ parents", ["٣"]),
        ("007 parents", ["007"]),
        ("fourteen parents", []),
        ("one-off payments to 3x parents", []),
        ("x3 parents, 3.5 parents, 1,000 parents", []),
        ("respondents: 4", ["4"]),
    ],
)
def test_small_counts_in_words_and_digits(text, found):
    got = [text[s:e].lower() for s, e, _ in small_counts_in_text(text, 10)]
    assert got == found


def test_character_references_are_read_line_by_line():
    """A reference never spans a line break, so the whole text is unescaped at once: a line
    break it stands for is kept, and the lines after it keep their numbers."""
    assert html_to_text("a&#10;b\nc &amp\nd&lt;p&gt;") == "a\nb\nc &\nd<p>"
