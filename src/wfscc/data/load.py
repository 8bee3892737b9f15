"""``load_dataset``: find, read and validate the seven tables of a data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import ATTRIBUTE, TABLES
from ..errors import DataError, Problem
from ..memo import Memo
from ._checked import Checked
from ._readers import find_files, read_table
from .validate import check_table, finish


@dataclass(frozen=True)
class Dataset:
    """The validated input data: one typed frame per table (docs/contracts.md).

    Dates are ``datetime64[ns]``, 0/1 flags ``bool``, whole numbers ``int64`` (``Int64`` where the
    contract allows a blank, e.g. ``survey.adviser_view``), weights ``float64``, codes and text
    ``str``. ``source_files`` maps each table stem (``TABLES``) to the file it was read from.
    """

    areas: pd.DataFrame
    centres: pd.DataFrame
    delivery: pd.DataFrame
    mi: pd.DataFrame
    referrals: pd.DataFrame
    survey: pd.DataFrame
    interviews: pd.DataFrame
    source_files: dict[str, Path]


def _folder_error(data_dir: Path, what: str) -> DataError:
    message = f"No data folder at {data_dir} ({what})"
    problem = Problem(str(data_dir), None, None, None, "a folder holding the data tables")
    error = DataError([problem], message)
    error.args = (message,)  # one line: the path is the whole story
    return error


def load_dataset(data_dir: Path | str, store: Memo | None = None) -> Dataset:
    """Read and validate every table in ``data_dir``; raise ``DataError`` listing all problems.

    Each table is one file named after its stem (``areas.csv``, ``mi_starts.xlsx``, ...) in CSV,
    Excel, Parquet or SPSS form. Nothing is returned unless every check passes.

    ``store`` (a :class:`wfscc.memo.Memo`): a file read and checked before (same name, same
    bytes, same code) is taken from it with what its own checks found, so only the files that
    changed are read and checked again; the checks across tables always run, on all of them,
    so the problems reported are the same either way.
    """
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise _folder_error(data_dir, "it does not exist")
    if not data_dir.is_dir():
        raise _folder_error(data_dir, "it is a file, not a folder")
    files, problems = find_files(data_dir)
    checked: dict[str, Checked] = {}
    for stem, path in files.items():
        found, table = _checked(stem, path, store)
        problems.extend(found)
        if table is not None:
            checked[stem] = table
    frames = finish(checked, problems)  # raises DataError with everything found
    return Dataset(
        **{ATTRIBUTE[stem]: frames[stem] for stem in TABLES},
        source_files={stem: files[stem] for stem in TABLES},
    )


def _read_and_check(stem: str, path: Path) -> tuple[list[Problem], Checked | None]:
    """One file read and checked on its own: what reading found, and the checked table (None
    when it could not be read)."""
    raw, found = read_table(stem, path)
    return found, (None if raw is None else check_table(raw))


def _checked(stem: str, path: Path, store: Memo | None) -> tuple[list[Problem], Checked | None]:
    """:func:`_read_and_check`, or what it gave before for the same file name and bytes."""
    if store is None or not store.enabled:
        return _read_and_check(stem, path)
    try:
        data = path.read_bytes()
    except OSError:
        return _read_and_check(stem, path)  # reported as the reader reports it
    key = store.inputs_key("checked-table", stem, path.name, data)
    return store.value("checked-table", key, lambda: _read_and_check(stem, path))
