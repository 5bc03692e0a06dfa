"""Dates that are only the day a news report appeared are marked as such (issue 13, §3)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cstoreport.gluing import long_date
from cstoreport.machinery.validate import publication_days, validate_package

TABLES_WITH_BASIS = [
    "events",
    "membership_events",
    "armenia_disengagement",
    "bilateral_events",
    "csto_legal_basis",
]


def test_publication_days_are_read_from_year_month_day():
    days = publication_days()
    assert days["eadaily2024jun13"] == dt.date(2024, 6, 13)
    assert days["armstat_trade_monthly"] is None  # no month or day: not comparable


@pytest.fixture(scope="module")
def tables():
    return validate_package(names=TABLES_WITH_BASIS)


@pytest.mark.parametrize("name", TABLES_WITH_BASIS)
def test_no_event_date_rests_only_on_reports_of_that_day(tables, name):
    days = publication_days()
    frame = tables[name]
    day_rows = frame[(frame["date_precision"] == "day") & (frame["date_basis"] == "event")]
    for row in day_rows.itertuples():
        known = [days[k] for k in row.source_ids.split(";") if days[k] is not None]
        assert not known or any(k != row.date.date() for k in known), row[1]


def test_report_dates_are_marked_where_they_are_shown():
    assert long_date(pd.Timestamp("2024-06-14"), "day", "reported") == "14 June 2024\u2020"
    assert long_date(pd.Timestamp("2024-06-14"), "day", "event_same_day") == "14 June 2024"
    assert long_date(pd.Timestamp("2024-06-01"), "month", "event") == "June 2024"


def test_the_belarus_remark_carries_the_day_it_was_first_reported(tables):
    ev = tables["bilateral_events"].set_index("event_id")
    assert ev.loc["EV22", "date"] == pd.Timestamp("2024-09-12")
    assert ev.loc["EV22", "date_basis"] == "reported"
    assert ev.loc["EV17", "date_basis"] == "reported"
