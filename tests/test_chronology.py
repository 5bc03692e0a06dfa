"""Response lags: linking through responds_to, on tiny tables and on the recorded events."""

from __future__ import annotations

import pandas as pd

from cstoreport import load_table
from cstoreport.analysis import chronology


def events(rows):
    frame = pd.DataFrame(
        rows,
        columns=["event_id", "date", "event_type", "actor", "target", "responds_to", "source_ids"],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_a_mission_sent_under_a_decision_answers_the_request():
    ev = events(
        [
            ("E1", "2022-09-13", "request", "ARM", "CSTO", None, "a"),
            ("E2", "2022-09-13", "decision", "CSTO", "ARM", "E1", "b"),
            ("E3", "2022-09-15", "mission", "CSTO", "ARM", "E2", "c"),
            ("E4", "2022-09-20", "statement", "ARM", "CSTO", "E2", "d"),
        ]
    )
    lags = chronology.response_lags(ev).iloc[0]
    assert lags.lag_to_decision_days == 0
    assert pd.isna(lags.lag_to_deployment_days)
    assert lags.response_type == "mission"
    assert lags.source_ids == "a;b"


def test_a_request_with_no_answer_has_no_lags():
    ev = events([("E1", "2021-05-14", "appeal", "ARM", "CSTO", None, "a")])
    lags = chronology.response_lags(ev).iloc[0]
    assert lags.response_type == "none" and pd.isna(lags.lag_to_response_days)


def test_recorded_lags():
    lags = chronology.response_lags(load_table("events")).set_index("request_id")
    assert lags.loc["E034", "requesting_state"] == "KAZ"
    assert lags.loc["E034", "lag_to_deployment_days"] == 1
    assert lags.loc["E022", "lag_to_response_days"] == 5  # appeal 14 May, CFM 19 May
    assert pd.isna(lags.loc["E022", "lag_to_decision_days"])
    assert lags.loc["E107", "response_type"] == "mission"
    assert pd.isna(lags.loc["E107", "lag_to_deployment_days"])


def test_withdrawn_and_wider_figures_are_not_compared():
    figures, ev = load_table("event_figures"), load_table("events")
    spread = chronology.figure_spread(figures, ev).set_index(["event_id", "measure", "side"])
    assert spread.loc[("E101", "killed", "ARM"), "max"] == 224  # 240 was withdrawn
    # 139/140 (total held in 2023) and 200/215 (all since 2020) are wider than the September gain
    assert spread.loc[("E101", "area_occupied", "ARM"), "max"] == 10
    assert spread.loc[("E033", "killed", "KAZ"), "min"] == 225  # 164 was withdrawn


def test_lags_say_which_dates_are_only_report_dates():
    lags = chronology.response_lags(load_table("events")).set_index("request_id")
    events_table = load_table("events").set_index("event_id")
    assert lags.loc["E022", "request_date_basis"] == events_table.loc["E022", "date_basis"]
    assert lags.loc["E034", "first_response_date_basis"] in {"event", "event_same_day", "reported"}
