"""The guard's cache when it is damaged, shared, outdated or cannot be written: every entry that
is not exactly right is a miss, and the findings are those of a scan without the cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from cache_helpers import Calls, entries, files_of, kept, plant_leaks, scan
from guard_support import IDENTIFIERS, NAMES, PARTICIPANT, clean_body, guard_kwargs, html_page

import wfscc.guard.scan as scan_module
from wfscc import memo
from wfscc.guard import _memo, prescan_outputs
from wfscc.guard._text import Segment, Table

# --- a damaged cache is a miss ---------------------------------------------------------------


def test_corrupt_entries_are_ignored(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    plant_leaks(site)
    expected = scan(site, cache)
    scan(site, cache)
    segments, index = entries(cache, "segments"), entries(cache, "index")
    assert len(kept(cache)[1]) == len(files_of(site)) and kept(cache)[0] and index
    damage = [
        lambda data: b"",
        lambda data: b"garbage",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: data + b" ",
    ]
    for damaged in damage:
        for entry in segments + index:
            entry.write_bytes(damaged(entry.read_bytes()))
        calls = Calls(monkeypatch)
        assert scan(site, cache) == expected
        assert sorted(calls.extracted) == files_of(site)
        calls.reset()
        assert scan(site, cache) == expected  # rewritten
        assert calls.extracted == []
        monkeypatch.undo()
        segments, index = entries(cache, "segments"), entries(cache, "index")
    # well formed, with the right key and checksum, but not segments
    for batch in segments:
        payload = json.dumps({key: [{"text": 1}] for key in kept(cache)[1]}).encode()
        batch.write_bytes(
            memo._MAGIC
            + batch.name.encode()
            + b"\n"
            + hashlib.sha256(payload).hexdigest().encode()
            + b"\n"
            + payload
        )
    for entry in index:  # nothing kept as clean: the segments are needed
        entry.unlink()
    calls = Calls(monkeypatch)
    assert scan(site, cache) == expected
    assert sorted(calls.extracted) == files_of(site)


def test_an_entry_under_another_key_is_not_trusted(site, tmp_path):
    """A clean verdict or segments copied over a leaky file's keys do not hide the leak: each
    entry names its own key."""
    cache = tmp_path / "cache"
    scan(site, cache)
    scan(site, cache)
    (index,), (segments,) = entries(cache, "index"), entries(cache, "segments")
    plant_leaks(site)
    expected = scan(site)
    params = _memo.params_digest(IDENTIFIERS, NAMES, (), 10, scan_module.VENDORED)
    memo = _memo.GuardMemo(cache, params)
    for rel in {f.file for f in expected}:
        sha = _memo.file_digest((site / rel).read_bytes())
        for flag in (False, True):
            shutil.copyfile(index, memo.root / "index" / memo.clean_key(sha, rel, flag))
            key = memo.segments_key(sha, Path(rel).suffix.lower(), flag)
            shutil.copyfile(segments, memo.root / "segments" / key)
            shutil.copyfile(index, memo.root / "index" / key)
    assert scan(site, cache) == expected


def test_unreadable_files_are_never_cached(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (site / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    first = scan(site, cache)
    assert [(f.kind, f.file) for f in first] == [("unreadable", "broken.pdf")]
    calls = Calls(monkeypatch)
    assert scan(site, cache) == first
    assert calls.extracted == ["broken.pdf"]


def test_a_file_rewritten_while_it_is_read_is_not_cached(site, tmp_path, monkeypatch):
    """Hashed with a leak, then rewritten clean before it was read: neither its (clean) segments
    nor a clean verdict may be kept under the leaky bytes' digest."""
    cache = tmp_path / "cache"
    page = site / "chapter-1.html"
    clean = page.read_text()
    leaky = clean.replace("Figure 1", f"Figure 1 ({PARTICIPANT})")
    segments = scan_module._segments

    def rewritten_first(path, rel, vendored):
        if rel == "chapter-1.html":
            page.write_text(clean)
        return segments(path, rel, vendored)

    page.write_text(leaky)
    monkeypatch.setattr(scan_module, "_segments", rewritten_first)
    assert scan(site, cache) == []  # what it read was clean
    monkeypatch.setattr(scan_module, "_segments", segments)
    page.write_text(leaky)
    assert [(f.kind, f.file) for f in scan(site, cache)] == [("identifier", "chapter-1.html")]


