"""The tables that a `tables.json` manifest lists: their declared count columns are checked for
counts below the threshold (`check_manifest`), and the guard's own small-count check of those
CSV files is left to it (`manifest_csvs`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from ..contract import DEFAULT_THRESHOLD
from ._finding import Finding


def manifest_csvs(manifests: Iterable[Path]) -> set[Path]:
    """The CSV files that a `tables.json` manifest lists."""
    out = set()
    for manifest in manifests:
        try:
            entries = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(entries, dict):
            for entry in entries.values():
                if isinstance(entry, dict) and isinstance(entry.get("csv"), str):
                    out.add(manifest.parent / entry["csv"])
    return out


def check_manifest(manifest: Path, root: Path, threshold: int = DEFAULT_THRESHOLD) -> list[Finding]:
    """Counts below the threshold in the tables a `tables.json` manifest lists.

    Each entry is `{name: {"title", "csv", "count_columns", "threshold", "suppressed_cells"}}` with
    `csv` relative to the manifest's directory. A count column's value from 1 to threshold − 1 is a
    finding (the stricter of the manifest's and the guard's thresholds applies); suppressed cells
    are blank or non-numeric and pass.
    """
    rel = manifest.relative_to(root).as_posix()
    try:
        entries = json.loads(manifest.read_text("utf-8"))
        assert isinstance(entries, dict)
    except (ValueError, AssertionError):
        return [Finding("manifest", rel, "whole file", "not a JSON object")]
    out = []
    for name, entry in entries.items():
        if not isinstance(entry, dict) or "csv" not in entry:
            out.append(Finding("manifest", rel, f"table '{name}'", "no csv path"))
            continue
        csv_path = manifest.parent / entry["csv"]
        csv_rel = (
            csv_path.relative_to(root).as_posix()
            if csv_path.is_relative_to(root)
            else str(csv_path)
        )
        if not csv_path.is_file():
            out.append(Finding("manifest", rel, f"table '{name}'", f"missing {entry['csv']}"))
            continue
        limit = max(int(entry.get("threshold") or threshold), threshold)
        count_cols = list(entry.get("count_columns") or [])
        with csv_path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in count_cols if c not in (reader.fieldnames or [])]
            for c in missing:
                out.append(Finding("manifest", rel, f"table '{name}'", f"no column '{c}'"))
            for row_no, row in enumerate(reader, start=2):
                for col in count_cols:
                    value = _number(row.get(col))
                    if value is not None and 0 < value < limit:
                        out.append(
                            Finding(
                                "small_count",
                                csv_rel,
                                f"row {row_no}, column '{col}'",
                                f"a count below {limit} (table '{name}')",
                            )
                        )
    return out


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.replace(",", "").strip())
    except ValueError:
        return None
