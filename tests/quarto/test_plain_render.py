"""`quarto render` in the project folder builds the same book as `wfscc build --engine quarto`:
its pre-render step (`wfscc prepare`) writes what the pages cite, its post-render step (`wfscc
finish`) adds the summary, downloads and search and runs the privacy guard."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

# one worker builds the Quarto site once for all of these (make test: --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]


def _files(site: Path, folder: str = "") -> list[str]:
    root = site / folder if folder else site
    return sorted(
        p.relative_to(site).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not p.relative_to(site).as_posix().startswith(("site_libs/", "pagefind/"))
    )


def test_quarto_render_in_the_project_builds_the_book(
    make_project, tmp_path, quarto_path, quarto_site
):
    project = make_project(tmp_path / "project")
    env = {**os.environ, "PATH": quarto_path}
    proc = subprocess.run(
        ["quarto", "render"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    site = project / "_book"
    pages = [p for p in _files(site) if p.endswith(".html")]
    assert pages == [p for p in _files(quarto_site) if p.endswith(".html")]
    for name in ("report.pdf", "summary.pdf", "facts.json", "pagefind/pagefind.js"):
        assert (site / name).is_file(), name
    # the Number check (issue 18) is made by `wfscc build` only, not by plain `quarto render`
    checked = [f for f in _files(quarto_site, "data") if not f.startswith("data/number-check.")]
    assert _files(site, "data") == checked
    assert (site / "facts.json").read_bytes() == (quarto_site / "facts.json").read_bytes()
    annex = (site / "report" / "annex-b-technical.html").read_text(encoding="utf-8")
    assert "This placeholder shows" not in annex  # the build's QA log, not the placeholder
