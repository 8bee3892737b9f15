"""wfscc.notebook.store: the profile store written by the build and read by each notebook."""

from __future__ import annotations

import pandas as pd
import pytest

from wfscc.errors import WfsccError
from wfscc.notebook.store import LA_TABLES, la_hashes, load_profile, write_store


def _tables(extra_p02: int = 0):
    def frame(n1, n2):
        return pd.DataFrame({"la_code": ["P02"] * n2 + ["P01"] * n1,
                             "v": list(range(n2)) + list(range(n1))})

    tables = {name: frame(2, 3 + extra_p02) for name in LA_TABLES}
    tables["areas"] = pd.DataFrame({"la_code": ["P02", "P01"], "la_name": ["Two", "One"]})
    return tables


def test_a_notebook_reads_only_its_own_las_rows(tmp_path):
    ref = {"pilot": pd.DataFrame({"name": ["x"], "value": [0.5]})}
    write_store(_tables(), ref, tmp_path / "store", "d1")
    profile = load_profile(tmp_path / "store", "P01")
    assert profile.la_name == "One"
    assert set(profile.mi["la_code"]) == {"P01"} and len(profile.mi) == 2
    assert profile.reference["pilot"]["value"].tolist() == [0.5]


def test_the_store_is_rewritten_only_for_new_data(tmp_path):
    store = tmp_path / "store"
    write_store(_tables(), {}, store, "d1")
    write_store(_tables(extra_p02=1), {}, store, "d1")  # same digest: kept
    assert len(load_profile(store, "P02").mi) == 3
    write_store(_tables(extra_p02=1), {}, store, "d2")
    assert len(load_profile(store, "P02").mi) == 4


def test_an_unknown_la_or_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(WfsccError, match="run `wfscc build`"):
        load_profile(tmp_path / "nothing", "P01")
    write_store(_tables(), {}, tmp_path / "store", "d1")
    with pytest.raises(WfsccError, match="Unknown LA code 'P99': the data has P01, P02"):
        load_profile(tmp_path / "store", "P99")


def test_an_las_hash_changes_only_with_its_own_rows():
    before = la_hashes(_tables(), ["P01", "P02"])
    after = la_hashes(_tables(extra_p02=1), ["P01", "P02"])
    assert before["P01"] == after["P01"] and before["P02"] != after["P02"]
