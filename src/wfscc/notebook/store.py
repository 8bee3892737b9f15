"""Inputs of the per-LA profile notebooks.

The build writes the validated (and redacted) dataset once, as one Parquet file per table sorted by
LA, one row group per LA, into a content-addressed store. Each notebook then reads only its own
LA's row group of each table (found from the row groups' ``la_code`` statistics) plus the small
pilot-wide reference tables, so that

* a notebook's cache key depends only on its LA's rows and on the reference tables, and
* 150 notebooks do not each parse a million-row CSV, nor each decode every LA's rows (which made
  the notebooks' reading grow with the square of the number of areas).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..contract import ATTRIBUTES
from ..errors import WfsccError
from ..facts import pilot_reference
from ..memo import sha256

LA_TABLES = ATTRIBUTES
#: Written into the store's ``complete`` marker beside the data's digest: a store written in an
#: older layout (one row group for all LAs) is rewritten rather than read slowly.
LAYOUT = "row-group-per-la"


@dataclass(frozen=True)
class ProfileData:
    """One LA's rows of every table, and the pilot-wide reference tables."""

    la_code: str
    areas: pd.DataFrame
    centres: pd.DataFrame
    delivery: pd.DataFrame
    mi: pd.DataFrame
    referrals: pd.DataFrame
    survey: pd.DataFrame
    interviews: pd.DataFrame
    reference: dict[str, pd.DataFrame]

    @property
    def la_name(self) -> str:
        return str(self.areas["la_name"].iloc[0])


def reference_tables(dataset) -> dict[str, pd.DataFrame]:
    """The pilot-wide values a profile compares its LA with, rounded to the precision shown.

    Every table here is part of every notebook's cache key, so it holds only what the notebook
    reads: a change to one LA's records re-runs the other LAs only if it moves a value shown.
    """
    return {"pilot": pilot_reference(dataset)}


def _rows_hash(columns, row_hashes) -> str:
    """The hash of a frame's rows: its column names, and its rows' pandas hashes in order."""
    digest = sha256(",".join(map(str, columns)).encode())
    digest.update(row_hashes.tobytes())
    return digest.hexdigest()


def _frame_hash(frame: pd.DataFrame) -> str:
    return _rows_hash(frame.columns, pd.util.hash_pandas_object(frame, index=False).to_numpy())


def la_hashes(tables: dict[str, pd.DataFrame], la_codes: list[str]) -> dict[str, str]:
    """A content hash of each LA's rows across all tables: for each table, the
    :func:`_frame_hash` of the LA's rows. A row's hash depends on that row alone, so each table's
    rows are hashed once and each LA's are picked out (hashing each LA's rows on their own took
    a hash per table and LA: 0.15 s for 10 LAs, seconds for 150)."""
    per_la = {la: sha256(la.encode()) for la in la_codes}
    for name in LA_TABLES:
        frame = tables[name]
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        for la, at in sorted(frame.groupby("la_code").indices.items()):
            if la in per_la:
                per_la[la].update(name.encode())
                per_la[la].update(_rows_hash(frame.columns, rows[at]).encode())
    return {la: d.hexdigest() for la, d in per_la.items()}


def reference_hash(reference: dict[str, pd.DataFrame]) -> str:
    digest = sha256()
    for name in sorted(reference):
        digest.update(name.encode())
        digest.update(_frame_hash(reference[name]).encode())
    return digest.hexdigest()


