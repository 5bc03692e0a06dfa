"""Bad input stops the build with a message naming file, row and field.

Each case corrupts a scratch copy of the data package in one way and asserts the exact place
the validator reports. Rows are counted as in the file: the header is row 1.
"""

from __future__ import annotations

import pytest

from cstoreport.machinery import check_data
from cstoreport.machinery.validate import DataError, read_package, validate_package

M001 = "M001,ARM,1992-05-15,day,event,CST_1992,signature,true,"
A002_PREFIX = "A002,2022-11-23,day,event,ARM,declined_signature,true,"

CASES = [
    # (id, file, old text, new text, expected file, row, field, words in the message)
    (
        "unknown state code",
        "membership_events.csv",
        M001,
        M001.replace("ARM", "ARX"),
        "membership_events.csv",
        2,
        "state_iso3",
        "not a known states.state_iso3",
    ),
    (
        "impossible date",
        "membership_events.csv",
        M001,
        M001.replace("1992-05-15", "1992-02-30"),
        "membership_events.csv",
        2,
        "date",
        "not a real calendar date",
    ),
    (
        "wrongly formatted date",
        "membership_events.csv",
        M001,
        M001.replace("1992-05-15", "15/05/1992"),
        "membership_events.csv",
        2,
        "date",
        "not a date in YYYY-MM-DD form",
    ),
    (
        "date contradicts its precision",
        "membership_events.csv",
        M001,
        M001.replace(",day,", ",month,"),
        "membership_events.csv",
        2,
        "date",
        "month precision",
    ),
    (
        "unknown precision",
        "membership_events.csv",
        M001,
        M001.replace(",day,", ",week,"),
        "membership_events.csv",
        2,
        "date_precision",
        "not one of the allowed values",
    ),
    (
        "duplicate key",
        "membership_events.csv",
        "M002,KAZ",
        "M001,KAZ",
        "membership_events.csv",
        3,
        "event_id",
        "duplicate key 'M001'",
    ),
    (
        "unknown source id",
        "armenia_disengagement.csv",
        "mayak2023nov",
        "nosuchsource2099",
        "armenia_disengagement.csv",
        2,
        "source_ids",
        "'nosuchsource2099' is not in",
    ),
    (
        "missing required field",
        "armenia_disengagement.csv",
        A002_PREFIX,
        A002_PREFIX.replace(",ARM,", ",,"),
        "armenia_disengagement.csv",
        3,
        "actor",
        "required value is missing",
    ),
    (
        "unknown step type",
        "armenia_disengagement.csv",
        A002_PREFIX,
        A002_PREFIX.replace("declined_signature", "sulked"),
        "armenia_disengagement.csv",
        3,
        "step_type",
        "not one of the allowed values",
    ),
    (
        "unknown form of a step",
        "armenia_disengagement.csv",
        "azatutyun2023jan11,formal_act,",
        "azatutyun2023jan11,gesture,",
        "armenia_disengagement.csv",
        3,
        "step_form",
        "not one of the allowed values",
    ),
    (
        "form note without its mark",
        "armenia_disengagement.csv",
        ',formal_act,"Unclear: the ministry',
        ',formal_act,"the ministry',
        "armenia_disengagement.csv",
        5,
        "step_form_note",
        "does not match",
    ),
    (
        "reference to a missing row",
        "armenia_disengagement.csv",
        ",A002,",
        ",A999,",
        "armenia_disengagement.csv",
        2,
        "alternative_to",
        "'A999' is not a known",
    ),
    (
        "unknown partner name",
        "raw/armstat_trade_by_country_monthly.csv",
        '"Afghanistan",2024,2,',
        '"Afghanistann",2024,2,',
        "armstat_trade_by_country_monthly.csv",
        2,
        "country",
        "not a known partner_codes.armstat_name",
    ),
    (
        "negative trade value",
        "derived/trade_annual.csv",
        "BLR,2007,2.487,",
        "BLR,2007,-2.487,",
        "trade_annual.csv",
        2,
        "exports_usd_m",
        "below the minimum 0",
    ),
    (
        "month outside 1-12",
        "derived/trade_monthly_members.csv",
        "RUS,2007,1,",
        "RUS,2007,13,",
        "trade_monthly_members.csv",
        None,
        "month",
        "above the maximum 12",
    ),
    (
        "duplicated partner-month",
        "derived/trade_monthly_members.csv",
        "RUS,2007,2,",
        "RUS,2007,1,",
        "trade_monthly_members.csv",
        None,
        "partner_iso3,year,month",
        "duplicate key",
    ),
    (
        "unit outside the schema",
        "derived/trade_monthly_members.csv",
        ",usd_thousand,",
        ",usd_million,",
        "trade_monthly_members.csv",
        2,
        "unit",
        "not one of the allowed values",
    ),
    (
        "unknown partner code",
        "derived/trade_annual.csv",
        "BLR,2007,",
        "BLX,2007,",
        "trade_annual.csv",
        2,
        "partner_iso3",
        "not one of the allowed values",
    ),
    (
        "text in a number field",
        "trade_mirror_reported.csv",
        "M01,BLR,2010,turnover,47.2,",
        "M01,BLR,2010,turnover,47.2m,",
        "trade_mirror_reported.csv",
        2,
        "value_usd_m",
        "is not a number",
    ),
    (
        "unknown event type",
        "events.csv",
        "E016,may_2021,2021-05-13,,day,reported,incursion,",
        "E016,may_2021,2021-05-13,,day,reported,skirmish,",
        "events.csv",
        17,
        "event_type",
        "not one of the allowed values",
    ),
    (
        "unknown province",
        "events.csv",
        ",Vardenis area,Gegharkunik,",
        ",Vardenis area,Sevan,",
        "events.csv",
        17,
        "province",
        "not one of the allowed values",
    ),
    (
        "response to a missing event",
        "events.csv",
        ",Yerevan,,E001,",
        ",Yerevan,,E999,",
        "events.csv",
        2,
        "responds_to",
        "'E999' is not a known",
    ),
    (
        "event ends before it starts",
        "events.csv",
        "E001,april_2016,2016-04-02,2016-04-05,",
        "E001,april_2016,2016-04-02,2016-03-05,",
        "events.csv",
        3,
        "end_date",
        "before it starts",
    ),
    (
        "figure without a unit",
        "event_figures.csv",
        ",92,persons,exact,",
        ",92,,exact,",
        "event_figures.csv",
        2,
        "unit",
        "required value is missing",
    ),
    (
        "figure in an unknown unit",
        "event_figures.csv",
        ",92,persons,exact,",
        ",92,people,exact,",
        "event_figures.csv",
        2,
        "unit",
        "not one of the allowed values",
    ),
    (
        "figure without a source",
        "event_figures.csv",
        ",armenian_government,tass2016apr14losses,Armenian MoD",
        ",armenian_government,,Armenian MoD",
        "event_figures.csv",
        2,
        "source_id",
        "required value is missing",
    ),
    (
        "figure without a claimant",
        "event_figures.csv",
        ",exact,armenian_government,tass2016apr14losses,Armenian MoD",
        ",exact,,tass2016apr14losses,Armenian MoD",
        "event_figures.csv",
        2,
        "claimant",
        "required value is missing",
    ),
    (
        "figure with an unknown claimant",
        "event_figures.csv",
        ",exact,armenian_government,tass2016apr14losses,Armenian MoD",
        ",exact,the_press,tass2016apr14losses,Armenian MoD",
        "event_figures.csv",
        2,
        "claimant",
        "not one of the allowed values",
    ),
    (
        "area scope subtracting an unknown figure",
        "area_scopes.csv",
        ",V088,V027,upper_bound,",
        ",V088,V999,upper_bound,",
        "area_scopes.csv",
        4,
        "minus_figure_id",
        "'V999' is not a known event_figures.figure_id",
    ),
    (
        "map place outside the map",
        "map_places.csv",
        "P02,Gyumri,40.78943402,",
        "P02,Gyumri,47.78943402,",
        "map_places.csv",
        3,
        "lat",
        "maximum",
    ),
    (
        "poll in an unknown mode",
        "public_opinion.csv",
        'Armenia office)",telephone,1100',
        'Armenia office)",online,1100',
        "public_opinion.csv",
        46,
        "mode",
        "not one of the allowed values",
    ),
    (
        "figure for a missing event",
        "event_figures.csv",
        "V001,E001,",
        "V001,E998,",
        "event_figures.csv",
        2,
        "event_id",
        "'E998' is not a known events.event_id",
    ),
    (
        "year precision not on 1 January",
        "armenia_disengagement.csv",
        "A001,2022-10-01,month,",
        "A001,2022-10-01,year,",
        "armenia_disengagement.csv",
        2,
        "date",
        "year precision",
    ),
    (
        "score above 100",
        "freedom_house.csv",
        "ARM,2018,45,partly_free,",
        "ARM,2018,145,partly_free,",
        "freedom_house.csv",
        2,
        "total_score",
        "above the maximum 100",
    ),
    (
        "unknown Freedom House status",
        "freedom_house.csv",
        "ARM,2018,45,partly_free,",
        "ARM,2018,45,half_free,",
        "freedom_house.csv",
        2,
        "status",
        "not one of the allowed values",
    ),
    (
        "share above 100 per cent",
        "arms_to_azerbaijan.csv",
        "RUS,2010,2014,share_of_azerbaijan_imports,85,",
        "RUS,2010,2014,share_of_azerbaijan_imports,185,",
        "arms_to_azerbaijan.csv",
        2,
        "share_pct",
        "above the maximum 100",
    ),
    (
        "force size in an unknown unit",
        "collective_forces.csv",
        ",4,battalions,exact,",
        ",4,brigades,exact,",
        "collective_forces.csv",
        2,
        "unit",
        "not one of the allowed values",
    ),
    (
        "chair that is not a known state",
        "csto_leadership.csv",
        "2016,ARM,Serzh",
        "2016,ARN,Serzh",
        "csto_leadership.csv",
        2,
        "chair_state_iso3",
        "'ARN' is not a known states.state_iso3",
    ),
    (
        "unknown date precision",
        "alternatives.csv",
        "A05,eu_assistance,2024-07-22,,day,",
        "A05,eu_assistance,2024-07-22,,fortnight,",
        "alternatives.csv",
        6,
        "date_precision",
        "not one of the allowed values",
    ),
    (
        "energy figure with an unknown unit",
        "energy_infrastructure.csv",
        ",80,,pct,% of shares,",
        ",80,,percent,% of shares,",
        "energy_infrastructure.csv",
        2,
        "unit",
        "not one of the allowed values",
    ),
    (
        "claim with an unknown rule",
        "claims_ledger.csv",
        ",date:E101,same_month,",
        ",date:E101,same_week,",
        "claims_ledger.csv",
        2,
        "rule",
        "does not match the pattern",
    ),
    (
        "claim with an unknown verdict",
        "claims_ledger.csv",
        ",membership,,supported,,1,",
        ",membership,,likely,,1,",
        "claims_ledger.csv",
        2,
        "recorded_verdict",
        "is not a known verdicts.verdict",
    ),
    (
        "claim from an unknown section of the article",
        "claims_ledger.csv",
        "C001,intro,",
        "C001,introduction,",
        "claims_ledger.csv",
        2,
        "section",
        "is not a known article_sections.section",
    ),
    # A day attested only by reports of that day is not the day of the event (issue 13, §3).
    (
        "report date called an event date",
        "events.csv",
        "E016,may_2021,2021-05-13,,day,reported,",
        "E016,may_2021,2021-05-13,,day,event,",
        "events.csv",
        17,
        "date_basis",
        "publication day of every source",
    ),
    (
        "report date mark on a date no source was published",
        "events.csv",
        "E016,may_2021,2021-05-13,,day,reported,",
        "E016,may_2021,2021-05-12,,day,reported,",
        "events.csv",
        17,
        "date_basis",
        "no source was published on 2021-05-12",
    ),
    (
        "report date mark on a month",
        "armenia_disengagement.csv",
        "A001,2022-10-01,month,event,",
        "A001,2022-10-01,month,reported,",
        "armenia_disengagement.csv",
        2,
        "date_basis",
        "day-precision dates only",
    ),
    (
        "unknown date basis",
        "bilateral_events.csv",
        "EV17,BLR,2024-06-14,day,reported,",
        "EV17,BLR,2024-06-14,day,rumoured,",
        "bilateral_events.csv",
        18,
        "date_basis",
        "not one of the allowed values",
    ),
    (
        "extra column",
        "states.csv",
        "state_iso3,name",
        "state_iso3,name,capital",
        "states.csv",
        1,
        "capital",
        "not in the table's schema",
    ),
]


