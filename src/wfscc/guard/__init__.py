"""Redaction and the privacy guard.

- `redact_text` / `redact_interviews`: names, centre names, NI-style numbers and record ids,
  phones, e-mails and postcodes in free text become role tokens ("[adviser]", "[id]", ...), and
  so do ordinary personal names from the shipped name lists (`_names`, `namelists/`).
- `scan_outputs` / `check_outputs`: search every file about to be published (HTML, CSS/JS, JSON,
  CSV, text, SVG, notebooks, PDFs, XLSX/ODS, the Pagefind index, PNG text chunks) for raw record
  ids, listed names (also without a leading role word: "Adviser Jo Bloggs" → "Jo Bloggs"),
  unredacted personal-data patterns, raw-record dumps, unsuppressed small counts of people (in
  manifest tables, in count columns of any HTML or CSV table, and next to a count word in any
  text: `_prose`, by the rules of `wfscc.outputs.disclosure`) and raster images the project does not
  ship (`shipped_images`; text in pixels cannot be read); `check_outputs` raises `PrivacyError`
  with every `Finding`, masked. With `cache_dir=`, per-file work (extracted text, clean verdicts)
  is kept there by content (`_memo`), so an unchanged file is not read again; same findings.
- `identifiers_of(dataset)` / `names_of(dataset)`: what to look for, from a loaded `Dataset`.
"""

from __future__ import annotations

from ..contract import RECORD_ID_COLUMNS
from ._early import prescan_outputs
from ._images import shipped_images
from .redact import redact_interviews, redact_text
from .scan import (
    Finding,
    check_manifest,
    check_outputs,
    format_findings,
    scan_outputs,
)

ID_COLUMNS = RECORD_ID_COLUMNS


def identifiers_of(dataset) -> set[str]:
    """Every raw record id in a `Dataset` (participant, respondent, referral, interview)."""
    ids: set[str] = set()
    for table, column in ID_COLUMNS.items():
        frame = getattr(dataset, table, None)
        if frame is not None and column in frame.columns:
            ids.update(frame[column].dropna().astype(str).tolist())  # a list: 3x faster
    return ids


def names_of(dataset) -> set[str]:
    """The staff names in a `Dataset` (the centres' adviser names)."""
    centres = getattr(dataset, "centres", None)
    if centres is None or "adviser_name" not in centres.columns:
        return set()
    values = centres["adviser_name"].dropna().astype(str).str.strip()
    return set(values[values != ""])


__all__ = [
    "Finding",
    "check_manifest",
    "check_outputs",
    "format_findings",
    "identifiers_of",
    "names_of",
    "prescan_outputs",
    "redact_interviews",
    "redact_text",
    "scan_outputs",
    "shipped_images",
]
