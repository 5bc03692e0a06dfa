"""Recreate data/raw/armstat_trade_by_commodity_monthly.csv (a maintainer tool, not a build step).

Armstat's monthly external-trade table by HS 4-digit heading was compiled as
`arm_trade_commodity.csv` in the public repository tavad/tvyal_newsletter, but that CSV is not
kept in the repository's history. The same table, exactly as the newsletter read it with
readr::read_csv, is stored in the repository's knitr cache (an R lazy-load database):

    2025/2025_02_25_exports_annual/TN_exports_annual_cache/html/
        get data_2a880c2f04ee874e5400cb133b343ce5.rdx / .rdb
    commit 98a9b6bf6949ef6afe695c6f2495b6cb57890795 (2025-02-25; unchanged since)

This script decodes the object `arm_trade_commodity` from those two files and writes the rows
for 2019-2024 unchanged (columns and values as cached; R's day count turned into an ISO date;
whole-number columns written as integers). Earlier years are left out only to keep the
repository small. Needs the `rdata` package (1.1.0), which the report itself does not use:

    python -m venv /tmp/rdata && /tmp/rdata/bin/pip install rdata==1.1.0 pandas
    git show 'COMMIT:PATH.rdx' > cache.rdx; git show 'COMMIT:PATH.rdb' > cache.rdb
    /tmp/rdata/bin/python scripts/snapshot_armstat_commodity.py cache.rdx cache.rdb OUT.csv
"""

import gzip
import sys
import zlib
from pathlib import Path

import pandas as pd
import rdata

FIRST_YEAR = 2019
WHOLE_NUMBER_COLUMNS = ["hs4", "year", "month", "hs2"]


def read_cached_object(rdx_path: str, rdb_path: str, name: str) -> pd.DataFrame:
    """One object of an R lazy-load database: the .rdx index gives its offset and length in
    the .rdb file, where it is stored as a 4-byte length followed by zlib-compressed bytes."""
    index = rdata.conversion.convert(
        rdata.parser.parse_data(gzip.decompress(Path(rdx_path).read_bytes()))
    )
    offset, length = (int(v) for v in index["variables"][name])
    chunk = Path(rdb_path).read_bytes()[offset : offset + length]
    parsed = rdata.parser.parse_data(zlib.decompress(chunk[4:]))
    return rdata.conversion.convert(parsed, default_encoding="utf8")


def main(rdx_path: str, rdb_path: str, out_path: str) -> None:
    table = read_cached_object(rdx_path, rdb_path, "arm_trade_commodity")
    table["date"] = (
        pd.Timestamp("1970-01-01") + pd.to_timedelta(table["date"], unit="D")
    ).dt.strftime("%Y-%m-%d")
    for column in WHOLE_NUMBER_COLUMNS:
        if not (table[column] == table[column].round()).all():
            raise SystemExit(f"{column} holds fractions; the cache is not what this script expects")
        table[column] = table[column].astype(int)
    table = table[table["year"] >= FIRST_YEAR].sort_values(["hs4", "year", "month"])
    table.to_csv(out_path, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
