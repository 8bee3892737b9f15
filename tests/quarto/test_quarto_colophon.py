"""`wfscc build --engine quarto` hands report.pdf's verso its one line of provenance
(`wfscc-colophon` in the staged `_quarto.yml`, read by report/_report-typst/typst-show.typ), in
the built-in engine's form: the build date, not the timestamp beside it. No Quarto needed."""

from __future__ import annotations

from pathlib import Path

import yaml

from wfscc.render._quarto import _footer


def test_colophon_is_one_line_without_the_timestamp(tmp_path: Path):
    (tmp_path / "_quarto.yml").write_text("book:\n  title: T\n", encoding="utf-8")
    items = [
        ("Version", "1.2"),
        ("Commit", "abc123"),
        ("Build timestamp", "2026-11-30T09:00:00Z"),
        ("Build date", "30 November 2026"),
    ]
    _footer(tmp_path, items)
    config = yaml.safe_load((tmp_path / "_quarto.yml").read_text(encoding="utf-8"))
    assert (
        config["wfscc-colophon"] == "Version: 1.2 · Commit: abc123 · Build date: 30 November 2026"
    )
    # the site's footer keeps every item
    assert "Build timestamp: 2026-11-30T09:00:00Z" in config["book"]["page-footer"]["center"]
    assert config["book"]["title"] == "T"


def test_report_partial_reads_the_colophon_and_the_publication():
    show = (Path(__file__).resolve().parents[2] / "report/_report-typst/typst-show.typ").read_text(
        encoding="utf-8"
    )
    for key in (
        "wfscc-colophon",
        "wfscc.publication.isbn",
        "wfscc.publication.copyright",
        "wfscc.publication.licence-url",
        "wfscc.publication.research-by",
    ):
        assert f"$if({key})$" in show, key
