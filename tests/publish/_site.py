"""Helpers for the publish tests (a module of its own: conftest.py cannot be imported by name)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
NOT_CONTENT = {"pagefind"}  # generated bundles, not pages a reader opens


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root ("profiles/P01.html")."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not NOT_CONTENT & set(p.relative_to(site).parts))


def chapter_pages(site: Path) -> list[str]:
    """Numbered chapters and annexes ("01-introduction.html", "annex-b-technical.html")."""
    return [p for p in site_pages(site) if re.match(r"(\d\d|annex)-[\w-]+\.html$", p)]


class Offline:
    """Records every request; those that would leave the machine are aborted and kept here."""

    def __init__(self) -> None:
        self.outside: list[str] = []

    @staticmethod
    def is_local(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "blob", "about"):
            return True
        return parts.scheme in ("http", "https", "ws") and parts.hostname in LOCAL_HOSTS

    def route(self, route) -> None:
        url = route.request.url
        if self.is_local(url):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def on_request(self, request) -> None:  # also catches anything routing does not see
        if not self.is_local(request.url) and request.url not in self.outside:
            self.outside.append(request.url)


def wait_for_search(page, timeout: float = 10_000) -> None:
    """Pagefind builds its search box after load: wait for it (served over HTTP)."""
    page.wait_for_selector(".pagefind-ui__search-input", timeout=timeout)


PLACEHOLDER_ALT = {
    "image", "img", "picture", "photo", "chart", "graph", "plot", "figure", "diagram", "icon",
    "alt", "alt text", "placeholder", "untitled", "todo", "tbd", "none", "null", "undefined",
    "no alt text", "description", "image description",
}
PLACEHOLDER_PATTERNS = [
    re.compile(r"no description has been provided", re.I),          # nbconvert's filler
    re.compile(r"\.(png|svg|jpe?g|gif|webp|pdf)$", re.I),           # a file name
    re.compile(r"^(img|data|image|figure|fig)[-_][\w-]*$", re.I),   # an asset or label id
    re.compile(r"^(figure|table|chart|image)\s*[A-Z]?[\d.]*:?$", re.I),  # only "Figure 1.2"
    re.compile(r"^<matplotlib\.|^<Figure size", re.I),              # a repr
]


def placeholder_alt(alt: str, src: str = "") -> str | None:
    """Why *alt* (non-empty) is a placeholder rather than a description, or None if it is fine."""
    alt = " ".join(alt.split())
    if alt.lower().strip(".") in PLACEHOLDER_ALT:
        return f"placeholder alt {alt!r}"
    for pattern in PLACEHOLDER_PATTERNS:
        if pattern.search(alt):
            return f"placeholder alt {alt!r}"
    name = Path(src).name
    if name and alt in (name, Path(name).stem):
        return f"alt is the file name {alt!r}"
    if len(alt.split()) < 3:
        return f"alt too short to describe anything: {alt!r}"
    return None
