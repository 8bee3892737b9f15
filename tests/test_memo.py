"""The build's store of outputs (wfscc.memo): keys from content, whole folders or nothing."""

from __future__ import annotations

import pandas as pd

from wfscc.memo import Store, digest


def test_digest_follows_content_not_identity():
    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    assert digest("k", a) == digest("k", a.copy())
    assert digest("k", a) != digest("k", a.assign(x=[1, 3]))
    assert digest("k", a) != digest("k", a.astype({"x": float}))  # dtypes count
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
    assert digest(["a", "b"]) != digest(["ab"])


def test_bytes_round_trip_and_a_store_that_keeps_nothing(tmp_path):
    store = Store(tmp_path)
    assert store.get("k", "x") is None
    store.put("k", "x", b"data")
    assert store.get("k", "x") == b"data"
    assert not [p for p in (tmp_path / "k").iterdir() if p.name.startswith(".tmp")]
    none = Store(None)
    none.put("k", "x", b"data")
    assert none.get("k", "x") is None and not none.copy_dir("k", "x", tmp_path / "o")


def test_a_folder_is_copied_back_whole_and_an_incomplete_one_is_a_miss(tmp_path):
    made = tmp_path / "made"
    (made / "sub").mkdir(parents=True)
    (made / "a.csv").write_text("a\n")
    (made / "sub" / "b.xlsx").write_bytes(b"\x00\x01")
    store = Store(tmp_path / "store")
    assert not store.copy_dir("tables", "key", tmp_path / "out")
    store.put_dir("tables", "key", made)
    assert store.copy_dir("tables", "key", tmp_path / "out")
    assert (tmp_path / "out" / "a.csv").read_text() == "a\n"
    assert (tmp_path / "out" / "sub" / "b.xlsx").read_bytes() == b"\x00\x01"
    assert not (tmp_path / "out" / ".complete").exists()

    (tmp_path / "store" / "tables" / "key" / ".complete").unlink()  # as if cut short
    assert not store.copy_dir("tables", "key", tmp_path / "again")
    store.put_dir("tables", "key", made)  # a new entry replaces the broken one
    assert store.copy_dir("tables", "key", tmp_path / "again")
