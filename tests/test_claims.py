"""The claims ledger: comparison rules, and the guard that no verdict changes unnoticed."""
from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import chronology, claims, membership, trade


@pytest.mark.parametrize("rule, article, value, holds", [
    ("round_to:100", "2200", 2225.37, True),          # "$2.2 billion"
    ("round_to:100", "2200", 2260.0, False),
    ("almost:5", "8000", 7923.95, True),             # "almost $8 billion"
    ("almost:5", "8000", 8100.0, False),             # above "almost" is not almost
    ("at_least", "30", 37.18, True),                 # "over 30%"
    ("rounded_down:0.1", "3.3", 3.377, True),        # truncated, not rounded
    ("rounded_down:0.1", "3.3", 3.41, False),
    ("within_pct:10", "150", 139.0, True),
    ("range_exceeds", "200", (135.0, 224.0), True),  # "over 200 killed"
    ("range_contains", "250", (100.0, 1000.0), True),
    ("same_month", "2022-09", pd.Timestamp("2022-09-13"), True),
    ("same_day", "2021-07-03", pd.Timestamp("2021-07-04"), False),
    ("same_year", "2006", pd.Timestamp("2006-06-23"), True),
])
def test_rules(rule, article, value, holds):
    assert claims.applies(rule, article, value) is holds


def test_unknown_rule_is_an_error():
    with pytest.raises(claims.ClaimKeyError, match="unknown rule"):
        claims.applies("roughly", "1", 1.0)


@pytest.fixture(scope="module")
def judged():
    ledger = load_table("claims_ledger")
    raw, codes = load_table("armstat_trade_monthly_raw"), load_table("partner_codes")
    events, steps = load_table("events"), load_table("armenia_disengagement")
    member_events = load_table("membership_events")
    data = claims.Data(
        annual_all=trade.annual_by_partner(trade.monthly_by_partner(raw, codes), codes),
        events=events, figures=load_table("event_figures"), steps=steps,
        membership_events=member_events, lags=chronology.response_lags(events),
        spells=membership.spells(member_events, steps))
    return ledger, claims.judge(ledger, data), data


def test_no_verdict_differs_from_the_recorded_one(judged):
    ledger, verdicts, _ = judged
    changed = verdicts[verdicts["verdict"].values != ledger["recorded_verdict"].values]
    assert changed.empty, changed[["claim_id", "article_value", "reconstructed_value",
                                   "verdict"]].to_string()


def test_every_claim_has_a_verdict_and_the_ledger_is_complete(judged):
    ledger, verdicts, _ = judged
    assert len(ledger) >= 130
    assert set(verdicts["verdict"]) <= set(claims.VERDICTS)
    assert claims.ledger_problems(ledger) == []


def test_a_bad_check_key_names_the_claim(judged):
    ledger, _, data = judged
    broken = ledger.copy()
    broken.loc[broken["claim_id"] == "C078", "check_key"] = "trade:turnover_usd_m:RUS:1900"
    with pytest.raises(claims.ClaimKeyError, match=r"claim C078, field 'check_key'"):
        claims.judge(broken, data)


def test_the_known_misattribution_is_contradicted(judged):
    _, verdicts, _ = judged
    v = verdicts.set_index("claim_id")
    assert v.loc["C017", "verdict"] == "contradicted"   # Article 4 is the Treaty's, not the Charter's
    assert v.loc["C111", "verdict"] == "supported_with_nuance"  # 17th only counting 'unknown'
