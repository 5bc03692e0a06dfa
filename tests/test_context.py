"""Context chapter: source types for every bibliography entry, opinion series, cut-off dates."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import DataError, load_table
from cstoreport.analysis import context


def test_domains_drop_www_case_and_trailing_dot():
    assert context.url_domain("https://www.TASS.com/politics/1") == "tass.com"
    assert context.url_domain("http://graniru.org./Politics/") == "graniru.org"
    assert context.url_domain("https://en.armradio.am/2023/09/28/x/") == "en.armradio.am"


def test_every_bibliography_entry_has_a_source_type():
    urls = context.bib_urls()
    types = context.source_types(urls, load_table("source_publishers"))
    assert len(types) == len(urls)
    assert types["source_type"].notna().all()
    by_key = types.set_index("source_id")
    assert by_key.loc["tass2020oct07peskov", "source_type"] == "state_owned_media"
    assert by_key.loc["tass2020oct07peskov", "state"] == "RUS"
    assert by_key.loc["primeminister2020nov10statement", "source_type"] == "official_statement"


def test_a_source_on_an_unknown_domain_is_refused_by_name():
    urls = pd.DataFrame({"source_id": ["newkey"], "url": ["https://unknown.example/a"]})
    publishers = pd.DataFrame(
        {"domain": ["tass.com"], "source_type": ["state_owned_media"], "state": ["RUS"]}
    )
    with pytest.raises(DataError, match="'newkey': domain 'unknown.example'"):
        context.source_types(urls, publishers)


def test_state_owned_media_and_official_sources_name_their_state():
    publishers = load_table("source_publishers")
    needs_state = publishers["source_type"].isin(["state_owned_media", "official_statement"])
    assert publishers.loc[needs_state, "state"].notna().all()


def test_opinion_points_sit_in_the_middle_of_fieldwork():
    opinion = pd.DataFrame(
        {
            "poll_id": ["O1", "O2", "O3", "O4"],
            "survey": ["IRI"] * 4,
            "measure": ["political_partner"] * 4,
            "subject": ["RUS"] * 4,
            "fieldwork_start": pd.to_datetime(
                ["2021-11-22", "2023-01-01", "2017-01-01", "2023-01-01"]
            ),
            "fieldwork_end": pd.to_datetime(["2021-12-06", "2023-03-01", None, None]),
            "fieldwork_precision": ["day", "month", "year", "day"],
            "preferred": [True, True, True, False],
        }
    )
    dates = context.opinion_series(opinion).set_index("poll_id")["plot_date"]
    assert dates["O1"] == pd.Timestamp("2021-11-29")
    assert dates["O2"] == pd.Timestamp("2023-02-14")
    assert dates["O3"] == pd.Timestamp("2017-07-01")
    assert "O4" not in dates.index  # an alternative reading is not plotted


def test_recorded_opinion_moved_away_from_russia():
    series = context.opinion_series(load_table("public_opinion"))
    partner = series[
        (series["survey"] == "IRI")
        & (series["measure"] == "political_partner")
        & (series["subject"] == "RUS")
    ].set_index("wave")["value_pct"]
    assert partner["2019"] == 78 and partner["2026"] == 43


def test_newest_record_names_table_and_row():
    a = pd.DataFrame({"id": ["A1", "A2"], "date": pd.to_datetime(["2024-01-01", "2025-03-01"])})
    b = pd.DataFrame({"id": ["B1"], "day": pd.to_datetime(["2025-02-01"])})
    assert context.newest_record({"a": (a, "id", "date"), "b": (b, "id", "day")}) == (
        pd.Timestamp("2025-03-01"),
        "a",
        "A2",
    )


def test_recorded_exodus_figures_keep_both_reporters():
    figures = load_table("context_figures")
    exodus = figures[figures["measure"] == "displaced_persons"].set_index("figure_id")
    assert exodus.loc["KF03", "value"] == 100490 and bool(exodus.loc["KF03", "preferred"])
    assert exodus.loc["KF04", "reporter"] == "UNHCR" and exodus.loc["KF04", "value"] == 115183


def test_table_cells_cite_their_sources_and_say_qualifiers_in_words():
    assert (
        context.cite("tass2020oct07peskov; kyivindependent2024jun12peacekeepers")
        == "{cite:p}`tass2020oct07peskov,kyivindependent2024jun12peacekeepers`"
    )
    words = dict(zip(*[load_table("qualifiers")[c] for c in ("qualifier", "word")], strict=False))
    assert words["lower_bound"] == "at least"  # data/qualifiers.csv


def test_sweep_coverage_counts_queries_and_dated_records_per_month():
    log = pd.DataFrame({"month_from": ["2026-02", "2026-03"], "month_to": ["2026-03", "2026-03"]})
    dated = pd.DataFrame(
        {
            "record": ["K2", "K1", "EV9"],
            "date": pd.to_datetime(["2026-02-20", "2026-02-01", "2025-12-31"]),
        }
    )
    coverage = context.sweep_coverage(log, dated, "2026-02", "2026-04")
    assert [str(m) for m in coverage["month"]] == ["2026-02", "2026-03", "2026-04"]
    assert list(coverage["queries"]) == [1, 2, 0]
    assert list(coverage["records"]) == [["K1", "K2"], [], []]


def test_months_are_named_as_runs_with_the_year_once():
    months = [pd.Period(m, "M") for m in ["2026-06", "2026-04", "2026-07", "2026-08"]]
    assert context.month_list_phrase(months) == "April and June to August 2026"
    assert context.month_list_phrase([pd.Period("2026-05", "M")]) == "May 2026"
    assert (
        context.month_list_phrase([pd.Period("2025-12", "M"), pd.Period("2026-01", "M")])
        == "December 2025 to January 2026"
    )
    assert context.month_list_phrase([]) == "no month"


def test_the_sweep_log_points_at_recorded_rows_and_covers_every_month():
    log = load_table("sweep_log")
    ids = (
        set(load_table("context_events")["event_id"])
        | set(load_table("bilateral_events")["event_id"])
        | set(load_table("armenia_disengagement")["step_id"])
    )
    records = log["records"].dropna().str.split(";").explode()
    assert set(records) <= ids, set(records) - ids
    # 'recorded' rows name what they led to; the others name nothing
    assert log.loc[log["result"] == "recorded", "records"].notna().all()
    assert log.loc[log["result"] != "recorded", "records"].isna().all()
    # every month from the previous cut-off to the end of 2026 had queries aimed at it
    coverage = context.sweep_coverage(
        log, pd.DataFrame({"record": [], "date": pd.to_datetime([])}), "2026-02", "2026-12"
    )
    assert (coverage["queries"] > 0).all()
