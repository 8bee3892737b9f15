"""The lists of tables and figures, under the headings `{#list-of-tables}` and
`{#list-of-figures}` of a chapter (`report/lists.qmd`).

On the site and in the review copy each list is a list of links, "Table 4.1: caption", made
from the cross-reference map, in book order (the Research Summary's own tables and figures are
not the report's and are left out). In `report.pdf` the list is Typst's own outline of the
figures it holds, with page numbers, so that it lists what the PDF prints.
"""

from __future__ import annotations

from ._pandoc import text_inlines

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
