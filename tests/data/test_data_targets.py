"""The generator follows data/calibration.yml: a changed target changes the data, a missing or
unusable entry is a clear error, and survey waves are fresh cross-sections."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from wfscc.cli import main
from wfscc.data import load_dataset, synth
from wfscc.errors import CalibrationError

from .data_measures import measures

REPO = Path(__file__).resolve().parents[2]
CALIBRATION = REPO / "data" / "calibration.yml"


def _with_targets(tmp_path: Path, **targets: float) -> Path:
    """A copy of the project's calibration file with some entries' targets changed."""
    text = CALIBRATION.read_text(encoding="utf-8")
    for cid, value in targets.items():
        text, n = re.subn(
            rf"(\n  - id: {cid}\n(?:    .*\n)*?    target: ).*", rf"\g<1>{value}", text
        )
        assert n == 1, cid
    path = tmp_path / "calibration.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _measured(tmp_path: Path, name: str, calibration: Path | None, seed: int = 5) -> dict:
    out = tmp_path / name
    synth.generate(seed, out, calibration=calibration)
    return measures(load_dataset(out))


def test_changed_targets_change_the_data(tmp_path: Path) -> None:
    changed = _with_targets(
        tmp_path,
        takeup_wave2_pilot_pct=9.0,
        takeup_ratio_pilot=3.0,
        mi_lone_parent_on_benefit_pct=65,
        mi_starts_per_pilot_la=300,
        bedding_in_months_median=13,
        bedding_in_months_max=15,
        referral_growth_own_start_ratio=4,
        survey_n_wave1_comparison=400,
        confidence_change_pilot=-0.3,
    )
    before = _measured(tmp_path, "before", None)
    after = _measured(tmp_path, "after", changed)
    assert before["takeup_wave2_pilot_pct"] == pytest.approx(14, abs=0.5)
    assert after["takeup_wave2_pilot_pct"] == pytest.approx(9, abs=0.5)
    assert before["mi_lone_parent_on_benefit_pct"] == pytest.approx(60, abs=3)
    assert after["mi_lone_parent_on_benefit_pct"] == pytest.approx(65, abs=3)
    assert after["mi_starts_per_pilot_la"] == pytest.approx(300, rel=0.1)
    assert after["bedding_in_months_median"] - before["bedding_in_months_median"] >= 2
    assert after["bedding_in_months_median"] == pytest.approx(13, abs=1)
    assert after["referral_growth_own_start_ratio"] == pytest.approx(4, abs=1)
    assert before["referral_growth_own_start_ratio"] == pytest.approx(8, abs=2)
    assert after["survey_n_wave1_comparison"] == pytest.approx(400, rel=0.15)
    assert after["confidence_change_pilot"] == pytest.approx(-0.3, abs=0.05)
    assert before["confidence_change_pilot"] > 0.2
    # what was not changed stays where it was
    assert after["takeup_wave1_pilot_pct"] == pytest.approx(3, abs=0.5)
    assert after["mi_non_traditional_pct"] == pytest.approx(30, abs=3)


def test_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="no calibration file here.*--calibration"):
        synth.generate(1, tmp_path / "out", calibration=tmp_path / "none.yml")


def test_missing_entry_names_file_entry_and_fix(tmp_path: Path) -> None:
    text = CALIBRATION.read_text(encoding="utf-8")
    text = re.sub(r"\n  - id: weight_cv\n.*?(?=\n  - id: |\n  # ---)", "", text, flags=re.S)
    path = tmp_path / "calibration.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalibrationError) as caught:
        synth.generate(1, tmp_path / "out", calibration=path)
    message = str(caught.value)
    assert str(path) in message and "'weight_cv'" in message and "Add the entry" in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (
            {"takeup_wave2_pilot_pct": "'a lot'"},
            r"'takeup_wave2_pilot_pct', key 'target': found "
            r"'a lot'; expected a per cent from 0\.1 to 95",
        ),
        ({"takeup_wave2_pilot_pct": 120}, r"found 120; expected a per cent"),
        ({"centres_per_pilot_la": 4}, r"'centres_per_pilot_la'.*must be 3"),
        ({"bedding_in_months_min": 12}, r"must be in order"),
        ({"takeup_ratio_pilot": 2}, r"'takeup_ratio_pilot'.*Set it to 4\.67"),
        ({"mi_non_traditional_pct": 90}, r"'mi_non_traditional_pct'.*cannot reach it"),
    ],
)
def test_invalid_targets_are_clear_errors(tmp_path: Path, targets: dict, expected: str) -> None:
    path = _with_targets(tmp_path, **targets)
    with pytest.raises(CalibrationError, match=expected) as caught:
        synth.generate(1, tmp_path / "out", calibration=path)
    assert str(path) in str(caught.value)


def test_cli_reports_a_calibration_error_without_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(
        main, ["synth", "--out", str(tmp_path / "out"), "--calibration", str(tmp_path / "x.yml")]
    )
    assert result.exit_code != 0
    assert "no calibration file here" in result.output and "Traceback" not in result.output


def test_survey_waves_are_fresh_cross_sections(shipped) -> None:
    """Each LA's number of respondents differs between the waves, as two separate samples'
    would, while the totals stay near the calibration's sizes."""
    counts = shipped.survey.groupby(["la_code", "wave"], observed=True).size().unstack("wave")
    assert len(counts) == len(shipped.areas)
    differ = counts[1] != counts[2]
    assert differ.sum() >= 0.7 * len(counts), counts
    assert (counts[1] - counts[2]).abs().max() >= 5
    spread = np.abs(counts[1] - counts[2]) / np.sqrt(counts[1] + counts[2])
    assert spread.mean() < 2.5  # sampling noise, not a different design at each wave


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entries: [unclosed\n", r"not valid YAML"),
        ("version: 1\n", r"a list under 'entries:'"),
        ("entries:\n  - target: 3\n", r"entry 1 has no 'id'"),
        ("entries:\n  - id: a\n    target: 1\n  - id: a\n    target: 2\n", r"'a' appears twice"),
    ],
)
def test_a_malformed_file_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "calibration.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalibrationError, match=expected) as caught:
        synth.generate(1, tmp_path / "out", calibration=path)
    assert str(caught.value).startswith(str(path))
