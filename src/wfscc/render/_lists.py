"""The lists of tables and figures, under the headings `{#list-of-tables}` and
`{#list-of-figures}` of a chapter (`report/lists.qmd`).

On the site and in the review copy each list is a list of links, "Table 4.1: caption", made
from the cross-reference map, in book order (the Research Summary's own tables and figures are
not the report's and are left out). In `report.pdf` the list is Typst's own outline of the
figures it holds, with page numbers, so that it lists what the PDF prints.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from ._pandoc import text_inlines
from ._project import load_book

#: heading id → (the kind of numbered item, the Typst figure kind)
LISTS = {"list-of-tables": ("tbl-", "table"), "list-of-figures": ("fig-", "image")}
LIST_CLASS = "wfscc-list"


def _listing(prefix: str, xref: dict[str, dict], skip_pages: set[str]) -> dict:
    items = []
    for ident, ref in xref.items():
        if not ident.startswith(prefix) or ref["page"] in skip_pages:
            continue
        label = f"{ref['text']}: {ref.get('caption', '')}".rstrip(": ")
        link = {"t": "Link", "c": [["", [], []], text_inlines(label),
                                   [f"wfscc:{ref['page']}#{ident}", ""]]}
        items.append([{"t": "Plain", "c": [link]}])
    body = [{"t": "BulletList", "c": items}] if items else [
        {"t": "Para", "c": text_inlines("There are none in this edition.")}]
    return {"t": "Div", "c": [["", [LIST_CLASS, prefix.rstrip("-")], []], body]}


def add_lists(docs: list[dict], xref: dict[str, dict], skip_pages: set[str]) -> None:
    """Put the list of tables (figures) after each `{#list-of-tables}` (`-figures`) heading of
    *docs*; numbered items on *skip_pages* are not listed."""
    for doc in docs:
        blocks = doc["blocks"]
        for i in reversed(range(len(blocks))):
            block = blocks[i]
            if block["t"] == "Header" and block["c"][1][0] in LISTS:
                prefix = LISTS[block["c"][1][0]][0]
                blocks.insert(i + 1, _listing(prefix, xref, skip_pages))


def typst_lists(blocks: list) -> list:
    """*blocks* (a document for Typst) with each list replaced by Typst's outline of that kind
    of figure."""
    out = []
    for block in blocks:
        classes = block["c"][0][1] if block["t"] == "Div" else []
        if LIST_CLASS in classes:
            kind = "table" if "tbl" in classes else "image"
            block = {"t": "RawBlock",
                     "c": ["typst", f"#outline(title: none, target: figure.where(kind: {kind}))"]}
        out.append(block)
    return out


# A numbered float on a page Quarto rendered: its id, then its caption ("Table&nbsp;7.1: ...").
_QUARTO_FLOAT = re.compile(
    r'<div id="((?:fig|tbl)-[\w-]+)" class="quarto-float[^"]*"'
    r".*?<figcaption[^>]*>(.*?)</figcaption>", re.S)


def _plain_html(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ").split())


def fill_quarto_lists(project_dir: Path, out_dir: Path) -> None:
    """The same lists on the site Quarto rendered into *out_dir* (its pages mirror the sources):
    every numbered table and figure of the book's chapters, read from the pages, linked from
    under the `list-of-tables` and `list-of-figures` headings. Quarto's own PDF keeps the two
    headings without lists (README: the engines' differences)."""
    book = load_book(project_dir)
    found: dict[str, list[tuple[Path, str, str]]] = {"tbl-": [], "fig-": []}
    lists_page = None
    for ch in book.chapters:
        page = out_dir / ch.rel.with_suffix(".html")
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        if 'id="list-of-tables"' in text or 'id="list-of-figures"' in text:
            lists_page = page
        for m in _QUARTO_FLOAT.finditer(text):
            found[m.group(1)[:4]].append((page, m.group(1), _plain_html(m.group(2))))
    if lists_page is None:
        return
    text = lists_page.read_text(encoding="utf-8")
    if LIST_CLASS in text:  # filled already
        return
    for ident, (prefix, _) in LISTS.items():
        items = "".join(
            f'<li><a href="{html.escape(os.path.relpath(page, lists_page.parent))}#{fid}">'
            f"{html.escape(caption)}</a></li>\n" for page, fid, caption in found[prefix])
        block = (f'<ul class="{LIST_CLASS}">\n{items}</ul>\n' if items
                 else "<p>There are none in this edition.</p>\n")
        text = re.sub(rf'(<h2[^>]*(?:data-anchor-id|id)="{ident}"[^>]*>.*?</h2>\n?)',
                      lambda m, block=block: m.group(1) + block, text, count=1, flags=re.S)
    lists_page.write_text(text, encoding="utf-8")
