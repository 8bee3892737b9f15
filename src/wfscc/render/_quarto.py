"""Choosing an engine, and handing the render to the Quarto CLI where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from wfscc.errors import EngineNotFoundError

from ._project import RenderError

ENGINES = ("auto", "pandoc", "quarto")
QUARTO_FIX = ("the Quarto CLI is not on PATH: install it from https://quarto.org/docs/get-started/ "
              "and put `quarto` on PATH, or render with the built-in engine (--engine pandoc)")


def select_engine(engine: str = "auto") -> str:
    """Resolve "auto" | "pandoc" | "quarto" to the engine that will run.

    "auto" picks Quarto when its CLI is on PATH, else pandoc. Asking for "quarto" without the
    CLI raises `EngineNotFoundError` naming the fix.
    """
    if engine not in ENGINES:
        raise RenderError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "quarto" and not shutil.which("quarto"):
        raise EngineNotFoundError(f"Cannot render with Quarto: {QUARTO_FIX}.")
    if engine == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    return engine


def render_quarto(project_dir: Path, out_dir: Path) -> tuple[list[Path], dict[str, Path]]:
    """Run `quarto render` for the book and the summary; return (html pages, pdfs).

    Untested here (no Quarto CLI on our machines); the PDF names follow `_quarto.yml`.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise EngineNotFoundError(f"Cannot render with Quarto: {QUARTO_FIX}.")
    out_dir = Path(out_dir).resolve()
    commands = [[quarto, "render", "--output-dir", str(out_dir)]]
    summary = next(iter(sorted(Path(project_dir).glob("*/summary.qmd"))), None)
    if summary is not None:
        rel = str(summary.relative_to(project_dir))
        commands += [[quarto, "render", rel, "--to", fmt, "--output-dir", str(out_dir)]
                     for fmt in ("html", "typst")]
    for cmd in commands:
        proc = subprocess.run(cmd, cwd=project_dir, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RenderError(f"{' '.join(cmd[1:])} failed:\n{proc.stderr.strip()}")
    pdfs = sorted(out_dir.rglob("*.pdf"))
    named = {"summary" if p.stem == "summary" else "report": p for p in pdfs}
    return sorted(out_dir.rglob("*.html")), named
