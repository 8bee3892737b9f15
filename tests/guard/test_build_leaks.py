"""End to end: each kind of leak planted in a copy of the project stops the build at the guard.

One clean build of the shipped data (the module's `base`) is published first. Each test copies that
project, with its published `_book` and its build cache (`.wfscc-cache`, so that only what the
plant changes is run again), plants one leak, builds again and checks that

* the build fails with `PrivacyError` (a `BuildError`), whose report names the file and the page
  or notebook cell of the leak, shows the matched text masked, and never the raw value;
* the output published by the clean build is untouched, byte for byte.

Leaks in notebooks are planted by appending a cell to the copied notebook, so the tests do not
depend on what the profile notebook already holds; the planted cells use only the notebook's
parameters (`la_code`, `store_dir`) and the library.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from wfscc import guard
from wfscc.build import steps as build_steps
from wfscc.errors import BuildError, PrivacyError
from wfscc.guard._detect import ROLE_WORDS, Detector
from wfscc.guard._patterns import mask

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("leaks")]

LOAD = """\
from wfscc.notebook.store import load_profile

leak = load_profile(store_dir, la_code)
"""
CHART_TITLE = """\
import matplotlib.pyplot as plt
from wfscc.outputs.charts._base import set_alt
from wfscc.outputs.disclosure import protect
from wfscc.notebook.display import show_chart

by_centre = leak.mi.groupby("centre_code").size().rename("starts").reset_index()
first = leak.mi["participant_id"].iloc[0]
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(by_centre["centre_code"], by_centre["starts"])
# an axis title: show_chart removes a title drawn inside the image (the house style)
ax.set_xlabel(f"Starts by centre since the first start, {first}")
set_alt(ax, "Bar chart of pilot starts by centre.")
show_chart(ax, data=protect(by_centre, ["starts"], col_totals=False, row_totals=False))
"""
SMALL_COUNTS = """\
from IPython.display import HTML, display

counts = leak.mi.groupby(["centre_code", "benefit"], observed=True).size()
display(HTML(counts.reset_index(name="starts").to_html(index=False)))
"""
ALT_NAME = """\
import matplotlib.pyplot as plt
from wfscc.outputs.charts._base import set_alt
from wfscc.notebook.display import show_chart

adviser = leak.centres["adviser_name"].iloc[0].removeprefix("Adviser ")
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(["2009", "2010"], [40, 60])
set_alt(ax, f"Bar chart of starts at the centre where {adviser} is the adviser.")
show_chart(ax)
"""

# Plain matplotlib with the inline backend's PNG output (alt text given, so the page renders).
RASTER = """\
#| fig-alt: Line chart of three points.
%matplotlib inline
%config InlineBackend.figure_formats = ["png"]
import matplotlib.pyplot as plt

plt.plot([1, 2, 3], [3, 1, 2])
plt.title(f"Starts in {la_code}")
plt.show()
"""
QUOTE = """\
from wfscc.notebook.display import show_markdown

show_markdown("\\n\\n".join(f"> {e}" for e in leak.interviews["excerpt"]))
"""

# Prose with a small count of people, shown as Markdown by a notebook.
PROSE_COUNT = """\
from wfscc.notebook.display import show_markdown

