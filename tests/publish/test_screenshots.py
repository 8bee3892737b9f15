"""Pictures for a person to look at: the summary's first page (pdftoppm) and the site's home page
(chromium, desktop and phone widths), kept under `<repo>/_build/screenshots/`, which git ignores
and the build never publishes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _site import wait_for_search
from PIL import Image, ImageStat

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]


@pytest.fixture(scope="module")
def shots(repo_root: Path) -> Path:
    folder = repo_root / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_png(path: Path, *, min_width: int, min_height: int) -> Image.Image:
    with Image.open(path) as image:
        image.load()
    assert image.format == "PNG"
    assert image.width >= min_width and image.height >= min_height, image.size
    # Not blank: a page of text and charts has a spread of tones.
    assert max(ImageStat.Stat(image.convert("L")).stddev) > 10, f"{path} looks blank"
    return image


def test_screenshots_folder_is_not_published(repo_root):
    ignored = (repo_root / ".gitignore").read_text(encoding="utf-8").split()
    assert "_build/" in ignored or "_build" in ignored or "/_build/" in ignored


def test_summary_first_page_as_png(site, shots, require_tool):
    pdftoppm = require_tool("pdftoppm")
    target = shots / "summary-page1"
    subprocess.run([pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                    str(site / "summary.pdf"), str(target)], check=True, capture_output=True)
    image = _check_png(target.with_suffix(".png"), min_width=800, min_height=1200)
    assert image.height > image.width  # A4 portrait


@pytest.mark.browser
@pytest.mark.parametrize("label, width, height", [("desktop", 1280, 900), ("phone", 390, 844)])
def test_home_page_as_png(server, page, offline, shots, label, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}/index.html")
    wait_for_search(page)
    target = shots / f"home-{label}.png"
    page.screenshot(path=str(target), full_page=True)
    # On a phone nothing may scroll sideways (WCAG 1.4.10 reflow).
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    _check_png(target, min_width=width, min_height=height)
    assert overflow <= 0, f"{label}: the page scrolls sideways by {overflow}px"
    assert offline.outside == []
