"""A build launches its first notebook kernel before it imports its steps.

The steps (data, facts, charts, tables, render, guard: pandas, Matplotlib, seaborn, SciPy) take
about 2 s of CPU to import; the kernel takes seconds to start, and starts on the other core while
they are imported (`wfscc.build.early`). Checked by what is loaded when the kernels are asked
for, not by timing. The second kernel waits until the facts are computed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.execute.helpers import kernel_count

_FIRST = """
import json, sys
from pathlib import Path
from wfscc import Config
from wfscc.build import build, early

class Started(Exception):
    pass

def early_pool(config):
    heavy = ("wfscc.build.steps", "pandas", "matplotlib", "seaborn", "scipy", "wfscc.render")
    print(json.dumps([m for m in heavy if m in sys.modules]))
    raise Started

early.early_pool = early_pool
project = Path(sys.argv[1])
config = Config(project_dir=project, data_dir=project / "data", out_dir=project / "_book",
                engine="pandoc", jobs=1)
try:
    build(config)
except Started:
    pass
"""


def test_the_kernels_are_asked_for_before_the_steps_are_imported(tmp_path: Path, make_project):
    project = make_project(tmp_path / "p")
    done = subprocess.run(
        [sys.executable, "-c", _FIRST, str(project)], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [], done.stderr


class _FactsDone(Exception):
    pass


@pytest.mark.slow
def test_the_second_kernel_waits_while_the_build_computes_its_facts(
    tmp_path: Path, make_project, build_project, monkeypatch
):
    """On 2 cores the facts and the first kernel keep both busy: a second kernel's start then
    only slows them (see EarlyPool.sharing_cores). Ten notebooks are to run; two seconds into the
    facts, whose runs the pool has been given, one kernel is running."""
    from wfscc.build import steps

    project = make_project(tmp_path / "p")
    seen: list[int] = []

    def facts(*args):
        time.sleep(2.0)
        seen.append(kernel_count())
        raise _FactsDone

    monkeypatch.setattr(steps, "prepare_report", facts)
    with pytest.raises(_FactsDone):
        build_project(project, jobs=2)
    assert seen == [1]
    assert kernel_count() == 0
