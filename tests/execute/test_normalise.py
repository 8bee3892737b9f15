"""Parameter injection and the normalisation that makes executed notebooks byte-reproducible."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from wfscc.execute._normalise import cell_id, normalise, parameterise, write


def _notebook():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell('la_code = "P01"\ndata_dir = "data"', metadata={"tags": ["parameters"]}),
            new_code_cell("print(la_code)", execution_count=7, outputs=[new_output("stream")]),
        ]
    )
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_cell_ids_are_deterministic_and_valid():
    assert cell_id("P01", 3) == "P01-3"
    assert cell_id("a b/c", 0) == "a_b_c-0"
    assert len(cell_id("x" * 200, 12)) <= 64


def test_parameters_are_injected_after_the_parameters_cell_the_papermill_way():
    source = _notebook()
    nb = parameterise(source, "P02", {"la_code": "P02", "data_dir": "/abs/data"})
    injected = nb.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert 'la_code = "P02"' in injected.source and 'data_dir = "/abs/data"' in injected.source
    assert [c["id"] for c in nb.cells] == [f"P02-{i}" for i in range(4)]
    assert nb.metadata.papermill["parameters"] == {"la_code": "P02", "data_dir": "/abs/data"}
    assert nb.cells[3].outputs == [] and nb.cells[3].execution_count is None
    assert "tags" not in nb.cells[0].metadata  # no empty tag lists added
    assert source.cells[2].outputs  # the input notebook is not changed
    nbformat.validate(nb)


def test_normalise_strips_timings_random_ids_and_kernel_pids():
    nb = parameterise(_notebook(), "P01", {"la_code": "P01"})
    nb.metadata.papermill.update(start_time="2024", end_time="2025", duration=1.5, exception=None)
    code = nb.cells[3]
    code["id"] = "random123"
    code.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00"}
    code.metadata["papermill"] = {"duration": 0.1}
    code.execution_count = 42
    code.outputs = [
        new_output("stream", text="/tmp/ipykernel_4242/123.py:1: UserWarning: x\n"),
        new_output("execute_result", data={"text/plain": "1"}, execution_count=42),
    ]
    for cell in nb.cells[1:3]:
        cell.execution_count = 40
    normalise(nb, "P01")
    assert nb.metadata.papermill == {"parameters": {"la_code": "P01"}}
    assert code["id"] == "P01-3" and code.metadata == {}
    assert [c.get("execution_count") for c in nb.cells[1:]] == [1, 2, 3]
    assert code.outputs[0].text.startswith("/tmp/ipykernel_0/123.py")
    assert code.outputs[1].execution_count == 3


def test_written_bytes_are_stable(tmp_path):
    nb = parameterise(_notebook(), "P01", {"la_code": "P01"})
    one = write(normalise(nb, "P01"), tmp_path / "a" / "P01.ipynb").read_bytes()
    two = write(normalise(nbformat.reads(one.decode(), 4), "P01"), tmp_path / "b.ipynb")
    assert one == two.read_bytes()
