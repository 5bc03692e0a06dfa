"""Validate the data package from the command line; exit 1 with file, row and field on bad data.

    python -m cstoreport.build.check_data            source tables (everything not under derived/)
    python -m cstoreport.build.check_data --derived  every table, plus checks across tables

A table is checked again only when it, its schema, a table it refers to, the bibliography (for
its sources) or the validation code changed since it last passed; the rest are skipped.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cstoreport.paths import BIB_PATH, PACKAGE_PATH, ROOT, file_digest, files_digest

STAMP = ROOT / "_build" / ".stamps" / "check_data.json"
CODE = ["build/validate.py", "build/check_data.py", "analysis/trade.py", "analysis/claims.py"]


def table_digests(package: dict) -> dict[str, str]:
    """A digest per table: its file and schema, the tables it refers to, the sources, the code."""
    base = package["_base"]
    common = files_digest([ROOT / "cstoreport" / name for name in CODE] + [BIB_PATH])
    own = {r["name"]: file_digest(base / r["path"]) + json.dumps(r["schema"], sort_keys=True)
           for r in package["resources"]}
    digests = {}
    for r in package["resources"]:
        refs = sorted({fk["reference"].get("resource") or r["name"]
                       for fk in r["schema"].get("foreignKeys", [])})
        digests[r["name"]] = common + own[r["name"]] + "".join(
            own[ref] for ref in refs if ref in own)
    return digests


def _read_package(path: Path) -> dict:
    """The package description, read without the validation stack when it parses."""
    try:
        package = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from cstoreport.build.validate import read_package
        return read_package(path)  # raises DataError naming the file
    package["_base"] = Path(path).parent
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--derived", action="store_true", help="also derived tables")
    parser.add_argument("--package", type=Path, default=PACKAGE_PATH)
    parser.add_argument("--bib", type=Path, default=BIB_PATH)
    args = parser.parse_args(argv)
    package = _read_package(args.package)
    names = [r["name"] for r in package["resources"]
             if args.derived or not r["path"].startswith("derived/")]
    # Stamps only for the repository's own package (tests check scratch copies every time).
    use_stamps = args.package == PACKAGE_PATH and args.bib == BIB_PATH
    digests = table_digests(package)
    passed = json.loads(STAMP.read_text()) if use_stamps and STAMP.exists() else {}
    todo = [n for n in names if passed.get(n) != digests[n]]
    if not todo:
        print(f"data package unchanged since its last successful check ({len(names)} tables)")
        return 0
    from cstoreport.build.validate import TABLE_RULES, DataError, validate_package
    # A rule across tables is checked again when any of its tables changed.
    needed = set(todo)
    for table, (others, _) in TABLE_RULES.items():
        if table in names and set(others) <= set(names) and {table, *others} & needed:
            needed |= {table, *others}
    needed = sorted(needed)
    try:
        validate_package(args.package, args.bib, names=needed)
    except DataError as exc:
        print(f"Data check failed. {exc}", file=sys.stderr)
        return 1
    print(f"data package valid: {len(needed)} of {len(names)} tables checked, "
          f"the rest unchanged")
    if use_stamps:
        passed.update({n: digests[n] for n in needed})
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(json.dumps(passed, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