def write_store(
    tables: dict[str, pd.DataFrame],
    reference: dict[str, pd.DataFrame],
    store_dir: Path,
    digest: str = "",
) -> None:
    """Write each table sorted by LA, and the reference tables, as Parquet.

    The store is rewritten only when ``digest`` (the input data's hash) differs from the one it
    was written for, so its path (a notebook parameter) stays the same from build to build.
    """
    done = store_dir / "complete"
    marker = f"{digest or 'ok'} {LAYOUT}"
    if done.exists() and done.read_text().strip() == marker:
        return
    tmp = store_dir.with_name(store_dir.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in LA_TABLES:
        frame = tables[name].sort_values("la_code", kind="stable").reset_index(drop=True)
        _write_by_la(frame, tmp / f"{name}.parquet")
    for name, frame in reference.items():
        frame.to_parquet(tmp / f"reference-{name}.parquet", index=False)
    (tmp / "complete").write_text(marker + "\n")
    if store_dir.exists():
        shutil.rmtree(store_dir)
    tmp.rename(store_dir)


def _write_by_la(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` (sorted by LA) as Parquet with one row group per LA, as ``to_parquet`` writes
    it otherwise (same schema and pandas metadata), so one LA's rows are read on their own."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    codes = frame["la_code"].to_numpy()
    starts = [0, *(i for i in range(1, len(codes)) if codes[i] != codes[i - 1])]
    with pq.ParquetWriter(path, table.schema) as writer:
        if not len(codes):
            writer.write_table(table)
        for start, end in zip(starts, [*starts[1:], len(codes)], strict=True):
            if end > start:
                writer.write_table(table.slice(start, end - start), row_group_size=end - start)


def la_row_groups(parquet: pq.ParquetFile, la_code: str) -> list[int]:
    """The row groups of ``parquet`` that may hold rows of ``la_code``, from their statistics
    (a row group without them is included, and filtered after reading)."""
    return _groups_by_la(parquet.metadata, parquet.schema_arrow).get(la_code, [])


def _groups_by_la(meta: pq.FileMetaData, schema: pa.Schema) -> _RowGroups:
    """:func:`la_row_groups` for every LA at once: a row group whose statistics name one LA
    (the store's layout) is listed under it; one that may hold several LAs, or has no
    statistics, under every LA (``wide``)."""
    column = schema.get_field_index("la_code")
    groups = _RowGroups()
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(column).statistics
        if stats is not None and stats.has_min_max and stats.min == stats.max:
            groups.single.setdefault(stats.min, []).append(i)
        else:
            bounds = (stats.min, stats.max) if stats is not None and stats.has_min_max else None
            groups.wide.append((i, bounds))
    return groups


class _RowGroups:
    """Row groups by LA (see :func:`_groups_by_la`), in file order for any one LA."""

    def __init__(self):
        self.single: dict[str, list[int]] = {}
        self.wide: list[tuple[int, tuple | None]] = []

    def get(self, la_code: str, default: list[int]) -> list[int]:
        wide = [i for i, b in self.wide if b is None or b[0] <= la_code <= b[1]]
        found = sorted([*self.single.get(la_code, []), *wide])
        return found or default


#: Per process (a warm kernel runs many notebooks): each store file's footer as last read, its
#: parsed metadata and row groups by LA. A notebook reads the footer again (a read of bytes,
#: about 0.1 ms) and uses the parsed copy only when the bytes are the same, so a store rewritten
#: in place is never read through stale metadata; the rows themselves are always read from the
#: file. Saves parsing the footers (up to a quarter of a MB each) and scanning the statistics of
#: every row group, 12 of the 24 ms a notebook took to read its LA at 150 areas.
_FOOTERS: dict[str, tuple[bytes, pq.FileMetaData, pa.Schema, _RowGroups]] = {}
_FOOTER_TAIL = 8  # a Parquet file ends with the footer's length (4 bytes) and b"PAR1"


def _footer(path: Path) -> bytes:
    """The raw footer of the Parquet file at ``path`` (its metadata), with its length and magic."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size < 2 * _FOOTER_TAIL:
            return b""
        handle.seek(size - _FOOTER_TAIL)
        tail = handle.read(_FOOTER_TAIL)
        length = int.from_bytes(tail[:4], "little")
        if tail[4:] != b"PAR1" or length + 2 * _FOOTER_TAIL > size:
            return b""  # not a plain Parquet file: parsed without the cache
        handle.seek(size - _FOOTER_TAIL - length)
        return handle.read(length) + tail


def _open(path: Path) -> tuple[pq.ParquetFile, _RowGroups]:
    """``path`` opened with its footer parsed once per process (see ``_FOOTERS``)."""
    key, footer = str(path.resolve()), _footer(path)
    cached = _FOOTERS.get(key)
    if footer and cached is not None and cached[0] == footer:
        return pq.ParquetFile(path, metadata=cached[1]), cached[3]
    parquet = pq.ParquetFile(path)
    groups = _groups_by_la(parquet.metadata, parquet.schema_arrow)
    if footer:
        _FOOTERS[key] = (footer, parquet.metadata, parquet.schema_arrow, groups)
    return parquet, groups


def _read_la(path: Path, la_code: str) -> pd.DataFrame:
    """The rows of ``la_code`` in the store table at ``path``: only its own row groups are read."""
    parquet, groups = _open(path)
    with parquet:
        table = parquet.read_row_groups(groups.get(la_code, []), use_pandas_metadata=True)
    return table.filter(pc.equal(table["la_code"], la_code)).to_pandas()


def load_profile(store_dir: str | Path, la_code: str) -> ProfileData:
    """Read one LA's rows and the reference tables from the store written by the build."""
    store = Path(store_dir)
    if not (store / "complete").exists():
        raise WfsccError(f"No profile store at {store}: run `wfscc build` to create it.")
    frames = {name: _read_la(store / f"{name}.parquet", la_code) for name in LA_TABLES}
    if frames["areas"].empty:
        known = pd.read_parquet(store / "areas.parquet", columns=["la_code"])["la_code"]
        raise WfsccError(f"Unknown LA code {la_code!r}: the data has {', '.join(sorted(known))}.")
    reference = {
        p.stem.removeprefix("reference-"): pd.read_parquet(p)
        for p in sorted(store.glob("reference-*.parquet"))
    }
    kwargs = {f.name: frames[f.name] for f in fields(ProfileData) if f.name in frames}
    return ProfileData(la_code=la_code, reference=reference, **kwargs)
