"""wfscc.notebook.quarters: counts by calendar quarter and their chart's alt text."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from wfscc.notebook import quarters

from .helpers import facts


@pytest.fixture
def monthly():
    months = pd.date_range("2009-02-01", "2009-10-01", freq="MS")
    return pd.DataFrame({"month": months, "n": [1, 2, 3, 10, 20, 30, 4, 50, 5]})


def test_by_quarter_sums_the_months_of_each_calendar_quarter(monthly):
    out = quarters.by_quarter(monthly, "n", "Starts")
    assert list(out["Quarter"]) == ["2009 Q1", "2009 Q2", "2009 Q3", "2009 Q4"]
    assert list(out["Starts"]) == [1 + 2, 3 + 10 + 20, 30 + 4 + 50, 5]
    assert list(out["quarter_start"]) == [pd.Timestamp(d) for d in
                                          ("2009-01-01", "2009-04-01", "2009-07-01", "2009-10-01")]


def test_quarterly_withholds_small_quarters(monthly):
    # two quarters under ten: both withheld, and no other needs to be (no total is shown)
    _, table = quarters.quarterly(monthly, "n", "Starts", threshold=10)
    assert list(table.frame.columns) == ["Quarter", "Starts"]
    assert table.frame["Starts"].isna().tolist() == [True, False, False, True]


def test_the_alt_text_says_what_is_shown_the_peak_and_what_is_withheld(monthly):
    q, table = quarters.quarterly(monthly, "n", "Starts", threshold=10)
    f = facts(("la_steady_month", "2009-07-01", "July 2009"),
              ("la_disclosure_threshold", 10, "10"))
    ax, alt, hidden = quarters.quarterly_chart(f, q, table, "Starts", "la_steady_month", "starts")
    assert hidden == 2
    assert alt == ("Bar chart of starts per quarter in Northam, from 2009 Q1 to 2009 Q4, with a "
                   "dashed line at July 2009, when starts reached a steady level. Starts were "
                   "highest in 2009 Q3, at 84. Two quarters with fewer than 10 starts are marked "
                   "[c] and not drawn.")
    assert ax.figure.get_supylabel() == "Starts per quarter (number)"
    assert "[c]" in [t.get_text() for t in ax.texts]  # the chart helper marks it
    plt.close("all")


def test_the_y_label_fits_beside_the_key_in_the_shown_chart(monthly):
    from wfscc.notebook.display import house_figure
    from wfscc.outputs.charts import layout

    q, table = quarters.quarterly(monthly, "n", "Referrals", threshold=10)
    f = facts(("la_referral_steady_month", None, "not reached"),
              ("la_disclosure_threshold", 10, "10"))
    ax, _, _ = quarters.quarterly_chart(f, q, table, "Referrals", "la_referral_steady_month",
                                        "referrals")
    figure = ax.figure
    house_figure(figure)
    layout(figure)
    renderer = figure.canvas.get_renderer()
    label = figure._supylabel.get_window_extent(renderer)
    key = figure.legends[0].get_window_extent(renderer)
    page = figure.bbox
    assert label.y0 >= page.y0 and label.y1 <= page.y1, (label, page)
    assert not label.overlaps(key), (label, key)  # the key's dashed line must not cross it
    plt.close("all")
    plt.close("all")


def test_the_alt_text_says_when_no_steady_level_was_reached(monthly):
    q, table = quarters.quarterly(monthly, "n", "Referrals", threshold=1)
    f = facts(("la_referral_steady_month", None, "not reached"))
    _, alt, hidden = quarters.quarterly_chart(f, q, table, "Referrals",
                                              "la_referral_steady_month", "referrals")
    assert hidden == 0
    assert "; referrals did not reach a steady level." in alt and "[c]" not in alt
    plt.close("all")
