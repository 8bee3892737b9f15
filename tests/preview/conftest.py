"""Fixtures for the preview tests: the real `wfscc serve` command on a free port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def serve_command(site: Path, **popen) -> Iterator[tuple[str, subprocess.Popen]]:
    """`wfscc serve SITE --port 0` for the ``with`` block: yields the URL it prints
    (``http://127.0.0.1:PORT/``) and the process (its output on ``proc.stdout``, as text);
    killed at the end if still running. *popen*: more options for ``subprocess.Popen``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wfscc.cli", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        **popen,
    )
    try:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + proc.stdout.read()
        yield found.group(0), proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture(name="serve_command", scope="session")
def serve_command_fixture():
    """``with serve_command(site) as (url, proc):``: see :func:`serve_command`."""
    return serve_command