show_markdown(f"In {la_code}, 3 customers came back for a second visit.")
"""


@dataclass(frozen=True)
class Base:
    project: Path
    identifiers: frozenset[str]
    names: frozenset[str]
    threshold: int


@pytest.fixture(scope="module")
def base(tmp_path_factory, make_project, build_project) -> Base:
    """The project built once from the shipped data, with what its guard was asked to look for."""
    project = make_project(tmp_path_factory.mktemp("leaks") / "project")
    calls: list[dict] = []
    real = guard.check_outputs

    def spy(site, **kwargs):
        kwargs = {
            k: frozenset(v) if k in ("identifiers", "names") else v for k, v in kwargs.items()
        }
        calls.append(kwargs)
        return real(site, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_steps, "check_outputs", spy)  # the name the build calls
        build_project(project)
    assert len(calls) == 1, "the build must run the guard exactly once"
    call = calls[0]
    return Base(project, call["identifiers"], call["names"], call.get("threshold", 10))


@pytest.fixture
def project(base: Base, tmp_path: Path) -> Path:
    """A copy of the built project (sources, data, published `_book` and build cache)."""
    return Path(shutil.copytree(base.project, tmp_path / "project"))


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _add_cell(project: Path, source: str) -> int:
    """Append a code cell to the copy's profile notebook; return its number in the executed
    notebook (Papermill inserts one cell, the injected parameters, before it)."""
    path = project / "notebooks" / "la_profile.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)
    return len(nb.cells) + 1


def _build_is_stopped(project: Path, build_project, base: Base) -> PrivacyError:
    """Build the planted copy: it must fail at the guard, publish nothing and reveal nothing."""
    book = project / "_book"
    before = _hashes(book)
    assert before, "the clean build published nothing to compare with"
    with pytest.raises(BuildError) as caught:
        build_project(project)
    error = caught.value
    assert isinstance(error, PrivacyError), f"stopped by the wrong step: {error}"
    assert _hashes(book) == before, "the previously published output changed"
    for leftover in ("_book.previous", "_book.incoming", ".wfscc-cache/staging"):
        assert not (project / leftover).exists(), leftover
    message = str(error)
    assert "nothing was published" in message and "What to do:" in message
    assert "previously published outputs are unchanged" in message
    leaked = [i for i in base.identifiers if i in message]
    assert not leaked, f"raw identifiers in the report: {leaked[:3]}"
    for name in base.names:
        for part in [name, *name.split()]:
            if part.lower() not in ROLE_WORDS:
                assert part not in message, "a listed name is in the report"
    for finding in error.findings:
        assert str(finding) in message or len(error.findings) > 200
        assert finding.file and finding.location and finding.masked_text
    return error


def _where(error: PrivacyError, kind: str) -> dict[str, list[str]]:
    """file → locations of the findings of `kind`."""
    out: dict[str, list[str]] = {}
    for f in error.findings:
        if f.kind == kind:
            out.setdefault(f.file, []).append(f.location)
    return out


def _pilot_las(project: Path) -> list[str]:
    areas = pd.read_csv(project / "data" / "areas.csv")
    return sorted(areas.loc[areas["group"] == "pilot", "la_code"])


# --- the clean build -------------------------------------------------------------------------


def test_clean_build_passes_the_guard_with_the_planted_fake_identifiers(base: Base):
    """The shipped synthetic data carries planted fake identifiers (data/README.md): the clean
    build ran the guard with the data's ids and names, and nothing planted was published."""
    mi = pd.read_csv(base.project / "data" / "mi_starts.csv")
    interviews = pd.read_csv(base.project / "data" / "interviews.csv")
    centres = pd.read_csv(base.project / "data" / "centres.csv")
    assert base.identifiers, "the guard was given no identifiers to look for"
    assert set(mi["participant_id"]) <= base.identifiers
    assert set(interviews["interview_id"]) <= base.identifiers
    assert base.names == set(centres["adviser_name"].dropna())
    assert base.threshold == 10

    # The planted values are in the raw excerpts, in each reserved format ...
    excerpts = " ".join(interviews["excerpt"])
    planted = {
        "participant id": re.findall(r"\bQQ\d{6}[A-D]\b", excerpts),
        "phone": re.findall(r"07700 900\d{3}", excerpts),
        "e-mail": re.findall(r"[\w.]+@example\.org", excerpts),
        "postcode": re.findall(r"\bQ[A-Z]?\d[A-Z\d]? \d[A-Z]{2}\b", excerpts),
        "adviser name": [n for n in base.names if n in excerpts],
    }
    assert all(planted.values()), {k: v for k, v in planted.items() if not v}
    assert set(planted["participant id"]) <= base.identifiers
    # ... the guard would catch each of them ...
    detector = Detector(base.identifiers, base.names)
    for kind, values in planted.items():
        for value in values:
            assert detector.find(f"Quoted: {value}."), (kind, mask("identifier", value))
    # ... and none of them reached a published text file.
    published = [
        p.read_text("utf-8", "replace")
        for p in (base.project / "_book").rglob("*")
        if p.suffix in {".html", ".ipynb", ".json", ".csv", ".svg", ".js"}
    ]
    for kind, values in planted.items():
        for value in values:
            assert not any(value in text for text in published), kind


# --- leaks -----------------------------------------------------------------------------------


def test_notebook_printing_the_head_of_the_mi_stops_the_build(project, base, build_project):
    """A notebook cell ends with `df.head()` of the MI: the raw records (participant ids and the
    MI's columns) go to the executed notebook and, as an HTML table, to the LA's profile page."""
    cell = _add_cell(project, LOAD + "leak.mi.head()")
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"identifier", "raw_records"}
    for la in _pilot_las(project):
        dumps = _where(error, "raw_records")[f"notebooks/{la}.ipynb"]
        assert all(w.startswith(f"cell {cell}, output 1") for w in dumps), dumps
        ids = _where(error, "identifier")
        assert ids[f"notebooks/{la}.ipynb"] and ids[f"profiles/{la}.html"]
    dump = next(f for f in error.findings if f.kind == "raw_records")
    assert "participant_id" in dump.masked_text  # the column names, not the values
    first = pd.read_csv(project / "data" / "mi_starts.csv").iloc[0]["participant_id"]
    assert f"identifier {mask('identifier', first)}" in str(error)
    assert "never df.head()" in str(error)


