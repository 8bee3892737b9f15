"""The HTML site: one page per chapter through pandoc and `templates/page.html`, then Pagefind.

Pages mirror the chapters' paths below their common folder (`report/01-intro.qmd` →
`01-intro.html`, `report/profiles/P01.ipynb` → `profiles/P01.html`); the summary is
`summary.html`. Images and chart data live in `assets/` under content-hash names.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import pagefind_bin

from ._batch import made_in_batches, run_pandoc_batch
from ._chapters import Page
from ._memo import Memo, asset_parts, file_identity, pack_files, tree_files, unpack_files
from ._pandoc import PAGE_RUNTIME, meta_raw, meta_str, pandoc_key, resource, run_pandoc
from ._project import Book, RenderError

LABELS = {"version": "Package version", "package_version": "Package version",
          "wfscc_version": "Package version", "commit": "Git commit", "git_commit": "Git commit",
          "data_hash": "Data hash", "build_date": "Build date"}


def build_date(timestamp: datetime) -> str:
    """The build date shown in footers and PDFs (UTC when the timestamp has a zone)."""
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(UTC)
    return timestamp.strftime("%Y-%m-%d %H:%M UTC" if timestamp.tzinfo else "%Y-%m-%d %H:%M")


def provenance_items(provenance: Mapping[str, str], timestamp: datetime) -> list[tuple[str, str]]:
    """(label, value) pairs for the footer and colophon; the build date comes last."""
    items = [(LABELS.get(k, k.replace("_", " ").capitalize()), str(v))
             for k, v in provenance.items() if k != "build_date"]
    return items + [("Build date", str(provenance.get("build_date") or build_date(timestamp)))]


def _root(page: PurePosixPath) -> str:
    return "../" * (len(page.parts) - 1)


def _label(book: Book, page: Page) -> str:
    return "Research summary" if page.chapter == book.summary else page.title


def _nav(book: Book, pages: list[Page], current: PurePosixPath, root: str | None = None) -> str:
    root = _root(current) if root is None else root
    out, part = ["<ul>"], None
    for page in pages:
        ch = page.chapter
        here = ' aria-current="page"' if ch.html == current else ""
        if ch.part != part:
            if part is not None:
                out.append("</ul></li>")
            if ch.part_page:  # the part's own page (its divider): the part's title links to it
                out.append(f'<li><a class="nav-part" href="{root}{ch.html}"{here}>'
                           f"{html.escape(ch.part or '')}</a><ul>")
            elif ch.part is not None:
                out.append(f'<li><span class="nav-part">{html.escape(ch.part)}</span><ul>')
            part = ch.part
        if ch.part_page:
            continue
        label = html.escape(_label(book, page))
        out.append(f'<li><a href="{root}{ch.html}"{here}>{label}</a></li>')
    if part is not None:
        out.append("</ul></li>")
    out.append("</ul>")
    return "\n".join(out)


def _nav_of(book: Book, pages: list[Page], current: PurePosixPath, navs: dict[str, str]) -> str:
    """`_nav(book, pages, current)`, made once per folder depth: the page's own link is marked
    in the navigation of its depth (its link is the one link to `root + current`)."""
    root = _root(current)
    if root not in navs:
        navs[root] = _nav(book, pages, PurePosixPath("\0"), root)
    link = f'href="{root}{current}">'
    return navs[root].replace(link, link[:-1] + ' aria-current="page">', 1)


def _pager(book: Book, pages: list[Page], index: int) -> str:
    root = _root(pages[index].chapter.html)
    links = []
    for rel, step, word in (("prev", -1, "Previous"), ("next", 1, "Next")):
        j = index + step
        if 0 <= j < len(pages):
            other = pages[j]
            links.append(f'<a rel="{rel}" href="{root}{other.chapter.html}">{word}: '
                         f"{html.escape(_label(book, other))}</a>")
        else:
            links.append("<span></span>")
    return "\n".join(links)


def authors_text(authors: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(authors[:-1]), authors[-1]] if len(authors) > 1 else authors)


def _byline(book: Book) -> str:
    """Under the site's title on every page: who wrote the report, its number and date."""
    pub = book.publication
    parts = [f"By {authors_text(book.authors)}"] if book.authors else []
    if pub.get("number"):
        parts.append(f"{pub.get('series') or 'Research Report'} No {pub['number']}")
    if book.date:
        parts.append(book.date)
    return " · ".join(html.escape(p) for p in parts)


