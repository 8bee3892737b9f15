"""While the build waits for its notebooks, it starts on what does not need them (issue 17: a
rebuild after one LA's data changed waits for its one notebook about half a second): the
guard reads the published tables and facts as soon as they are written, and the render's first
reads (its kept page cache) are done. Each is there before the notebooks' results are."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wfscc.build import steps

pytestmark = pytest.mark.slow


def test_the_guard_and_the_render_start_while_the_notebooks_run(
    tmp_path: Path, make_project, build_project, monkeypatch
):
    project = make_project(tmp_path / "project")
    scanned, ahead = threading.Event(), threading.Event()
    scans: list[list[str]] = []
    prescan, run_profiles, render_ahead = (steps.prescan_privacy, steps.run_profiles,
                                           steps.render_ahead)

    def watched_prescan(terms, site, paths, *args, **kwargs):
        names = sorted(p.relative_to(site).as_posix() for p in paths)
        scans.append(names)
        if names and all(n == "facts.json" or n.startswith("data/") for n in names):
            scanned.set()
        return prescan(terms, site, paths, *args, **kwargs)

    def watched_ahead(*args, **kwargs):
        found = render_ahead(*args, **kwargs)
        ahead.set()
        return found

    def waiting_profiles(*args, **kwargs):
        # the notebooks' results come only once the tables are scanned and the render's first
        # reads are done: a build that waited for them first would stop here
        assert scanned.wait(120), "the tables and facts were not scanned while notebooks ran"
        assert ahead.wait(120), "the render's first reads were not done while notebooks ran"
        return run_profiles(*args, **kwargs)

    monkeypatch.setattr(steps, "prescan_privacy", watched_prescan)
    monkeypatch.setattr(steps, "render_ahead", watched_ahead)
    monkeypatch.setattr(steps, "run_profiles", waiting_profiles)
    result = build_project(project)

    assert result.notebooks_run  # the notebooks did run, after the scan began
    first = scans[0]
    assert "facts.json" in first and any(n.startswith("data/") for n in first)
    assert not any(n.startswith("notebooks/") for n in first)
    # the notebooks are scanned once they are copied into the site, each exactly once
    notebooks = [n for names in scans for n in names if n.startswith("notebooks/")]
    assert notebooks and len(notebooks) == len(set(notebooks))
    assert {f"notebooks/{la}.ipynb" for la in result.notebooks_run} <= set(notebooks)