def test_participant_id_quoted_from_an_interview_in_the_narrative_stops_the_build(
    project, base, build_project
):
    """An author pastes an excerpt from the raw `data/interviews.csv` into a chapter to quote a
    parent. Redaction runs on the dataset the build loads, never on the narrative's own text, so
    the excerpt's planted participant id (an id from `data/mi_starts.csv`) would be published on
    the chapter's page, in the report PDF and in the search index."""
    interviews = pd.read_csv(project / "data" / "interviews.csv")
    mi_ids = set(pd.read_csv(project / "data" / "mi_starts.csv")["participant_id"])
    quoted = next(
        (e, i) for e in interviews["excerpt"] for i in re.findall(r"QQ\d{6}[A-D]", e) if i in mi_ids
    )
    excerpt, participant = quoted
    chapters = yaml.safe_load((project / "_quarto.yml").read_text())["book"]["chapters"]
    chapter = project / chapters[-1]
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + f"\n\nA parent put it plainly:\n\n> {excerpt}\n",
        encoding="utf-8",
    )
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"identifier"}
    where = _where(error, "identifier")
    page = f"{Path(chapters[-1]).stem}.html"
    assert [w for w in where[page] if w.startswith("line ")], where[page]
    assert any(w.startswith("page ") for w in where["report.pdf"]), where["report.pdf"]
    assert any(f.startswith("pagefind/") for f in where), sorted(where)
    assert f"{page}, line" in str(error)
    assert mask("identifier", participant) in str(error)
    assert participant not in str(error)


def test_chart_titled_with_a_participant_id_stops_the_build(project, base, build_project):
    """A chart's title names a participant (its alt text is clean): the id is in the SVG that the
    notebook shows with `show_chart`, in the executed notebook and in the page's image asset."""
    cell = _add_cell(project, LOAD + CHART_TITLE)
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"identifier"}
    where = _where(error, "identifier")
    for la in _pilot_las(project):
        assert all(
            w.startswith(f"cell {cell}, output 1 (image/svg+xml)")
            for w in where[f"notebooks/{la}.ipynb"]
        ), where[f"notebooks/{la}.ipynb"]
    assets = {f: w for f, w in where.items() if f.startswith("assets/")}
    assert len(assets) == len(_pilot_las(project))
    for locations in assets.values():  # the hashed image names the page that shows it
        assert all(re.search(r"\(shown on profiles/P\d\d\.html\)", w) for w in locations)


def test_small_count_in_a_per_la_table_stops_the_build(project, base, build_project):
    """A notebook cell shows starts by centre and benefit as a plain HTML table, without
    `wfscc.outputs.disclosure.protect`: some cells count fewer than ten people."""
    cell = _add_cell(project, LOAD + SMALL_COUNTS)
    mi = pd.read_csv(project / "data" / "mi_starts.csv")
    expected = mi.groupby(["la_code", "centre_code", "benefit"]).size()
    expected = expected[(expected > 0) & (expected < base.threshold)].groupby("la_code").size()
    assert expected.sum() > 0
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"small_count"}
    where = _where(error, "small_count")
    for la in _pilot_las(project):
        in_notebook = where.get(f"notebooks/{la}.ipynb", [])
        assert len(in_notebook) == expected.get(la, 0), la
        assert all(
            re.fullmatch(
                rf"cell {cell}, output 1 \(text/html\), table at line \d+, row \d+, "
                r"column 'starts'",
                w,
            )
            for w in in_notebook
        ), in_notebook
        assert len(where.get(f"profiles/{la}.html", [])) == expected.get(la, 0), la
    assert "wfscc.outputs.disclosure.protect" in str(error)


def test_adviser_name_in_a_figure_alt_text_stops_the_build(project, base, build_project):
    """A chart's alt text names the centre's adviser the way prose would ("Jo Bloggs"), without
    the "Adviser" role word that the centres list (and so `names_of`) carries."""
    cell = _add_cell(project, LOAD + ALT_NAME)
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"name"}
    where = _where(error, "name")
    centres = pd.read_csv(project / "data" / "centres.csv")
    for la in _pilot_las(project):
        in_notebook = where[f"notebooks/{la}.ipynb"]
        assert f"cell {cell}, output 1 metadata image/svg+xml.alt" in in_notebook, in_notebook
        assert where[f"profiles/{la}.html"]
        name = centres.loc[centres["la_code"] == la, "adviser_name"].iloc[0]
        person = name.removeprefix("Adviser ")
        assert f"name {mask('name', person)}" in str(error)
    assert any("alt text" in w for w in where["report.pdf"]), where["report.pdf"]


