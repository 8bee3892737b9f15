"""load_dataset with the build's store: only the files that changed are read and checked
again, and what is reported is the same as without a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wfscc.data import load_dataset
from wfscc.errors import DataError
from wfscc.memo import Memo


@pytest.fixture
def data(repo_root, tmp_path) -> Path:
    return Path(shutil.copytree(repo_root / "data", tmp_path / "data"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(data: Path, store: Memo | None) -> str:
    with pytest.raises(DataError) as caught:
        load_dataset(data, store)
    return str(caught.value)


def test_only_changed_files_are_checked_again_and_the_tables_are_the_same(data, tmp_path):
    store = Memo(tmp_path / "memo")
    first = load_dataset(data, store)
    assert store.misses["checked-table"] == 7 and store.hits["checked-table"] == 0
    _edit(data / "mi_starts.csv", ",P03-A,", ",P03-B,")
    again = load_dataset(data, store)
    assert store.misses["checked-table"] == 8 and store.hits["checked-table"] == 6
    fresh = load_dataset(data)
    for name in ("areas", "centres", "delivery", "mi", "referrals", "survey", "interviews"):
        assert getattr(again, name).equals(getattr(fresh, name)), name
        assert list(getattr(again, name).dtypes) == list(getattr(fresh, name).dtypes), name
    assert not again.mi.equals(first.mi)


def test_problems_are_reported_the_same_from_the_store(data, tmp_path):
    store = Memo(tmp_path / "memo")
    _edit(data / "centres.csv", "P01-A", "P01-Z")  # a code the other tables use
    _edit(data / "survey.csv", ",pilot,", ",somewhere,")  # a problem of the table itself
    expected = _error(data, None)
    assert _error(data, store) == expected  # made and kept
    assert _error(data, store) == expected  # all taken from the store
    assert store.hits["checked-table"] == 7
    _edit(data / "mi_starts.csv", ",P03-A,", ",P99-A,")  # one more, in another file
    assert _error(data, store) == _error(data, None) != expected
