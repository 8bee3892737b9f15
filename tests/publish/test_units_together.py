"""A number and its unit on one line (issue 16: "three per cent" wrapped onto two lines): in the
built site's pages a number is joined to "per cent" / "percentage points" by non-breaking
spaces, and no line of either PDF ends with a number whose unit opens the next line."""

from __future__ import annotations

import re
import subprocess

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]

NUMBER = r"(?:\d[\d,.]*|zero|one|two|three|four|five|six|seven|eight|nine)"
UNIT = r"(?:per\s+cent|percentage\s+points?)"
# the build's own pages (site only) list facts as data, not prose
BUILD_PAGES = {"about-build.html", "number-check.html", "changes.html"}


def test_site_prose_joins_numbers_to_their_units(site):
    broken = []
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.parts or page.name in BUILD_PAGES:
            continue
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
        if main is None:
            continue
        text = main.get_text()
        broken += [f"{page.name}: {m.group()!r}"
                   for m in re.finditer(rf"\b{NUMBER}[ \n\t]+{UNIT}", text)]
    assert not broken, "\n".join(broken[:20])


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_no_pdf_line_parts_a_number_from_its_unit(site, require_tool, name):
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, str(site / name), "-"], capture_output=True, text=True,
                          check=True).stdout
    parted = re.findall(rf"\b{NUMBER}[ \u00a0]*\n[ \u00a0]*(?:per\s+cent|percentage)", text)
    assert not parted, parted[:10]
