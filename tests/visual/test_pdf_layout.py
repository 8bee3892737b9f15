"""Every page of both PDFs of a default build, as a reader sees them: no words printed over
words or off the page, no page blank but for its footer or nearly blank before a block pushed
to the next page, no table continued without its header. The page images are kept in
`_build/screenshots/` (report-p001.png …, summary-p001.png …) for a person to look at."""

from __future__ import annotations

from collections import defaultdict

import pytest

from wfscc.layoutcheck import check_pdf, page_images, read_pages

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]


def _summary(faults) -> str:
    """One line per page and kind of fault (a table over itself gives thousands of pairs)."""
    grouped = defaultdict(list)
    for fault in faults:
        grouped[(fault.page, fault.kind)].append(fault.detail)
    return "\n".join(
        f"p. {page}: {kind} ({len(d)}x), e.g. {'; '.join(d[:2])}"
        for (page, kind), d in sorted(grouped.items())
    )


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_every_page_is_laid_out_cleanly(built_site, shots, require_tool, name):
    require_tool("pdftotext")
    require_tool("pdftoppm")
    pdf = built_site / name
    pages = read_pages(pdf)
    images = page_images(pdf, shots, pdf.stem)
    assert len(images) == len(pages) >= (40 if name == "report.pdf" else 2)
    faults = check_pdf(pdf)
    assert not faults, f"{name}: layout faults (page images in {shots}):\n{_summary(faults)}"
