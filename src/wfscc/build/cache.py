"""Content hashes of a build's inputs.

Every step's key is a hash of what it reads: data files, notebook or template source,
parameters and the package's own code. Nothing is keyed on paths or times, so a copy of the
project elsewhere has the same keys. The published output carries the key of the inputs it was
built from (``.wfscc-build.json``), so a rebuild with nothing changed does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..memo import code_hash, digest, files_digest

__all__ = ["code_hash", "combine", "data_hash", "files_under", "project_hash"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def files_under(root: Path, patterns: Iterable[str] = ("**/*",)) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(
            p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts
        )
    return sorted(found)


def project_hash(project_dir: Path) -> str:
    """The narrative, the book configuration and the notebooks."""
    paths = sorted(p for p in project_dir.glob("_quarto*.yml") if p.is_file())
    paths += [p for p in (project_dir / "index.qmd",) if p.is_file()]
    paths += files_under(project_dir / "_filters")
    paths += [p for p in files_under(project_dir / "report") if not _generated(p, project_dir)]
    paths += files_under(project_dir / "notebooks", ["*.ipynb"])
    return files_digest(paths, project_dir)


def _generated(path: Path, project_dir: Path) -> bool:
    """Files `wfscc prepare` writes into the project for a plain `quarto render`."""
    return path.relative_to(project_dir).as_posix().startswith(
        ("report/figures/", "report/profiles/"))


def data_hash(data_dir: Path) -> str:
    return files_digest([p for p in files_under(data_dir) if not p.name.startswith(".")], data_dir)


def combine(*parts: object) -> str:
    """The key of a build or of one LA's notebook: :func:`wfscc.memo.digest`, the one hash of
    every cache (the file hashes above are :func:`wfscc.memo.files_digest`, whose data hash the
    published pages show)."""
    return digest("inputs", *parts)
