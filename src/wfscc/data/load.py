"""``load_dataset``: find, read and validate the seven tables of a data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import ATTRIBUTE, TABLES
from ..errors import DataError, Problem
from ._readers import RawTable, find_files, read_table
from .validate import validate


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


def load_dataset(data_dir: Path | str) -> Dataset:
    """Read and validate every table in ``data_dir``; raise ``DataError`` listing all problems.

    Each table is one file named after its stem (``areas.csv``, ``mi_starts.xlsx``, ...) in CSV,
    Excel, Parquet or SPSS form. Nothing is returned unless every check passes.
    """
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise _folder_error(data_dir, "it does not exist")
    if not data_dir.is_dir():
        raise _folder_error(data_dir, "it is a file, not a folder")
    files, problems = find_files(data_dir)
    raws: dict[str, RawTable] = {}
    for stem, path in files.items():
        raw, found = read_table(stem, path)
        problems.extend(found)
        if raw is not None:
            raws[stem] = raw
    frames = validate(raws, problems)  # raises DataError with everything found
    return Dataset(
        **{ATTRIBUTE[stem]: frames[stem] for stem in TABLES},
        source_files={stem: files[stem] for stem in TABLES},
    )
