"""Helpers for the guard cache's tests: a scan through a cache, and counters of the guard's
extraction and detection steps."""

from __future__ import annotations

from pathlib import Path

from guard_support import (
    ADVISER,
    INTERVIEW,
    PARTICIPANT,
    PROSE,
    guard_kwargs,
    write_pdf,
    write_tables,
    write_xlsx,
)

import wfscc.guard._documents as documents
import wfscc.guard.scan as scan_module
from wfscc.guard import _memo, scan_outputs


def scan(root, cache=None, **kw):
    return scan_outputs(root, **{**guard_kwargs(), **kw}, cache_dir=cache)


class Calls:
    """Counts calls of the guard's extraction and detection steps, by file."""

    def __init__(self, monkeypatch):
        self.extracted: list[str] = []
        self.detected: list[str] = []
        self.pdfs = 0
        segments, detect, pdf = (
            scan_module._segments,
            scan_module._scan_segments,
            documents.pdf_segments,
        )

        def counted_segments(path, rel, vendored):
            self.extracted.append(rel)
            return segments(path, rel, vendored)

        def counted_detect(detector, rel, segs, threshold=10):
            self.detected.append(rel)
            return detect(detector, rel, segs, threshold)

        def counted_pdf(path):
            self.pdfs += 1
            return pdf(path)

        monkeypatch.setattr(scan_module, "_segments", counted_segments)
        monkeypatch.setattr(scan_module, "_scan_segments", counted_detect)
        monkeypatch.setattr(documents, "pdf_segments", counted_pdf)

    def reset(self):
        self.extracted, self.detected, self.pdfs = [], [], 0


def files_of(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def entries(cache: Path, kind: str) -> list[Path]:
    """The store's files of one kind: "index" (clean keys, where segments are) or "segments"
    (one batch per scan that read new files)."""
    return sorted(p for p in cache.glob(f"guard-*/{kind}/*") if not p.name.startswith("."))


def kept(cache: Path) -> tuple[set[str], set[str]]:
    """(the clean keys, the segments keys) the cache holds, as a scan reads them."""
    return _memo.GuardMemo(cache, "any parameters").kept()


def plant_leaks(site: Path) -> None:
    page = site / "chapter-1.html"
    page.write_text(page.read_text().replace("Figure 1", f"Figure 1 ({PARTICIPANT})"))
    write_pdf(site / "report.pdf", f"{PROSE}\n\nInterview {INTERVIEW} was long.", alt=ADVISER)
    write_xlsx(site / "tables.xlsx", {"A1": "Starts", "B3": f"see {PARTICIPANT}"})
    write_tables(site, [120, 3, None, 40])
    (site / "extra.csv").write_text("la_code,starts\nP01,4\nP02,120\n")
