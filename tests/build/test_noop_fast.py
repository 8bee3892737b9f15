"""A rebuild that finds nothing changed decides so before importing the heavy libraries.

The whole `wfscc build` command has 0.3 s for a no-op; importing pandas alone takes about 0.5 s
here, so the decision must be made from the standard library, yaml, click and rich only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from wfscc.build.provenance import PILOT_END_EPOCH
from wfscc.contract import PILOT_END

_NOOP = """
import json, sys
from pathlib import Path
from wfscc import Config
from wfscc.build import build
from wfscc.build.pipeline import MARKER, _inputs_key

project = Path(sys.argv[1])
config = Config(project_dir=project, data_dir=project / "data", out_dir=project / "_book",
                engine="pandoc", jobs=1)
key, _ = _inputs_key(config, "pandoc")
(project / "_book").mkdir()
(project / "_book" / MARKER).write_text(json.dumps({"inputs": key}))
result = build(config)
heavy = ("pandas", "numpy", "matplotlib", "wfscc.render", "wfscc.data", "importlib.metadata")
print(json.dumps({"noop": result.noop, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def test_noop_build_imports_no_heavy_library(tmp_path: Path, make_project):
    project = make_project(tmp_path / "p")
    done = subprocess.run(
        [sys.executable, "-c", _NOOP, str(project)], capture_output=True, text=True, check=True
    )
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome == {"noop": True, "loaded": []}


def test_the_fallback_build_date_is_the_end_of_the_pilot():
    assert datetime.fromtimestamp(PILOT_END_EPOCH, tz=UTC).date() == PILOT_END.date()
