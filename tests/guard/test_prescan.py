"""The guard on files made before the pages (`prescan_outputs`, run while a build renders): the
files it finds clean are not read again by the scan of the whole site, and it can neither hide
a leak nor keep a verdict on a file that changed afterwards."""

from __future__ import annotations

from cache_helpers import Calls, scan
from guard_support import PARTICIPANT, guard_kwargs, write_tables

from wfscc.guard import prescan_outputs


def _early(site) -> list:
    """What a build has made before its pages: the facts, notebooks and published tables."""
    return sorted(
        [site / "facts.json", *(site / "notebooks").glob("*"), *(site / "data").glob("*")]
    )


def _kwargs() -> dict:  # the raster images are checked across the whole site only
    return {k: v for k, v in guard_kwargs().items() if k != "shipped_images"}


def _prescan(site, cache, paths) -> None:
    prescan_outputs(site, paths, **_kwargs(), cache_dir=cache)


def test_files_found_clean_early_are_not_read_again(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    early = _early(site)
    _prescan(site, cache, early)
    calls = Calls(monkeypatch)
    assert scan(site, cache) == []
    rels = {p.relative_to(site).as_posix() for p in early}
    assert rels and not rels & set(calls.extracted)
    assert "report.pdf" in calls.extracted  # what was not scanned early is read now


def test_a_leak_in_a_file_scanned_early_is_still_found(site, tmp_path):
    cache = tmp_path / "cache"
    (site / "facts.json").write_text(f'{{"note": {{"text": "see {PARTICIPANT}"}}}}')
    _prescan(site, cache, _early(site))
    found = [(f.kind, f.file) for f in scan(site, cache)]
    assert found == [("identifier", "facts.json")]


def test_a_file_changed_after_the_early_scan_is_read_again(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _prescan(site, cache, _early(site))
    write_tables(site, [120, 3, None, 40])  # a count below the threshold, written afterwards
    calls = Calls(monkeypatch)
    found = {(f.kind, f.file) for f in scan(site, cache)}
    assert ("small_count", "data/starts_by_la.csv") in found
    assert "data/starts_by_la.csv" in calls.extracted


def test_without_a_cache_nothing_is_done(site, monkeypatch):
    calls = Calls(monkeypatch)
    prescan_outputs(site, _early(site), **_kwargs(), cache_dir=None)
    assert calls.extracted == [] and calls.detected == []
