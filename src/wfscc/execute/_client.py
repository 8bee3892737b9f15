"""The notebook client of a warm kernel: nbclient's, with each output checked by a compiled schema.

nbclient turns every output message into a notebook node with nbformat's ``output_from_msg``, which
validates the node against the nbformat schema with jsonschema: a third of the parent process's
time per notebook (the parent also computes the build's facts meanwhile). :func:`output_node`
builds the same node and checks it against the same schema definition (nbformat v4, current minor
version, the definition of the output's type) with a validator compiled once by fastjsonschema. A
malformed output still fails its notebook in the cell that made it: on a failure nbformat's own
validation runs, for its error and message (``NotebookValidationError``).

The kernel client (:class:`KernelClient`, with :class:`Session`) receives an output message with
one wait instead of two (no poll before each receive when there is no time limit) and leaves the
dates in message headers as the kernel wrote them: nothing here reads them (nbclient does only to
record cell timings, which the pool turns off), and parsing them was a tenth of the parent's time
per message. Signatures are checked as before.
"""

from __future__ import annotations

import json
from hmac import compare_digest
from pathlib import Path

import nbformat
from jupyter_client.adapter import adapt
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session as _JupyterSession
from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.json_compat import FastJsonSchemaValidator
from nbformat.validator import NotebookValidationError
from traitlets import Type

_OUTPUT_TYPES = ("execute_result", "display_data", "stream", "error")
_VALIDATORS: dict[str, FastJsonSchemaValidator] = {}


def _validator(output_type: str) -> FastJsonSchemaValidator:
    """The compiled validator of one output type's schema definition (compiled on first use)."""
    validator = _VALIDATORS.get(output_type)
    if validator is None:
        v4 = nbformat.v4
        name = v4.nbformat_schema[(v4.nbformat, v4.nbformat_minor)]
        schema = json.loads((Path(v4.__file__).parent / name).read_text(encoding="utf-8"))
        schema = {
            "$schema": schema["$schema"],
            "definitions": schema["definitions"],
            "$ref": f"#/definitions/{output_type}",
        }
        validator = _VALIDATORS[output_type] = FastJsonSchemaValidator(schema)
    return validator


def output_node(msg: dict) -> NotebookNode:
    """The output node of an IOPub output message, as ``nbformat.v4.output_from_msg`` builds it.

    Raises ``ValueError`` for a message that is not an output, and nbformat's
    ``NotebookValidationError`` for an output its schema refuses, as ``output_from_msg`` does.
    """
    output_type, content = msg["header"]["msg_type"], msg["content"]
    if output_type not in _OUTPUT_TYPES:
        raise ValueError(f"Unrecognized output msg type: {output_type!r}")
    # as nbformat.v4.new_output: the defaults, then the message's fields
    output = NotebookNode(output_type=output_type)
    if output_type == "stream":
        output.update(name=content["name"], text=content["text"])
    elif output_type == "error":
        output.update(
            ename=content["ename"], evalue=content["evalue"], traceback=content["traceback"]
        )
    else:
        output.metadata = content["metadata"]
        output.data = content["data"]
        if output_type == "execute_result":
            output.execution_count = content["execution_count"]
    try:
        _validator(output_type).validate(output)
    except nbformat.ValidationError:
        # nbformat's own check, for its error and message; it must refuse the output too
        nbformat.validate(output, ref=output_type, version=nbformat.v4.nbformat)
        raise NotebookValidationError(f"invalid {output_type} output") from None
    return output


class Client(NotebookClient):
    """nbclient's NotebookClient, building outputs with :func:`output_node`."""

    def output(self, outs, msg, display_id, cell_index):
        """Handle an output message, as ``NotebookClient.output`` does."""
        if self.output_hook_stack[msg["parent_header"].get("msg_id")]:
            return super().output(outs, msg, display_id, cell_index)  # e.g. an Output widget
        try:
            out = output_node(msg)
        except ValueError:
            self.log.error(f"unhandled iopub msg: {msg['msg_type']}")
            return None
        if self.clear_before_next_output:
            outs[:] = []
            self.clear_display_id_mapping(cell_index)
            self.clear_before_next_output = False
        if display_id:
            cell_map = self._display_id_map.setdefault(display_id, {})
            cell_map.setdefault(cell_index, []).append(len(outs))
        outs.append(out)
        return out


class Session(_JupyterSession):
    """jupyter_client's Session, but header dates stay strings (see the module's docstring)."""

    def deserialize(self, msg_list, content=True, copy=True):
        """As ``Session.deserialize``, without ``extract_dates`` on the headers."""
        if not (content and copy) or self.debug:
            return super().deserialize(msg_list, content, copy)
        if self.auth is not None:
            signature = msg_list[0]
            if not signature:
                raise ValueError("Unsigned Message")
            if signature in self.digest_history:
                raise ValueError(f"Duplicate Signature: {signature!r}")
            self._add_digest(signature)
            if not compare_digest(signature, self.sign(msg_list[1:5])):
                raise ValueError(f"Invalid Signature: {signature!r}")
        if len(msg_list) < 5:
            raise TypeError("malformed message, must have at least 5 elements")
        header = self.unpack(msg_list[1])
        message = {
            "header": header,
            "msg_id": header["msg_id"],
            "msg_type": header["msg_type"],
            "parent_header": self.unpack(msg_list[2]),
            "metadata": self.unpack(msg_list[3]),
            "content": self.unpack(msg_list[4]),
            "buffers": [memoryview(b) for b in msg_list[5:]],
        }
        return adapt(message)


class _IOPubChannel(AsyncZMQSocketChannel):
    async def get_msg(self, timeout=None):
        """The next message; with no time limit, received at once rather than polled first."""
        if timeout is None:
            return await self._recv()
        return await super().get_msg(timeout)


class KernelClient(AsyncKernelClient):
    """The asynchronous kernel client, its IOPub channel receiving without a poll first."""

    iopub_channel_class = Type(_IOPubChannel)
