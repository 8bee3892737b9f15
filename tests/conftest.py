"""Fixtures shared by the whole suite: the repository root and throw-away copies of the project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def copy_project(target: Path, *, data: bool = True) -> Path:
    """A copy of the project (book config, narrative, notebooks, and optionally the data)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "_quarto.yml", target / "_quarto.yml")
    shutil.copytree(REPO / "report", target / "report")
    shutil.copytree(REPO / "notebooks", target / "notebooks")
    if data:
        shutil.copytree(REPO / "data", target / "data")
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def require_tool(name: str) -> str:
    """Skip when a system tool is missing, except in CI where it must be present."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("WFSCC_REQUIRE_BROWSER"):
            pytest.fail(f"{name} is required here (WFSCC_REQUIRE_BROWSER is set) but not on PATH")
        pytest.skip(f"{name} not installed (apt-get install it; .ci/run does)")
    return path


def run_build(project: Path, out: Path | None = None, **options):
    """Build a project copy with its own data; returns the BuildResult."""
    from wfscc import Config
    from wfscc.build import build

    config = Config(
        project_dir=project,
        data_dir=options.pop("data_dir", project / "data"),
        out_dir=out or project / "_book",
        engine=options.pop("engine", "pandoc"),
        jobs=options.pop("jobs", 2),
        **options,
    )
    return build(config)


@pytest.fixture(scope="session")
def make_project():
    """A function that copies the project (and its data) to a folder: ``make_project(path)``."""
    return copy_project


@pytest.fixture(scope="session")
def build_project():
    """A function that builds a project copy: ``build_project(project, **config_options)``."""
    return run_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One full build of the shipped data, shared by the tests that only read its output."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    run_build(project)
    return project / "_book"