def test_a_png_chart_drawn_with_plain_matplotlib_stops_the_build(project, base, build_project):
    """A notebook cell draws with `plt.plot` and the inline PNG backend instead of a
    `wfscc.outputs.charts` helper: text in its pixels cannot be searched, so the PNG output of the
    executed notebook and the page's image asset are refused, by LA and cell, with the fix."""
    cell = _add_cell(project, RASTER)
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"raster_image"}
    where = _where(error, "raster_image")
    for la in _pilot_las(project):
        located = where[f"notebooks/{la}.ipynb"]
        assert len(located) == 1
        assert re.fullmatch(
            rf"LA {la}, cell {cell} \(id [^)]+\), output 1 \(image/png\)", located[0]
        )
    assets = {f: w for f, w in where.items() if f.endswith(".png")}
    assert len(assets) == len(_pilot_las(project))
    for locations in assets.values():
        assert all(re.search(r"\(shown on profiles/P\d\d\.html\)", w) for w in locations)
    assert "wfscc.outputs.charts" in str(error) and "show_chart" in str(error)


def test_a_small_count_of_people_in_prose_stops_the_build(project, base, build_project):
    """An author types small counts into a chapter: a heading, a list item and a sentence count
    fewer than ten people; the same paragraph's counts of LAs and of interviews are allowed.
    Each protected count is found on the page, in the report PDF and in the search index."""
    chapters = yaml.safe_load((project / "_quarto.yml").read_text())["book"]["chapters"]
    chapter = project / chapters[1]
    planted = (
        "\n\n## Three parents in one area\n\n"
        "- Referrals: 2\n\n"
        "In 3 LAs, four of 20 adviser interviews raised it; only 4 respondents agreed.\n"
    )
    chapter.write_text(chapter.read_text(encoding="utf-8") + planted, encoding="utf-8")
    cell = _add_cell(project, PROSE_COUNT)
    error = _build_is_stopped(project, build_project, base)

    assert {f.kind for f in error.findings} == {"small_count"}
    for la in _pilot_las(project):  # the notebook's text output and the profile page
        located = _where(error, "small_count")[f"notebooks/{la}.ipynb"]
        assert f"cell {cell}, output 1 (text/markdown), line 1" in located
        assert all(w.startswith(f"cell {cell}") for w in located)  # its source says it too
        assert _where(error, "small_count")[f"profiles/{la}.html"]
    page = f"{Path(chapters[1]).stem}.html"
    found = {f.file: [] for f in error.findings}
    for f in error.findings:
        found[f.file].append(f.masked_text)
    expected = {
        f"a count below {base.threshold} ({u}) in text"
        for u in ("parents", "referrals", "respondents")
    }
    assert set(found[page]) == expected
    # the report PDF carries the LA profiles too, with the notebook's "3 customers"
    customers = f"a count below {base.threshold} (customers) in text"
    assert set(found["report.pdf"]) - {customers} == expected
    assert any(f.startswith("pagefind/") for f in found), sorted(found)
    assert all(m in expected | {customers} for ms in found.values() for m in ms)
    assert "wfscc.outputs.disclosure.protect" in str(error)


def test_an_ordinary_name_in_an_excerpt_is_redacted_before_a_notebook_shows_it(
    project, base, build_project
):
    """An excerpt names a parent and a colleague who are in no list of the data ("Susan
    Tomlinson", "Will"). Redaction removes them before anything uses the excerpts: a notebook
    that quotes the LA's excerpts publishes "[name]", and neither name is in any published file."""
    path = project / "data" / "interviews.csv"
    interviews = pd.read_csv(path)
    la = _pilot_las(project)[0]
    row = interviews.index[interviews["la_code"] == la][0]
    interviews.loc[row, "excerpt"] += " I told Susan Tomlinson, and then I asked Will."
    interviews.to_csv(path, index=False)
    _add_cell(project, LOAD + QUOTE)
    build_project(project)

    book = project / "_book"
    profile = (book / "profiles" / f"{la}.html").read_text(encoding="utf-8")
    assert "I told [name], and then I asked [name]." in profile
    # The guard's own readers search every published file (PDF text, spreadsheets, the search
    # index ...) for the full name and the surname.
    assert guard.scan_outputs(book, identifiers=(), names=["Susan Tomlinson", "Tomlinson"]) == []
    for p in book.rglob("*"):
        if p.suffix in {".html", ".ipynb", ".json", ".csv", ".svg", ".js", ".txt"}:
            assert "asked Will" not in p.read_text(encoding="utf-8", errors="replace"), p
