"""wfscc.notebook.store: the profile store written by the build and read by each notebook."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wfscc.errors import WfsccError
from wfscc.notebook.store import LA_TABLES, la_hashes, load_profile, write_store


def _tables(extra_p02: int = 0):
    def frame(n1, n2):
        return pd.DataFrame(
            {"la_code": ["P02"] * n2 + ["P01"] * n1, "v": list(range(n2)) + list(range(n1))}
        )

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


def test_an_las_hash_is_that_of_its_own_rows_wherever_they_sit_in_the_table():
    """Each table's rows are hashed once and each LA's picked out: the LA's hash is the one its
    rows give on their own, in their order, whatever other LAs' rows surround them."""
    rows = {"P01": [("a", 1.5), ("b", None), ("c", 3.0)], "P02": [("x", 9.0), ("y", 8.0)]}

    def tables(order: list[str], p01=None):
        picked = {**rows, "P01": p01 or rows["P01"]}
        out = {}
        for name in LA_TABLES:
            data = [(la, *row) for la in order for row in picked[la]]
            if name == "mi":  # interleaved: P02, P01, P02, P01, ...
                data = sorted(data, key=lambda r: (data.index(r) % 2, r[0] == "P01"))
            frame = pd.DataFrame(data, columns=["la_code", "text", "value"])
            out[name] = frame.set_axis(frame.index[::-1] * 10)  # labels are not positions
        return out

    alone = la_hashes(tables(["P01"]), ["P01"])["P01"]
    assert la_hashes(tables(["P02", "P01"]), ["P01", "P02"])["P01"] == alone
    assert la_hashes(tables(["P01", "P02"]), ["P01", "P02"])["P01"] == alone
    changed = [("a", 1.5), ("b", None), ("c", 3.5)]
    assert la_hashes(tables(["P02", "P01"], p01=changed), ["P01", "P02"])["P01"] != alone
    reordered = list(reversed(rows["P01"]))
    assert la_hashes(tables(["P01"], p01=reordered), ["P01"])["P01"] != alone


def test_each_table_holds_one_row_group_per_la(tmp_path):
    write_store(_tables(), {}, tmp_path / "store", "d1")
    for name in LA_TABLES:
        meta = pq.ParquetFile(tmp_path / "store" / f"{name}.parquet").metadata
        column = meta.schema.to_arrow_schema().get_field_index("la_code")
        groups = [meta.row_group(i).column(column).statistics for i in range(meta.num_row_groups)]
        assert [(s.min, s.max) for s in groups] == [("P01", "P01"), ("P02", "P02")], name


def test_a_notebook_decodes_no_other_las_rows(tmp_path, monkeypatch):
    """Reading one LA must not decode the other LAs' row groups: with every notebook reading
    the whole store, N notebooks read N x N areas' rows."""
    tables = _tables()
    for name in LA_TABLES:  # many more rows of other LAs than of P01
        others = pd.DataFrame({"la_code": [f"P{i:02d}" for i in range(3, 40) for _ in range(5)]})
        tables[name] = pd.concat(
            [tables[name], others.assign(v=0, la_name="x")[tables[name].columns]], ignore_index=True
        )
    write_store(tables, {}, tmp_path / "store", "d1")
    read: list[list[str]] = []  # the LA codes of the rows each read decoded
    original = pq.ParquetFile.read_row_groups

    def counting(self, row_groups, *args, **kwargs):
        table = original(self, row_groups, *args, **kwargs)
        read.append(table.column("la_code").to_pylist())
        return table

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", counting)
    profile = load_profile(tmp_path / "store", "P01")
    assert len(read) == len(LA_TABLES)
    assert [set(codes) for codes in read] == [{"P01"}] * len(LA_TABLES)
    assert sum(map(len, read)) == sum(len(getattr(profile, n)) for n in LA_TABLES)
    assert len(profile.mi) == 2


def test_a_store_in_the_old_layout_is_rewritten(tmp_path):
    store = tmp_path / "store"
    write_store(_tables(), {}, store, "d1")
    (store / "complete").write_text("d1\n")  # as the one-row-group layout marked it
    pd.DataFrame({"la_code": ["P02", "P01"], "v": [0, 1]}).to_parquet(store / "mi.parquet")
    write_store(_tables(), {}, store, "d1")
    assert pq.ParquetFile(store / "mi.parquet").metadata.num_row_groups == 2
    assert len(load_profile(store, "P01").mi) == 2


def test_rows_of_a_row_group_without_statistics_are_still_filtered(tmp_path):
    store = tmp_path / "store"
    write_store(_tables(), {}, store, "d1")
    frame = pd.DataFrame({"la_code": ["P02", "P01", "P02"], "v": [0, 1, 2]})
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False),
        store / "mi.parquet",
        write_statistics=False,
    )
    assert load_profile(store, "P01").mi["v"].tolist() == [1]


def test_a_kernel_reading_many_las_parses_each_footer_once(tmp_path, monkeypatch):
    """A warm kernel runs notebook after notebook: each store file's metadata is parsed once,
    and every LA still gets exactly its own rows."""
    write_store(_tables(), {}, tmp_path / "store", "d1")
    parsed: list[object] = []
    original = pq.ParquetFile.__init__

    def counting(self, source, *args, metadata=None, **kwargs):
        if metadata is None:
            parsed.append(source)
        original(self, source, *args, metadata=metadata, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "__init__", counting)
    first = load_profile(tmp_path / "store", "P01")
    count = len(parsed)
    second = load_profile(tmp_path / "store", "P02")
    again = load_profile(tmp_path / "store", "P01")
    assert len(parsed) == count  # no footer parsed again
    assert set(second.mi["la_code"]) == {"P02"} and second.mi["v"].tolist() == [0, 1, 2]
    for name in LA_TABLES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))


def test_a_store_file_rewritten_in_place_is_never_read_with_its_old_metadata(tmp_path):
    """Same path, same size and (within the clock's resolution) the same time: the rows and
    row groups still come from the file as it is now."""
    store = tmp_path / "store"
    write_store(_tables(), {}, store, "d1")
    assert load_profile(store, "P01").mi["v"].tolist() == [0, 1]
    frame = pd.DataFrame({"la_code": ["P01", "P01", "P02"], "v": [7, 8, 9]})
    frame.to_parquet(store / "mi.parquet", index=False)  # one row group, P01 and P02
    assert load_profile(store, "P01").mi["v"].tolist() == [7, 8]
    assert load_profile(store, "P02").mi["v"].tolist() == [9]
