"""The next update: Armstat's monthly by-country file taken in as a new vintage, refused when it
does not match (a small file built from the snapshot)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from cstoreport.machinery import update_trade
from cstoreport.machinery.update_trade import RefusedFile
from cstoreport.paths import ROOT

FILES = [
    "partner_codes.csv",
    "datapackage.json",
    "armstat_published_totals.csv",
    "armstat_first_releases.csv",
    "raw/armstat_trade_by_country_monthly.csv",
    "raw/armstat_trade_by_commodity_monthly.csv",
]
RAW = ROOT / "data" / "raw" / "armstat_trade_by_country_monthly.csv"
HEADER = '"country","year","month","export","import_origin","import_consignment","date"'


@pytest.fixture
def root(tmp_path):
    for name in FILES:
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    return tmp_path


def rows(year, months, as_year=None, scale=1.0):
    """The snapshot's rows for some months of a year, written again (optionally as another
    year, with values scaled)."""
    out = []
    with RAW.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if int(r["year"]) == year and int(r["month"]) in months:
                y, m = as_year or year, int(r["month"])
                values = [f"{float(r[k]) * scale:.5f}" for k in update_trade.FLOWS]
                out.append(f'"{r["country"]}",{y},{m},{",".join(values)},"{y}-{m:02d}-01"')
    return out


def write(tmp_path, lines, header=HEADER):
    path = tmp_path / "armstat_new.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_new_file_becomes_a_vintage_and_first_releases_are_checked(root):
    # December 2024 again (a revision) and two months of "2025" built from January-February
    # 2024 at half their value.
    new = write(root, rows(2024, [12]) + rows(2024, [1, 2], as_year=2025, scale=0.5))
    old_hash = json.loads((root / "data" / "datapackage.json").read_text())["resources"]
    report = update_trade.update(new, "test file", "2026-12-07", root)
    assert "1 months revised, 2 added" in report[0]
    moved = "\n".join(report)
    # January-February 2025 releases leave 'pending': now checked against the new months.
    assert "R01: pending -> differs" in moved and "R02: pending -> " in moved
    assert "update expected_check" in moved
    package = json.loads((root / "data" / "datapackage.json").read_text())
    res = next(r for r in package["resources"] if r["name"] == update_trade.RESOURCE)
    before = next(r for r in old_hash if r["name"] == update_trade.RESOURCE)
    assert res["hash"] != before["hash"]
    assert res["x_provenance"]["last_month"] == "2025-02"
    assert res["x_provenance"]["vintages"][0]["hash"] == before["hash"]
    assert "2007-2025" in res["title"]
    text = (root / "data" / "raw" / "armstat_trade_by_country_monthly.csv").read_text()
    assert text.count(",2025,1,") > 0 and text.count(",2024,12,") == len(rows(2024, [12]))
    # first releases keep their place
    assert (root / "data" / "armstat_first_releases.csv").read_bytes() == (
        ROOT / "data" / "armstat_first_releases.csv"
    ).read_bytes()


def test_check_only_writes_nothing(root):
    new = write(root, rows(2024, [1], as_year=2025))
    before = (root / "data" / "raw" / "armstat_trade_by_country_monthly.csv").read_bytes()
    update_trade.update(new, "x", "2026-12-07", root, check_only=True)
    assert (root / "data" / "raw" / "armstat_trade_by_country_monthly.csv").read_bytes() == before


@pytest.mark.parametrize(
    "lines, header, expected",
    [
        (
            ['"Atlantis",2025,1,1,1,1,"2025-01-01"'],
            HEADER,
            r"row 2, field country: partner 'Atlantis' is not in data/partner_codes.csv",
        ),
        (
            ['"Albania",2025,1,1,1,"2025-01-01"'],
            '"country","year","month","export","import_origin","date"',
            r"row 1 \(header\).*missing \['import_consignment'\]",
        ),
        (
            ['"Albania",2025,13,1,1,1,"2025-13-01"'],
            HEADER,
            r"row 2, field month: 13 is not a month",
        ),
        (['"Albania",2025,1,1,1,1,"2025-02-01"'], HEADER, r"row 2, field date"),
        (
            ['"Albania",2025,1,"1 mln",1,1,"2025-01-01"'],
            HEADER,
            r"row 2, field export: '1 mln' is not a number in thousand US dollars",
        ),
        (
            ['"Albania",2025,1,1,1,1,"2025-01-01"', '"Albania",2025,1,2,2,2,"2025-01-01"'],
            HEADER,
            r"row 3: Albania 2025-01 repeats row 2",
        ),
    ],
    ids=["partner", "flow", "month", "date", "unit-text", "duplicate"],
)
def test_a_file_that_does_not_match_is_refused_by_row(root, lines, header, expected):
    with pytest.raises(RefusedFile, match=expected):
        update_trade.update(write(root, lines, header), "x", "2026-12-07", root, check_only=True)


def test_a_gap_in_the_months_is_refused(root):
    new = write(root, rows(2024, [3], as_year=2025))
    with pytest.raises(
        RefusedFile,
        match=r"row 2, field month: 2025-03 leaves a gap: no rows "
        r"for 2025-01 to 2025-02",
    ):
        update_trade.update(new, "x", "2026-12-07", root, check_only=True)


def test_a_file_in_another_unit_is_refused(root):
    in_dollars = write(root, rows(2024, [1], as_year=2025, scale=1000))
    with pytest.raises(
        RefusedFile,
        match=r"row 2, .*2025-01 is .* times the median month "
        r"before it: the file is not in thousand US dollars",
    ):
        update_trade.update(in_dollars, "x", "2026-12-07", root, check_only=True)
    revised_in_millions = write(root, rows(2024, [12], scale=0.001))
    with pytest.raises(RefusedFile, match=r"2024-12 is .* times the snapshot's total"):
        update_trade.update(revised_in_millions, "x", "2026-12-07", root, check_only=True)


def test_the_notebooks_that_read_the_snapshot_are_found():
    found = update_trade.notebooks_reading("data/raw/armstat_trade_by_country_monthly.csv")
    assert "trade_series" in found and "overview" in found
    assert "organisation" not in found
