"""Take Armstat's next monthly by-country file into the report, as a new vintage.

    python -m cstoreport.machinery.update_trade FILE --read-from "WHERE IT WAS READ"
        [--accessed DATE] [--check-only] [--no-notebooks]

FILE has the snapshot's format (data/raw/armstat_trade_by_country_monthly.csv: Armstat's partner
names, year, month, export, import_origin and import_consignment in thousand US dollars, date).
It may repeat months the snapshot has (Armstat's revisions of them: they replace the old rows)
and add the months after it. The command

1. refuses a file whose header (flows), partners, months or units do not match, naming the row
   and field (rows counted with the header as row 1);
2. writes the new snapshot (the old rows of months the file does not repeat, then the file's rows
   as they are), its sha256 and provenance into data/datapackage.json, and keeps the previous
   snapshot's provenance in the list of vintages; the press-relayed first releases
   (armstat_first_releases) and quoted figures (armstat_published_totals) keep their place;
3. reports which published figures moved (their check against the series), and, by re-executing
   the notebooks that read the snapshot in a scratch copy (`make verify`), which glued numbers
   moved.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cstoreport.paths import ROOT, relative, write_whole

RAW = Path("data") / "raw" / "armstat_trade_by_country_monthly.csv"
PACKAGE = Path("data") / "datapackage.json"
RESOURCE = "armstat_trade_monthly_raw"
HEADER = ["country", "year", "month", "export", "import_origin", "import_consignment", "date"]
FLOWS = ["export", "import_origin", "import_consignment"]
# A month whose total is this many times (or this fraction of) the same month in the snapshot,
# or of the median month of the year before it, is in another unit (US dollars or millions).
UNIT_RATIO = 20.0
REVISION_RATIO = 2.0


class RefusedFile(Exception):
    """The file does not match the snapshot; the message names row and field."""


@dataclass
class Parsed:
    lines: list[str]  # the file's data lines, as they are
    frame: pd.DataFrame  # typed, with `row` (row number in the file, header = 1)


def _read_lines(text: str) -> tuple[str, list[str]]:
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines:
        raise RefusedFile("the file is empty")
    return lines[0], [line for line in lines[1:] if line.strip()]


def parse(text: str, name: str, known_partners: set[str]) -> Parsed:
    """Read and check one file row by row."""
    header_line, lines = _read_lines(text)
    header = next(csv.reader([header_line]))
    if header != HEADER:
        missing = [h for h in HEADER if h not in header]
        extra = [h for h in header if h not in HEADER]
        detail = (f"missing {missing}" if missing else "") + (
            ("; " if missing and extra else "") + f"unexpected {extra}" if extra else ""
        )
        raise RefusedFile(
            f"{name}, row 1 (header): the columns must be {HEADER} "
            f"(flows export, import_origin, import_consignment in thousand US "
            f"dollars): {detail or 'same columns in another order'}"
        )
    records, seen = [], {}
    for number, values in enumerate(csv.reader(lines), start=2):
        where = f"{name}, row {number}"
        if len(values) != len(HEADER):
            raise RefusedFile(f"{where}: {len(values)} fields, expected {len(HEADER)}")
        row = dict(zip(HEADER, values, strict=True))
        if row["country"] not in known_partners:
            raise RefusedFile(
                f"{where}, field country: partner {row['country']!r} is not in "
                "data/partner_codes.csv (add it there, with its ISO code, if "
                "Armstat has a new partner line)"
            )
        try:
            year, month = int(row["year"]), int(row["month"])
        except ValueError:
            raise RefusedFile(
                f"{where}, field year/month: {row['year']!r}/{row['month']!r} is not a whole number"
            ) from None
        if not 1 <= month <= 12:
            raise RefusedFile(f"{where}, field month: {month} is not a month")
        if row["date"] != f"{year:04d}-{month:02d}-01":
            raise RefusedFile(
                f"{where}, field date: {row['date']!r} is not the first day of {year}-{month:02d}"
            )
        amounts = {}
        for flow in FLOWS:
            try:
                amounts[flow] = float(row[flow])
            except ValueError:
                raise RefusedFile(
                    f"{where}, field {flow}: {row[flow]!r} is not a number in thousand US dollars"
                ) from None
            if amounts[flow] < 0:
                raise RefusedFile(f"{where}, field {flow}: negative value {row[flow]}")
        key = (row["country"], year, month)
        if key in seen:
            raise RefusedFile(
                f"{where}: {row['country']} {year}-{month:02d} repeats row {seen[key]}"
            )
        seen[key] = number
        records.append(
            {"row": number, "country": row["country"], "year": year, "month": month, **amounts}
        )
    if not records:
        raise RefusedFile(f"{name}: no data rows")
    return Parsed(lines, pd.DataFrame(records))


def _month_totals(frame: pd.DataFrame) -> pd.Series:
    return (
        frame.assign(total=frame["export"] + frame["import_origin"])
        .groupby(["year", "month"])["total"]
        .sum()
    )


def _first_row(frame: pd.DataFrame, year: int, month: int) -> int:
    return int(frame[(frame["year"] == year) & (frame["month"] == month)]["row"].min())


def check_against(new: pd.DataFrame, old: pd.DataFrame, name: str) -> None:
    """Months must continue the snapshot without a gap, and be in its unit."""
    old_months = sorted(set(zip(old["year"], old["month"], strict=True)))
    new_months = sorted(set(zip(new["year"], new["month"], strict=True)))
    months = sorted(set(old_months) | set(new_months))
    first, last = months[0], months[-1]
    expected, (y, m) = [], first
    while (y, m) <= last:
        expected.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    gaps = [ym for ym in expected if ym not in set(months)]
    if gaps:
        y, m = gaps[0]
        after = min(ym for ym in new_months if ym > gaps[0])
        raise RefusedFile(
            f"{name}, row {_first_row(new, *after)}, field month: "
            f"{after[0]}-{after[1]:02d} leaves a gap: no rows for "
            f"{y}-{m:02d}" + (f" to {gaps[-1][0]}-{gaps[-1][1]:02d}" if len(gaps) > 1 else "")
        )
    old_totals, new_totals = _month_totals(old), _month_totals(new)
    for (y, m), total in new_totals.items():
        if (y, m) in old_totals.index and old_totals[(y, m)] > 0:
            ratio, against = total / old_totals[(y, m)], "the snapshot's total"
            limit = REVISION_RATIO
        else:
            before = old_totals[[k for k in old_totals.index if (y - 1, m) <= k < (y, m)]]
            if before.empty or before.median() <= 0:
                continue
            ratio, against = total / before.median(), "the median month before it"
            limit = UNIT_RATIO
        if ratio > limit or ratio < 1 / limit:
            raise RefusedFile(
                f"{name}, row {_first_row(new, y, m)}, field export/import_origin: the total "
                f"for {y}-{m:02d} is {ratio:.3g} times {against}: the file is not in thousand "
                "US dollars, or it is not the same table"
            )


def merged_lines(old_text: str, new: Parsed) -> str:
    """The new snapshot: the old rows of months the file does not repeat (as they are), then
    the file's rows (as they are)."""
    header, old_lines = _read_lines(old_text)
    replaced = set(zip(new.frame["year"], new.frame["month"], strict=True))
    kept = [
        line
        for line, values in zip(old_lines, csv.reader(old_lines), strict=True)
        if (int(values[1]), int(values[2])) not in replaced
    ]
    return "\n".join([header, *kept, *new.lines]) + "\n"


