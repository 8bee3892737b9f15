"""The build's store of outputs (wfscc.memo): keys from content, checked entries, folders."""

from __future__ import annotations

import pandas as pd
import pytest

from wfscc.memo import Memo, digest, pack_files, tree_files, unpack_files


def test_digest_follows_content_not_identity():
    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    assert digest("k", a) == digest("k", a.copy())
    assert digest("k", a) != digest("k", a.assign(x=[1, 3]))
    assert digest("k", a) != digest("k", a.astype({"x": float}))  # dtypes count
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
    assert digest(["a", "b"]) != digest(["ab"])


def test_bytes_round_trip_a_damaged_entry_and_a_store_that_keeps_nothing(tmp_path):
    store = Memo(tmp_path)
    assert store.get("k", "x") is None
    store.put("k", "x", b"data")
    assert store.get("k", "x") == b"data"
    assert not [p for p in (tmp_path / "k").iterdir() if p.name.startswith(".tmp")]
    entry = tmp_path / "k" / "x"
    entry.write_bytes(entry.read_bytes()[:-1])  # cut short
    assert store.get("k", "x") is None
    none = Memo(None)
    none.put("k", "x", b"data")
    assert none.get("k", "x") is None


def test_a_folder_packs_into_one_entry_and_back(tmp_path):
    made = tmp_path / "made"
    (made / "sub").mkdir(parents=True)
    (made / "a.csv").write_text("a\n")
    (made / "sub" / "b.xlsx").write_bytes(b"\x00\x01")
    files = tree_files(made)
    assert files == [("a.csv", b"a\n"), ("sub/b.xlsx", b"\x00\x01")]
    assert unpack_files(pack_files(files)) == files
    with pytest.raises(ValueError):
        unpack_files(pack_files([("../outside", b"")]))