def table_of(scratch, relative: str) -> str:
    package = read_package(scratch.package)
    return next(r["name"] for r in package["resources"] if r["path"] == relative)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_corruption_is_reported_with_file_row_and_field(scratch, case):
    _, relative, old, new, shown, row, field, words = case
    scratch.edit(relative, old, new)
    # The corrupted table, with the tables it refers to (the rest of the package is unchanged).
    with pytest.raises(DataError) as err:
        validate_package(scratch.package, scratch.bib, names=[table_of(scratch, relative)])
    message = str(err.value)
    assert shown in message
    if row is not None:
        assert f"row {row}," in message or f"row {row}:" in message
    assert f"field '{field}'" in message
    assert words in message


def test_missing_column_is_reported(scratch):
    scratch.edit("states.csv", "state_iso3,name", "state_iso3")
    with pytest.raises(DataError, match=r"states.csv, row 1, field 'name': column required"):
        validate_package(scratch.package, scratch.bib, names=[table_of(scratch, "states.csv")])


def test_truncated_file_is_reported(scratch):
    path = scratch.path("membership_events.csv")
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n", 400) + 20])  # cut in the middle of a row
    with pytest.raises(
        DataError,
        match=r"membership_events.csv, row \d+, field '\w+': has "
        r"\d+ fields but the header has 11 "
        r"\(is the file truncated\?\)",
    ):
        validate_package(
            scratch.package, scratch.bib, names=[table_of(scratch, "membership_events.csv")]
        )


