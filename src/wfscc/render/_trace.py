"""Traceable numbers: each fact a page cites is marked `data-fact="<name>"` on the site.

A `{{< var name >}}` in prose, a list, a heading or a table cell becomes the bracketed span
`[text]{data-fact="name"}`, which pandoc (and Quarto, which reads a var's value as Markdown)
turns into `<span data-fact="name">text</span>` in HTML and into the bare text in Typst. Where
a span cannot stand (inside an attribute such as `fig-alt="..."`, in the YAML front matter, in a
code block or a raw HTML line) the value goes in plain, so alt texts and the PDFs do not change.

The build writes the staged `_variables.yml` marked (`marked_variables`), for Quarto, which
inserts the values itself: in an attribute Quarto stringifies the value, which drops the span,
and its Typst output is the same as without marks. The built-in engine reads the same file and
takes the mark off (`unmark`) where a span cannot stand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_SHORTCODE = re.compile(r"\{\{\{?<.*?>\}\}\}?")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def mark(name: str, text: str) -> str:
    """The Markdown of a fact's (already escaped) *text* marked with its *name* (once)."""
    if not text.strip() or not _NAME.match(name) or text != unmark(name, text):
        return text
    return f'[{text}]{{data-fact="{name}"}}'


def unmark(name: str, text: str) -> str:
    """*text* without the mark of :func:`mark`, for places where a span cannot stand."""
    suffix = f'{{data-fact="{name}"}}'
    if text.startswith("[") and text.endswith("]" + suffix):
        return text[1 : -len(suffix) - 1]
    return text


def marked_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """Every value of a flat `_variables.yml` mapping marked with its name."""
    return {name: mark(name, str(text)) for name, text in variables.items()}


def in_attributes(line: str, pos: int) -> bool:
    """True when *pos* in *line* lies inside an attribute block `{...}` (or an HTML tag)."""
    before = _SHORTCODE.sub("", line[:pos])
    brace = before.rfind("{") > before.rfind("}")
    tag = before.rfind("<") > before.rfind(">")
    return brace or tag


def plain_lines(text: str) -> set[int]:
    """Line numbers (from 1) where a mark cannot stand: the YAML front matter, fenced code and
    raw blocks, and lines of raw HTML."""
    lines = text.splitlines()
    plain: set[int] = set()
    n = 0
    if lines and lines[0].strip() == "---":
        ends = [i for i, line in enumerate(lines[1:], start=2) if line.strip() in ("---", "...")]
        n = ends[0] if ends else len(lines)
        plain.update(range(1, n + 1))
    fence: str | None = None
    for lineno, line in enumerate(lines, start=1):
        if lineno <= n:
            continue
        m = _FENCE.match(line)
        if fence is not None:
            plain.add(lineno)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            plain.add(lineno)
        elif line.lstrip().startswith("<"):
            plain.add(lineno)
    return plain
