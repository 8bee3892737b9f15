"""Many pages through pandoc in one process: the pages' parses and their HTML conversions.

A pandoc process per page cost more than the page's own work: for an LA profile (10 kB of
Markdown), about 60 ms of CPU, most of it the process's start and its runtime taking and
touching its heap, against about 20 ms for the same page read in a process that reads 20
(`filters/batch.lua`, run by ``pandoc lua``). The batch script reads, filters and writes each
document as the command line does with the same options, so each output is the same bytes as a
run of its own; a batch that fails is made again page by page, so that an error names its page.

    outs = made_in_batches(memo, "parse", keys, texts, single=one_page, batch=many_pages)
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._memo import Memo
from ._pandoc import (
    PAGE_RUNTIME,
    pandoc_command,
    pandoc_key,
    parse_args,
    resource,
    run_pandoc,
)
from ._project import RenderError

#: At most this many pages go through one pandoc process
BATCH_PAGES = 16
#: The pages are spread over at least this many processes (when there are as many pages), so
#: that both cores of a small machine are busy
BATCH_PROCESSES = 4
#: Threads that wait for the pandoc processes
WORKERS = 8

SCRIPT = "batch.lua"


def batchable(text: str) -> bool:
    """Whether pandoc's command line reads *text* exactly as the batch script does: it turns tabs
    into spaces and drops carriage returns and a byte-order mark before reading, which
    ``pandoc.read`` does not (such a text is read by a process of its own)."""
    return "\t" not in text and "\r" not in text and not text.startswith("\ufeff")


def _request(args: Sequence[str]) -> dict:
    """The batch script's options for pandoc's command-line *args*, the ones a page's run
    uses (``-f``, ``-t``, one ``--lua-filter``, ``--template``, ``--wrap=``,
    ``--syntax-highlighting=``): a page's batch and its run of its own take the same list."""
    request: dict[str, str] = {}
    given = iter(args)
    for arg in given:
        name, _, value = arg.partition("=")
        if arg in _VALUED and _VALUED[arg] not in request:
            request[_VALUED[arg]] = next(given)
        elif name in _INLINE and value:
            request[_INLINE[name]] = ("wrap-" if name == "--wrap" else "") + value
        else:
            raise ValueError(f"the batch script does not take pandoc's {arg!r} ({list(args)})")
    if "from" not in request or "to" not in request:
        raise ValueError(f"a batch needs pandoc's -f and -t ({list(args)})")
    return request


#: pandoc options the batch script takes, and their names in its request
_VALUED = {"-f": "from", "-t": "to", "--lua-filter": "filter", "--template": "template"}
_INLINE = {"--wrap": "wrap", "--syntax-highlighting": "highlight"}


def run_pandoc_batch(
    inputs: Sequence[str], args: Sequence[str], *, cwd: Path | None = None, what: str = ""
) -> list[str]:
    """Each of *inputs* as ``pandoc`` with *args* (:func:`_request`) writes it (but the final
    newline of a document without a template), all in one pandoc process."""
    request = {**_request(args), "inputs": list(inputs)}
    proc = subprocess.run(
        pandoc_command("lua", str(resource("filters", SCRIPT)), runtime=PAGE_RUNTIME),
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
    )
    outs = proc.stdout.split("\0")
    if proc.returncode != 0 or len(outs) != len(inputs) + 1 or outs[-1]:
        raise RenderError(f"{what or 'pandoc'}: pandoc failed: {proc.stderr.strip()}")
    return outs[:-1]


def spread(n: int, size: int = BATCH_PAGES, processes: int = BATCH_PROCESSES) -> list[range]:
    """The indexes 0..n-1 in consecutive runs: at least *processes* runs (when n allows), at
    most *size* indexes each."""
    per = max(1, min(size, -(-n // processes)))
    return [range(i, min(n, i + per)) for i in range(0, n, per)]


def made_in_batches(
    memo: Memo,
    step: str,
    keys: Sequence[str],
    inputs: Sequence[str],
    *,
    single: Callable[[int], str],
    batch: Callable[[list[int]], list[str]],
) -> list[str]:
    """Each input's output: kept in *memo* under its key (``memo.text``'s entries), else made,
    and then kept. The inputs that :func:`batchable` accepts are made by *batch* (their
    indexes), in runs of :func:`spread`, the others by *single* (an index); a run that fails is
    made again by *single*, input by input, which raises the failing input's error."""
    outs: list[str | None] = []
    for key in keys:
        data = memo.get(step, key)
        try:
            outs.append(None if data is None else data.decode("utf-8"))
        except UnicodeDecodeError:
            outs.append(None)
    missing = [i for i, out in enumerate(outs) if out is None]
    many = [i for i in missing if batchable(inputs[i])]
    runs = [[many[j] for j in run] for run in spread(len(many))]
    runs += [[i] for i in missing if not batchable(inputs[i])]

    def make(run: list[int]) -> list[str]:
        if len(run) == 1 and not batchable(inputs[run[0]]):
            return [single(run[0])]
        try:
            return batch(run)
        except RenderError:
            return [single(i) for i in run]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for run, made in zip(runs, pool.map(make, runs), strict=True):
            for i, out in zip(run, made, strict=True):
                outs[i] = out
                memo.put(step, keys[i], out.encode("utf-8"))
    return [out for out in outs if out is not None]


def parse_markdown_many(
    texts: Sequence[str], whats: Sequence[str], memo: Memo, swaps: Sequence[tuple[str, str] | None]
) -> list[dict]:
    """Each text parsed to pandoc's JSON tree, as one pandoc process per page would give it
    (notebook and div tables normalised by ``parse.lua``), the pages read in batches."""
    args = parse_args()
    keys = [pandoc_key(memo, "parse", text, *args) for text in texts]

    def single(i: int) -> str:
        return run_pandoc(args, texts[i], what=whats[i], runtime=PAGE_RUNTIME)

    def batch(run: list[int]) -> list[str]:
        return run_pandoc_batch(
            [texts[i] for i in run], args, what=", ".join(whats[i] for i in run)
        )

    outs = made_in_batches(memo, "parse", keys, texts, single=single, batch=batch)
    return [
        json.loads(out.replace(*swap) if swap else out)
        for out, swap in zip(outs, swaps, strict=True)
    ]
