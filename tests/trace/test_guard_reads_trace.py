"""The privacy guard reads the panel data and the Number check's CSV and JSON like every other
published file: an identifier planted in any of them is found there."""

from __future__ import annotations

import pytest

from wfscc.guard import scan_outputs

PLANTED = "ZQ987654"


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("assets/trace-data.js", 'window.wfsccFacts = {"x": {"shown": "%s"}};\n'),
        ("data/number-check.csv", "kind,name,shown\ncited fact,x,%s\n"),
        ("data/number-check.json", '{"facts": {"x": {"shown": "%s"}}}\n'),
    ],
)
def test_guard_finds_an_identifier_in_the_trace_files(tmp_path, rel, text):
    path = tmp_path / rel
    path.parent.mkdir(parents=True)
    path.write_text(text % PLANTED, encoding="utf-8")
    found = scan_outputs(tmp_path, identifiers=[PLANTED], names=[], threshold=10)
    assert [f.file for f in found] == [rel], found
