"""Trade composition: unit tests on tiny frames, and the commodity snapshot against Armstat's
partner table and against published figures."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import trade_composition as tc


def tiny_commodity():
    """Two years, three headings: gold (7108), phones (8517) and wine (2204); thousand USD."""
    return pd.DataFrame(
        {
            "hs4": [7108, 8517, 2204, 7108, 8517, 2204, 7108],
            "year": [2021, 2021, 2021, 2024, 2024, 2024, 2024],
            "month": [1, 1, 1, 1, 1, 1, 2],
            "export": [100.0, 50.0, 850.0, 3000.0, 550.0, 900.0, 1000.0],
            "import": [50.0, 100.0, 10.0, 2000.0, 300.0, 20.0, 1500.0],
        }
    )


def test_annual_composition_splits_hs71_off_the_totals():
    out = tc.annual_composition(tiny_commodity()).set_index("year")
    assert out.loc[2024, "exports_usd_m"] == pytest.approx(5.45)
    assert out.loc[2024, "hs71_exports_usd_m"] == pytest.approx(4.0)
    assert out.loc[2024, "gold_imports_usd_m"] == pytest.approx(3.5)
    assert out.loc[2024, "diamonds_imports_usd_m"] == 0.0
    assert out.loc[2024, "exports_excl_hs71_usd_m"] == pytest.approx(1.45)
    assert out.loc[2021, "hs71_share_of_exports_pct"] == pytest.approx(10.0)


def test_surge_contributions_add_up_to_the_whole_change():
    out = tc.surge_contributions(tiny_commodity(), 2021, 2024)
    exports = out[out["flow"] == "exports"].set_index("group")
    assert exports["change_usd_m"].sum() == pytest.approx(4.45)
    assert exports["share_of_change_pct"].sum() == pytest.approx(100.0)
    assert exports.loc["Precious stones and metals (HS 71)", "change_usd_m"] == pytest.approx(3.9)
    phones = exports.loc["Electrical equipment and phones (HS 85)", "change_usd_m"]
    assert phones == pytest.approx(0.5)
    assert exports.loc["All other goods", "change_usd_m"] == pytest.approx(0.05)
    assert exports.loc["Vehicles (HS 87)", "change_usd_m"] == 0.0


def test_partner_less_hs71_is_imports_from_the_partner_minus_everyone_s_hs71():
    members = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "RUS", "BLR"],
            "year": [2024, 2024, 2024],
            "month": [1, 2, 1],
            "imports_origin": [2500.0, 1600.0, 99.0],
        }
    )
    out = tc.partner_less_hs71_monthly(members, tiny_commodity(), "RUS", 2024)
    assert list(out["month"]) == [1, 2]
    assert list(out["hs71_imports_all_partners_usd_m"]) == pytest.approx([2.0, 1.5])
    assert list(out["partner_imports_less_all_hs71_usd_m"]) == pytest.approx([0.5, 0.1])


def test_import_share_without_hs71_bounds_and_published_figure():
    shares = tc.import_share_without_hs71(
        partner_imports=60, total_imports=100, total_hs71_imports=50, partner_hs71_imports=40
    )
    assert shares["share_with_hs71_pct"] == pytest.approx(60.0)
    assert shares["share_without_hs71_floor_pct"] == pytest.approx(20.0)
    assert shares["share_without_hs71_ceiling_pct"] == pytest.approx(100.0)
    assert shares["share_without_hs71_pct"] == pytest.approx(40.0)
    assert shares["share_without_hs71_floor_pct"] <= shares["share_without_hs71_pct"]


def test_import_shares_by_year_gives_bounds_every_year_and_the_share_where_published():
    by_partner = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "WLD", "RUS", "WLD"],
            "year": [2021, 2021, 2024, 2024],
            "imports_usd_m": [30.0, 100.0, 60.0, 100.0],
        }
    )
    composition = pd.DataFrame({"year": [2024, 2021], "hs71_imports_usd_m": [50.0, 5.0]})
    out = tc.import_shares_by_year(by_partner, composition, "RUS", {2024: 40.0})
    assert list(out["year"]) == [2021, 2024]
    assert out.loc[1, "share_without_hs71_pct"] == pytest.approx(40.0)
    assert out.loc[1, "share_without_hs71_floor_pct"] == pytest.approx(20.0)
    assert pd.isna(out.loc[0, "share_without_hs71_pct"])
    assert out.loc[0, "share_with_hs71_pct"] == pytest.approx(30.0)
    with pytest.raises(ValueError, match="no single row for RUS in 2021"):
        tc.import_shares_by_year(by_partner.iloc[1:], composition, "RUS", {})


@pytest.mark.parametrize("partner_hs71", [-1, 61, 51])
def test_an_impossible_partner_figure_is_refused(partner_hs71):
    with pytest.raises(ValueError, match="between 0 and both"):
        tc.import_share_without_hs71(60, 100, 50, partner_hs71)


def test_check_published_rounding_and_partner_rows():
    published = pd.DataFrame(
        {
            "figure_id": ["G01", "G02", "G03"],
            "start": pd.to_datetime(["2024-01-01"] * 3),
            "end": pd.to_datetime(["2024-02-01"] * 3),
            "flow": ["imports", "exports", "imports"],
            "goods": ["gold_7108", "all_excl_gold_7108", "hs71"],
            "partner_iso3": ["WLD", "WLD", "RUS"],
            "value_usd_m": [3.45, 1.3, 3.0],
            "rounding_usd_m": [0.1, 0.1, 0.1],
            "source_id": ["x", "x", "x"],
        }
    )
    out = tc.check_published(published, tiny_commodity()).set_index("figure_id")
    assert out.loc["G01", "rebuilt_usd_m"] == pytest.approx(3.5)
    assert out.loc["G01", "outcome"] == "match"  # 3.5 - 3.45 = half the rounding unit
    assert out.loc["G02", "outcome"] == "differs"  # 1.45 against 1.3
    assert out.loc["G03", "outcome"] == "not_checkable"


@pytest.fixture(scope="module")
def commodity():
    return load_table("armstat_trade_commodity_monthly_raw")


def test_the_snapshot_adds_up_to_armstat_s_partner_table(commodity):
    raw = load_table("armstat_trade_monthly_raw")
    by_country = raw.groupby("year")[["export", "import_origin"]].sum()
    by_goods = commodity.groupby("year")[["export", "import"]].sum()
    for year in range(2019, 2025):
        assert by_goods.loc[year, "export"] == pytest.approx(by_country.loc[year, "export"], abs=1)
        assert by_goods.loc[year, "import"] == pytest.approx(
            by_country.loc[year, "import_origin"], abs=1
        )


def test_every_published_figure_keeps_its_recorded_outcome(commodity):
    published = load_table("trade_commodity_published")
    checks = tc.check_published(published, commodity)
    outcome = dict(zip(checks["figure_id"], checks["outcome"], strict=False))
    assert outcome == dict(zip(published["figure_id"], published["expected_outcome"], strict=False))


def test_headline_values_of_the_snapshot(commodity):
    """Values a reader can check against Armstat: HS 71 and gold in 2024, million USD."""
    out = tc.annual_composition(commodity).set_index("year")
    assert out.loc[2024, "hs71_exports_usd_m"] == pytest.approx(8042.584, abs=0.01)
    assert out.loc[2024, "hs71_imports_usd_m"] == pytest.approx(7368.902, abs=0.01)
    assert out.loc[2024, "gold_exports_usd_m"] == pytest.approx(5605.3, abs=0.1)
    assert out.loc[2021, "hs71_imports_usd_m"] == pytest.approx(248.472, abs=0.01)


def test_reader_table_names_period_partner_and_outcome():
    published = pd.DataFrame(
        {
            "figure_id": ["G01", "G02"],
            "start": pd.to_datetime(["2023-01-01", "2024-01-01"]),
            "end": pd.to_datetime(["2023-12-01", "2024-06-01"]),
            "flow": ["exports", "imports"],
            "goods": ["diamonds_7102", "hs71"],
            "partner_iso3": ["WLD", "RUS"],
            "value_usd_m": [592.8, 6900.0],
            "share_pct": [84.6, None],
            "share_partner_iso3": ["ARE", None],
            "reported_by": ["ArmInfo", "Report.az"],
        }
    )
    checks = pd.DataFrame(
        {
            "figure_id": ["G01", "G02"],
            "rebuilt_usd_m": [593.229, None],
            "outcome": ["differs", "not_checkable"],
        }
    )
    out = tc.reader_table(published, checks)
    assert list(out["Period"]) == ["2023", "Jan–Jun 2024"]
    assert (
        out.loc[0, "What"]
        == "exports of diamonds (HS 7102), all partners; 84.6% to United Arab Emirates"
    )
    assert out.loc[1, "What"] == "imports of precious stones and metals (HS 71), from Russia"
    assert out.loc[0, "Snapshot (million USD)"] == "593.2"
    assert out.loc[1, "Outcome"] == "cannot be checked (one partner)"
    assert "Figure" not in out.columns  # a row's identifier means nothing to a reader


COMMODITY_CASES = [
    # (id, file, old text, new text, row, field, words in the message)
    (
        "unknown goods group",
        "trade_commodity_published.csv",
        "G03,2023-01-01,2023-12-01,exports,hs71,",
        "G03,2023-01-01,2023-12-01,exports,gems,",
        4,
        "goods",
        "not one of the allowed values",
    ),
    (
        "published figure without a source",
        "trade_commodity_published.csv",
        ",reportaz2025yusifov,not_checkable,",
        ",,not_checkable,",
        13,
        "source_id",
        "required value is missing",
    ),
    (
        "negative value in the commodity snapshot",
        "raw/armstat_trade_by_commodity_monthly.csv",
        '"The horse, donkeys, mules and hinnys alive",101,2019,6,0.0,0.0,',
        '"The horse, donkeys, mules and hinnys alive",101,2019,6,0.0,-1.0,',
        2,
        "export",
        "below the minimum 0",
    ),
]


@pytest.mark.parametrize("case", COMMODITY_CASES, ids=[c[0] for c in COMMODITY_CASES])
def test_bad_commodity_input_is_reported_with_file_row_and_field(scratch, case):
    from cstoreport.machinery.validate import DataError, validate_package

    _, relative, old, new, row, field, words = case
    scratch.edit(relative, old, new)
    with pytest.raises(DataError) as err:
        validate_package(scratch.package, scratch.bib, names=[_resource_of(relative)])
    message = str(err.value)
    assert relative.split("/")[-1] in message
    assert f"row {row}," in message or f"row {row}:" in message
    assert f"field '{field}'" in message and words in message


def _resource_of(relative: str) -> str:
    return {
        "trade_commodity_published.csv": "trade_commodity_published",
        "raw/armstat_trade_by_commodity_monthly.csv": "armstat_trade_commodity_monthly_raw",
    }[relative]