def read_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text.lstrip("\ufeff")))


def record_vintage(package: dict, text: str, accessed: str, read_from: str) -> dict:
    """The raw resource's hash, period and provenance for the new snapshot; the previous
    provenance joins the list of vintages."""
    frame = read_frame(text)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    last_month = int(frame[frame["year"] == last]["month"].max())
    res = next(r for r in package["resources"] if r["name"] == RESOURCE)
    prov = res["x_provenance"]
    vintages = prov.pop("vintages", [])
    vintages.append(
        {k: v for k, v in prov.items() if k not in ("publisher", "bib_key", "unit")}
        | {"hash": res["hash"]}
    )
    prov.update(
        accessed=accessed,
        read_from=read_from,
        last_month=f"{last}-{last_month:02d}",
        vintages=vintages,
    )
    res["hash"] = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    res["title"] = (
        f"Armstat: external trade of Armenia by partner country, monthly, {first}-{last} (snapshot)"
    )
    for field in res["schema"]["fields"]:
        if field["name"] == "year":
            field["constraints"]["maximum"] = last
    return package


def published_moves(old_raw: pd.DataFrame, new_raw: pd.DataFrame, root: Path) -> list[str]:
    """Published figures whose check against the series changed, one line each."""
    from cstoreport.analysis import trade
    from cstoreport.analysis.first_releases import check_first_releases

    codes = pd.read_csv(root / "data" / "partner_codes.csv")
    old_m = trade.monthly_by_partner(old_raw, codes)
    new_m = trade.monthly_by_partner(new_raw, codes)
    lines = []
    fixtures = pd.read_csv(root / "data" / "armstat_published_totals.csv")
    a, b = trade.check_published(fixtures, old_m), trade.check_published(fixtures, new_m)
    for x, y in zip(a.itertuples(), b.itertuples(), strict=True):
        if (x.outcome, x.reconstructed_usd_m) != (y.outcome, y.reconstructed_usd_m):
            lines.append(
                f"{x.fixture_id}: series {x.reconstructed_usd_m} -> "
                f"{y.reconstructed_usd_m}, {x.outcome} -> {y.outcome}"
            )
    releases = pd.read_csv(root / "data" / "armstat_first_releases.csv")
    commodity = pd.read_csv(root / "data" / "raw" / "armstat_trade_by_commodity_monthly.csv")
    a = check_first_releases(releases, old_m, commodity)
    b = check_first_releases(releases, new_m, commodity)
    for x, y, expected in zip(a.itertuples(), b.itertuples(), releases.itertuples(), strict=True):
        if (x.outcome, x.base_outcome) != (y.outcome, y.base_outcome):
            lines.append(
                f"{x.release_id}: {x.outcome} -> {y.outcome} (series {y.series}); "
                f"base {x.base_outcome} -> {y.base_outcome}"
                + (
                    "; update expected_check in data/armstat_first_releases.csv"
                    if y.outcome != expected.expected_check
                    else ""
                )
            )
    return lines


