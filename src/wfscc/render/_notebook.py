"""Turn an executed notebook into pandoc markdown: markdown cells as they are, code hidden,
outputs kept.

Conventions for notebook writers (also in README.md beside this module):

- A chart is an `image/svg+xml` or `image/png` output. Its alt text comes from the cell option
  `#| fig-alt: ...` (a list when the cell draws several charts), else from the output's metadata
  `{"image/png": {"alt": ...}}` or `{"alt": ...}`. A chart without alt text fails the render.
- `#| label: fig-...` and `#| fig-cap: ...` make it a numbered figure that `@fig-...` can cite.
  `{notebook}` in a label stands for the notebook's name in lower case (`fig-{notebook}-starts`
  in `P01.ipynb` is `fig-p01-starts`), so that one notebook run for several areas gives each
  page's figures and tables their own ids.
- The chart's data: a `text/csv` output in the same cell, after the chart. The site shows it in
  "Show the data" under the chart with a CSV download link.
- A table is a `text/markdown` or `text/html` output (a pandas DataFrame shows as HTML);
  `#| label: tbl-...` and `#| tbl-cap: ...` number and caption it.
- `#| output: false` hides a cell's outputs. Code, streams and plain-text reprs are never shown.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from ..memo import sha256
from ._qmd import expand_text, subset_problems

_IMAGE_TYPES = {"image/svg+xml": ".svg", "image/png": ".png"}


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def cell_options(source: str) -> dict:
    """Parse the `#| key: value` lines at the top of a code cell."""
    lines = []
    for line in source.splitlines():
        if not line.startswith("#|"):
            break
        lines.append(line[2:].removeprefix(" "))
    if not lines:
        return {}
    return dict(_options("\n".join(lines)))


@lru_cache(maxsize=256)
def _options(text: str) -> Mapping:
    """The YAML of a cell's option lines, read once: an LA profile notebook's cells carry the
    same options in every LA's copy (900 cells, 6 different texts, at 150 LAs: 0.45 s of CPU
    for PyYAML to read each). The mapping is shared, so callers copy it (`cell_options`)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _pick(value: object, index: int) -> str | None:
    if isinstance(value, list):
        return str(value[index]) if index < len(value) else None
    return None if value is None else str(value)


def _attr(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _save(data: bytes, suffix: str, media_dir: Path) -> Path:
    path = media_dir / (sha256(data).hexdigest()[:16] + suffix)
    if not path.exists():
        path.write_bytes(data)
    return path


def _image_alt(output: Mapping, mime: str) -> str | None:
    meta = output.get("metadata") or {}
    inner = meta.get(mime) if isinstance(meta.get(mime), dict) else {}
    return inner.get("alt") or meta.get("alt")


def _cell_markdown(cell: Mapping, where: str, media_dir: Path, problems: list[str],
                   stem: str = "") -> str:
    """Render one code cell's outputs as markdown."""
    opts = cell_options(_text(cell.get("source")))
    if opts.get("output") is False:
        return ""
    label = str(opts.get("label") or "").replace("{notebook}", stem.lower())
    blocks: list[str] = []
    figures: list[int] = []  # indexes into blocks of the figures, for data attachment
    n_images = n_tables = 0
    for output in cell.get("outputs") or []:
        if output.get("output_type") not in ("display_data", "execute_result"):
            continue
        data = output.get("data") or {}
        mime = next((m for m in _IMAGE_TYPES if m in data), None)
        if mime:
            raw = _text(data[mime])
            payload = raw.encode() if mime == "image/svg+xml" else base64.b64decode(raw)
            path = _save(payload, _IMAGE_TYPES[mime], media_dir)
            alt = _pick(opts.get("fig-alt"), n_images) or _image_alt(output, mime)
            cap = _pick(opts.get("fig-cap"), n_images) or ""
            ident = ""
            if label.startswith("fig-"):
                ident = f"#{label}" if n_images == 0 else f"#{label}-{n_images + 1}"
            attrs = f'{ident} fig-alt="{_attr(alt)}"' if alt else ident
            if not alt:
                problems.append(f"{where}: chart output {n_images + 1} has no alt text; "
                                "add '#| fig-alt: ...' to the cell")
            blocks.append(f"![{cap}]({path.as_posix()}){{{attrs.strip()}}}")
            figures.append(len(blocks) - 1)
            n_images += 1
        elif "text/csv" in data:
            csv_path = _save(_text(data["text/csv"]).encode(), ".csv", media_dir)
            if figures:
                i = figures[-1]
                blocks[i] = blocks[i][:-1] + f' wfscc-data="{csv_path.as_posix()}"}}'
            else:
                problems.append(f"{where}: a text/csv output must follow the chart it belongs to")
        elif "text/markdown" in data or "text/html" in data:
            cap = _pick(opts.get("tbl-cap"), n_tables) or ""
            ident = f"#{label}" if label.startswith("tbl-") and n_tables == 0 else ""
            attrs = " ".join(x for x in (ident, ".wfscc-nbtable", f'tbl-cap="{_attr(cap)}"') if x)
            if "text/markdown" in data:
                inner = _text(data["text/markdown"])
            else:
                inner = "```{=html}\n" + _text(data["text/html"]) + "\n```"
            blocks.append(f"::: {{{attrs}}}\n{inner}\n:::")
            n_tables += 1
    return "\n\n".join(blocks)


def notebook_markdown(path: Path, variables: Mapping[str, str], media_dir: Path,
                      problems: list[str]) -> str:
    """Return the notebook at *path* as pandoc markdown; images and data go to *media_dir*."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: cannot read the notebook ({exc})")
        return ""
    parts: list[str] = []
    for number, cell in enumerate(nb.get("cells") or [], start=1):
        where = f"{path} cell {number}"
        if cell.get("cell_type") == "markdown":
            text = _text(cell.get("source"))
            problems.extend(subset_problems(text, where))
            parts.append(expand_text(text, Path(where), variables, problems))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs") or []:
                if output.get("output_type") == "error":
                    problems.append(f"{where}: the cell raised {output.get('ename')}; "
                                    "the notebook must run without errors")
            parts.append(_cell_markdown(cell, where, media_dir, problems, path.stem))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"
