"""Chart helpers: what was drawn and the alt text, not pixels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from wfscc import analysis as an
from wfscc import charts


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_takeup_chart(dataset):
    ax = charts.takeup_chart(an.takeup(dataset.survey))
    assert len(ax.patches) == 4  # two waves x two groups
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Wave 1", "Wave 2"]
    assert "per cent" in ax.get_ylabel().lower()
    text = charts.alt_text(ax)
    assert "pilot areas wave 2" in text and "per cent" in text and "%" not in text


def test_monthly_starts_chart(dataset):
    monthly = an.monthly_starts(dataset.mi, dataset.areas)
    fig, ax = plt.subplots()
    out = charts.monthly_starts_chart(monthly, "P03", ax=ax)
    assert out is ax
    assert len(ax.get_lines()) == 2
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"P03", "Average of pilot areas"}
    assert "P03" in charts.alt_text(ax) and "March 2011" in charts.alt_text(fig)


def test_engagement_chart(dataset):
    shares = an.engagement_shares(dataset.mi, "la_code")
    ax = charts.engagement_chart(shares, "P01")
    assert len(ax.patches) == 6
    assert "lone parents in receipt of benefit" in charts.alt_text(ax)


def test_referrals_chart_and_save(dataset, tmp_path):
    ax = charts.referrals_chart(an.referrals_by_quarter(dataset.referrals))
    assert len(ax.patches) == 18
    assert "2009 Q1" in charts.alt_text(ax)
    a = charts.save(ax, tmp_path / "a.svg").read_bytes()
    again = charts.referrals_chart(an.referrals_by_quarter(dataset.referrals))
    b = charts.save(again, tmp_path / "b.svg").read_bytes()
    assert a == b  # same drawing, same bytes (no date, fixed hash salt)
    assert b"<dc:date>" not in a


def test_alt_text_missing():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        charts.alt_text(ax)


def test_suppressed_values_are_left_out_and_said(dataset):
    monthly = an.monthly_starts(dataset.mi, dataset.areas).astype({"starts": float})
    small = (monthly["la_code"] == "P01") & (monthly["starts"] < 10)
    monthly.loc[small, "starts"] = float("nan")
    ax = charts.monthly_starts_chart(monthly, "P01")
    assert "not shown" in charts.alt_text(ax)