def test_an_unwritable_cache_changes_nothing(site, tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    plant_leaks(site)
    assert scan(site, cache) == scan(site) != []


def test_old_entries_are_pruned(site, tmp_path):
    cache = tmp_path / "cache"
    scan(site, cache)
    stale = entries(cache, "segments")[0]
    os.utime(stale, (1, 1))
    (site / "new.txt").write_text("Something new.\n")  # a write triggers the pruning
    scan(site, cache)
    assert not stale.exists() and entries(cache, "segments")


# --- segments survive the round trip ---------------------------------------------------------


def test_segments_round_trip_exactly(clean_site):
    for rel in files_of(clean_site):
        segs = scan_module._segments(clean_site / rel, rel, scan_module.VENDORED)
        doc = json.loads(json.dumps([_memo._segment_doc(s) for s in segs]))
        assert [_memo._segment(d) for d in doc] == segs, rel
    odd = Segment(
        "caf\u00e9 \ud800 \x00 \u2028 line\nnext",
        "page 1",
        "code",
        ["a", "b"],
        True,
        [("row 1", ["x", "y"])],
        [Table("table at line 3", ["la_code", "starts"], [("row 2", ["P01", "4"])])],
        False,
    )
    assert _memo._segment(json.loads(json.dumps(_memo._segment_doc(odd)))) == odd


# --- a few files per scan, about one site's worth kept ------------------------------------------


def test_a_scan_keeps_its_work_in_two_entries(site, tmp_path, monkeypatch):
    """Creating a file costs more than reading most: a scan adds one index entry and one batch
    of segments, whatever the number of files, and the early scans' entries are found."""
    cache = tmp_path / "cache"
    files = files_of(site)
    assert len(files) > 10
    params = {k: v for k, v in guard_kwargs().items() if k != "shipped_images"}
    prescan_outputs(site, [site / f for f in files[:5]], **params, cache_dir=cache)
    assert len(entries(cache, "index")) == len(entries(cache, "segments")) == 1
    calls = Calls(monkeypatch)
    assert scan(site, cache) == []
    assert sorted(calls.extracted) == files[5:]  # the early scan's files are not read again
    assert len(entries(cache, "index")) == 1 and len(entries(cache, "segments")) == 2
    assert kept(cache)[1] == _segment_keys(site, cache)


def test_the_cache_keeps_what_the_site_uses(site, tmp_path, monkeypatch):
    """Entries of files no longer published go; those of unchanged files stay."""
    cache = tmp_path / "cache"
    scan(site, cache)
    page = site / "chapter-2.html"
    for n in range(4):
        page.write_text(html_page(clean_body() + f"<p>Version {n}.</p>"))
        assert scan(site, cache) == []
        assert len(entries(cache, "index")) == 1
        assert len(entries(cache, "segments")) == 2  # the first scan's batch and this one's
    assert kept(cache)[1] == _segment_keys(site, cache)
    assert len(kept(cache)[0]) == len(files_of(site))
    calls = Calls(monkeypatch)
    assert scan(site, cache) == []
    assert calls.extracted == calls.detected == []


def _segment_keys(site, cache) -> set[str]:
    memo = _memo.GuardMemo(cache, "")
    return {
        memo.segments_key(
            _memo.file_digest((site / rel).read_bytes()),
            Path(rel).suffix.lower(),
            scan_module._is_vendored(rel, scan_module.VENDORED),
        )
        for rel in files_of(site)
    }
