"""Run pandoc, and small helpers for its JSON syntax tree (pandoc-types 1.23)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import pypandoc

from ._memo import Memo, file_identity, folder_digest
from ._project import RenderError

PACKAGE = resources.files("wfscc.render")
READER = "markdown"  # pandoc markdown, as Quarto reads it


@cache
def pandoc_path() -> str:
    """The pandoc binary shipped by `pypandoc-binary`."""
    return pypandoc.get_pandoc_path()


# The binary asks its runtime for a 64 MB heap at start (-with-rtsopts -H64m). Touching it costs
# more than parsing a chapter does: a small suggested heap makes each run about 40 % cheaper (about
# 35 ms of 95 for a 4 kB chapter), with the same output; the heap still grows for a large document.
RUNTIME = ("+RTS", "-H1m", "-RTS")
# A page's parse and its conversion to HTML (a few hundred of each for 150 LAs) allocate much
# for what they keep: a 16 MB allocation area collects less often. Alone, an LA profile's
# conversion takes about 27 ms of CPU instead of 50, a 3 kB chapter's parse 30 instead of 45;
# in a whole render of 150 LAs on a busy machine, the pages' pandoc CPU fell by about 8 %
# (24.4 to 22.7 s). Same output. The two whole documents (the report's Typst source and review
# copy) gain nothing from it, so they keep RUNTIME.
PAGE_RUNTIME = ("+RTS", "-H1m", "-A16m", "-RTS")


def pandoc_command(*args: str, runtime: tuple[str, ...] = RUNTIME) -> list[str]:
    """The command line that runs pandoc with *args* (and the runtime options *runtime*)."""
    return [pandoc_path(), *runtime, *args]


def resource(*parts: str) -> Path:
    """Path of a file shipped in this package (filters, templates, assets)."""
    return Path(str(PACKAGE.joinpath(*parts)))


# where Quarto's _filters/wfscc-pre.lua finds the built-in engine's "Show the data" reader
def pandoc_identity() -> tuple[str, ...]:
    """Key parts for any pandoc step: the binary, and every filter and template (with the
    templates' partials) this package ships."""
    return (file_identity(pandoc_path()), folder_digest(resource("filters")),
            folder_digest(resource("templates")))


def pandoc_key(memo: Memo, step: str, *parts: str | bytes) -> str:
    """The key of a pandoc step's entry: its *parts* (input, arguments, files a filter reads)
    and :func:`pandoc_identity`; "" when *memo* keeps nothing."""
    if not memo.enabled:
        return ""
    return memo.key(step, *parts, *memo.once("pandoc identity", pandoc_identity))


def run_pandoc(args: list[str], stdin: str, *, cwd: Path | None = None, what: str = "",
               runtime: tuple[str, ...] = RUNTIME) -> str:
    """Run pandoc with *args*, feeding *stdin*; raise RenderError with pandoc's message."""
    proc = subprocess.run(
        pandoc_command(*args, runtime=runtime), input=stdin, capture_output=True, text=True,
        encoding="utf-8", cwd=cwd, check=False,
    )
    if proc.returncode != 0:
        raise RenderError(f"{what or 'pandoc'}: pandoc failed: {proc.stderr.strip()}")
    return proc.stdout


def parse_args() -> list[str]:
    """pandoc's arguments for a page's parse (:func:`._batch.parse_markdown_many`)."""
    return ["-f", READER, "-t", "json", "--lua-filter", str(resource("filters", "parse.lua"))]


def walk(node: object) -> Iterator[dict]:
    """Yield every element (a dict with a 't' key) under *node*, parents before children, in
    document order. An element's children are looked at when the caller asks for the next
    element, so a caller may replace or extend the content of the element it was just given."""
    # Type dispatch on the JSON's own types (dict, list, str, int): the render walks the
    # pages' trees a few hundred thousand elements in all. Strings and numbers are never
    # pushed; an element's only container is usually its "c".
    if isinstance(node, list) and type(node) is not list:
        node = list(node)
    stack = [node] if isinstance(node, dict | list) else []
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        if type(item) is list:
            if len(item) == 1:
                child = item[0]
                if type(child) is dict or type(child) is list:
                    push(child)
            else:
                extend([v for v in reversed(item) if type(v) is dict or type(v) is list])
            continue
        if "t" in item:
            yield item
            if len(item) == 1 or (len(item) == 2 and "c" in item):  # {"t"} or {"t", "c"}
                c = item.get("c")
                if type(c) is list or type(c) is dict:
                    push(c)
                continue
        extend([v for v in reversed(item.values()) if type(v) is dict or type(v) is list])


def stringify(node: object) -> str:
    """The plain text of inlines (or of any element), as pandoc's `stringify`."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t, c = node.get("t"), node.get("c")
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t in ("Code", "Math"):
        return c[1]
    if t in ("RawInline", "RawBlock", "Note"):
        return ""
    if t in ("Link", "Image", "Span", "Cite", "Quoted"):
        return stringify(c[1])
    if t in ("Header",):
        return stringify(c[2])
    return stringify(c) if isinstance(c, list) else ""


def attr_get(attr: list, key: str) -> str | None:
    """Value of *key* in a pandoc attribute triple, or None."""
    return next((v for k, v in attr[2] if k == key), None)


def attr_set(attr: list, key: str, value: str | None) -> None:
    """Set (or with None, remove) *key* in a pandoc attribute triple."""
    attr[2] = [[k, v] for k, v in attr[2] if k != key]
    if value is not None:
        attr[2].append([key, value])


def element_attr(el: dict) -> list | None:
    """The attribute triple of an element that has one."""
    t, c = el["t"], el.get("c")
    if t in ("Image", "Link", "Span", "Code", "Div", "Figure", "Table", "CodeBlock"):
        return c[0]
    if t == "Header":
        return c[1]
    return None


def text_inlines(text: str) -> list[dict]:
    """Inlines for plain *text*."""
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def span(cls: str, text: str) -> dict:
    """A Span with one class holding plain *text*."""
    return {"t": "Span", "c": [["", [cls], []], text_inlines(text)]}


def raw_inline(fmt: str, text: str) -> dict:
    """A raw inline in format *fmt*."""
    return {"t": "RawInline", "c": [fmt, text]}


def meta_raw(fmt: str, text: str) -> dict:
    """A metadata value that a template prints verbatim in format *fmt*."""
    return {"t": "MetaInlines", "c": [raw_inline(fmt, text)]}


def meta_str(text: str) -> dict:
    """A plain-string metadata value (escaped by the writer)."""
    return {"t": "MetaString", "c": text}
