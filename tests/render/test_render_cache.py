"""The render cache (`render_book(..., cache_dir=...)`): same bytes, fewer tool runs."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from wfscc.render import _memo, _typst, render_book

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "book"
TIMESTAMP = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0", "commit": "abc1234def", "data_hash": "sha256:5eed"}
EDIT = "A sentence added to check that only this page is made again."


def tree(out: Path) -> dict[str, str]:
    """sha256 of every file of a rendered site, by relative name."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def render(project: Path, out: Path, cache: Path | None = None) -> dict[str, str]:
    render_book(project, out, timestamp=TIMESTAMP, provenance=PROVENANCE, cache_dir=cache)
    return tree(out)


class Tools:
    """Counts the external tools the render runs: pandoc (by output format; a batch of pages
    counts each page), Typst compiles (by source file) and Pagefind; they still run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.runs: Counter[str] = Counter()
        run = subprocess.run

        def counting_run(args, *a, **k):
            exe = Path(args[0]).name
            if str(_typst.RUNNER) in args[1:-1]:  # Typst compiles in a process of its own
                self.runs[f"typst {Path(json.loads(args[-1])['input']).name}"] += 1
            elif "pandoc" in exe and "lua" in args:  # pages in one process (`_batch`): each
                request = json.loads(k["input"])
                self.runs[f"pandoc -t {request['to']}"] += len(request["inputs"])
            else:
                self.runs[f"pandoc -t {args[args.index('-t') + 1]}" if "pandoc" in exe
                          else exe] += 1
            return run(args, *a, **k)

        monkeypatch.setattr(subprocess, "run", counting_run)


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The fixture book rendered without a cache: (tmp folder, file hashes)."""
    base = tmp_path_factory.mktemp("cache")
    return base, render(FIXTURE, base / "plain")


def test_no_cache_cold_and_warm_give_identical_files(cold, tmp_path, monkeypatch):
    _, plain = cold
    cache = tmp_path / "cache"
    assert render(FIXTURE, tmp_path / "cold", cache) == plain
    steps = {"parse", "html", "typst", "pdf", "pagefind", "docx"}
    pages = {"pages", "pages.state", "pages.lock"}  # the page cache (`_incremental`)
    assert {p.name for p in cache.iterdir()} == steps | pages
    tools = Tools(monkeypatch)
    assert render(FIXTURE, tmp_path / "warm", cache) == plain
    assert tools.runs == Counter()  # no pandoc, Typst or Pagefind at all


def test_editing_one_chapter_remakes_only_its_page_and_the_report(book, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    before = render(book, tmp_path / "before", cache)
    chapter = book / "report" / "02-findings.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{EDIT}\n", encoding="utf-8")

    tools = Tools(monkeypatch)
    after = render(book, tmp_path / "after", cache)
    assert tools.runs == Counter({"pandoc -t json": 1, "pandoc -t html5": 1,
                                  "pandoc -t typst": 1, "typst report.typ": 1, "pagefind": 1,
                                  "pandoc -t docx": 1})  # the review copy (issue 18)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "02-findings.html" in changed and "report.pdf" in changed
    assert not changed & {"01-introduction.html", "summary.html", "summary.pdf"}
    assert EDIT in (tmp_path / "after" / "02-findings.html").read_text(encoding="utf-8")
    report = " ".join(p.extract_text() for p in
                      pypdf.PdfReader(tmp_path / "after" / "report.pdf").pages)
    assert EDIT in " ".join(report.split())
    assert render(book, tmp_path / "plain") == after  # as if there had been no cache


