"""Every page of the full built site, as a reader meets it: opened in Debian's chromium with
nothing allowed off the machine, axe-core finds no WCAG 2.2 A/AA violation; every image has
meaningful alt text."""

from __future__ import annotations

import html.parser
import re

import pytest
from _site import placeholder_alt, site_pages, wait_for_search

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("built_site")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Axe's best practices too: the landmark rules (one main, all content in a landmark, unique
# names) are how the "header, navigation, main region and footer" is checked.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
               "resultTypes": ["violations"]}


def _axe_report(name: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        kind = "WCAG" if set(v["tags"]) & set(WCAG_TAGS) else "best practice"
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{name}: {v['id']} ({kind}, {v['impact']}) at {target}: {v['help']}")
    return lines


def _run_axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def _open_everything(page) -> None:
    """Open every "Show the data" panel, as a reader would, so axe checks what is inside too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_site_has_every_page(site):
    pages = set(site_pages(site))
    profiles = sorted(p.stem for p in (site / "notebooks").glob("*.ipynb"))
    assert len(profiles) == 10
    expected = {"index.html", "summary.html", "changes.html",
                *(f"profiles/{la}.html" for la in profiles)}
    assert expected <= pages, sorted(expected - pages)
    assert len([p for p in pages if re.match(r"\d\d-", p)]) >= 8, sorted(pages)


@pytest.mark.browser
def test_axe_finds_no_wcag_violations_on_any_page(site, server, page, offline):
    """Every page over HTTP (search box live, data panels open): zero violations, nothing off the
    machine, every local resource found, no script error."""
    problems: list[str] = []
    broken: list[str] = []
    errors: list[str] = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    names = site_pages(site)
    for name in names:
        page.goto(f"{server}/{name}", wait_until="load")
        wait_for_search(page)
        _open_everything(page)
        problems += _axe_report(name, _run_axe(page))
    assert not problems, f"axe: {len(problems)} violation(s) on the site:\n" + "\n".join(problems)
    assert offline.outside == [], f"requests off the machine: {offline.outside}"
    assert broken == [], f"local resources that failed to load: {broken}"
    assert errors == [], f"script errors: {errors}"
    assert len(names) >= 20


@pytest.mark.browser
def test_pages_opened_from_disk_are_accessible_and_offline(site, page, offline):
    """From file:// the search box is replaced by a sentence: check that state too, on a page at
    the root and one a folder down."""
    problems: list[str] = []
    for name in ("index.html", "profiles/P01.html"):
        page.goto((site / name).as_uri(), wait_until="load")
        assert "served over HTTP" in page.inner_text("#search")
        assert page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length") == 0
        problems += _axe_report(name + " (file://)", _run_axe(page))
    assert not problems, "\n".join(problems)
    assert offline.outside == []


@pytest.mark.browser
def test_search_results_are_accessible(server, page, offline):
    """Searching is part of the site: the results list passes axe too."""
    page.goto(f"{server}/index.html")
    wait_for_search(page)
    page.fill(".pagefind-ui__search-input", "lone parents")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    problems = _axe_report("index.html (search results)", _run_axe(page))
    assert not problems, "\n".join(problems)
    assert offline.outside == []


# What axe leaves out: placeholder text and the border that shows where the search box is.
SEARCH_COLOURS = """() => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const input = document.querySelector('.pagefind-ui__search-input');
  const box = getComputedStyle(input), ph = getComputedStyle(input, '::placeholder');
  const [r, g, b, a = 1] = rgba(ph.color), o = a * Number(ph.opacity || 1);
  const bg = rgba(box.backgroundColor);
  return {placeholder: [0, 1, 2].map(i => [r, g, b][i] * o + bg[i] * (1 - o)),
          border: rgba(box.borderTopColor).slice(0, 3), background: bg.slice(0, 3)};
}"""


def _contrast(one: list[float], two: list[float]) -> float:
    def luminance(rgb):
        lin = [(c / 255 / 12.92) if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
               for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
def test_search_box_can_be_seen(server, page, offline):
    """WCAG 1.4.3 for the placeholder text and 1.4.11 (3:1) for the box's border."""
    page.goto(f"{server}/index.html")
    wait_for_search(page)
    colours = page.evaluate(SEARCH_COLOURS)
    placeholder = _contrast(colours["placeholder"], colours["background"])
    border = _contrast(colours["border"], colours["background"])
    assert placeholder >= 4.5, f"placeholder text contrast {placeholder:.1f}:1 ({colours})"
    assert border >= 3, f"search box border contrast {border:.1f}:1 ({colours})"


