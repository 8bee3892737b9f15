"""Facts from the coded qualitative interviews: counts by type, wave and role, and themes."""

from __future__ import annotations

from .. import analysis as an
from .. import housestyle as hs
from ..contract import INTERVIEW_TYPES
from ..memo import reads
from ._core import SRC, Facts


@reads("interviews")
def interviews(f: Facts, ds) -> None:
    """Interview counts, and how often (and in how many LAs) each theme came up."""
    iv = ds.interviews
    src = "wfscc.facts._interviews.interviews"
    f.count("interviews_total", len(iv), src)
    for t in INTERVIEW_TYPES:
        f.count(f"interviews_{t}", int((iv["interview_type"] == t).sum()), src)
    for w in (1, 2):
        f.count(f"interviews_w{w}", int((iv["wave"] == w).sum()), src)
    for role, n in iv.groupby("role").size().items():
        f.count(f"interviews_{role}", n, src)

    src = SRC + "qualitative.theme_frequencies"
    for _, r in an.theme_frequencies(iv).iterrows():
        f.count(f"theme_{r['theme']}_n", r["count"], src, base=r["base"])
        f.add(f"theme_{r['theme']}_words", r["share"], r["base"], hs.proportion_words(r["share"]),
              src)
    for _, r in an.theme_frequencies(iv, by="role").iterrows():
        f.count(f"theme_{r['theme']}_{r['role']}_n", r["count"], src, base=r["base"])
    by_la = an.theme_frequencies(iv, by="la_code")
    n_las = int(iv["la_code"].nunique())
    for theme in an.THEMES:
        sel = by_la[(by_la["theme"] == theme) & (by_la["count"] > 0)]
        f.count(f"theme_{theme}_las", sel["la_code"].nunique(), src, base=n_las)
