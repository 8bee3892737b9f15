"""`wfscc build` with hostile cells and a file in the wrong encoding: one error, no traceback.

The message names file, row and column for each bad cell, echoes no huge value, says "not a text
file in a supported encoding" for the file, and nothing is published.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .data_helpers import edit_cell


def test_build_reports_bad_cells_and_encodings_without_a_traceback(
    tmp_path: Path, make_project
) -> None:
    project = make_project(tmp_path / "project")
    data = project / "data"
    edit_cell(data / "areas.csv", 3, "la_name", "Pilot\x00area")
    edit_cell(data / "interviews.csv", 4, "excerpt", "Said " + "x" * 5_000)
    edit_cell(data / "mi_starts.csv", 5, "benefit", "none\x1b[31m")  # a terminal escape sequence
    centres = data / "centres.csv"
    centres.write_bytes(centres.read_text(encoding="utf-8").encode("utf-16-le"))
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "wfscc.cli", "build", "--data", "data", "--out", str(out)]
        + ["--engine", "pandoc", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    err = result.stderr
    assert "Traceback" not in err and "\x00" not in err and "\x1b" not in err
    assert "areas.csv, row 3, column 'la_name': found 'Pilot\\x00area'" in err
    assert "NUL (U+0000)" in err
    assert "interviews.csv, row 4, column 'excerpt'" in err
    assert "…(5,005 characters); expected text of at most 2,000 characters" in err
    assert "mi_starts.csv, row 5, column 'benefit': found 'none\\x1b[31m'" in err
    assert "centres.csv; expected a CSV text file; this is not a text file in a supported " in err
    assert "UTF-16 (little-endian) without a byte-order mark" in err
    assert max(len(line) for line in err.splitlines()) < 400, err
    assert "x" * 81 not in err
    assert not out.exists()
