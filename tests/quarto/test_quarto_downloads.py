"""Every page of the Quarto site links to the report as published (report.pdf) and to the review
copy for comments (report.docx), as the built-in engine's page header does (issue 18), and each
link resolves to the file in the built site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]

DOWNLOADS = ("report.pdf", "report.docx")


def _pages(site: Path) -> list[Path]:
    return sorted(
        p
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("pagefind/", "site_libs/", "assets/"))
    )


def test_every_quarto_page_links_to_the_pdf_and_the_review_copy(quarto_site: Path):
    for name in DOWNLOADS:
        assert (quarto_site / name).is_file(), name
    pages = _pages(quarto_site)
    assert len(pages) > 10
    for page in pages:
        if page.name == "summary.html":  # the Research Summary is its own page, outside the book
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        rel = page.relative_to(quarto_site).as_posix()
        found = set()
        for a in soup.find_all("a", href=True):
            target = urlparse(urljoin(f"http://site/{rel}", a["href"])).path.lstrip("/")
            if target in DOWNLOADS:
                found.add(target)
        assert found == set(DOWNLOADS), f"{rel}: links to {sorted(found)}"
