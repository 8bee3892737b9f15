"""Fixtures for the layout checker's tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def require_tool(pytestconfig):
    """`require_tool` of tests/conftest.py (skip without the tool, fail where
    WFSCC_REQUIRE_BROWSER is set), reached through pytest's plugin registry as in
    tests/visual/conftest.py: every conftest.py is the module "conftest"."""
    root = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    return root.require_tool