def test_non_utf8_file_is_reported(scratch):
    path = scratch.path("states.csv")
    path.write_bytes(path.read_bytes().replace(b"Georgia", "Géorgie".encode("latin-1")))
    row = 1 + path.read_bytes().split(b"\n").index(
        next(line for line in path.read_bytes().split(b"\n") if line.startswith(b"GEO,"))
    )
    with pytest.raises(DataError, match=rf"states.csv, row {row}, field 'name': not valid UTF-8"):
        validate_package(scratch.package, scratch.bib, names=[table_of(scratch, "states.csv")])


def test_end_before_start_is_reported(scratch):
    scratch.edit(
        "derived/membership_spells.csv",
        "UZB,CSTO_CHARTER_2002,2006-06-23,2012-12-19",
        "UZB,CSTO_CHARTER_2002,2006-06-23,2005-12-19",
    )
    with pytest.raises(
        DataError,
        match=r"membership_spells.csv, row \d+, field 'end_date': "
        r"ends \(2005-12-19\) before it starts \(2006-06-23\)",
    ):
        validate_package(
            scratch.package, scratch.bib, names=[table_of(scratch, "derived/membership_spells.csv")]
        )


def test_bibliography_entry_without_url_is_reported(scratch):
    text = scratch.bib.read_text(encoding="utf-8")
    scratch.bib.write_text(text.replace("url = {https://armstat.am/en/},", ""), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"references.bib, field 'url': entry "
        r"'armstat_trade_monthly' lacks 'url'",
    ):
        validate_package(scratch.package, scratch.bib)


