"""Atomic publishing: outputs are built in a staging directory and swapped in only when complete.

The swap is two renames (``out -> out.previous``, ``staging -> out``) followed by removing
the previous tree. If a build is killed between the two renames, the next build (or
``recover``) puts the previous output back, so a reader never sees a half-built site.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def _previous(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".previous")


def recover(out_dir: Path) -> None:
    """Undo a swap that was interrupted between its two renames."""
    previous = _previous(out_dir)
    if previous.exists():
        if out_dir.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(out_dir)


def publish(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by the finished ``staging`` tree (same filesystem: rename is atomic)."""
    recover(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = _previous(out_dir)
    if out_dir.exists():
        out_dir.rename(previous)
    try:
        staging.rename(out_dir)
    except OSError:
        # different filesystems: copy next to the target first, then rename
        tmp = out_dir.with_name(out_dir.name + ".incoming")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(staging, tmp)
        tmp.rename(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
    if previous.exists():
        shutil.rmtree(previous)
