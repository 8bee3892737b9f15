"""The build's configuration: the disclosure threshold comes from --threshold, else from
`wfscc: threshold:` in _quarto.yml, else the default; anything else is a clear error."""

from __future__ import annotations

import pytest

from wfscc.config import DEFAULT_THRESHOLD, Config
from wfscc.errors import WfsccError


def _config(project, **options) -> Config:
    return Config(
        project_dir=project, data_dir=project / "data", out_dir=project / "_book", **options
    )


def _quarto(project, block: str) -> None:
    (project / "_quarto.yml").write_text(f"project:\n  type: book\n{block}")


def test_the_default_applies_without_a_setting(tmp_path):
    assert DEFAULT_THRESHOLD == 10
    assert _config(tmp_path).threshold == 10  # no _quarto.yml at all
    _quarto(tmp_path, "wfscc:\n  summary: report/summary.qmd\n")
    assert _config(tmp_path).threshold == 10
    _quarto(tmp_path, "wfscc:\n  threshold:\n")
    assert _config(tmp_path).threshold == 10


def test_quarto_yml_sets_it_and_the_option_overrides_it(tmp_path):
    _quarto(tmp_path, "wfscc:\n  threshold: 20\n")
    assert _config(tmp_path).threshold == 20
    assert _config(tmp_path, threshold=15).threshold == 15
    assert _config(tmp_path, threshold=1).threshold == 1


@pytest.mark.parametrize("value", ["0", "-3", "'20'", "2.5", "true", "[20]", "ten"])
def test_a_bad_setting_in_quarto_yml_names_the_file_and_the_setting(tmp_path, value):
    _quarto(tmp_path, f"wfscc:\n  threshold: {value}\n")
    with pytest.raises(WfsccError) as caught:
        _config(tmp_path)
    message = str(caught.value)
    assert "_quarto.yml" in message and "wfscc: threshold" in message
    assert "at least 1" in message


@pytest.mark.parametrize("value", [0, -1, 2.5, "20", True])
def test_a_bad_option_names_the_option(tmp_path, value):
    with pytest.raises(WfsccError, match="--threshold.*whole number of at least 1"):
        _config(tmp_path, threshold=value)


def test_invalid_yaml_is_a_clear_error(tmp_path):
    (tmp_path / "_quarto.yml").write_text("wfscc: [unclosed\n")
    with pytest.raises(WfsccError, match="_quarto.yml.*not valid YAML"):
        _config(tmp_path)