def _imprint(book: Book) -> str:
    """The verso's particulars at the foot of every page: ISBN, copyright, licence, disclaimer."""
    pub = book.publication
    bits = []
    if pub.get("isbn"):
        bits.append(f"ISBN {html.escape(pub['isbn'])}.")
    if pub.get("copyright"):
        licence = html.escape(pub.get("licence") or "")
        if pub.get("licence-url"):
            licence = f'<a href="{html.escape(pub["licence-url"])}">{licence}</a>'
        bits.append(f"{html.escape(pub['copyright'])}. You may use this information again, free "
                    f"of charge, under the {licence}; this does not cover logos.")
    if pub.get("publisher"):
        bits.append("The views in this report are those of its authors, not necessarily those of "
                    f"the {html.escape(pub['publisher'])}.")
    return f'<p class="imprint">{" ".join(bits)}</p>\n' if bits else ""


def _footer(items: list[tuple[str, str]], book: Book | None = None) -> str:
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
    imprint = _imprint(book) if book is not None else ""
    return (f'{imprint}<h2 class="visually-hidden">About this build</h2>\n'
            f'<dl class="provenance">{rows}</dl>')


def _scope_headers(text: str) -> str:
    """Give header cells a scope: "col" in a table head, "row" in its body."""
    def head(m: re.Match) -> str:
        return re.sub(r"<th(?=[\s>])(?![^>]*scope=)", '<th scope="col"', m.group(0))

    def body(m: re.Match) -> str:
        return re.sub(r"<th(?=[\s>])(?![^>]*scope=)", '<th scope="row"', m.group(0))

    text = re.sub(r"<thead>.*?</thead>", head, text, flags=re.S)
    return re.sub(r"<tbody>.*?</tbody>", body, text, flags=re.S)


# Parts of a page that change with other pages (the navigation, the pager) or with the build (the
# footer's provenance) go through pandoc as these placeholders and are put in afterwards, so a
# cached conversion of an unchanged page stays valid when only they change.
SLOTS = ("wfscc-nav", "wfscc-pager", "wfscc-footer")


def _slot(name: str) -> str:
    return f"<!--wfscc-slot:{name}-->"


def _html_args() -> list[str]:
    return ["-f", "json", "-t", "html5", "--template", str(resource("templates", "page.html")),
            "--lua-filter", str(resource("filters", "render.lua")),
            "--syntax-highlighting=none", "--wrap=none"]


def _convert(pages: list[Page], docs: list[dict], build: Path, memo: Memo) -> list[str]:
    """The pages through pandoc (or their conversions from *memo*), in batches
    (`_batch`), header cells scoped: each page with its slots still to fill."""
    args = _html_args()
    sources = [json.dumps(doc) for doc in docs]
    keys = [pandoc_key(memo, "html", source, *args, *asset_parts(source, build))
            if memo.enabled else "" for source in sources]

    def single(i: int) -> str:
        return run_pandoc(args, sources[i], cwd=build, what=str(pages[i].chapter.source),
                          runtime=PAGE_RUNTIME)

    def batch(run: list[int]) -> list[str]:
        return run_pandoc_batch([sources[i] for i in run], args, cwd=build,
                                what=", ".join(str(pages[i].chapter.source) for i in run))

    texts = made_in_batches(memo, "html", keys, sources, single=single, batch=batch)
    # the slots hold no table, so scoping before they are filled is scoping after
    return [_scope_headers(text) for text in texts]