def test_a_corrupt_entry_is_a_miss_and_is_made_again(cold, tmp_path, monkeypatch):
    _, plain = cold
    cache = tmp_path / "cache"
    render(FIXTURE, tmp_path / "first", cache)
    damaged = {}
    for step in ("parse", "html", "typst", "pdf", "pagefind"):
        entry = sorted((cache / step).iterdir())[0]
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if step != "pdf" else data[:-1] + b"!")
        damaged[step] = entry
    (cache / "pages.state").unlink()  # else no page is parsed or converted again
    tools = Tools(monkeypatch)
    assert render(FIXTURE, tmp_path / "second", cache) == plain
    assert tools.runs["pandoc -t json"] == 1 and tools.runs["pandoc -t html5"] == 1
    assert tools.runs["pandoc -t typst"] == 1 and tools.runs["pagefind"] == 1
    assert sum(v for k, v in tools.runs.items() if k.startswith("typst ")) == 1
    tools.runs.clear()
    assert render(FIXTURE, tmp_path / "third", cache) == plain
    assert tools.runs == Counter()  # the damaged entries were written again, whole


def test_pagefind_output_is_not_kept_when_it_added_to_an_old_index(cold, tmp_path):
    _, plain = cold
    cache, out = tmp_path / "cache", tmp_path / "site"
    (out / "pagefind").mkdir(parents=True)
    (out / "pagefind" / "old.txt").write_text("left from before")
    files = render(FIXTURE, out, cache)
    assert files.pop("pagefind/old.txt") and files == plain
    assert not (cache / "pagefind").exists()


def test_memo_entries_round_trip_and_fail_closed(tmp_path, monkeypatch):
    memo = _memo.Memo(tmp_path)
    key = memo.key("step", "a", b"b")
    assert key != memo.key("step", "ab") != memo.key("step", "a", "b")
    assert key != memo.key("other", "a", b"b")
    assert memo.get("step", key) is None
    assert memo.bytes("step", key, lambda: b"payload") == b"payload"
    assert memo.get("step", key) == b"payload"
    assert memo.bytes("step", key, lambda: pytest.fail("made again")) == b"payload"
    assert [p.name for p in (tmp_path / "step").iterdir()] == [key]  # no temporary files

    (tmp_path / "step" / key).write_bytes(b"not an entry")
    assert memo.get("step", key) is None
    assert memo.text("step", key, lambda: "again") == "again"
    assert memo.get("step", key) == b"again"

    def interrupted(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(_memo.os, "replace", interrupted)
    other = memo.key("step", "other")
    assert memo.bytes("step", other, lambda: b"x") == b"x"  # a write that fails is no error
    assert sorted(p.name for p in (tmp_path / "step").iterdir()) == [key]  # nothing left over

    assert _memo.Memo(None).bytes("step", key, lambda: b"made") == b"made"


def test_packed_files_round_trip_and_reject_damage():
    files = [("a.txt", b"one"), ("sub/b.bin", b"\n\x00two")]
    packed = _memo.pack_files(files)
    assert _memo.unpack_files(packed) == files
    for bad in (packed[:-1], packed + b"x", _memo.pack_files([("../evil", b"")])):
        with pytest.raises(ValueError):
            _memo.unpack_files(bad)


def test_new_provenance_reuses_every_page_conversion(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    render(FIXTURE, tmp_path / "before", cache)
    provenance = dict(PROVENANCE, data_hash="sha256:f00d")
    tools = Tools(monkeypatch)
    render_book(FIXTURE, tmp_path / "after", timestamp=TIMESTAMP, provenance=provenance,
                cache_dir=cache)
    # The footers are filled in after pandoc; only the summary, whose publication notice
    # names the data hash, is converted again, with the report (colophon) and the index.
    assert tools.runs == Counter({"pandoc -t html5": 1, "pandoc -t typst": 2,
                                  "typst report.typ": 1, "typst summary.typ": 1, "pagefind": 1})
    assert "sha256:f00d" in (tmp_path / "after" / "01-introduction.html").read_text("utf-8")
    render_book(FIXTURE, tmp_path / "plain", timestamp=TIMESTAMP, provenance=provenance)
    assert tree(tmp_path / "after") == tree(tmp_path / "plain")
