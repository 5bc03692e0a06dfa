"""The drift chapter's tables: rules, cases, arguments, costs and outlook (issue 28)."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import drift


@pytest.fixture(scope="module")
def cases():
    return load_table("csto_cases")


def test_days_to_answer_count_from_the_request_or_the_crisis():
    frame = pd.DataFrame(
        {
            "crisis_start": pd.to_datetime(["2022-01-02", "2021-04-28", "2022-09-14"]),
            "request_date": pd.to_datetime(["2022-01-05", None, None]),
            "response_date": pd.to_datetime(["2022-01-06", "2021-04-30", "2022-09-01"]),
            "response_date_precision": ["day", "day", "month"],
        }
    )
    days = drift.response_days(frame)
    assert days.iloc[:2].tolist() == [1, 2] and pd.isna(days.iloc[2])


def test_kazakhstan_got_a_decision_the_day_after_its_request(cases):
    days = dict(zip(cases["case_id"], drift.response_days(cases), strict=True))
    assert days["CS06"] == 1
    assert (cases["response_kind"] == "deployment").sum() == 1


def test_cases_carry_the_dates_of_the_chronology_rows_they_point_to(cases):
    assert drift.case_date_mismatches(cases, load_table("events")) == []


def test_a_case_whose_date_differs_from_its_event_is_reported():
    events = pd.DataFrame({"event_id": ["E001"], "date": pd.to_datetime(["2022-01-05"])})
    cases = pd.DataFrame(
        {
            "case_id": ["CS01"],
            "request_event": ["E001"],
            "request_date": pd.to_datetime(["2022-01-06"]),
            "response_event": [None],
            "response_date": pd.to_datetime(["2022-01-07"]),
        }
    )
    assert drift.case_date_mismatches(cases, events) == ["CS01: request_date differs from E001"]


def test_every_rule_topic_is_in_the_rules_table():
    rules = drift.rules_table(load_table("treaty_provisions"))
    assert set(drift.RULE_TOPICS.values()) <= set(rules["Rule"])
    assert rules["How the wording was read"].notna().all()


def test_the_tally_counts_each_explanation_and_stance():
    frame = pd.DataFrame(
        {
            "explanation": ["treaty_design", "treaty_design", "russia_choices"],
            "stance": ["supports", "weakens", "supports"],
        }
    )
    tally = drift.arguments_tally(frame)
    assert tally.loc["treaty_design"].tolist() == [1, 1]
    assert tally.loc["armenia_choices"].tolist() == [0, 0]


def test_eaeu_partners_come_from_the_membership_table():
    assert drift.eaeu_partners(load_table("organisation_memberships")) == [
        "BLR",
        "KAZ",
        "KGZ",
        "RUS",
    ]


def test_export_shares_on_a_tiny_table():
    annual = pd.DataFrame(
        {
            "partner_iso3": ["WLD", "RUS", "KAZ", "USA"],
            "year": [2022] * 4,
            "exports_usd_m": [100.0, 40.0, 5.0, 55.0],
            "imports_usd_m": [200.0, 50.0, 0.0, 150.0],
        }
    )
    row = drift.export_shares(annual, ["RUS", "KAZ"]).iloc[0]
    assert row["partners_export_share_pct"] == pytest.approx(45.0)
    assert row["russia_export_share_pct"] == pytest.approx(40.0)
    assert row["partners_import_share_pct"] == pytest.approx(25.0)


def test_eaeu_took_close_to_half_of_exports_in_2022():
    shares = drift.export_shares(
        load_table("trade_annual_by_partner"),
        drift.eaeu_partners(load_table("organisation_memberships")),
    )
    assert shares.set_index("year").loc[2022, "partners_export_share_pct"] == pytest.approx(
        47.3, abs=0.1
    )


def test_scenarios_name_only_known_provisions():
    assert (
        drift.unknown_provisions(load_table("outlook_scenarios"), load_table("treaty_provisions"))
        == []
    )
    bad = pd.DataFrame({"provision_ids": ["P01;P99"]})
    assert drift.unknown_provisions(bad, pd.DataFrame({"provision_id": ["P01"]})) == ["P99"]


def test_the_gas_price_at_the_border_is_the_2019_figure():
    costs = load_table("exit_costs")
    row = costs[(costs["channel"] == "gas") & (costs["year"] == 2019)]
    assert row["value"].tolist() == [165]
