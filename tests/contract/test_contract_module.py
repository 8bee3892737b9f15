"""``wfscc.contract`` gives every public name of its submodules, and loads pandas only on use."""

from __future__ import annotations

import subprocess
import sys

import wfscc.contract as contract
from wfscc.contract import _cells, build, method, style, tables


def test_the_contract_exports_every_public_name_of_its_submodules():
    expected = set(build.__all__)
    expected |= set(tables.__all__) | set(method.__all__)
    expected |= set(style.__all__) | {"TABLE_CELLS", "cell_facts", "cell_text"}
    assert set(contract.__all__) == expected
    for name in contract.__all__:
        source = next(m for m in (build, method, tables, style, _cells) if hasattr(m, name))
        assert getattr(contract, name) is getattr(source, name), name


def test_an_unknown_name_is_an_attribute_error():
    try:
        contract.NOT_A_CONTRACT_NAME  # noqa: B018
    except AttributeError as err:
        assert "NOT_A_CONTRACT_NAME" in str(err)
    else:
        raise AssertionError("an unknown name was found")


def test_the_config_and_the_cli_load_without_pandas():
    # The CLI imports the config, which imports the contract: the build settings must not pull
    # in pandas, or every `wfscc` command (`--help` included) pays for it.
    code = "import sys, wfscc.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