class _Images(html.parser.HTMLParser):
    """Every <img>, <svg> and role="img" element of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v if v is not None else "" for k, v in attrs}
        if tag in ("img", "svg", "area") or attrs.get("role") == "img" or \
                (tag == "input" and attrs.get("type") == "image"):
            self.found.append((tag, attrs))


def _alt_problem(tag: str, attrs: dict[str, str]) -> str | None:
    decorative = attrs.get("role") in ("presentation", "none") or \
        attrs.get("aria-hidden") == "true"
    if tag == "svg" or (tag != "img" and "alt" not in attrs):
        text = attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get("title")
        if decorative or text:
            return None
        return "no accessible name (aria-label / aria-labelledby)"
    if "alt" not in attrs:
        return "no alt attribute"
    alt = " ".join(attrs["alt"].split())
    if alt == "":
        return None if decorative else "empty alt on an image that is not marked decorative"
    if decorative:
        return "decorative image with a non-empty alt"
    return placeholder_alt(alt, attrs.get("src", ""))


def test_no_placeholder_alt_text_anywhere(site):
    problems, images = [], 0
    for name in site_pages(site):
        parser = _Images()
        parser.feed((site / name).read_text(encoding="utf-8"))
        for tag, attrs in parser.found:
            images += 1
            why = _alt_problem(tag, attrs)
            if why:
                problems.append(f"{name}: <{tag} src={attrs.get('src', '')!r}>: {why}")
    assert not problems, "\n".join(problems)
    assert images >= 15  # every LA profile and several chapters have charts


class _Names(html.parser.HTMLParser):
    """The text (visually hidden words included) of every link and "Show the data" summary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.summaries: list[str] = []
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "a" and attrs.get("href")) or tag == "summary":
            self._open.append((tag, attrs.get("aria-label") or "", []))
            self._open[-1][2].append(attrs.get("href") or "")

    def handle_data(self, data):
        for _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, label, (href, *parts) = self._open.pop()
            name = label or " ".join("".join(parts).split())
            if tag == "a":
                self.links.append((name, href))
            else:
                self.summaries.append(name)


def test_links_and_data_panels_say_where_they_lead(site):
    """WCAG 2.4.4 and 2.4.6 on every page: links with the same name go to the same place, and each
    "Show the data" panel names its figure."""
    from urllib.parse import urljoin

    problems = []
    for name in site_pages(site):
        parser = _Names()
        parser.feed((site / name).read_text(encoding="utf-8"))
        targets: dict[str, set[str]] = {}
        for text, href in parser.links:
            if not text:
                problems.append(f"{name}: a link to {href} has no text")
            targets.setdefault(text, set()).add(urljoin(f"/{name}", href))
        problems += [f"{name}: links named {text!r} lead to {sorted(hrefs)}"
                     for text, hrefs in targets.items() if len(hrefs) > 1]
        repeated = {s for s in parser.summaries if parser.summaries.count(s) > 1}
        problems += [f"{name}: {parser.summaries.count(s)} panels named {s!r}" for s in repeated]
    assert not problems, "\n".join(problems)


def test_no_nbconvert_placeholder_in_published_files(site):
    """nbconvert's filler alt passes axe, so look for it in every published text file."""
    hits = [p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".ipynb", ".json", ".svg", ".js")
            and "no description has been provided" in p.read_text("utf-8", "replace").lower()]
    assert hits == []


@pytest.mark.parametrize("alt, bad", [
    ("image", True), ("Chart", True), ("img-0741d216118f32dc.svg", True),
    ("No description has been provided for this image", True), ("Figure 1.2", True),
    ("fig-takeup", True), ("", True),
    ("Line chart of monthly pilot starts in P01", False),
])
def test_alt_text_rules(alt, bad):
    assert (_alt_problem("img", {"src": "assets/img-0741d216118f32dc.svg", "alt": alt})
            is not None) == bad
