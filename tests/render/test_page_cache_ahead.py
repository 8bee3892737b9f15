"""A page cache's state read ahead (`PageCache.read_ahead`, as the build does while its
notebooks run): the render takes it only while the state file is the one it was read from, and
otherwise (saved again since, removed, damaged, a held file gone) loads as it would have."""

from __future__ import annotations

from pathlib import Path

import pytest

import wfscc.render._incremental as incremental
from wfscc.render import read_ahead
from wfscc.render._incremental import PageCache


def kept(folder: Path, key: str, held: bytes | None = None) -> PageCache:
    """Save a cache in *folder* whose key is *key* (and which holds one file, if given)."""
    folder.mkdir(parents=True, exist_ok=True)
    cache = PageCache(folder)
    cache.key = key
    cache.html = {"a.html": f"<p>{key}</p>"}
    if held is not None:
        made = folder.parent / "made.png"
        made.write_bytes(held)
        cache.files = {"assets/img.png": cache.hold(made)}
    cache.save()
    return cache


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The state files read from disk (not taken from a read-ahead)."""
    calls: list[Path] = []
    read = incremental._read_state

    def counted(folder: Path):
        calls.append(folder)
        return read(folder)

    monkeypatch.setattr(incremental, "_read_state", counted)
    return calls


def test_an_unchanged_state_is_taken_from_the_read_ahead(tmp_path: Path, reads):
    folder = tmp_path / "pages"
    kept(folder, "first", held=b"png")
    ahead = PageCache.read_ahead(folder)
    assert reads == [folder]
    loaded = PageCache.load(folder, ahead)
    assert reads == [folder]  # not read again
    assert loaded.key == "first" and loaded.html == {"a.html": "<p>first</p>"}
    assert loaded.files["assets/img.png"].read_bytes() == b"png"


def test_a_state_saved_since_is_read_again(tmp_path: Path, reads):
    folder = tmp_path / "pages"
    kept(folder, "first")
    ahead = PageCache.read_ahead(folder)
    kept(folder, "second")  # another render saved meanwhile
    loaded = PageCache.load(folder, ahead)
    assert loaded.key == "second" and len(reads) == 2


def test_a_state_that_appeared_or_went_since_is_what_load_finds(tmp_path: Path):
    folder = tmp_path / "pages"
    none_yet = PageCache.read_ahead(folder)
    assert none_yet.stamp is None and none_yet.state is None
    kept(folder, "first")
    assert PageCache.load(folder, none_yet).key == "first"
    ahead = PageCache.read_ahead(folder)
    (tmp_path / "pages.state").unlink()
    assert PageCache.load(folder, ahead).key == ""


def test_a_damaged_state_or_a_missing_held_file_is_an_empty_cache(tmp_path: Path):
    folder = tmp_path / "pages"
    cache = kept(folder, "first", held=b"png")
    ahead = PageCache.read_ahead(folder)
    cache.files["assets/img.png"].unlink()  # a held asset gone: start afresh, as load() does
    assert PageCache.load(folder, ahead).key == ""
    state = tmp_path / "pages.state"
    state.write_bytes(b"\0" * 40)
    damaged = PageCache.read_ahead(folder)
    assert damaged.state is None and PageCache.load(folder, damaged).key == ""


def test_a_read_ahead_of_another_folder_is_not_taken(tmp_path: Path):
    kept(tmp_path / "one" / "pages", "one")
    kept(tmp_path / "two" / "pages", "two")
    ahead = PageCache.read_ahead(tmp_path / "one" / "pages")
    assert PageCache.load(tmp_path / "two" / "pages", ahead).key == "two"


def test_read_ahead_without_a_cache_folder_reads_nothing(tmp_path: Path):
    assert read_ahead(None) is None
    ahead = read_ahead(tmp_path)
    assert ahead.folder == tmp_path / "pages" and ahead.state is None
