"""The guard on files that are final before the rest of the output is made (the published
tables, the facts, the executed notebooks: all written before the pages are rendered), run
while the rest is rendered, so that the scan of the whole output finds them clean in its cache.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from ..contract import DEFAULT_THRESHOLD
from ._detect import detector_for
from ._manifest import manifest_csvs
from ._memo import GuardMemo, params_digest
from .scan import VENDORED, _scan_file


def prescan_outputs(
    root: Path,
    paths: Iterable[Path],
    *,
    identifiers: Iterable[str],
    names: Iterable[str],
    threshold: int = DEFAULT_THRESHOLD,
    places: Iterable[str] = (),
    vendored: Iterable[str] = VENDORED,
    cache_dir: Path | None = None,
) -> None:
    """Scan `paths`, files under `root` that are final already, while the rest of the tree is
    being made, so that the `scan_outputs` of the whole tree (with the same parameters and
    `cache_dir`) finds them clean in its cache and does not read them again. Nothing is
    reported here and nothing is skipped later: a file with findings is not kept as clean, so
    the whole scan searches it again, and so does it any file changed since. Without
    `cache_dir` there is nowhere to keep a verdict, and nothing is done."""
    if cache_dir is None:
        return
    root, vendored = Path(root), tuple(vendored)
    identifiers, names, places = set(identifiers), list(names), list(places)
    memo = GuardMemo(cache_dir, params_digest(identifiers, names, places, threshold, vendored))
    # kept for the next scan with these parameters, with the texts it analysed: a chart read in
    # its notebook here is not searched again as the site's asset
    detector = functools.cache(lambda: detector_for(memo.params, identifiers, names, places))
    # the manifests present now; one written later changes the key, and the file is read again
    in_manifest = manifest_csvs(p for p in root.rglob("tables.json") if p.is_file())
    for path in sorted(p for p in paths if p.is_file()):
        rel = path.relative_to(root).as_posix()
        _scan_file(path, rel, vendored, path in in_manifest, detector, threshold, memo)
    memo.flush()
