"""The `.qmd` subset both engines support: a checker and the shortcode pre-pass.

Allowed: `{{< var name >}}`, `{{< include file >}}`, `{{< pagebreak >}}`, figures and tables with
`#fig-`/`#tbl-` ids and `@fig-`/`@tbl-` cross-references, and callouts
(`::: {.callout-note}` and its siblings). Anything else that only Quarto understands is rejected,
so the pandoc engine and `quarto render` cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ._project import RenderError
from ._trace import in_attributes, mark, plain_lines, unmark

ALLOWED = (
    "{{< var name >}}",
    "{{< include file >}}",
    "{{< pagebreak >}}",
    "![caption](file){#fig-id fig-alt=\"...\"} and @fig-id",
    "tables with ': caption {#tbl-id}' (or ::: {#tbl-id}) and @tbl-id",
    "::: {.callout-note|tip|warning|important|caution title=\"...\"}",
)
CALLOUTS = ("note", "tip", "warning", "important", "caution")

_SHORTCODE = re.compile(r"\{\{\{?<\s*([A-Za-z0-9_-]+)([^>]*?)\s*>\}\}\}?")
_FENCE_DIV = re.compile(r"^\s*(:{3,})\s*(.*?)\s*$")
_CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\{[^}]*\}|[\w+-]*)")
_QUARTO_REF = re.compile(r"(?<![\w@])@(sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem)-[\w-]+")
_ATTR_BLOCK = re.compile(r"\{([^{}]*)\}")
_QUARTO_CLASSES = re.compile(
    r"(?<![\w-])\.(panel-[\w-]+|column-[\w-]+|aside|content-visible|content-hidden|"
    r"callout-[\w-]+|hidden|margin-[\w-]+|page-columns|smaller|incremental|r-[\w-]+)\b"
)
_QUARTO_KEYS = re.compile(
    r"(?<![\w-])(layout(-[\w]+)?|fig-cap-location|tbl-cap-location|fig-align|fig-pos|"
    r"fig-env|cap-location|collapse|appearance|group|when-format|unless-format)\s*="
)
_DIV_ATTR = re.compile(r"^\{\s*(.*?)\s*\}$")
_PAGEBREAK = "\n```{=html}\n<div class=\"page-break\" aria-hidden=\"true\"></div>\n```\n\n"
_PAGEBREAK += "```{=typst}\n#pagebreak(weak: true)\n```\n"


def _div_problem(spec: str) -> str | None:
    """Return why a fenced-div opener is outside the subset, or None when it is allowed."""
    if not spec:
        return None  # a closing fence
    m = _DIV_ATTR.match(spec)
    if not m:
        return f"'::: {spec}': use the attribute form ::: {{...}}"
    tokens = re.findall(r'[\w-]+="[^"]*"|\S+', m.group(1))
    classes = [t[1:] for t in tokens if t.startswith(".")]
    ids = [t[1:] for t in tokens if t.startswith("#")]
    keys = [t.split("=", 1)[0] for t in tokens if "=" in t]
    if ids and not all(i.startswith(("fig-", "tbl-")) for i in ids):
        return f"'::: {spec}': a div id must start with fig- or tbl-"
    if len(classes) > 1 or (classes and classes[0] not in {f"callout-{c}" for c in CALLOUTS}):
        return f"'::: {spec}': only the callout classes are allowed on a div"
    if any(k not in ("title", "icon") for k in keys):
        return f"'::: {spec}': only title= is allowed on a callout"
    if not classes and not ids:
        return f"'::: {spec}': a div needs a callout class or a fig-/tbl- id"
    return None


def subset_problems(text: str, where: str) -> list[str]:
    """List every use of a feature outside the subset in *text*, as 'where:line: problem'."""
    problems: list[str] = []
    in_code: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        at = f"{where}:{lineno}"
        fence = _CODE_FENCE.match(line)
        if in_code is not None:
            if fence and fence.group(1)[0] == in_code[0] and len(fence.group(1)) >= len(in_code):
                in_code = None
            continue
        if fence:
            in_code = fence.group(1)
            info = fence.group(2)
            if info.startswith("{") and not info.startswith("{="):
                problems.append(f"{at}: executable cell '{info}' is not supported; "
                                "run the code in a notebook and include its outputs")
            continue
        codes = list(_SHORTCODE.finditer(line))
        if len(codes) > 1 and line.lstrip().startswith("{{<") and line.rstrip().endswith(">}}"):
            # Quarto reads a line that starts with "{{<" and ends with ">}}" as ONE block
            # shortcode, and stops with "invalid shortcode"
            problems.append(f"{at}: a line that starts and ends with a shortcode is read by "
                            "Quarto as one block shortcode; rewrap it so a word starts or ends it")
        for m in codes:
            if m.group(0).startswith("{{{"):
                problems.append(f"{at}: escaped shortcode '{m.group(0)}' is not supported")
            elif m.group(1) not in ("var", "include", "pagebreak"):
                problems.append(f"{at}: shortcode '{m.group(1)}' is not supported")
        div = _FENCE_DIV.match(line)
        if div:
            reason = _div_problem(div.group(2))
            if reason:
                problems.append(f"{at}: {reason}")
            continue
        for m in _QUARTO_REF.finditer(line):
            problems.append(f"{at}: cross-reference '{m.group(0)}' is not supported "
                            "(only @fig- and @tbl-)")
        for attrs in _ATTR_BLOCK.findall(line):
            if attrs.startswith("<") or attrs.startswith("="):
                continue
            for bad in (_QUARTO_CLASSES.search(attrs), _QUARTO_KEYS.search(attrs)):
                if bad:
                    problems.append(f"{at}: '{bad.group(0).rstrip('= ')}' is Quarto-only")
    return problems


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        out.extend(sorted(path.rglob("*.qmd")) if path.is_dir() else [path])
    return out


def check_qmd_subset(*paths: Path) -> None:
    """Check `.qmd` files (or every `.qmd` under a directory) against the supported subset.

    Raises `RenderError` listing each problem as file:line and the features that are allowed.
    """
    problems: list[str] = []
    for path in _files(paths):
        problems += subset_problems(path.read_text(encoding="utf-8"), str(path))
    if problems:
        problems.append("allowed: " + "; ".join(ALLOWED))
        raise RenderError(problems, head="These files use features outside the .qmd subset")


def expand(path: Path, variables: Mapping[str, str], problems: list[str],
           _stack: tuple[Path, ...] = ()) -> str:
    """Expand var, include and pagebreak shortcodes in *path*; add problems to *problems*."""
    path = path.resolve()
    if path in _stack:
        problems.append(f"{_stack[-1]}: include cycle through {path}")
        return ""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(f"{_stack[-1] if _stack else path}: cannot read {path} ({exc})")
        return ""
    problems.extend(subset_problems(text, str(path)))
    return expand_text(text, path, variables, problems, _stack + (path,))


def expand_text(text: str, path: Path, variables: Mapping[str, str], problems: list[str],
                _stack: tuple[Path, ...] = ()) -> str:
    """Expand shortcodes in *text*, which came from *path* (used for messages and includes)."""
    out: list[str] = []
    plain = plain_lines(text)
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):

        def sub(m: re.Match, lineno: int = lineno, line: str = line) -> str:
            name, arg = m.group(1), m.group(2).strip()
            if name == "var":
                if arg not in variables:
                    problems.append(f"{path}:{lineno}: unknown variable '{arg}' "
                                    "(not in _variables.yml)")
                    return m.group(0)
                if lineno in plain or in_attributes(line, m.start()):
                    return unmark(arg, variables[arg])
                return mark(arg, variables[arg])
            if name == "pagebreak":
                return _PAGEBREAK
            if name == "include":
                target = path.parent / arg.strip("\"'")
                return expand(target, variables, problems, _stack or (path,))
            return m.group(0)

        out.append(_SHORTCODE.sub(sub, line))
    return "".join(out)
