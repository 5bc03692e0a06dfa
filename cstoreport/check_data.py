"""Validate the data package from the command line; exit 1 with file, row and field on bad data.

    python -m cstoreport.check_data            source tables (everything not under derived/)
    python -m cstoreport.check_data --derived  every table, plus checks across tables
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cstoreport.paths import BIB_PATH, DATA_DIR, PACKAGE_PATH, ROOT

STAMPS = ROOT / "_build" / ".stamps"


def cross_table_problems(tables: dict) -> list:
    """Consistency between tables that the Table Schema cannot express."""
    from cstoreport import claims, trade
    from cstoreport.validate import Problem
    problems = []
    if {"trade_annual", "trade_monthly_members"} <= tables.keys():
        annual = tables["trade_annual"]
        members = annual[annual["partner_iso3"] != trade.WORLD]
        for idx, field, message in trade.annual_matches_months(members,
                                                               tables["trade_monthly_members"]):
            problems.append(Problem("data/derived/trade_annual.csv", int(idx) + 2, field, message))
    if "claims_ledger" in tables:
        problems += claims.ledger_problems(tables["claims_ledger"])
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--derived", action="store_true", help="also derived tables")
    parser.add_argument("--package", type=Path, default=PACKAGE_PATH)
    parser.add_argument("--bib", type=Path, default=BIB_PATH)
    args = parser.parse_args(argv)
    default_paths = args.package == PACKAGE_PATH and args.bib == BIB_PATH
    stamp = STAMPS / f"check_data{'_derived' if args.derived else ''}.json"
    current = _fingerprint() if default_paths else None
    if current and stamp.exists() and json.loads(stamp.read_text()).get("inputs") == current:
        print("data package unchanged since its last successful check")
        return 0
    from cstoreport.validate import DataError, read_package, validate_package
    package = read_package(args.package)
    names = [r["name"] for r in package["resources"]
             if args.derived or not r["path"].startswith("derived/")]
    try:
        tables = validate_package(args.package, args.bib, names=names)
        problems = cross_table_problems(tables)
        if problems:
            raise DataError(problems)
    except DataError as exc:
        print(f"Data check failed. {exc}", file=sys.stderr)
        return 1
    print(f"data package valid: {len(names)} tables")
    if current:
        STAMPS.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"inputs": current}))
    return 0


def _fingerprint() -> str:
    """Everything a check reads: the data, the package description, the sources, the code."""
    digest = hashlib.sha256()
    files = sorted(set(DATA_DIR.rglob("*.csv")) | {PACKAGE_PATH, BIB_PATH}
                   | set((ROOT / "cstoreport").glob("*.py")))
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
