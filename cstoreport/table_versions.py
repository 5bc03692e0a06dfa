"""A version of a table: one digest of everything its validity and its typing depend on.

The table's file and descriptor, those of every table it refers to (directly or through
another), the bibliography, the validation code and the versions of Python and of the
libraries that read and type the cells. `check_data`'s stamps and `validate`'s kept frames both
key on it. Importing this module does not import the validation stack (frictionless, pandas),
so an unchanged package is recognised quickly.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

from cstoreport.paths import file_digest

HERE = Path(__file__).resolve().parent
VALIDATION_CODE = [
    HERE / "tables.py",
    HERE / "schema.py",
    HERE / "validation.py",
    HERE / "table_versions.py",
    HERE / "paths.py",
    HERE / "machinery" / "validate.py",
    HERE / "machinery" / "check_data.py",
    HERE / "analysis" / "trade.py",
    HERE / "analysis" / "claims.py",
]
LIBRARIES = ("pandas", "numpy", "frictionless")


def references(res: dict) -> list[str]:
    """The other tables a table's foreign keys point at."""
    refs = [
        fk["reference"].get("resource") or res["name"]
        for fk in res["schema"].get("foreignKeys", [])
    ]
    return sorted({r for r in refs if r != res["name"]})


def with_references(name: str, resources: dict) -> list[str]:
    """The table and every table it refers to, directly or through another."""
    found, todo = set(), [name]
    while todo:
        table = todo.pop()
        if table in resources and table not in found:
            found.add(table)
            todo += references(resources[table])
    return sorted(found)


def table_digests(package: dict, bib_path: Path, names: list[str] | None = None) -> dict[str, str]:
    """The digest of the version of each table (of `names`, or all) in the package."""
    resources = {r["name"]: r for r in package["resources"]}
    common = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        common.update(importlib.metadata.version(library).encode())
    for path in [*VALIDATION_CODE, Path(bib_path)]:
        common.update(file_digest(path).encode())
    own: dict[str, bytes] = {}
    digests = {}
    for name in names or list(resources):
        digest = common.copy()
        for table in with_references(name, resources):
            if table not in own:
                res = resources[table]
                own[table] = (
                    json.dumps(res, sort_keys=True) + file_digest(package["_base"] / res["path"])
                ).encode()
            digest.update(own[table])
        digests[name] = digest.hexdigest()
    return digests
