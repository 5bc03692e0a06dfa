"""Armstat's first releases after the series: pending until the series reaches them, and their
base (the release's own figure for the year before) checked now."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import first_releases, trade


@pytest.fixture(scope="module")
def monthly():
    return trade.monthly_by_partner(
        load_table("armstat_trade_monthly_raw"), load_table("partner_codes")
    )


@pytest.fixture(scope="module")
def commodity():
    return load_table("armstat_trade_commodity_monthly_raw")


def release(**kw):
    row = dict(
        release_id="R99",
        released="2026-01-01",
        year=2025,
        month=None,
        to_month=2,
        partner_iso3="WLD",
        flow="imports",
        goods="all",
        measure="value",
        value=1740.0,
        tolerance=5.0,
        qualifier="exact",
        growth_pct=-45.8,
        growth_tolerance_pct=0.05,
        prior_share_pct=None,
        prior_share_tolerance_pct=None,
        source_id="x",
    )
    row.update(kw)
    return pd.DataFrame([row])


def test_every_recorded_release_keeps_its_expected_checks(monthly, commodity):
    releases = load_table("armstat_first_releases")
    out = first_releases.check_first_releases(releases, monthly, commodity).merge(
        releases[["release_id", "expected_check", "expected_base"]]
    )
    assert (out["outcome"] == out["expected_check"]).all()
    assert (out["base_outcome"].fillna("") == out["expected_base"].fillna("")).all()
    assert (out["outcome"] == "pending").all()  # the series ends in December 2024


def test_the_series_ends_where_the_snapshot_ends(monthly):
    assert first_releases.series_end(monthly) == (2024, 12)


def test_a_release_beyond_the_series_is_pending_and_its_base_is_checked(monthly, commodity):
    out = first_releases.check_first_releases(release(), monthly, commodity).iloc[0]
    assert out["outcome"] == "pending" and out["base_outcome"] == "match"
    wrong_rate = first_releases.check_first_releases(
        release(growth_pct=-30.0), monthly, commodity
    ).iloc[0]
    assert wrong_rate["base_outcome"] == "differs"  # the mutation flips the check
    assert out["change_on_series_pct"] == pytest.approx(-46.0, abs=0.1)


def test_once_the_series_covers_the_period_the_release_is_checked(monthly, commodity):
    # A "2024" release of January-February 2024 imports, as the series has them.
    same = release(year=2024, value=3220.7, growth_pct=None, growth_tolerance_pct=None)
    assert (
        first_releases.check_first_releases(same, monthly, commodity).iloc[0]["outcome"] == "match"
    )
    off = release(year=2024, value=3000.0, growth_pct=None, growth_tolerance_pct=None)
    assert (
        first_releases.check_first_releases(off, monthly, commodity).iloc[0]["outcome"] == "differs"
    )


def test_shares_growth_rates_and_precious_metals(monthly, commodity):
    share = release(
        year=2024,
        to_month=7,
        partner_iso3="RUS",
        flow="turnover",
        measure="share",
        value=42.2,
        tolerance=0.05,
        growth_pct=None,
        growth_tolerance_pct=None,
    )
    assert (
        first_releases.check_first_releases(share, monthly, commodity).iloc[0]["outcome"] == "match"
    )
    growth = release(
        year=2024,
        to_month=4,
        flow="turnover",
        measure="growth",
        value=98.0,
        tolerance=50.0,
        growth_pct=None,
        growth_tolerance_pct=None,
    )
    assert (
        first_releases.check_first_releases(growth, monthly, commodity).iloc[0]["outcome"]
        == "match"
    )
    hs71 = release(to_month=3, goods="hs71", value=435.9, tolerance=0.05, growth_pct=-86.2)
    assert (
        first_releases.check_first_releases(hs71, monthly, commodity).iloc[0]["base_outcome"]
        == "match"
    )
    with pytest.raises(ValueError, match="R99: HS 71 figures can be checked for WLD only"):
        first_releases.check_first_releases(
            release(goods="hs71", partner_iso3="RUS"), monthly, commodity
        )


def test_month_and_to_month_together_are_refused(monthly, commodity):
    with pytest.raises(ValueError, match="R99: give month or to_month, not both"):
        first_releases.check_first_releases(release(month=1), monthly, commodity)


def test_period_to_date_sums_the_months(monthly):
    totals = first_releases.period_to_date(monthly, "RUS", "turnover", 2024)
    assert list(totals.index) == list(range(1, 13))
    assert totals.iloc[-1] == pytest.approx(12401.64, abs=0.01)