def notebooks_reading(path: str) -> list[str]:
    """Notebooks that read `path`, directly or through tables other notebooks write from it."""
    from cstoreport.machinery.run_notebooks import NOTEBOOK_DIR, declared

    decl = {nb.stem: declared(nb) for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb"))}
    reached, files = set(), {path}
    changed = True
    while changed:
        changed = False
        for name, (inputs, outputs) in decl.items():
            if name not in reached and files & set(inputs):
                reached.add(name)
                files |= set(outputs)
                changed = True
    return sorted(reached)


def update(
    file: Path, read_from: str, accessed: str, root: Path = ROOT, check_only: bool = False
) -> list[str]:
    """Check FILE and (unless check_only) record it; return the report's lines."""
    codes = pd.read_csv(root / "data" / "partner_codes.csv")
    name = relative(file)
    new = parse(Path(file).read_text(encoding="utf-8"), name, set(codes["armstat_name"]))
    raw_path = root / RAW
    old_text = raw_path.read_text(encoding="utf-8")
    old_raw = read_frame(old_text)
    check_against(new.frame, old_raw, name)
    text = merged_lines(old_text, new)
    new_raw = read_frame(text)
    months = sorted(set(zip(new.frame["year"], new.frame["month"], strict=True)))
    old_last = max(zip(old_raw["year"], old_raw["month"], strict=True))
    added = [ym for ym in months if ym > old_last]
    report = [
        f"{name}: {len(new.frame)} rows, {months[0][0]}-{months[0][1]:02d} to "
        f"{months[-1][0]}-{months[-1][1]:02d}; {len(months) - len(added)} months revised, "
        f"{len(added)} added"
    ]
    moves = published_moves(old_raw, new_raw, root)
    report += ["published figures that moved:"] + (["  " + m for m in moves] or ["  none"])
    if check_only:
        return report
    package_path = root / PACKAGE
    package = record_vintage(
        json.loads(package_path.read_text(encoding="utf-8")), text, accessed, read_from
    )
    write_whole(raw_path, text)
    write_whole(package_path, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    report.append(
        f"wrote {RAW} and its provenance in {PACKAGE} (previous vintage kept in "
        "x_provenance.vintages)"
    )
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--read-from",
        required=True,
        help="where the file was read (URL, repository and commit, ...)",
    )
    parser.add_argument("--accessed", default=dt.date.today().isoformat())
    parser.add_argument("--check-only", action="store_true", help="check and report, write nothing")
    parser.add_argument(
        "--no-notebooks",
        action="store_true",
        help="do not re-execute the notebooks to report glued numbers",
    )
    args = parser.parse_args(argv)
    try:
        report = update(args.file, args.read_from, args.accessed, ROOT, args.check_only)
    except RefusedFile as refused:
        print(f"refused: {refused}", file=sys.stderr)
        return 1
    print("\n".join(report))
    if not (args.check_only or args.no_notebooks):
        notebooks = notebooks_reading(RAW.as_posix())
        print("glued numbers that moved (make verify on " + ", ".join(notebooks) + "):")
        subprocess.run([sys.executable, "-m", "cstoreport.machinery.verify", *notebooks])
        print("re-execute them with the runner to publish the new numbers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
