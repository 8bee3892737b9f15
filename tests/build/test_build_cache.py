import shutil

from wfscc.build import cache
from wfscc.build.provenance import build_timestamp


def test_data_hash_ignores_location_but_sees_content(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "mi_starts.csv").write_text("x\n1\n")
    b = tmp_path / "elsewhere" / "b"
    shutil.copytree(a, b)
    assert cache.data_hash(a) == cache.data_hash(b)
    (b / "mi_starts.csv").write_text("x\n2\n")
    assert cache.data_hash(a) != cache.data_hash(b)


def test_data_hash_sees_renamed_files(tmp_path):
    (tmp_path / "a.csv").write_text("1")
    before = cache.data_hash(tmp_path)
    (tmp_path / "a.csv").rename(tmp_path / "b.csv")
    assert cache.data_hash(tmp_path) != before


def test_combine_is_order_sensitive_and_stable():
    assert cache.combine("a", {"x": 1, "y": 2}) == cache.combine("a", {"y": 2, "x": 1})
    assert cache.combine("a", "b") != cache.combine("b", "a")


def test_build_timestamp_prefers_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1300000000")
    assert build_timestamp(tmp_path).year == 2011
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    # not a git checkout: the end of the pilot
    assert build_timestamp(tmp_path).isoformat().startswith("2011-03-31")
