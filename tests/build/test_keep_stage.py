"""The staged project a build leaves for `wfscc preview` (`build(config, keep=...)`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wfscc.build import Provenance
from wfscc.build.stage import keep_stage, kept_inputs, take_kept

PROVENANCE = Provenance("1.0", "abc", "d" * 16, datetime(2011, 3, 31, tzinfo=UTC))


def staging(root: Path, text: str) -> Path:
    (root / "project" / "report").mkdir(parents=True)
    (root / "project" / "report" / "01.qmd").write_text(text, encoding="utf-8")
    (root / "generated" / "report" / "figures").mkdir(parents=True)
    (root / "generated" / "report" / "changes.qmd").write_text("x", encoding="utf-8")
    (root / "generated" / "report" / "figures" / "a.svg").write_text("x", encoding="utf-8")
    return root


def test_a_kept_stage_is_taken_whole_and_names_what_the_build_generated(tmp_path: Path):
    keep = tmp_path / "keep"
    assert kept_inputs(keep) is None and take_kept(keep) is None

    keep_stage(staging(tmp_path / "s1", "first"), keep, "key-1", "pandoc", PROVENANCE)
    assert kept_inputs(keep) == "key-1"  # known before the preview takes it
    record = take_kept(keep)
    assert record["inputs"] == "key-1" and record["engine"] == "pandoc"
    assert record["generated"] == ["report/changes.qmd", "report/figures/a.svg"]
    assert list(record["provenance"]) == list(PROVENANCE.as_dict())  # the footer's order
    current = keep / "current" / "project" / "report" / "01.qmd"
    assert current.read_text(encoding="utf-8") == "first"

    keep_stage(staging(tmp_path / "s2", "second"), keep, "key-2", "pandoc", PROVENANCE)
    assert current.read_text(encoding="utf-8") == "first"  # until taken
    assert take_kept(keep)["inputs"] == "key-2"
    assert current.read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in keep.iterdir()) == ["current"]
    assert take_kept(keep)["inputs"] == "key-2"  # nothing new: the same stage
