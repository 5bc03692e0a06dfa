"""Validate the data package from the command line; exit 1 with file, row and field on bad data.

    python -m cstoreport.machinery.check_data            source tables (all but derived/)
    python -m cstoreport.machinery.check_data --derived  every table, plus checks across tables
    python -m cstoreport.machinery.check_data --tables events states   only these tables

A table is checked again only when its version (table_versions: it, its schema, the tables it
refers to, the bibliography, the validation code, the libraries) changed since it last passed;
the rest are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cstoreport.paths import BIB_PATH, PACKAGE_PATH, ROOT
from cstoreport.table_versions import table_digests

STAMP = ROOT / "_build" / ".stamps" / "check_data.json"


def _read_package(path: Path) -> dict:
    """The package description, read without the validation stack when it parses."""
    try:
        package = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from cstoreport.machinery.validate import read_package

        return read_package(path)  # raises DataError naming the file
    package["_base"] = Path(path).parent
    return package


def _spread(names: list[str], package: dict) -> list[list[str]]:
    """The tables in one group per CPU, the largest files first, each to the lightest group:
    the commodity snapshot alone outweighs all the other tables together."""
    size = {
        r["name"]: (package["_base"] / r["path"]).stat().st_size
        if (package["_base"] / r["path"]).exists()
        else 0
        for r in package["resources"]
    }
    groups: list[list[str]] = [[] for _ in range(min(os.cpu_count() or 1, len(names)))]
    loads = [0] * len(groups)
    for name in sorted(names, key=lambda n: (-size[n], n)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += size[name]
    return [sorted(group) for group in groups if group]


def _problems_of(package_path: Path, bib_path: Path, names: list[str]) -> list:
    from cstoreport.machinery.validate import DataError, validate_package

    try:
        validate_package(package_path, bib_path, names=names)
    except DataError as exc:
        return exc.problems
    return []


def _validate_in_parallel(package_path: Path, bib_path: Path, groups: list[list[str]]) -> list:
    """Every problem of every group, each group validated in its own process (with the tables
    it refers to and the partners of its rules across tables); in this process if only one."""
    if len(groups) == 1:
        return _problems_of(package_path, bib_path, groups[0])
    # Forked workers start with what this process has already imported and read.
    from cstoreport.machinery.validate import DataError, publication_days

    with contextlib.suppress(DataError):  # each group reports it, as it would on its own
        publication_days(bib_path)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        found = pool.map(
            _problems_of, *zip(*[(package_path, bib_path, g) for g in groups], strict=False)
        )
        return [problem for group in found for problem in group]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--derived", action="store_true", help="also derived tables")
    parser.add_argument(
        "--tables",
        nargs="+",
        metavar="NAME",
        help="only these tables (and the tables they refer to)",
    )
    parser.add_argument("--package", type=Path, default=PACKAGE_PATH)
    parser.add_argument("--bib", type=Path, default=BIB_PATH)
    args = parser.parse_args(argv)
    package = _read_package(args.package)
    unknown = sorted(set(args.tables or []) - {r["name"] for r in package["resources"]})
    if unknown:
        parser.error(f"no table named {', '.join(unknown)} in {args.package}")
    names = [
        r["name"]
        for r in package["resources"]
        if (
            r["name"] in args.tables
            if args.tables
            else args.derived or not r["path"].startswith("derived/")
        )
    ]
    # Stamps only for the repository's own package (tests check scratch copies every time).
    use_stamps = args.package == PACKAGE_PATH and args.bib == BIB_PATH
    digests = table_digests(package, args.bib)
    passed = json.loads(STAMP.read_text()) if use_stamps and STAMP.exists() else {}
    todo = [n for n in names if passed.get(n) != digests[n]]
    if not todo:
        print(f"data package unchanged since its last successful check ({len(names)} tables)")
        return 0
    from cstoreport.machinery.validate import TABLE_RULES, DataError

    # A rule across tables is checked again when any of its tables changed.
    needed = set(todo)
    for table, (others, _) in TABLE_RULES.items():
        if table in names and set(others) <= set(names) and {table, *others} & needed:
            needed |= {table, *others}
    needed = sorted(needed)
    problems = _validate_in_parallel(args.package, args.bib, _spread(needed, package))
    if problems:
        print(f"Data check failed. {DataError(list(dict.fromkeys(problems)))}", file=sys.stderr)
        return 1
    print(f"data package valid: {len(needed)} of {len(names)} tables checked, the rest unchanged")
    if use_stamps:
        passed.update({n: digests[n] for n in needed})
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(json.dumps(passed, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
