"""The guard is quick on a site of a few hundred files and with a million identifiers."""

from __future__ import annotations

import shutil
import time

from guard_support import (
    IDENTIFIERS,
    NAMES,
    clean_body,
    clean_notebook_outputs,
    guard_kwargs,
    html_page,
    write_notebook,
)

from wfscc.guard import scan_outputs
from wfscc.guard._detect import Detector


def test_a_few_hundred_files_scan_in_seconds(site):
    page = html_page(clean_body())
    for n in range(120):
        (site / f"page-{n}.html").write_text(page)
        shutil.copyfile(site / "data" / "starts_by_la.csv", site / "data" / f"t{n}.csv")
    for n in range(20):
        write_notebook(site / "notebooks" / f"la_{n}.ipynb", clean_notebook_outputs())
    ids = set(IDENTIFIERS) | {f"QQ{i:06d}{'ABCD'[i % 4]}" for i in range(50_000)}
    files = sum(1 for p in site.rglob("*") if p.is_file())
    assert files > 250
    start = time.perf_counter()
    assert scan_outputs(site, **{**guard_kwargs(), "identifiers": ids}) == []
    elapsed = time.perf_counter() - start
    print(f"{files} files in {elapsed:.2f} s")
    assert elapsed < 10  # about 1 s on an idle machine; generous for a loaded CI runner


def test_a_million_identifiers_are_looked_up_not_compiled():
    ids = [f"QQ{i:06d}{'ABCD'[i % 4]}" for i in range(1_000_000)] + ["INT-0042", "S004321"]
    detector = Detector(ids, NAMES)
    text = "Nothing here but P01, 2010 and 14 per cent. " * 20_000 + " QQ000007D INT-0042"
    start = time.perf_counter()
    hits = detector.find(text)
    assert time.perf_counter() - start < 5
    assert [(h.kind, h.text) for h in hits] == [
        ("identifier", "QQ000007D"),
        ("identifier", "INT-0042"),
    ]