def _write_page(page: Page, text: str, slots: dict[str, str], out_dir: Path) -> Path:
    """Fill in the *slots* of a converted page and write it."""
    for name, value in slots.items():
        text = text.replace(_slot(name), value)
    target = out_dir / page.chapter.html
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def render_site(book: Book, pages: list[Page], build: Path, out_dir: Path, *,
                footer_items: list[tuple[str, str]], notice: list[dict],
                summary_pdf: bool = True, memo: Memo | None = None,
                only: set[PurePosixPath] | None = None, kept: dict[str, str] | None = None,
                made: dict[str, str] | None = None) -> list[Path]:
    """Write one HTML page per entry of *pages* (the summary last, if any) and the assets.

    With *memo*, pandoc does not run again for a page whose input is unchanged. With *only*,
    only the pages of those names are converted (the others still make the navigation); the
    others are written from *kept* (a page's conversion, by name, as *made* receives it), and
    without *kept* neither they nor the assets are written.
    """
    memo = memo or Memo(None)
    # the Research Summary first in the navigation and the pager (the preface says start there)
    pages = sorted(pages, key=lambda p: p.chapter != book.summary)
    anchors = {str(p.chapter.html): p.anchor for p in pages}
    order = {out_dir / p.chapter.html: n for n, p in enumerate(pages)}
    footer = _footer(footer_items, book)
    navs: dict[str, str] = {}
    jobs, written = [], []
    for i, page in enumerate(pages):
        current = page.chapter.html
        convert = only is None or current in only
        if not convert and kept is None:
            continue
        root = _root(current)
        downloads = f'<a href="{root}report.pdf">Full report (PDF)</a>'
        if summary_pdf:
            downloads += f' · <a href="{root}summary.pdf">Research summary (PDF)</a>'
        downloads += f' · <a href="{root}report.docx">Review copy for comments (Word)</a>'
        config = {"target": "html", "root": root, "page": str(current), "anchors": anchors}
        blocks = list(page.doc["blocks"])
        if page.chapter == book.summary and notice:
            blocks.append({"t": "Div", "c": [["", ["publication-notice"], []], notice]})
        title = page.title if page.title == book.title else f"{page.title} – {book.title}"
        slots = {"wfscc-nav": _nav_of(book, pages, current, navs),
                 "wfscc-pager": _pager(book, pages, i), "wfscc-footer": footer}
        if not convert:
            assert kept is not None
            written.append(_write_page(page, kept[str(current)], slots, out_dir))
            continue
        meta = {
            "pagetitle": meta_str(title),
            "booktitle": meta_str(book.title),
            "wfscc-byline": meta_raw("html", _byline(book)),
            "wfscc-root": meta_raw("html", root),
            "wfscc-downloads": meta_raw("html", downloads),
            "wfscc-config": meta_str(json.dumps(config, sort_keys=True)),
            **{name: meta_raw("html", _slot(name)) for name in SLOTS},
        }
        doc = {"pandoc-api-version": page.doc["pandoc-api-version"], "meta": meta, "blocks": blocks}
        jobs.append((page, doc, slots))
    texts = _convert([page for page, _, _ in jobs], [doc for _, doc, _ in jobs], build, memo)
    for (page, _, slots), text in zip(jobs, texts, strict=True):
        written.append(_write_page(page, text, slots, out_dir))
        if made is not None:
            made[str(page.chapter.html)] = text
    written.sort(key=lambda path: order[path])
    if only is not None and kept is None:
        return written
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for item in sorted((build / "assets").iterdir()):
        shutil.copyfile(item, assets / item.name)
    static_assets(assets)
    return written


def static_assets(assets: Path) -> None:
    """The site's own style sheet and scripts in *assets*, and an empty panel data file where
    the build has not written one."""
    for name in ("wfscc.css", "search.js", "trace.js"):
        shutil.copyfile(resource("templates", name), assets / name)
    if not (assets / "trace-data.js").exists():  # the build writes it (wfscc.numbercheck)
        (assets / "trace-data.js").write_text("window.wfsccFacts = null;\n", encoding="utf-8")


def _pagefind() -> str:
    try:
        return str(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise RenderError(f"Pagefind is not installed ({exc}); run: pip install pagefind-bin") \
            from exc


def _run_pagefind(exe: str, out_dir: Path) -> None:
    proc = subprocess.run([exe, "--site", str(out_dir), "--keep-index-url", "--silent"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RenderError(f"pagefind failed: {proc.stderr.strip() or proc.stdout.strip()}")


def _pagefind_key(memo: Memo, exe: str, out_dir: Path) -> str:
    """Everything Pagefind reads: the site's files (but its own output), its configuration
    files in the working directory and PAGEFIND_ variables, and the binary."""
    config = [(p.name, p.read_bytes()) for p in sorted(Path.cwd().glob("pagefind.*"))
              if p.is_file()]
    env = sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("PAGEFIND"))
    parts = [part for files in (tree_files(out_dir, skip="pagefind"), config)
             for name, data in files for part in (name, data)]
    return memo.key("pagefind", file_identity(exe), "--keep-index-url --silent",
                    *(part for kv in env for part in kv), *parts)


def index_site(out_dir: Path, memo: Memo | None = None) -> None:
    """Build the Pagefind search index and UI bundle into `out_dir/pagefind/`.

    With *memo*, an index built before from the same files is written out instead. Pagefind adds
    to an existing `pagefind/` folder, so a run into one is not kept: its result would include
    files left from before.
    """
    memo = memo or Memo(None)
    exe = _pagefind()
    output = out_dir / "pagefind"
    if not memo.enabled:
        _run_pagefind(exe, out_dir)
        return
    key = _pagefind_key(memo, exe, out_dir)
    payload = memo.get("pagefind", key)
    try:
        files = unpack_files(payload) if payload is not None else None
    except ValueError:
        files = None
    if files is not None:
        for name, data in files:
            (output / name).parent.mkdir(parents=True, exist_ok=True)
            (output / name).write_bytes(data)
        return
    fresh = not output.exists()
    _run_pagefind(exe, out_dir)
    if fresh:
        memo.put("pagefind", key, pack_files(tree_files(output)))
