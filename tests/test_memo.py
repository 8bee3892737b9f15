"""The build's store of outputs (wfscc.memo): keys from content, checked entries, folders."""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

import wfscc
from wfscc.memo import (
    Memo,
    digest,
    files_digest,
    pack_files,
    prune,
    sha256,
    tree_files,
    unpack_files,
)


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


def test_an_entry_copied_under_another_key_is_a_miss(tmp_path):
    store = Memo(tmp_path)
    store.put("k", "a" * 64, b"clean")
    shutil.copyfile(tmp_path / "k" / ("a" * 64), tmp_path / "k" / ("b" * 64))
    assert store.get("k", "b" * 64) is None and store.get("k", "a" * 64) == b"clean"


def _entries(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_prune_removes_entries_not_used_for_the_age_limit(tmp_path):
    store = Memo(tmp_path)
    for key in ("old", "new"):
        store.put("k", key, b"x" * 10)
    old = time.time() - 31 * 86400
    os.utime(tmp_path / "k" / "old", (old, old))
    (tmp_path / "k" / ".tmp-killed").write_bytes(b"half")  # a writer killed long ago
    os.utime(tmp_path / "k" / ".tmp-killed", (old, old))
    assert store.prune(max_age_days=30) == 2
    assert _entries(tmp_path) == ["new"]


def test_prune_keeps_the_most_recently_used_entries_within_the_size_limit(tmp_path):
    store = Memo(tmp_path)
    now = time.time()
    for age, key in enumerate(("c", "b", "a")):  # a is the oldest, c the newest
        store.put("k", key, b"x" * 100)
        os.utime(tmp_path / "k" / key, (now - 100 * (age + 1), now - 100 * (age + 1)))
    size = (tmp_path / "k" / "a").stat().st_size
    assert store.get("k", "a") == b"x" * 100  # used now: the newest
    assert prune(tmp_path, max_bytes=2 * size) == 1
    assert _entries(tmp_path) == ["a", "c"]  # b was used least recently
    assert prune(tmp_path, max_bytes=2 * size) == 0
    assert Memo(None).prune(max_bytes=0) == 0


# Modules that may import hashlib besides wfscc.memo, each with its reason.
HASHLIB_ALLOWED = {
    # The XMP InstanceID of a Quarto/Typst PDF is an MD5 (16 bytes, base64), and its
    # replacement must keep that length so that no offset in the file moves.
    "render/_pdfdate.py": "the PDF's document ID is an MD5 of the file",
}


def _hashlib_importers() -> list[str]:
    root = Path(wfscc.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            by_name = isinstance(node, ast.Call) and any(  # importlib.import_module("hashlib")
                isinstance(a, ast.Constant) and a.value == "hashlib" for a in node.args
            )
            if by_name or any(n.split(".")[0] == "hashlib" for n in names):
                found.append(rel)
    return sorted(set(found))


def test_every_hash_goes_through_memo():
    """wfscc.memo.sha256 is the one hashing function: no other module imports hashlib (at the
    top or inside a function, or by name through importlib), except the allow-list above."""
    assert _hashlib_importers() == sorted({"memo.py", *HASHLIB_ALLOWED})


def test_files_digest_is_the_sha256_of_names_and_file_hashes(tmp_path):
    # Written out from its definition (the data hash the pages show must not change format):
    # sha256 over, per file in name order, "name\0" + sha256(bytes).
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.csv").write_bytes(b"b\n")
    (tmp_path / "sub" / "a.csv").write_bytes(b"a\n")
    expected = hashlib.sha256(
        b"b.csv\0"
        + hashlib.sha256(b"b\n").digest()
        + b"sub/a.csv\0"
        + hashlib.sha256(b"a\n").digest()
    ).hexdigest()
    paths = [tmp_path / "sub" / "a.csv", tmp_path / "b.csv"]
    assert files_digest(paths, tmp_path) == expected
    assert sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )  # FIPS 180-2
