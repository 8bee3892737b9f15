"""Compile one Typst document to PDF, in a process of its own: ``python _typst_run.py REQUEST``.

REQUEST is JSON: ``input``, ``output``, ``root``, ``font_paths``, ``timestamp`` (ISO 8601) and
Typst's compile options. On failure, Typst's diagnostic is written to stdout and the exit status
is 1. Run as a script (not ``-m``), so that the process imports Typst and nothing of wfscc.

Why a process: compiling the report of 150 LAs takes Typst about 0.8 GB, which it does not give
back to the system; in the build process that came on top of everything the build held, and
stayed until the build ended (:func:`wfscc.render._typst.compile_pdf`).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import typst


def main(request: str) -> int:
    options = json.loads(request)
    source = options.pop("input")
    options["timestamp"] = datetime.fromisoformat(options["timestamp"])
    try:
        typst.compile(source, **options)
    except Exception as exc:  # typst raises its own TypstError types
        sys.stdout.write(str(getattr(exc, "diagnostic", None) or exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
