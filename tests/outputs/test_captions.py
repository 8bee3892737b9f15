"""The composition and priority charts change form beyond MAX_AREA_ROWS areas (a summary of the
areas instead of a row each): their caption, cited by the chapters as fig_caption_<name>, and
their alt text describe the form drawn."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from wfscc.analysis import MEASURES
from wfscc.outputs import charts
from wfscc.outputs import figures as wf
from wfscc.outputs._areas import MAX_AREA_ROWS
from wfscc.outputs.disclosure import protect


def _composition(n_areas: int):
    areas = ["All pilot areas"] + [f"P{i:02d}" for i in range(1, n_areas + 1)]
    frame = pd.DataFrame({"area": areas, "starts": [500] * len(areas)})
    shares = pd.DataFrame([(a, m, 0.4) for a in areas for m in MEASURES],
                          columns=["area", "measure", "estimate"])
    return protect(frame, [], threshold=10), shares


def _priorities(n_areas: int):
    las = [f"P{i:02d}" for i in range(1, n_areas + 1)]
    delivery = pd.DataFrame([(la, e, r) for la in las for r, e in enumerate("abc", start=1)],
                            columns=["la_code", "element", "priority"])
    wide = delivery.pivot(index="la_code", columns="element", values="priority").reset_index()
    return protect(wide, [], threshold=10), delivery


@pytest.mark.parametrize("n", [MAX_AREA_ROWS, MAX_AREA_ROWS + 1])
def test_the_caption_and_alt_text_follow_the_form_drawn(n):
    many = n > MAX_AREA_ROWS
    table, shares = _composition(n)
    ax = charts.composition_chart(shares)
    assert wf.caption("composition", table) == (
        wf.MANY_CAPTIONS["composition"] if many else wf.CAPTIONS["composition"])
    assert charts.alt_text(ax).startswith("Histograms" if many else "Bar chart")
    plt.close("all")
    table, delivery = _priorities(n)
    labels = {"a": "A", "b": "B", "c": "C"}
    ax = charts.priority_chart(delivery, labels)
    assert wf.caption("priorities", table) == (
        wf.MANY_CAPTIONS["priorities"] if many else wf.CAPTIONS["priorities"])
    assert ("one row per rank" in charts.alt_text(ax)) == many
    plt.close("all")


def test_the_chapters_cite_the_caption_of_the_form_drawn(repo_root):
    for name in wf.MANY_CAPTIONS:
        line = wf.Figure(name, None, "", wf.CAPTIONS[name], None).markdown
        assert line.startswith(f"![{{{{< var fig_caption_{name} >}}}}](figures/{name}.svg)")
    for name, caption in {**wf.CAPTIONS, **wf.MANY_CAPTIONS}.items():
        assert not any(c.isdigit() for c in caption), name  # no typed numbers
