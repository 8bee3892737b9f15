"""Pages through pandoc in batches (`_batch`): each output is the bytes a pandoc process of its
own makes; a failed batch is made again page by page, so that the error names its page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wfscc.render._batch import (
    _request,
    batchable,
    made_in_batches,
    parse_markdown_many,
    run_pandoc_batch,
    spread,
)
from wfscc.render._html import _convert, _html_args
from wfscc.render._memo import Memo
from wfscc.render._pandoc import PAGE_RUNTIME, parse_args, resource, run_pandoc
from wfscc.render._project import RenderError

PAGES = [
    "---\ntitle: Front matter\n---\n\n# A chapter {#sec-a}\n\nSome *text*.\n",
    '# Pilot area 07\n\n::: {.wfscc-nbtable #tbl-p07 tbl-cap="Starts by quarter"}\n'
    "| Quarter | Starts |\n|---|---:|\n| 2009 Q1 | 12 |\n:::\n\n"
    '![](chart.svg){#fig-p07-starts fig-alt="A bar chart"}\n',
    "## Same heading\n\n## Same heading\n\nA footnote.[^1]\n\n[^1]: The note.\n",
    '# Pilot area 08\n\n::: {.wfscc-nbtable tbl-cap=""}\n```{=html}\n<div><table>'
    "<tr><th>A</th></tr><tr><td>1</td></tr></table></div>\n```\n:::\n",
]


def _page(blocks: list[dict], title: str) -> dict:
    """A page's document as `render_site` hands it to pandoc (the slots left out)."""
    config = {"target": "html", "root": "", "page": "x.html", "anchors": {}}
    meta = {
        "pagetitle": {"t": "MetaString", "c": title},
        "wfscc-config": {"t": "MetaString", "c": json.dumps(config)},
    }
    return {"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": blocks}


def test_a_batch_parses_each_page_as_a_process_of_its_own():
    alone = [json.loads(run_pandoc(parse_args(), text, runtime=PAGE_RUNTIME)) for text in PAGES]
    assert parse_markdown_many(PAGES, ["p"] * len(PAGES), Memo(None), [None] * 4) == alone
    # each page's identifiers are its own: the second page's heading ids do not see the third's
    batch = run_pandoc_batch(PAGES, parse_args())
    assert [json.loads(out) for out in batch] == alone


def test_a_batch_converts_each_page_to_html_as_a_process_of_its_own(tmp_path):
    docs = [parse_markdown_many([text], ["p"], Memo(None), [None])[0] for text in PAGES]
    docs = [_page(doc["blocks"], f"Page {n}") for n, doc in enumerate(docs)]
    docs.append(docs[1])  # the same page twice: the filter's state (region names) starts afresh
    alone = [
        run_pandoc(_html_args(), json.dumps(doc), cwd=tmp_path, runtime=PAGE_RUNTIME)
        for doc in docs
    ]
    batch = run_pandoc_batch([json.dumps(doc) for doc in docs], _html_args(), cwd=tmp_path)
    assert batch == alone
    assert batch[-1] == batch[1] and 'aria-label="Starts by quarter"' in batch[1]


def test_a_page_pandoc_reads_otherwise_is_parsed_on_its_own(monkeypatch):
    texts = ["# Tabbed\n\n\tcode in a tab\n", "# Plain\n\nText.\n", "# CRLF\r\n\r\nText.\r\n"]
    assert [batchable(t) for t in texts] == [False, True, False]
    alone = [json.loads(run_pandoc(parse_args(), text, runtime=PAGE_RUNTIME)) for text in texts]
    assert parse_markdown_many(texts, ["t"] * 3, Memo(None), [None] * 3) == alone


def test_the_pages_are_spread_over_processes():
    assert spread(0) == []
    assert spread(3) == [range(0, 1), range(1, 2), range(2, 3)]
    runs = spread(173)
    assert [i for run in runs for i in run] == list(range(173))
    assert max(len(run) for run in runs) == 16 and len(runs) >= 4
    assert len(spread(20)) == 4


def test_a_failed_batch_is_made_again_page_by_page_naming_the_page():
    made: list[int] = []

    def batch(run: list[int]) -> list[str]:
        raise RenderError("a, b, c: pandoc failed")

    def single(i: int) -> str:
        made.append(i)
        if i == 1:
            raise RenderError(f"page {i}: pandoc failed: bad input")
        return f"out {i}"

    with pytest.raises(RenderError, match="page 1: pandoc failed"):
        made_in_batches(
            Memo(None), "html", ["", "", ""], ["a", "b", "c"], single=single, batch=batch
        )
    assert made[:2] == [0, 1]


def test_a_page_pandoc_cannot_convert_is_named(tmp_path):
    good = _page([{"t": "Para", "c": [{"t": "Str", "c": "fine"}]}], "Good")
    bad = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "NoSuchBlock"}]}
    with pytest.raises(RenderError):
        run_pandoc_batch([json.dumps(good), json.dumps(bad)], ["-f", "json", "-t", "html5"])
    pages = [
        type("P", (), {"chapter": type("C", (), {"source": Path(name)})()})()
        for name in ("report/good.qmd", "report/bad.qmd")
    ]
    with pytest.raises(RenderError, match="report/bad.qmd"):
        _convert(pages, [good, bad], tmp_path, Memo(None))


def test_batched_outputs_are_kept_and_reused(tmp_path):
    memo = Memo(tmp_path / "memo")
    calls: list[list[int]] = []

    def batch(run: list[int]) -> list[str]:
        calls.append(run)
        return [f"out {i}" for i in run]

    keys = [memo.key("parse", str(i)) for i in range(5)]
    first = made_in_batches(memo, "parse", keys, ["x"] * 5, single=str, batch=batch)
    assert first == [f"out {i}" for i in range(5)] and sorted(sum(calls, [])) == list(range(5))
    calls.clear()
    again = made_in_batches(memo, "parse", keys, ["x"] * 5, single=str, batch=batch)
    assert again == first and calls == []


def test_a_batch_takes_the_pages_own_pandoc_arguments_and_refuses_others():
    # the batch and a page's own run read one list: an option the batch script cannot honour
    # is an error, not a page made differently in a batch than alone
    assert _request(_html_args()) == {
        "from": "json",
        "to": "html5",
        "template": str(resource("templates", "page.html")),
        "filter": str(resource("filters", "render.lua")),
        "highlight": "none",
        "wrap": "wrap-none",
    }
    for args in (["-f", "json", "-t", "html5", "--toc"],
                 ["-f", "json", "-t", "html5", "--lua-filter", "a.lua", "--lua-filter", "b.lua"],
                 ["-t", "html5"]):
        with pytest.raises(ValueError):
            _request(args)
