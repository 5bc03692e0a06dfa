"""The data package's rules across tables, and validating the whole package.

The validator (`cstoreport.validation`) checks each table against `data/datapackage.json` and
the project's own rules; the data API (`cstoreport.tables`) loads one table through it. Here
are the whole-table rules, which use the analysis code (what each kind of claim in the ledger
must fill in, and each annual trade value equals the sum of its months), and
`validate_package`, which checks every table (or some) with those rules: `check_data` and
the pipeline call it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from cstoreport.paths import BIB_PATH, PACKAGE_PATH
from cstoreport.schema import DataError, Problem
from cstoreport.tables import keep_validated, read_package
from cstoreport.validation import bib_keys, publication_days, validate_tables

__all__ = [
    "DataError",
    "Problem",
    "TABLE_RULES",
    "bib_keys",
    "publication_days",
    "read_package",
    "validate_package",
]


def _annual_matches_months(monthly: pd.DataFrame) -> Callable:
    def rule(annual: pd.DataFrame):
        from cstoreport.analysis import trade

        members = annual[annual["partner_iso3"] != trade.WORLD]
        return [
            (int(idx) + 2, field, message)
            for idx, field, message in trade.annual_matches_months(members, monthly)
        ]

    return rule


def _claims_complete(ledger: pd.DataFrame):
    from cstoreport.analysis import claims

    return [(p.row, p.field, p.message) for p in claims.ledger_problems(ledger)]


# Whole-table rules, and the other tables each needs (validated in the same run).
TABLE_RULES = {
    "claims_ledger": ((), lambda tables: _claims_complete),
    "trade_annual": (
        ("trade_monthly_members",),
        lambda tables: _annual_matches_months(tables["trade_monthly_members"]),
    ),
}


def validate_package(
    package_path: Path = PACKAGE_PATH, bib_path: Path = BIB_PATH, names: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Validate every table of the package (or `names`), with the rules across tables whose
    tables are all among them; all problems of all tables in one DataError."""
    package = read_package(package_path)
    names = names or [r["name"] for r in package["resources"]]
    frames, problems = validate_tables(names, package, bib_path, TABLE_RULES)
    if problems:
        raise DataError(list(dict.fromkeys(problems)))
    keep_validated(frames, package, bib_path)
    return frames
