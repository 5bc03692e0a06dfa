"""Member profiles: the joining rules on tiny tables, and the real table's facts."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import bilateral
from cstoreport.analysis.sources import merge_source_ids


def test_merge_source_ids_keeps_each_key_once_in_first_seen_order():
    assert merge_source_ids(["b;a", "a", None, float("nan"), pd.NA, "", "c;b"]) == "b;a;c"
    assert merge_source_ids([]) == ""


def tiny_tables():
    trade = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "RUS"],
            "year": [2022, 2023],
            "turnover_usd_m": [3000.0, 7000.0],
            "share_of_total_pct": [30.0, 35.0],
            "rank_among_partners": [1, 1],
        }
    )
    fh = pd.DataFrame(
        {
            "state_iso3": ["RUS", "RUS", "RUS", "ARM"],
            "edition_year": [2023, 2024, 2024, 2024],
            "total_score": [16, 13, 99, 54],
            "status": ["not_free", "not_free", "free", "partly_free"],
            "preferred": [True, True, False, True],
            "source_id": ["fh23", "fh24", "other24", "fh24arm"],
        }
    )
    members = pd.DataFrame(
        {
            "state_iso3": ["RUS", "ARM", "ARM"],
            "organisation": ["EAEU", "EAEU", "CIS"],
            "joined": pd.to_datetime(["2015-01-01", "2015-01-02", "1991-12-21"]),
            "preferred": [True, True, True],
            "source_ids": ["eaeu;treaty", "eaeu", "cis"],
        }
    )
    return trade, fh, members


def test_a_profile_joins_trade_the_rating_of_the_next_edition_and_eaeu_at_year_end():
    trade, fh, members = tiny_tables()
    profiles = bilateral.member_profiles(
        trade, fh, members, states=["ARM", "RUS"], years=range(2022, 2024)
    ).set_index(["state_iso3", "year"])
    rus_2023 = profiles.loc[("RUS", 2023)]
    assert rus_2023["turnover_usd_m"] == 7000.0 and rus_2023["rank_among_partners"] == 1
    assert rus_2023["freedom_house_score"] == 13  # the 2024 edition covers 2023; preferred row
    assert bool(rus_2023["eaeu_member"])
    assert rus_2023["source_ids"] == "armstat_trade_monthly;fh24;eaeu;treaty"
    assert profiles.loc[("RUS", 2022), "freedom_house_score"] == 16
    arm_2023 = profiles.loc[("ARM", 2023)]
    assert pd.isna(arm_2023["turnover_usd_m"]) and pd.isna(arm_2023["rank_among_partners"])
    assert arm_2023["source_ids"] == "fh24arm;eaeu"


def test_comparison_table_reads_like_the_chapter():
    trade, fh, members = tiny_tables()
    profiles = bilateral.member_profiles(
        trade, fh, members, states=["ARM", "RUS"], years=range(2023, 2024)
    )
    table = bilateral.member_comparison(
        profiles, fh, members, {"ARM": "Armenia", "RUS": "Russia"}, year=2023, states=["ARM", "RUS"]
    )
    assert table.to_dict("records") == [
        {
            "Member": "Armenia",
            "Trade with Armenia 2023, USD m": "",
            "Rank as partner 2023": "",
            "Freedom House (edition)": "54, Partly Free (2024)",
            "EAEU": "yes",
            "CIS": "yes",
        },
        {
            "Member": "Russia",
            "Trade with Armenia 2023, USD m": "7,000.0",
            "Rank as partner 2023": "1",
            "Freedom House (edition)": "13, Not Free (2024)",
            "EAEU": "yes",
            "CIS": "no",
        },
    ]


def test_the_real_profiles_cover_six_states_and_eight_years():
    profiles = load_table("member_profiles")
    assert set(profiles["state_iso3"]) == set(bilateral.PROFILE_STATES)
    assert len(profiles) == 6 * 8
    rus_2024 = profiles[(profiles["state_iso3"] == "RUS") & (profiles["year"] == 2024)].iloc[0]
    assert rus_2024["rank_among_partners"] == 1
    assert profiles.loc[profiles["state_iso3"] == "ARM", "turnover_usd_m"].isna().all()


def test_energy_table_prints_a_year_as_a_year():
    energy = pd.DataFrame(
        {
            "topic": ["nuclear", "gas"],
            "indicator": ["horizon", "imports"],
            "value": [2036.0, 2451.5],
            "unit": ["year", "mcm_per_year"],
            "unit_as_reported": [None, None],
            "year": [2023, 2014],
        }
    )
    table = bilateral.energy_dependence(energy)
    assert list(table["Value"]) == ["2036", "2,451.5"]


def test_freedom_house_scores_come_from_its_own_workbooks():
    ratings = load_table("freedom_house")
    preferred = ratings[ratings["preferred"]]
    assert preferred["source_id"].str.contains("fh_fiw_alldata2025").all()
    by_edition = preferred.set_index(["state_iso3", "edition_year"])["total_score"]
    assert by_edition[("BLR", 2025)] == 7  # missing while only news relays were read
    assert by_edition[("KGZ", 2021)] == 28  # the workbooks settle the 28-or-29 disagreement


def tiny_energy() -> pd.DataFrame:
    # Each figure's value is its year's last two digits, so a wrong pick shows.
    rows = [
        (indicator, year, float(year % 100))
        for indicator, year in bilateral.ENERGY_FIGURES_QUOTED.values()
    ]
    # The same indicator in another year must not be picked.
    rows.append(("Natural gas imports, total", 2014, 9.5))
    frame = pd.DataFrame(rows, columns=["indicator", "year", "value"])
    frame["value_text"] = None
    share_indicator, share_year = bilateral.GAS_SHARE_FROM_RUSSIA_RANGE
    return pd.concat(
        [
            frame,
            pd.DataFrame(
                [
                    {
                        "indicator": share_indicator,
                        "year": share_year,
                        "value": None,
                        "value_text": "70-75",
                    }
                ]
            ),
        ]
    )


def test_energy_figures_are_picked_by_indicator_and_year():
    energy = tiny_energy()
    energy.loc[energy["indicator"] == "Natural gas imports from Iran", "value"] = 0.25
    figures = bilateral.energy_figures_quoted(energy)
    assert figures["gas_imports_total_2022"] == 22
    assert isinstance(figures["gas_imports_total_2022"], int)
    assert figures["gas_imports_total_2022_year"] == 2022
    assert figures["gas_imports_from_iran_2022"] == 0.25
    assert figures["nuclear_share_of_electricity_2008"] == 8
    assert figures["gas_share_from_russia_range"] == "70 to 75"
    assert figures["gas_russia_share_2022"] == 100  # 22 of 22 in the tiny table


def test_an_energy_figure_missing_or_repeated_stops_with_its_indicator():
    energy = tiny_energy()
    missing = energy[energy["indicator"] != "Armenian Railways concession term"]
    with pytest.raises(ValueError, match="0 rows for 'Armenian Railways concession term' in 2008"):
        bilateral.energy_figures_quoted(missing)
    repeated = pd.concat([energy, energy[energy["indicator"] == "Natural gas imports from Russia"]])
    with pytest.raises(ValueError, match="2 rows for 'Natural gas imports from Russia' in 2022"):
        bilateral.energy_figures_quoted(repeated)


def test_energy_figures_on_the_real_table():
    figures = bilateral.energy_figures_quoted(load_table("energy_infrastructure"))
    assert figures["gas_imports_from_russia_2022"] == 2.6
    assert figures["gas_imports_total_2022"] == 2.966
    assert figures["gas_russia_share_2022"] == round(100 * 2.6 / 2.966)
    assert figures["railway_concession_years"] == 30
    assert figures["gas_share_from_russia_range"] == "80 to 85"