def test_annual_value_disagreeing_with_its_months_is_reported(scratch, capsys):
    scratch.edit("derived/trade_annual.csv", "BLR,2007,2.487,", "BLR,2007,3.487,")
    # The annual table alone: the check brings in the monthly table its rule needs.
    assert (
        check_data.main(
            [
                "--tables",
                "trade_annual",
                "--package",
                str(scratch.package),
                "--bib",
                str(scratch.bib),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert (
        "data/derived/trade_annual.csv, row 2, field 'exports_usd_m': 3.487 disagrees with "
        "the sum of its months (2.487)"
    ) in err


def test_all_problems_are_listed_not_just_the_first(scratch):
    scratch.edit("states.csv", "ARM,Armenia", "ARMENIA,Armenia")
    scratch.edit("states.csv", "AZE,Azerbaijan", "AZE,")
    with pytest.raises(DataError) as err:
        validate_package(scratch.package, scratch.bib, names=[table_of(scratch, "states.csv")])
    assert "states.csv, row 3, field 'state_iso3'" in str(err.value)
    assert "states.csv, row 4, field 'name': required value is missing" in str(err.value)


def test_header_without_rows_is_reported(scratch):
    path = scratch.path("alternatives.csv")
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"alternatives.csv: the table has a header but no rows"):
        validate_package(scratch.package, scratch.bib, names=["alternatives"])


def test_padded_number_is_reported_though_frictionless_would_accept_it(scratch):
    scratch.edit("freedom_house.csv", "ARM,2018,45,", "ARM,2018, 45,")
    with pytest.raises(
        DataError,
        match=r"freedom_house.csv, row 2, field 'total_score': "
        r"' 45' has leading or trailing spaces",
    ):
        validate_package(scratch.package, scratch.bib, names=["freedom_house"])


def test_a_table_that_passed_is_read_back_and_every_change_is_checked_again(scratch, monkeypatch):
    """`load_table` checks each version of a table once; a change to the table, to a table it
    refers to or to the bibliography is a new version, and bad input still stops it."""
    from pandas.testing import assert_frame_equal

    from cstoreport import tables, validation

    first = tables.load_table("event_figures", scratch.package, scratch.bib)
    checked = []
    real = validation.validate_tables
    monkeypatch.setattr(
        validation,
        "validate_tables",
        lambda names, *rest, **kw: checked.append(names) or real(names, *rest, **kw),
    )
    assert_frame_equal(tables.load_table("event_figures", scratch.package, scratch.bib), first)
    assert checked == []
    # The table it refers to breaks (an event that another event responds to is renamed).
    scratch.edit("events.csv", "\nE001,", "\nE901,")
    with pytest.raises(
        DataError,
        match=r"event_figures.csv: cannot check references to "
        r"'events': that table is invalid",
    ):
        tables.load_table("event_figures", scratch.package, scratch.bib)
    scratch.edit("events.csv", "\nE901,", "\nE001,")  # back to the version that passed
    assert_frame_equal(tables.load_table("event_figures", scratch.package, scratch.bib), first)
    # The first figure's source leaves the bibliography.
    scratch.bib.write_text(
        scratch.bib.read_text(encoding="utf-8").replace(
            "{tass2016apr14losses,", "{tass2016apr14lossesX,"
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        DataError,
        match=r"event_figures.csv, row 2, field 'source_id': "
        r"source 'tass2016apr14losses' is not in",
    ):
        tables.load_table("event_figures", scratch.package, scratch.bib)
    assert checked == [["event_figures"]] * 2  # the two changed versions, not the restored one


def test_the_error_translator_is_a_registry_of_small_functions():
    """Each kind of frictionless error has its own small function (cyclomatic complexity at
    most 10), looked up by `_problems`."""
    from cstoreport import validation
    from cstoreport.paths import ROOT
    from tests.complexity import too_complex

    names = {"_problems", *(f.__name__ for f in validation.ERROR_KINDS.values())}
    assert too_complex(ROOT / "cstoreport" / "validation.py", names) == []
