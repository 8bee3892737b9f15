"""The files a Typst compile's cache key holds (`_typst.named_files`): those whose path its
source names, exactly as a search of the source for each path finds them."""

from __future__ import annotations

from pathlib import Path

from wfscc.render._typst import named_files


def test_named_files_are_the_paths_the_source_holds():
    source = (
        '#image("assets/img-aa.svg", alt: "x")\n#image("media/bb.png")\n'
        "see assets/img-cc.svg.bak and xassets/img-dd.svg; media/ee"
        '\n#include "part one.typ"\nmedia/xassets/img-ff.svg'
    )
    rels = [
        "assets/img-aa.svg",
        "assets/img-cc.svg",
        "assets/img-dd.svg",
        "assets/img-ff.svg",
        "assets/img-zz.svg",
        "media/bb.png",
        "media/ee",
        "media/e",
        "media/eee",
        "part one.typ",
        "other.typ",
        "assets/img-a",
    ]
    files = [(rel, Path("/build") / rel) for rel in sorted(rels)]
    expected = [(rel, path) for rel, path in files if rel in source]
    assert named_files(source, files) == expected
    assert {rel for rel, _ in expected} >= {
        "assets/img-aa.svg",
        "assets/img-ff.svg",
        "media/e",
        "part one.typ",
        "assets/img-a",
    }
    assert named_files("", files) == []
