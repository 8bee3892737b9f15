"""Engine selection and the Quarto engine when its CLI is absent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfscc.errors import EngineNotFoundError
from wfscc.render import RenderError, _quarto, render_book, select_engine

TIMESTAMP = datetime(2024, 5, 1, tzinfo=UTC)
PROVENANCE = {"version": "0.1.0"}


@pytest.fixture
def no_quarto(monkeypatch):
    monkeypatch.setattr(_quarto.shutil, "which", lambda name: None)


def test_auto_falls_back_to_pandoc(no_quarto):
    assert select_engine("auto") == "pandoc"
    assert select_engine("pandoc") == "pandoc"


def test_auto_prefers_quarto_when_installed(monkeypatch):
    monkeypatch.setattr(_quarto.shutil, "which", lambda name: "/usr/local/bin/quarto")
    assert select_engine("auto") == "quarto"


def test_quarto_absent_names_the_fix(no_quarto, tmp_path):
    with pytest.raises(EngineNotFoundError) as info:
        select_engine("quarto")
    assert "quarto.org" in str(info.value) and "--engine pandoc" in str(info.value)
    with pytest.raises(EngineNotFoundError):
        render_book(tmp_path, tmp_path / "out", engine="quarto", timestamp=TIMESTAMP,
                    provenance=PROVENANCE)


def test_unknown_engine_lists_choices():
    with pytest.raises(RenderError, match="auto, pandoc, quarto"):
        select_engine("latex")
