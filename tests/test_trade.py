"""Trade reconstruction: unit tests on tiny frames, and the published figures as fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import trade


def tiny_inputs():
    raw = pd.DataFrame(
        {
            "country": [
                "Russian Federation",
                "Russian Federation",
                "Belarus",
                "Unknown country",
                "United States",
                "USA",
            ],
            "year": [2023, 2023, 2023, 2023, 2023, 2024],
            "month": [1, 2, 1, 1, 1, 1],
            "export": [100.0, 50.0, 10.0, 5.0, 1.0, 2.0],
            "import_origin": [200.0, 0.0, 20.0, 0.0, 3.0, 4.0],
            "import_consignment": [150.0, 10.0, 25.0, 0.0, 3.0, 4.0],
        }
    )
    codes = pd.DataFrame(
        {
            "armstat_name": [
                "Russian Federation",
                "Belarus",
                "Unknown country",
                "United States",
                "USA",
            ],
            "partner_iso3": ["RUS", "BLR", "XXX", "USA", "USA"],
            "code_kind": ["iso3166", "iso3166", "user_assigned", "iso3166", "iso3166"],
        }
    )
    return raw, codes


def test_annual_turnover_share_and_rank_on_a_tiny_table():
    raw, codes = tiny_inputs()
    annual = trade.annual_by_partner(trade.monthly_by_partner(raw, codes), codes)
    rus = annual[(annual.partner_iso3 == "RUS") & (annual.year == 2023)].iloc[0]
    assert rus.exports_usd_m == pytest.approx(0.150)
    assert rus.imports_usd_m == pytest.approx(0.200)
    assert rus.turnover_usd_m == pytest.approx(0.350)
    assert rus.turnover_consignment_usd_m == pytest.approx(0.310)
    assert rus.balance_usd_m == pytest.approx(-0.050)
    world = annual[(annual.partner_iso3 == "WLD") & (annual.year == 2023)].iloc[0]
    assert world.turnover_usd_m == pytest.approx(0.389)
    assert rus.share_of_total_pct == pytest.approx(100 * 350 / 389, abs=1e-3)
    assert rus.rank_among_partners == 1
    # The unknown partner counts in the total but is not ranked; nor is the world.
    unknown = annual[annual.partner_iso3 == "XXX"].iloc[0]
    assert pd.isna(unknown.rank_among_partners) and pd.isna(world.rank_among_partners)


def test_renamed_partners_are_merged_under_one_code():
    raw, codes = tiny_inputs()
    monthly = trade.monthly_by_partner(raw, codes)
    assert set(monthly[monthly.partner_iso3 == "USA"].year) == {2023, 2024}


def test_members_monthly_table_fills_months_without_trade_with_zero():
    raw, codes = tiny_inputs()
    table = trade.members_monthly_table(trade.monthly_by_partner(raw, codes))
    assert len(table) == 5 * 2 * 12  # five members, two years, twelve months
    kgz = table[table.partner_iso3 == "KGZ"]
    assert (kgz[["exports", "imports_origin", "imports_consignment"]] == 0).all().all()


def test_lower_bound_and_rounding_rules():
    # One month of trade (thousand US dollars) summing to the year's figures in millions.
    monthly = pd.DataFrame(
        {
            "partner_iso3": ["RUS"],
            "year": [2023],
            "month": [1],
            "exports": [7_923_900.0],
            "imports_origin": [8_378_200.0],
            "imports_consignment": [0.0],
        }
    )
    cases = {  # published figure, tolerance, qualifier, flow -> expected outcome
        "over X, and it is": (7300, 50, "lower_bound", "exports", "match"),
        "over X, but it is not": (8000, 50, "lower_bound", "exports", "differs"),
        "rounded, within tolerance": (8380, 5, "exact", "imports", "match"),
        "exact, far off": (7300, 50, "exact", "exports", "differs"),
    }
    fixtures = pd.DataFrame(
        {
            "fixture_id": list(cases),
            "year": 2023,
            "month": float("nan"),
            "to_month": float("nan"),
            "partner_iso3": "WLD",
            "flow": [c[3] for c in cases.values()],
            "value_usd_m": [c[0] for c in cases.values()],
            "tolerance_usd_m": [c[1] for c in cases.values()],
            "qualifier": [c[2] for c in cases.values()],
            "growth_pct": float("nan"),
            "growth_tolerance_pct": float("nan"),
            "source_id": "s",
        }
    )
    checked = trade.check_published(fixtures, monthly).set_index("fixture_id")
    assert checked["outcome"].to_dict() == {k: c[4] for k, c in cases.items()}


def test_implied_prior_carries_the_rounding_of_value_and_growth():
    central, low, high = trade.implied_prior(7615, 1, 42.7, 0.05)
    assert central == pytest.approx(7615 / 1.427)
    assert low == pytest.approx(7614 / 1.4275) and high == pytest.approx(7616 / 1.4265)


def test_period_value_sums_months_and_the_eaeu_partners():
    monthly = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "RUS", "BLR", "CHN", "RUS"],
            "year": [2024, 2024, 2024, 2024, 2023],
            "month": [1, 7, 2, 1, 1],
            "exports": [1000.0, 500.0, 100.0, 50.0, 7.0],
            "imports_origin": [2000.0, 0.0, 0.0, 10.0, 0.0],
            "imports_consignment": [0.0] * 5,
        }
    )
    assert trade.period_value(monthly, "RUS", 2024, "turnover", 1, 6) == pytest.approx(3.0)
    assert trade.period_value(monthly, "EAEU", 2024, "exports") == pytest.approx(1.6)
    assert trade.period_value(monthly, "WLD", 2024, "imports") == pytest.approx(2.01)


def test_revision_is_told_from_an_unexplained_difference():
    # Published 150 (+50 % on a year before of 100); the series now has 160 and 100.
    monthly = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "RUS"],
            "year": [2023, 2024],
            "month": [1, 1],
            "exports": [100_000.0, 160_000.0],
            "imports_origin": [0.0, 0.0],
            "imports_consignment": [0.0, 0.0],
        }
    )
    fixtures = pd.DataFrame(
        {
            "fixture_id": ["X1", "X2", "X3"],
            "year": [2024] * 3,
            "month": [pd.NA] * 3,
            "to_month": [pd.NA] * 3,
            "partner_iso3": ["RUS"] * 3,
            "flow": ["exports"] * 3,
            "value_usd_m": [150.0, 150.0, 160.0],
            "tolerance_usd_m": [0.5] * 3,
            "qualifier": ["exact"] * 3,
            "growth_pct": [50.0, 20.0, pd.NA],
            "growth_tolerance_pct": [0.5, 0.5, pd.NA],
            "source_id": ["s"] * 3,
        }
    )
    checks = trade.check_published(fixtures, monthly).set_index("fixture_id")
    assert checks.loc["X1", "outcome"] == "revision" and checks.loc["X1", "direction"] == "up"
    assert checks.loc["X1", "implied_prior_usd_m"] == 100.0
    assert checks.loc["X2", "outcome"] == "differs"  # its own base (125) is not the series' 100
    assert checks.loc["X3", "outcome"] == "match" and pd.isna(checks.loc["X3", "direction"])


def test_mirror_gap_is_partner_minus_armstat_in_per_cent_of_armstat():
    annual = pd.DataFrame(
        {
            "partner_iso3": ["KAZ", "BLR"],
            "year": [2023, 2017],
            "exports_usd_m": [80.0, 7.0],
            "imports_usd_m": [30.0, 39.0],
            "turnover_usd_m": [110.0, 46.0],
        }
    )
    mirror = pd.DataFrame(
        {
            "mirror_id": ["M1", "M2", "M3"],
            "partner_iso3": ["KAZ", "BLR", "BLR"],
            "year": [2023, 2017, 2017],
            "flow": ["turnover", "armenia_exports", "turnover"],
            "value_usd_m": [55.0, 8.4, 46.0],
            "qualifier": ["exact"] * 3,
            "source_id": ["a", "b", "b"],
        }
    )
    rows = trade.mirror_table(mirror, annual).set_index("mirror_id")
    assert rows.loc["M1", "gap_pct"] == -50.0  # half of Armstat's 110
    assert rows.loc["M2", "gap_pct"] == 20.0  # Armenia's exports: 8.4 against 7.0
    assert rows.loc["M3", "gap_pct"] == 0.0
    gaps = trade.mirror_gaps(rows.reset_index())
    assert (gaps["rows"], gaps["partner_lower"], gaps["within_near"]) == (3, 1, 1)
    assert gaps["widest_below"]["mirror_id"] == "M1"
    assert gaps["widest_above"]["mirror_id"] == "M2"
    none_above = trade.mirror_gaps(rows.reset_index().query("gap_pct <= 0"), near_pct=60)
    assert none_above["widest_above"] is None and none_above["within_near"] == 2


@pytest.fixture(scope="module")
def rebuilt():
    raw, codes = load_table("armstat_trade_monthly_raw"), load_table("partner_codes")
    monthly = trade.monthly_by_partner(raw, codes)
    return monthly, trade.annual_by_partner(monthly, codes)


def test_published_figures_give_their_recorded_outcome(rebuilt):
    monthly, annual = rebuilt
    fixtures = load_table("armstat_published_totals")
    checks = trade.check_published(fixtures, monthly)
    changed = checks[checks.outcome.values != fixtures.expected_check.values]
    assert changed.empty, changed[
        ["fixture_id", "published_usd_m", "reconstructed_usd_m", "outcome"]
    ]


def test_first_half_2024_releases_were_higher_than_the_current_series(rebuilt):
    monthly, _ = rebuilt
    checks = trade.check_published(load_table("armstat_published_totals"), monthly)
    h1 = checks[(checks.year == 2024) & (checks.to_month == 6)]
    assert len(h1) == 2 and (h1.direction == "down").all()


def test_at_least_three_independent_published_totals_are_reproduced(rebuilt):
    monthly, annual = rebuilt
    fixtures = load_table("armstat_published_totals")
    checks = trade.check_published(fixtures, monthly)
    exact = checks[
        (checks.outcome == "match")
        & (checks.qualifier == "exact")
        & (fixtures.tolerance_usd_m.values <= 50)
    ]
    sources = {ids.split(";")[0] for ids in exact.source_ids}
    assert len(sources) >= 3, sources

    # Spot checks with the published figure, stated here so a reader sees what is tested.
    def turnover(partner, year):
        return trade.value(annual, partner, year, "turnover_usd_m")

    assert turnover("WLD", 2021) == pytest.approx(8380, abs=5)  # "$8.38 billion"
    assert turnover("WLD", 2020) == pytest.approx(7100, abs=50)  # "$7.1 billion"
    assert turnover("WLD", 2024) == pytest.approx(30200, abs=50)  # "$30.2 billion"
    assert trade.value(annual, "WLD", 2022, "exports_usd_m") == pytest.approx(5400, abs=50)
    assert trade.value(annual, "TUR", 2021, "imports_usd_m") == pytest.approx(73, abs=0.5)


def test_article_trade_numbers_reproduce(rebuilt):
    _, annual = rebuilt

    def v(p, y):
        return trade.value(annual, p, y, "turnover_usd_m")

    assert round(v("RUS", 2019) / 1000, 1) == 2.2
    assert 7500 < v("RUS", 2023) < 8000  # "almost $8 billion"
    assert trade.value(annual, "RUS", 2023, "share_of_total_pct") > 30  # "over 30%"
    assert round(v("BLR", 2023)) == 188
    # "17th": only if the 'Unknown country' line is ranked as a partner; 16th among countries.
    assert trade.value(annual, "BLR", 2023, "rank_among_partners") == 16
    assert trade.rank_among_all_lines(annual, "BLR", 2023) == 17
    assert round(v("KGZ", 2023)) == 29 and round(v("KGZ", 2019), 1) == 3.4
    assert round(v("TJK", 2023), 1) == 1.5 and round(v("TJK", 2022), 1) == 1.3
