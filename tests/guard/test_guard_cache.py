"""The guard's cache (`cache_dir`): a file seen before is not read again, and the findings are
exactly those of a scan without the cache, leaks included, however the cache was left."""

from __future__ import annotations

import json

import pytest
from cache_helpers import Calls, entries, files_of, kept, plant_leaks, scan
from guard_support import (
    ADVISER,
    IDENTIFIERS,
    INTERVIEW,
    NAMES,
    PARTICIPANT,
    PROSE,
    clean_body,
    guard_kwargs,
    html_page,
    svg_text,
    write_pdf,
    write_tables,
)

from wfscc.errors import PrivacyError
from wfscc.guard import _memo, check_outputs

# --- the same findings -----------------------------------------------------------------------


def test_clean_site_cold_and_warm(clean_site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert scan(clean_site, cache) == []
    calls = Calls(monkeypatch)
    assert scan(clean_site, cache) == []
    check_outputs(clean_site, **guard_kwargs(), cache_dir=cache)  # does not raise
    assert calls.extracted == [] and calls.detected == [] and calls.pdfs == 0
    clean, segments = kept(cache)
    assert len(clean) == len(segments) == len(files_of(clean_site))
    assert len(entries(cache, "index")) == 1 and len(entries(cache, "segments")) == 1


def test_same_findings_with_and_without_the_cache(site, tmp_path):
    plant_leaks(site)
    cache = tmp_path / "cache"
    plain = scan(site)
    kinds = {(f.kind, f.file) for f in plain}
    assert {
        ("identifier", "chapter-1.html"),
        ("identifier", "report.pdf"),
        ("name", "report.pdf"),
        ("identifier", "tables.xlsx"),
        ("small_count", "data/starts_by_la.csv"),
        ("small_count", "extra.csv"),
    } <= kinds
    assert scan(site, cache) == plain  # cold
    assert scan(site, cache) == plain  # warm
    assert scan(site, cache) == plain
    for _ in range(2):
        with pytest.raises(PrivacyError) as err:
            check_outputs(site, **guard_kwargs(), cache_dir=cache)
        assert err.value.findings == plain


def test_files_with_findings_are_searched_on_every_scan(site, tmp_path, monkeypatch):
    """Only clean verdicts are kept: a leaky file is searched again (from its cached segments)."""
    plant_leaks(site)
    cache = tmp_path / "cache"
    plain = scan(site, cache)
    calls = Calls(monkeypatch)
    assert scan(site, cache) == plain
    assert calls.extracted == []  # every file's segments were cached
    leaky = {f.file for f in plain if f.kind != "small_count" or f.file == "extra.csv"}
    assert set(calls.detected) == leaky


# --- what a warm scan skips, and what it does not -------------------------------------------


def test_warm_scan_reads_again_only_the_changed_file(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert scan(site, cache) == []
    calls = Calls(monkeypatch)
    assert scan(site, cache) == []
    assert calls.extracted == [] and calls.detected == [] and calls.pdfs == 0
    (site / "chapter-2.html").write_text(html_page(clean_body(2) + "<p>A new paragraph.</p>"))
    assert scan(site, cache) == []
    assert calls.extracted == ["chapter-2.html"] and calls.detected == ["chapter-2.html"]
    calls.reset()
    write_pdf(site / "report.pdf", PROSE + "\n\nA changed sentence.")
    assert scan(site, cache) == []
    assert calls.extracted == ["report.pdf"] and calls.pdfs == 1


def test_leak_planted_into_a_file_cached_as_clean(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert scan(site, cache) == []
    assert scan(site, cache) == []  # every file is now cached as clean
    calls = Calls(monkeypatch)
    plant_leaks(site)
    expected = scan(site)
    assert expected
    calls.reset()
    assert scan(site, cache) == expected
    assert "report.pdf" in calls.extracted and "chapter-1.html" in calls.extracted
    assert "chapter-2.html" not in calls.extracted
    assert scan(site, cache) == expected  # and again, warm
    with pytest.raises(PrivacyError):
        check_outputs(site, **guard_kwargs(), cache_dir=cache)


def test_a_leak_removed_and_planted_again(site, tmp_path):
    """Back to the leaky bytes after a clean version: the leak is found again."""
    cache = tmp_path / "cache"
    page = site / "chapter-3.html"
    clean = page.read_text()
    leaky = clean.replace("Figure 1", f"Figure 1 by {ADVISER}")
    for text, leaks in [(leaky, True), (clean, False), (leaky, True), (clean, False)]:
        page.write_text(text)
        assert bool(scan(site, cache)) is leaks


def test_cross_file_checks_run_on_every_scan(site, tmp_path, monkeypatch):
    """The manifest check reads its CSVs every time, and a CSV's own table check depends on
    whether a manifest lists it, though the CSV's bytes have not changed."""
    cache = tmp_path / "cache"
    write_tables(site, [120, 95, None, 40])
    assert scan(site, cache) == []
    manifest = site / "data" / "tables.json"
    entry = json.loads(manifest.read_text())
    entry["starts_by_la"]["threshold"] = 50  # stricter: 40 is now a small count
    manifest.write_text(json.dumps(entry))
    assert scan(site, cache) == scan(site) != []
    csv = site / "data" / "starts_by_la.csv"
    csv.write_text(csv.read_text().replace("P02,95", "P02,4"))
    entry["starts_by_la"].update(threshold=10, count_columns=[])  # checks no column
    manifest.write_text(json.dumps(entry))
    assert scan(site, cache) == scan(site) == []
    manifest.write_text("{}")  # no longer listed: its "starts" column is checked as a count
    calls = Calls(monkeypatch)
    found = scan(site, cache)
    assert found == scan(site) and [(f.kind, f.file) for f in found] == [
        ("small_count", "data/starts_by_la.csv")
    ]
    assert "data/starts_by_la.csv" in calls.detected


def test_pages_showing_a_leaky_asset_are_named_on_every_scan(site, tmp_path):
    cache = tmp_path / "cache"
    (site / "assets" / "chart.svg").write_text(svg_text(f"Starts for {PARTICIPANT}"))
    for n in (1, 2):
        page = site / f"chapter-{n}.html"
        page.write_text(html_page(clean_body(n) + '<img src="assets/chart.svg" alt="Starts">'))
        found = [f for f in scan(site, cache) if f.file == "assets/chart.svg"]
        assert found == [f for f in scan(site) if f.file == "assets/chart.svg"]
        assert "chapter-1.html" in found[0].location
        assert ("chapter-2.html" in found[0].location) is (n == 2)


# --- what invalidates ------------------------------------------------------------------------


COUNT_TABLE = (
    "<table><tr><th>la_code</th><th>starts</th></tr><tr><td>P09</td><td>4</td></tr></table>"
)


@pytest.mark.parametrize(
    "planted, before, after",
    [
        (f"<p>About {INTERVIEW}.</p>", {"identifiers": IDENTIFIERS - {INTERVIEW}}, {}),
        (f"<p>Ask {ADVISER}.</p>", {"names": NAMES - {ADVISER}}, {}),
        (f"<p>Ask {ADVISER}.</p>", {"names": set()}, {"names": set(), "places": [ADVISER]}),
        (COUNT_TABLE, {"threshold": 4}, {}),
        ("", {}, {"vendored": ()}),
    ],
    ids=["identifiers", "names", "places", "threshold", "vendored"],
)
def test_changed_parameters_search_every_file_again(
    site, tmp_path, monkeypatch, planted, before, after
):
    """A file found clean with some parameters is searched again with others."""
    (site / "chapter-1.html").write_text(html_page(clean_body() + planted))
    cache = tmp_path / "cache"
    assert scan(site, cache, **before) == scan(site, **before) == []
    assert scan(site, cache, **before) == []  # every file cached as clean
    calls = Calls(monkeypatch)
    found = scan(site, cache, **after)
    assert found and found == scan(site, **after)
    calls.reset()
    assert scan(site, cache, **after) == found
    assert calls.extracted == []  # the segments do not depend on the parameters...
    assert set(calls.detected) == {f.file for f in found}  # ...the verdicts do
    calls.reset()
    assert scan(site, cache, **before) == []
    assert calls.extracted == [] and calls.detected == []


def test_the_same_bytes_under_another_suffix_are_read_again(site, tmp_path):
    """A CSV's rows are a table whose counts are checked; the same bytes in a .txt are not."""
    cache = tmp_path / "cache"
    for name in ("a.csv", "a.txt", "b.txt"):
        (site / name).write_text("la_code,starts\nP01,4\nP02,120\n")
    expected = scan(site)
    assert [(f.kind, f.file) for f in expected] == [("small_count", "a.csv")]
    assert scan(site, cache) == expected
    assert scan(site, cache) == expected


def test_identifiers_in_any_order_or_type_share_the_cache(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    scan(site, cache, identifiers=sorted(IDENTIFIERS))
    calls = Calls(monkeypatch)
    scan(site, cache, identifiers=(i for i in sorted(IDENTIFIERS, reverse=True)))
    assert calls.detected == []


def test_a_new_guard_version_starts_a_fresh_cache(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    scan(site, cache)
    (old,) = cache.glob("guard-*")
    monkeypatch.setattr(_memo, "code_version", lambda: "f" * 64)
    calls = Calls(monkeypatch)
    assert scan(site, cache) == []
    assert sorted(calls.extracted) == files_of(site)
    assert not old.exists() and [p.name for p in cache.iterdir()] == ["guard-" + "f" * 24]


def test_code_version_follows_the_guard_source(monkeypatch, tmp_path):
    fake = tmp_path / "guard"
    fake.mkdir()
    (fake / "_memo.py").write_text("x = 1\n")
    monkeypatch.setattr(_memo, "__file__", str(fake / "_memo.py"))
    one = _memo.code_version()
    (fake / "_detect.py").write_text("y = 2\n")
    assert _memo.code_version() != one
