"""The data API: read and write the data package's tables, typed and validated.

`data/datapackage.json` (a Frictionless Data Package) is the single description of every
table. `load_table` returns a table typed by its schema after the validator
(`cstoreport.validation`) has passed it, or raises a `DataError` that names file, row and
field; `write_table` writes a derived table where the package says it lives and reads it back
the same way. Notebooks and the analysis code read and write tables only through this module.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cstoreport import validation
from cstoreport.paths import BIB_PATH, PACKAGE_PATH, relative, replaced_whole
from cstoreport.schema import DataError, Problem
from cstoreport.table_versions import table_digests, with_references

__all__ = [
    "DataError",
    "FILES_READ",
    "Problem",
    "find_resource",
    "load_table",
    "read_package",
    "state_names",
    "write_table",
]

# Every data file read in this process (repository-relative): the notebook runner checks it
# against what each notebook declares, so a notebook cannot depend on an undeclared file.
FILES_READ: set[str] = set()


def read_package(package_path: Path = PACKAGE_PATH) -> dict:
    import json

    package_path = Path(package_path)
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(
            [Problem(relative(package_path), None, None, f"cannot read: {exc}")]
        ) from exc
    package["_base"] = package_path.parent
    return package


def find_resource(package: dict, name: str) -> dict:
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(
        f"no resource named {name!r} in {relative(package['_base'] / 'datapackage.json')}"
    )


# ---------------------------------------------------------------- each version validated once


def _validated_path(name: str, package: dict, bib_path: Path) -> Path:
    """Where the typed frame of this exact version of the table is kept once it has passed."""
    digest = table_digests(package, bib_path, [name])[name]
    return _validated_dir(package) / f"{name}-{digest[:40]}.pkl"


def _validated_dir(package: dict) -> Path:
    return package["_base"].parent / "_build" / ".cache" / "validated"


def keep_validated(frames: dict[str, pd.DataFrame], package: dict, bib_path: Path) -> None:
    """Keep the typed frame of each table that has passed, keyed on its version."""
    for name, frame in frames.items():
        path = _validated_path(name, package, bib_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for older in path.parent.glob(f"{name}-*.pkl"):
            older.unlink(missing_ok=True)
        with replaced_whole(path) as temporary:
            frame.to_pickle(temporary)


# ---------------------------------------------------------------- reading and writing tables


def load_table(
    name: str,
    package_path: Path = PACKAGE_PATH,
    bib_path: Path = BIB_PATH,
    package: dict | None = None,
) -> pd.DataFrame:
    """Validate one table of the package (with the tables it refers to) and return it typed.

    Raises DataError naming file, row and field for every problem found. A version of a table
    that has already passed (the same bytes, schema, referenced tables, bibliography, code and
    library versions) is not checked again: its typed frame is read back from `_build/.cache`.
    """
    package = package or read_package(package_path)
    resources = {r["name"]: r for r in package["resources"]}
    if name in resources:
        FILES_READ.update(
            relative(package["_base"] / resources[t]["path"])
            for t in with_references(name, resources)
        )
        try:
            return pd.read_pickle(_validated_path(name, package, bib_path))
        except FileNotFoundError:  # not yet validated in this version (or just replaced)
            pass
    frames, problems = validation.validate_tables([name], package, bib_path)
    if problems:
        raise DataError(problems)
    keep_validated(frames, package, bib_path)
    return frames[name]


def state_names(package_path: Path = PACKAGE_PATH, bib_path: Path = BIB_PATH) -> dict[str, str]:
    """Each state's short English name by ISO 3166 alpha-3 code, from data/states.csv (the one
    place where state names are kept)."""
    states = load_table("states", package_path, bib_path)
    return dict(zip(states["state_iso3"], states["name"], strict=False))


def write_table(
    frame: pd.DataFrame, name: str, package_path: Path = PACKAGE_PATH, bib_path: Path = BIB_PATH
) -> pd.DataFrame:
    """Write a derived table where the package says it lives, then validate what was written.

    Columns follow the schema's order; a derived table that breaks its own schema stops the
    notebook here rather than reaching a reader.
    """
    package = read_package(package_path)
    res = find_resource(package, name)
    columns = [f["name"] for f in res["schema"]["fields"]]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            [
                Problem(res["path"], None, c, "the notebook did not produce this column")
                for c in missing
            ]
        )
    path = package["_base"] / res["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame[columns].copy()
    for field in res["schema"]["fields"]:
        if field.get("type") == "boolean":  # Table Schema spells booleans true/false
            out[field["name"]] = out[field["name"]].map({True: "true", False: "false"})
    with replaced_whole(path) as temporary:
        out.to_csv(temporary, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return load_table(name, package_path, bib_path, package=package)
