"""A finding of the privacy guard, and the report that lists findings with advice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ADVICE = {
    "identifier": "a raw record id from the data is in an output: outputs must never show "
    "records (notebooks call the library, they do not display frames; ids never go in titles, "
    "file names or alt text)",
    "name": "a listed name is in an output: redact free text with wfscc.guard.redact_text / "
    "redact_interviews before using it",
    "ni_number": "an NI-style number is in an output: redact it (wfscc.guard.redact_text)",
    "phone": "a phone number is in an output: redact it (wfscc.guard.redact_text)",
    "email": "an e-mail address is in an output: redact it (wfscc.guard.redact_text)",
    "postcode": "a postcode is in an output: redact it (wfscc.guard.redact_text)",
    "raw_records": "a table or printout has the columns of raw records: publish aggregates "
    "only, never df.head() or a record listing",
    "small_count": "a published count of people or their records is below the threshold: pass "
    "the table through wfscc.outputs.disclosure.protect before writing or showing it "
    "(wfscc.notebook.display.show_table); in text, cite the fact (it reads 'fewer than' the "
    "threshold) or leave the number out (the disclosure rules are in wfscc.outputs.disclosure "
    "and Annex B)",
    "manifest": "a tables.json manifest is broken: rewrite it with the table writer",
    "raster_image": "a raster image (PNG, JPEG, GIF, WebP) is in an output: the guard cannot read "
    "text in pixels, so draw the chart with a wfscc.outputs.charts helper (or matplotlib with the "
    "SVG format) and show it with wfscc.notebook.display.show_chart, which publishes an SVG with "
    "its protected data; an image the project ships as a file (under report/) is allowed",
    "unreadable": "a file could not be read, so it could not be checked: fix or remove it",
}


@dataclass(frozen=True)
class Finding:
    """One leak: its kind, the file (relative to the scanned root), where in the file, and the
    matching text masked so that the report itself leaks nothing."""

    kind: str
    file: str
    location: str
    masked_text: str

    def __str__(self) -> str:
        return f"{self.file}, {self.location}: {self.kind} {self.masked_text}"


def format_findings(findings: list[Finding], root: Path | str = "", limit: int = 200) -> str:
    """A report of findings, grouped under a line of advice per kind."""
    n = len(findings)
    head = f"The privacy guard found {n} problem{'s' if n != 1 else ''}"
    lines = [f"{head} in the outputs under {root}; nothing was published:" if root else head + ":"]
    lines += [f"  - {f}" for f in findings[:limit]]
    if n > limit:
        lines.append(f"  ... and {n - limit} more")
    lines.append("What to do:")
    for kind in sorted({f.kind for f in findings}):
        lines.append(f"  * {kind}: {ADVICE.get(kind, 'remove it from the outputs')}")
    lines.append("Then run the build again; the previously published outputs are unchanged.")
    return "\n".join(lines)
