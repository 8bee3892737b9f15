"""Outputs are built as nbformat builds them and checked against the same schema definition.

``wfscc.execute._client`` builds each output from its IOPub message without nbformat's per-output
jsonschema validation and checks it with a compiled validator instead: these tests hold the two to
the same results, and show a malformed output still fails its notebook with the cell named. Its
``Session`` reads messages as jupyter_client's does (signatures checked), dates left as text.
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from jupyter_client.jsonutil import parse_date
from jupyter_client.session import Session as JupyterSession
from nbformat.v4 import output_from_msg

from wfscc.execute import NotebookRun, run_notebooks
from wfscc.execute._client import Session, output_node

from .helpers import FIXTURES


def _msg(msg_type: str, content: dict) -> dict:
    return {"header": {"msg_type": msg_type}, "msg_type": msg_type, "content": content}


GOOD = [
    _msg("stream", {"name": "stdout", "text": "hello\n"}),
    _msg("stream", {"name": "stderr", "text": ""}),
    _msg(
        "display_data",
        {
            "data": {"text/plain": "x", "image/svg+xml": "<svg/>"},
            "metadata": {"image/svg+xml": {"alt": "a chart"}},
        },
    ),
    _msg("display_data", {"data": {"text/csv": "a,b\n1,2\n"}, "metadata": {}}),
    _msg("display_data", {"data": {"not a mime type": "x"}, "metadata": {}}),  # schema allows it
    _msg("display_data", {"data": {"application/json": {"a": [1, 2]}}, "metadata": {}}),
    _msg("execute_result", {"data": {"text/plain": "3"}, "metadata": {}, "execution_count": 3}),
    _msg("error", {"ename": "ValueError", "evalue": "bad", "traceback": ["line 1", "line 2"]}),
]

BAD = [
    _msg("display_data", {"data": {"image/png": 123}, "metadata": {}}),  # data not text
    _msg("display_data", {"data": {"text/plain": ["a", 1]}, "metadata": {}}),
    _msg("display_data", {"data": "not a bundle", "metadata": {}}),
    _msg("display_data", {"data": {"text/plain": "x"}, "metadata": []}),  # metadata a list
    _msg("stream", {"name": 1, "text": "x"}),
    _msg("execute_result", {"data": {}, "metadata": {}, "execution_count": "one"}),
    _msg("error", {"ename": "E", "evalue": "v", "traceback": "not a list"}),
]


@pytest.mark.parametrize("msg", GOOD, ids=lambda m: m["msg_type"])
def test_an_output_is_the_node_nbformat_builds(msg):
    ours, theirs = output_node(copy.deepcopy(msg)), output_from_msg(copy.deepcopy(msg))
    assert ours == theirs
    assert nbformat.writes(_notebook(ours)) == nbformat.writes(_notebook(theirs))


@pytest.mark.parametrize("msg", BAD, ids=lambda m: m["msg_type"])
def test_a_malformed_output_is_refused_as_nbformat_refuses_it(msg):
    with pytest.raises(nbformat.ValidationError):
        output_from_msg(copy.deepcopy(msg))
    with pytest.raises(nbformat.ValidationError):
        output_node(copy.deepcopy(msg))


def test_a_message_that_is_no_output_is_a_value_error_as_in_nbformat():
    msg = _msg("clear_output", {"wait": False})
    with pytest.raises(ValueError):
        output_from_msg(msg)
    with pytest.raises(ValueError):
        output_node(msg)


def _notebook(output) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x", id="c-0", outputs=[output], execution_count=1)
    return nbformat.v4.new_notebook(cells=[cell])


@pytest.mark.slow
def test_a_notebook_with_a_malformed_output_fails_with_its_cell_named(tmp_path):
    runs = [NotebookRun(mode, {"mode": mode}) for mode in ("malformed", "ok")]
    report = run_notebooks(
        FIXTURES / "modes.ipynb",
        runs,
        out_dir=tmp_path / "out",
        staging_dir=tmp_path / "staging",
        cwd=FIXTURES,
        jobs=1,
        warm_imports=(),
    )
    assert sorted(report.succeeded) == ["ok"]
    failure = report.failed["malformed"]
    # cells: 0 parameters, 1 injected, 2 import, 3 the cell that displays the bad output
    assert (failure.cell_index, failure.error_name) == (3, "NotebookValidationError")
    assert "123" in failure.message or "image/png" in failure.message


def _wire(key: bytes = b"secret") -> list[bytes]:
    """An IOPub display message as the kernel sends it (signed, with a parent and a buffer)."""
    sender = JupyterSession(key=key)
    parent = sender.msg("execute_request", {"code": "1 + 1"})
    msg = sender.msg("display_data", {"data": {"text/plain": "2"}, "metadata": {}}, parent=parent)
    msg["buffers"] = [b"raw"]
    _, parts = sender.feed_identities(sender.serialize(msg))
    return parts


def test_the_session_reads_a_message_as_jupyter_client_does_dates_left_as_text():
    parts = _wire()
    ours = Session(key=b"secret").deserialize(list(parts))
    theirs = JupyterSession(key=b"secret").deserialize(list(parts))
    for part in ("header", "parent_header"):
        assert isinstance(ours[part]["date"], str)
        assert parse_date(ours[part]["date"]) == theirs[part]["date"]
        ours[part]["date"] = theirs[part]["date"]
    assert [bytes(b) for b in ours.pop("buffers")] == [bytes(b) for b in theirs.pop("buffers")]
    assert ours == theirs


def test_the_session_refuses_what_jupyter_client_refuses():
    session = Session(key=b"secret")
    parts = _wire()
    session.deserialize(list(parts))
    with pytest.raises(ValueError, match="Duplicate Signature"):
        session.deserialize(list(parts))  # a replayed message
    tampered = _wire()
    tampered[4] = tampered[4].replace(b"2", b"3")
    with pytest.raises(ValueError, match="Invalid Signature"):
        session.deserialize(tampered)
    with pytest.raises(ValueError, match="Invalid Signature"):
        Session(key=b"another key").deserialize(_wire())
    with pytest.raises(ValueError, match="Unsigned"):
        session.deserialize([b"", *_wire()[1:]])
