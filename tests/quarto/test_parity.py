"""The two engines give the same book: `wfscc build --engine quarto` against the built-in engine,
on the shipped data (one build of each per session: `quarto_site`, `built_site`).

What may differ is the closed list in the README ("Two engines, one book"): page chrome, CSS and
scripts, where pages and assets live (Quarto keeps the chapters under `report/`), heading and
figure numbers' typography. Everything compared here is content and must be equal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

# one worker builds the Quarto site once for all of these (make test: --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.quarto, pytest.mark.xdist_group("quarto")]

NUMBER = re.compile(r"^(?:(?:Annex|Appendix)\s+)?(?:[A-Z]|\d+)(?:\.\d+)*\s*[:—–.]?\s+")


def _pages(site: Path) -> dict[str, Path]:
    """The site's pages by name, below the chapters' folder (`report/` in Quarto's output)."""
    found = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "site_libs/", "assets/")):
            continue
        found[rel.removeprefix("report/")] = path
    return found


def _main(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup.body
    for junk in main.select("nav, script, style, .quarto-title-breadcrumbs"):
        junk.decompose()
    block = main.select_one("#title-block-header")
    if block is not None and len(main.find_all("h1")) > 1:  # Quarto's home page: the book title
        block.decompose()
    return main


def _text(node) -> str:
    """Text with spaces collapsed and typographic apostrophes made plain (Quarto's smart
    punctuation also reaches attributes such as alt text)."""
    text = node if isinstance(node, str) else node.get_text(" ")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2019", "'")).strip()


def _table_captions(main) -> list[str]:
    """Table captions without their "Table 2.1:" label (Quarto writes them as figcaptions)."""
    found = main.find_all("caption") + main.select("figcaption.quarto-float-tbl")
    return [re.sub(r"^Table\s+[\w.]+:\s*", "", _text(c)) for c in found]


def _headings(main) -> list[str]:
    """Level 1-3 heading texts without their numbers ("2.1", "Annex B:", "A")."""
    out = []
    for h in main.find_all(["h1", "h2", "h3"]):
        text = _text(h)
        while NUMBER.match(text):
            text = NUMBER.sub("", text, count=1)
        out.append(text)
    return out


def _figures(main) -> list[tuple[str, str]]:
    """(alt text, caption without its "Figure 2.1:" label) of every chart."""
    out = []
    for img in main.find_all("img"):
        figure = img.find_parent("figure")
        cap = figure.find("figcaption") if figure else None
        caption = re.sub(r"^Figure\s+[\w.]+:\s*", "", _text(cap)) if cap else ""
        out.append((_text(img.get("alt", "")), caption))
    return sorted(out)


def _data_links(main) -> list[str]:
    """The names of the "Show the data" panels' download links, with the figure's number
    ("Download the data for Figure A.4 (CSV)")."""
    return [_text(a) for a in main.select("details.figure-data a[download]")]


@pytest.fixture(scope="module")
def both(built_site: Path, quarto_site: Path):
    return _pages(built_site), _pages(quarto_site)


def test_same_pages(both):
    builtin, quarto = both
    assert sorted(quarto) == sorted(builtin)
    assert any(name.startswith("profiles/") for name in quarto)


def test_same_headings_facts_figures_and_tables_in_each_page(both, built_site):
    builtin, quarto = both
    facts = json.loads((built_site / "facts.json").read_text(encoding="utf-8"))
    texts = sorted(
        {f["text"] for f in facts.values() if len(str(f.get("text", ""))) > 3},
        key=len,
        reverse=True,
    )
    problems = []
    for name in sorted(builtin):
        one, two = _main(builtin[name]), _main(quarto[name])
        if _headings(one) != _headings(two):
            problems.append(f"{name}: headings {_headings(one)} != {_headings(two)}")
        said = [t for t in texts if t in _text(one)]
        missing = [t for t in said if t not in _text(two)]
        if missing:
            problems.append(f"{name}: fact texts missing in Quarto's page: {missing[:5]}")
        if _figures(one) != _figures(two):
            problems.append(f"{name}: figures {_figures(one)} != {_figures(two)}")
        if _data_links(one) != _data_links(two):
            problems.append(f"{name}: data panels {_data_links(one)} != {_data_links(two)}")
        if len(one.find_all("table")) != len(two.find_all("table")):
            problems.append(
                f"{name}: {len(one.find_all('table'))} tables, Quarto {len(two.find_all('table'))}"
            )
        if _table_captions(one) != _table_captions(two):
            problems.append(
                f"{name}: table captions {_table_captions(one)} != {_table_captions(two)}"
            )
    assert not problems, "\n".join(problems)


def test_every_chart_has_alt_text_and_show_the_data(quarto_site: Path):
    for name, path in _pages(quarto_site).items():
        main = _main(path)
        for img in main.find_all("img"):
            assert len(img.get("alt", "")) > 20, f"{name}: {img}"
        for details in main.select("details.figure-data"):
            link = details.find("a", attrs={"download": True})
            assert (path.parent / link["href"]).is_file(), f"{name}: {link['href']}"
            assert details.find("table") is not None


def _outline(pdf: Path) -> list[str]:
    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield "  " * depth + item.title

    return list(walk(pypdf.PdfReader(pdf).outline))


def test_summaries_are_pdf_ua_with_the_same_outline(built_site: Path, quarto_site: Path):
    for site in (built_site, quarto_site):
        metadata = pypdf.PdfReader(site / "summary.pdf").xmp_metadata
        xml = metadata.stream.get_data().decode() if metadata else ""
        assert re.search(r"pdfuaid:part(>|=\")1", xml), f"{site}/summary.pdf is not PDF/UA-1"
    assert _outline(quarto_site / "summary.pdf") == _outline(built_site / "summary.pdf")
    assert len(_outline(built_site / "summary.pdf")) > 5


def test_same_downloads_and_search(built_site: Path, quarto_site: Path):
    def files(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    assert files(quarto_site / "data") == files(built_site / "data")
    assert files(quarto_site / "notebooks") == files(built_site / "notebooks")
    assert (quarto_site / "facts.json").read_bytes() == (built_site / "facts.json").read_bytes()
    assert (quarto_site / "report.pdf").is_file()
    assert (quarto_site / "pagefind" / "pagefind.js").is_file()


def _facts_marked(main) -> list[str]:
    return sorted(span["data-fact"] for span in main.select("[data-fact]"))


def test_same_numbers_are_marked_for_tracing_in_each_page(both):
    """Issue 18: each page marks the same cited facts (`data-fact`) under both engines, and
    Quarto's pages load the panels' data and script from the site's `assets/`."""
    builtin, quarto = both
    problems = []
    for name in sorted(builtin):
        if _facts_marked(_main(builtin[name])) != _facts_marked(_main(quarto[name])):
            problems.append(f"{name}: marked facts differ")
        soup = BeautifulSoup(quarto[name].read_text(encoding="utf-8"), "html.parser")
        scripts = [s["src"] for s in soup.find_all("script", src=True)]
        for wanted in ("assets/trace-data.js", "assets/trace.js"):
            src = next((s for s in scripts if s.endswith(wanted)), None)
            if src is None or not (quarto[name].parent / src).resolve().is_file():
                problems.append(f"{name}: no working <script src=.../{wanted}>")
        if soup.select_one("button#trace-toggle[aria-pressed]") is None:
            problems.append(f"{name}: no 'Show where numbers come from' toggle")
    assert not problems, "\n".join(problems)


def test_links_to_the_downloads_work_from_every_page(quarto_site: Path):
    """Chapters under report/ link the site's downloads (`data/...`) from the site's root."""
    broken = []
    for name, path in _pages(quarto_site).items():
        for a in _main(path).find_all("a", href=True):
            href = a["href"].split("#")[0]
            if not href or "://" in href or href.startswith(("mailto:", "#")):
                continue
            if not (path.parent / href).resolve().exists():
                broken.append(f"{name}: {a['href']}")
    assert not broken, "\n".join(broken)


def _pdf_ua(pdf: Path) -> list[str]:
    """What keeps *pdf* from being the tagged PDF/UA-1 file the built-in engine's tests want."""
    import pikepdf

    problems = []
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        if "/StructTreeRoot" not in root or not bool(root.get("/MarkInfo", {}).get("/Marked")):
            problems.append("not tagged")
        if str(root.get("/Lang")) != "en-GB":
            problems.append(f"language {root.get('/Lang')}")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")):
            problems.append("title not shown in the window")
        with doc.open_metadata() as xmp:
            if str(xmp.get("pdfuaid:part")) != "1":
                problems.append("no PDF/UA-1 identification")
            if len(str(xmp.get("dc:title") or "").split()) < 3:
                problems.append("no title")
    return problems


def test_report_pdfs_are_pdf_ua_with_the_same_chapters(built_site: Path, quarto_site: Path):
    """report.pdf is PDF/UA-1 under both engines, bookmarks every chapter the built-in engine's
    does (without their numbers) and, like it, leaves out the site-only Number check."""
    for site in (built_site, quarto_site):
        problems = _pdf_ua(site / "report.pdf")
        assert not problems, f"{site}/report.pdf: {problems}"

    def titles(site: Path) -> list[str]:
        out = []
        for line in _outline(site / "report.pdf"):
            text = line.strip()
            while NUMBER.match(text):
                text = NUMBER.sub("", text, count=1)
            out.append(text.replace("\u2019", "'"))
        return out

    builtin, quarto = titles(built_site), titles(quarto_site)
    assert "Number check" not in quarto and "Number check" not in builtin
    missing = [t for t in builtin if t not in quarto]
    assert not missing, f"chapters of the built-in engine's report.pdf not in Quarto's: {missing}"


def test_review_copies_under_quarto(quarto_site: Path):
    """report.docx and summary.docx: the notice first, the chapters' headings in order, no
    site-only Number check, every figure with its alt text."""
    import docx  # python-docx, a test extra: never skipped (WFSCC_REQUIRE_QUARTO)

    for name in ("report.docx", "summary.docx"):
        doc = docx.Document(str(quarto_site / name))
        paras = [p for p in doc.paragraphs if p.text.strip()]
        heading = next(i for i, p in enumerate(paras) if p.style.name.startswith("Heading"))
        first = " ".join(p.text for p in paras[:heading])  # the title block and the notice
        assert "Review copy for comments" in first and "not the publication" in first, name
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
        assert headings and "Number check" not in " ".join(headings), name
        alts = [el.get("descr") for el in doc.element.body.iter() if el.tag.endswith("}docPr")]
        assert all(alt and len(alt) > 20 for alt in alts), (name, alts)
    doc = docx.Document(str(quarto_site / "report.docx"))
    heads = " | ".join(p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1"))
    order = [heads.find(t) for t in ("Introduction", "Engagement", "Conclusions")]
    assert -1 not in order and order == sorted(order), heads


LABEL = re.compile(r"^((?:Annex|Appendix)\s+[A-Z]\b|\d+(?=\s))")
# the site-only "About this build" pages: unlettered under both engines
BUILD_PART = ("about-build.html", "changes.html", "number-check.html")


def labels(pages: dict[str, Path]) -> dict[str, str]:
    """Each page's number or letter ("3", "Annex B"; "" for none), by page."""
    return {name: page_label(path) for name, path in pages.items()}


def page_label(path: Path) -> str:
    """The number or letter a page's title carries ("3", "Annex B"; "" for none)."""
    h1 = _main(path).find("h1")
    found = LABEL.match(_text(h1)) if h1 is not None else None
    return found.group(1) if found else ""


def figure_labels(path: Path) -> list[str]:
    """The "Figure A.4" / "Table 2.1" labels of a page's figures and tables, in order."""
    labels = [re.match(r"^((?:Figure|Table)\s+[\w.]+)", c) for c in float_captions(path)]
    return [m.group(1) for m in labels if m]


def float_captions(path: Path) -> list[str]:
    """The whole captions of a page's figures and tables, in order, as a reader sees them
    ("Figure A.4: Starts per quarter, ..."); Quarto writes table captions as figcaptions."""
    return [_text(c) for c in _main(path).select("figcaption, caption")]


def list_items(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The lists of tables and figures (`report/lists.qmd`): under each list's heading, every
    item's text ("Table A.3: caption") and the figure or table it links to."""
    main = _main(path)
    out = {}
    for ident in ("list-of-tables", "list-of-figures"):
        heading = main.find(id=ident) or main.find(attrs={"data-anchor-id": ident})
        found = heading.find_next("ul") if heading is not None else None
        out[ident] = [
            (_text(a), a["href"].rpartition("#")[2]) for a in (found.find_all("a") if found else [])
        ]
    return out


def nav_order(path: Path, site: Path) -> list[str]:
    """The pages a page's navigation links to, in order, as paths below `report/` (Quarto's
    sidebar, with its header; the built-in engine's `<nav>`)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("#quarto-sidebar") or soup.find("nav")
    out = []
    for a in nav.find_all("a", href=True):
        target = (path.parent / a["href"].split("#")[0]).resolve()
        if target.suffix != ".html" or not target.is_relative_to(site.resolve()):
            continue
        rel = target.relative_to(site.resolve()).as_posix().removeprefix("report/")
        if rel not in out:
            out.append(rel)
    return out


def test_same_chapter_numbers_and_annex_letters(both):
    """Quarto letters the appendices as the built-in engine does: Annex A is the LA profiles'
    page (the profiles share it), the technical annex B, the data tables C."""
    builtin, quarto = both
    ours, theirs = labels(builtin), labels(quarto)
    assert theirs == ours
    assert (
        ours["annex-a-profiles.html"] == "Annex A" and ours["annex-b-technical.html"] == "Annex B"
    )


def test_same_figure_and_table_numbers_and_captions_in_every_page(both):
    """Every page's figures and tables carry the same numbers and captions under both engines,
    the LA profiles' too: numbered through Annex A ("Figure A.4: ..."), not from 1 on each
    profile page as Quarto numbers a page of its own."""
    builtin, quarto = both
    problems = []
    for name in sorted(builtin):
        if float_captions(builtin[name]) != float_captions(quarto[name]):
            problems.append(
                f"{name}: {float_captions(builtin[name])} != {float_captions(quarto[name])}"
            )
    assert not problems, "\n".join(problems)
    first, second = (figure_labels(builtin[f"profiles/{la}.html"]) for la in ("P01", "P02"))
    assert second and all(re.match(r"^(Figure|Table) A\.\d+$", label) for label in second)
    assert not set(first) & set(second)  # numbered on through the annex, not from 1 again


def test_same_lists_of_tables_and_figures(both):
    """The site's lists of tables and figures: the same items, numbers and captions, linking to
    the same figures and tables, under both engines (the profiles' numbered through Annex A)."""
    builtin, quarto = both
    ours, theirs = list_items(builtin["lists.html"]), list_items(quarto["lists.html"])
    assert theirs == ours
    figures = [text for text, _ in ours["list-of-figures"]]
    assert any(text.startswith("Figure A.4: ") for text in figures), figures
    # every item links to a figure or table that is on the site once
    targets = [target for items in ours.values() for _, target in items]
    assert len(targets) == len(set(targets)) > 20


def test_about_this_build_pages_have_the_same_headings(both):
    """The site-only "About this build" pages are unlettered under both engines: the same
    headings, numbers included (none), as the built-in engine gives them."""
    builtin, quarto = both
    for name in BUILD_PART:
        assert page_headings(quarto[name]) == page_headings(builtin[name]), name
        assert page_label(quarto[name]) == "", name


def page_headings(path: Path) -> list[str]:
    """A page's level 1-3 headings as a reader sees them, numbers included."""
    return [_text(h) for h in _main(path).find_all(["h1", "h2", "h3"])]


def test_research_summary_first_and_the_same_sidebar_order(built_site: Path, quarto_site: Path):
    """Quarto's sidebar lists the pages in the built-in engine's order, the Research Summary
    first (the preface tells readers to start there)."""
    ours = nav_order(built_site / "01-introduction.html", built_site)
    theirs = nav_order(quarto_site / "report" / "01-introduction.html", quarto_site)
    assert ours[0] == "summary.html"
    assert theirs == ours


def test_the_privacy_guard_passes_on_both_sites(built_site: Path, quarto_site: Path):
    """The guard that gates publishing finds nothing in either engine's published site."""
    from wfscc import Config
    from wfscc.build.steps import check_privacy, load_inputs

    for site in (built_site, quarto_site):
        project = site.parent
        config = Config(project_dir=project, data_dir=project / "data", out_dir=site)
        check_privacy(load_inputs(config), site, config.threshold, project=project)
