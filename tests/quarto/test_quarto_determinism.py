"""Output per engine is deterministic: a second `wfscc build --engine quarto` of the same inputs,
from another copy of the project, gives byte-identical files. Slow: one more Quarto build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_quarto_builds_give_byte_identical_files(
    make_project, build_project, tmp_path, quarto_path, quarto_site, monkeypatch
):
    monkeypatch.setenv("PATH", quarto_path)
    project = make_project(tmp_path / "again")
    build_project(project, engine="quarto")
    first, second = _digests(quarto_site), _digests(project / "_book")
    assert sorted(second) == sorted(first), "the two builds wrote different files"
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"{len(differ)} files differ between two builds: {differ[:20]}"
