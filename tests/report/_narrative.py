"""Shared helpers for the narrative tests (imported by the test modules and conftest)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "report"

VAR = re.compile(r"\{\{<\s*var\s+([^\s>]+)\s*>\}\}")


def qmd_files() -> list[Path]:
    """Every narrative file, includes (``_*.qmd``) too."""
    return sorted([*REPORT.glob("*.qmd"), REPO / "index.qmd"])


def cited_vars(text: str) -> list[str]:
    """Names cited with ``{{< var name >}}`` in ``text``, in order, with repeats. A table cell
    ``<name>_cell`` (the fact as a numeral, :mod:`wfscc.contract`) cites ``<name>`` too."""
    out = []
    for name in VAR.findall(text):
        out.append(name)
        if name.endswith("_cell"):
            out.append(name[: -len("_cell")])
    return out


def copy_project(target: Path) -> Path:
    """A throw-away copy of the Quarto project (config, narrative, notebooks), without data."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("_quarto.yml", "_quarto-summary.yml", "index.qmd"):
        shutil.copyfile(REPO / name, target / name)
    shutil.copytree(REPO / "_filters", target / "_filters")
    shutil.copytree(REPORT, target / "report", ignore=shutil.ignore_patterns("figures", "profiles"))
    if (REPO / "notebooks").is_dir():
        shutil.copytree(REPO / "notebooks", target / "notebooks")
    return target
