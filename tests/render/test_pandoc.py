"""The pandoc JSON helpers: :func:`walk` visits what a plain recursive walk visits."""

from __future__ import annotations

from wfscc.render._pandoc import text_inlines, walk


def _reference(node):
    """Every dict with a 't' key under *node*, parents first, in document order."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _reference(value)
    elif isinstance(node, list):
        for value in node:
            yield from _reference(value)


def _doc() -> list:
    cite = {"t": "Cite", "c": [[{"citationId": "fig-a", "citationPrefix": text_inlines("see"),
                                 "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
                                 "citationNoteNum": 1, "citationHash": 0}],
                               [{"t": "Str", "c": "@fig-a"}]]}
    return [
        {"t": "Header", "c": [1, ["intro", ["unnumbered"], [["k", "v"]]], text_inlines("A b")]},
        {"t": "Para", "c": [*text_inlines("one two"), cite, {"t": "SoftBreak"}]},
        {"t": "Div", "c": [["", ["callout"], []], [{"t": "Plain", "c": [{"t": "Str", "c": "x"}]}]]},
        {"t": "Table", "c": [["tbl-a", [], []], [None, []], [[{"t": "AlignDefault"},
                             {"t": "ColWidthDefault"}]], ["", [], []], [], []]},
        {"t": "Custom", "c": [], "extra": [{"t": "Str", "c": "kept"}]},
    ]


def test_walk_visits_every_element_in_document_order():
    doc = _doc()
    assert [id(e) for e in walk(doc)] == [id(e) for e in _reference(doc)]
    assert [e["t"] for e in walk({"blocks": doc})][:4] == ["Header", "Str", "Space", "Str"]
    names = [e["t"] for e in walk(doc)]
    assert "NormalCitation" in names and "kept" in [e.get("c") for e in walk(doc)]
    assert list(walk("text")) == [] and list(walk([1, "a", None])) == []


def test_walk_follows_content_the_caller_replaced():
    doc = [{"t": "Cite", "c": [[], [{"t": "Str", "c": "@x"}]]}, {"t": "Str", "c": "end"}]
    seen = []
    for el in walk(doc):
        seen.append(el["t"])
        if el["t"] == "Cite":
            el["t"], el["c"] = "Span", [["", [], []], [{"t": "Emph", "c": []}]]
    assert seen == ["Cite", "Emph", "Str"]
