"""The review copy (`_docx.write_docx`) from blocks it may change in place (``own=True``, the
report's combined chapters once its PDF is made) is the same file as from blocks it must copy,
and blocks it does not own are left as they were."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from wfscc.render._docx import write_docx
from wfscc.render._pandoc import text_inlines

API = [1, 23, 1]
WHEN = datetime(2024, 5, 1, tzinfo=UTC)


def _blocks() -> list[dict]:
    link = {
        "t": "Link",
        "c": [["", [], []], text_inlines("Table 2.1"), ["wfscc:02-findings.html#tbl-starts", ""]],
    }
    return [
        {"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]},
        {"t": "Header", "c": [1, ["findings", [], []], text_inlines("Findings")]},
        {"t": "Para", "c": [*text_inlines("See "), link]},
    ]


def test_owned_blocks_give_the_same_review_copy(tmp_path):
    shared = _blocks()
    before = copy.deepcopy(shared)
    copied = write_docx(shared, "Report", API, tmp_path / "copied.docx", tmp_path, WHEN)
    assert shared == before  # not the review copy's to change
    owned = write_docx(_blocks(), "Report", API, tmp_path / "owned.docx", tmp_path, WHEN, own=True)
    assert owned.read_bytes() == copied.read_bytes()
