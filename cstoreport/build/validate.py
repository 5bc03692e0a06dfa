"""Load the data package's CSV tables and refuse bad input loudly.

`data/datapackage.json` (a Frictionless Data Package) is the single description of every
table: its fields, types, required fields, enums, ranges, primary and foreign keys. This module
checks each CSV against it and stops with a `DataError` that names the file, the row and the
field of every problem found. Rows are numbered as in the file: the header is row 1.

Beyond the Table Schema, three conventions hold in every table (so they are checked by field name):
- `source_id` / `source_ids` (several keys joined by ";") must be keys of `book/references.bib`;
- a `date` with a `date_precision` of `month` must fall on the 1st, of `year` on 1 January;
- an `end_date` may not come before its `date` or `start_date`;
- a `date_basis` says whether a day-precision date is the day of the event or only the day it
  was reported. A day that equals the publication day of every one of the row's sources (with a
  known day) may not be called `event`: either a source published on a later day gives the same
  day, or the row says `reported` (the day of the earliest report found; the event may be
  earlier) or `event_same_day` (a report of that day says the event happened that day).
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cstoreport.paths import BIB_PATH, PACKAGE_PATH, relative

MAX_LISTED_PROBLEMS = 25
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
INTEGER_PATTERN = re.compile(r"[+-]?\d+")

# Every data file read in this process (repository-relative): the notebook runner checks it
# against what each notebook declares, so a notebook cannot depend on an undeclared file.
FILES_READ: set[str] = set()


class DataError(ValueError):
    """A data file is malformed or inconsistent; the message names file, row and field."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        lines = [str(p) for p in problems[:MAX_LISTED_PROBLEMS]]
        if len(problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"... and {len(problems) - MAX_LISTED_PROBLEMS} more problems")
        super().__init__("invalid data:\n" + "\n".join(lines))


@dataclass(frozen=True)
class Problem:
    path: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


# ---------------------------------------------------------------- package and bibliography

def read_package(package_path: Path = PACKAGE_PATH) -> dict:
    package_path = Path(package_path)
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError([Problem(relative(package_path), None, None, f"cannot read: {exc}")])
    package["_base"] = package_path.parent
    return package


def find_resource(package: dict, name: str) -> dict:
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource named {name!r} in {relative(package['_base'] / 'datapackage.json')}")


def bib_keys(bib_path: Path = BIB_PATH) -> set[str]:
    """Keys of the bibliography, which is the project's one registry of sources."""
    return set(publication_days(bib_path))


def publication_days(bib_path: Path = BIB_PATH) -> dict[str, dt.date | None]:
    """Each source's publication day, where its entry gives year, month and day (else None)."""
    bib_path = Path(bib_path)
    try:
        stat = bib_path.stat()
    except OSError as exc:
        raise DataError([Problem(relative(bib_path), None, None, f"cannot read: {exc}")])
    # Parsed once per version of the file: a notebook loads several tables.
    return dict(_bib_entries(str(bib_path), stat.st_mtime_ns, stat.st_size))


MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def _publication_day(fields) -> dt.date | None:
    try:
        return dt.date(int(fields["year"]), MONTHS[fields["month"].strip().lower()[:3]],
                       int(fields["day"]))
    except (KeyError, ValueError):
        return None


@functools.lru_cache(maxsize=4)
def _bib_entries(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[str, dt.date | None], ...]:
    from pybtex.database import parse_file
    from pybtex.database.input.bibtex import BibliographyDataError

    bib_path = Path(path)
    try:
        bib = parse_file(str(bib_path), bib_format="bibtex")
    except (OSError, BibliographyDataError) as exc:
        raise DataError([Problem(relative(bib_path), None, None, str(exc))])
    problems = []
    for key, entry in bib.entries.items():
        for required in ("title", "url", "urldate", "year"):
            if required not in entry.fields:
                problems.append(Problem(relative(bib_path), None, required,
                                        f"entry {key!r} lacks {required!r} (every source needs a "
                                        "title, URL, access date and year)"))
    if problems:
        raise DataError(problems)
    return tuple((key, _publication_day(entry.fields)) for key, entry in bib.entries.items())


# ---------------------------------------------------------------- cell checks

def _parse_cell(raw: str, field: dict):
    """Return (value, error message or None) for one non-empty cell."""
    kind = field.get("type", "string")
    if kind == "string":
        return raw, None
    if kind == "integer":
        if not INTEGER_PATTERN.fullmatch(raw):
            return None, f"{raw!r} is not an integer"
        return int(raw), None
    if kind == "number":
        try:
            value = float(raw)
        except ValueError:
            return None, f"{raw!r} is not a number"
        if not math.isfinite(value):
            return None, f"{raw!r} is not a finite number"
        return value, None
    if kind == "date":
        if not DATE_PATTERN.fullmatch(raw):
            return None, f"{raw!r} is not a date in YYYY-MM-DD form"
        try:
            return dt.date.fromisoformat(raw), None
        except ValueError:
            return None, f"{raw!r} is not a real calendar date"
    if kind == "boolean":
        if raw not in ("true", "false"):
            return None, f"{raw!r} is not true or false"
        return raw == "true", None
    return None, f"schema type {kind!r} is not supported by this validator"


def _check_constraints(value, raw: str, field: dict) -> str | None:
    c = field.get("constraints", {})
    if "enum" in c and raw not in [str(v) for v in c["enum"]]:
        return f"{raw!r} is not one of the allowed values {c['enum']}"
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        return f"{raw!r} does not match the pattern {c['pattern']!r}"
    if "minimum" in c:
        minimum = c["minimum"]
        if isinstance(value, dt.date):
            minimum = dt.date.fromisoformat(minimum)
        if value < minimum:
            return f"{raw} is below the minimum {c['minimum']}"
    if "maximum" in c:
        maximum = c["maximum"]
        if isinstance(value, dt.date):
            maximum = dt.date.fromisoformat(maximum)
        if value > maximum:
            return f"{raw} is above the maximum {c['maximum']}"
    if "maxLength" in c and len(raw) > c["maxLength"]:
        return f"is longer than {c['maxLength']} characters"
    return None


# ---------------------------------------------------------------- reading one file

def _decode(path: Path, data: bytes, shown: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        row = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        column = data[line_start: exc.start].count(b",")
        field = header[column] if column < len(header) else None
        return "", [Problem(shown, row, field,
                            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]


def read_rows(path: Path, schema: dict) -> tuple[list[dict], list[Problem]]:
    """Parse a CSV against a Table Schema: typed rows (with their row numbers) and problems."""
    shown = relative(path)
    FILES_READ.add(shown)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [Problem(shown, None, None, f"cannot read: {exc}")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text, problems = _decode(path, data, shown)
    if problems:
        return [], problems
    if not text.strip():
        return [], [Problem(shown, None, None, "the file is empty (no header row)")]

    fields = schema["fields"]
    names = [f["name"] for f in fields]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [Problem(shown, 1, None, f"unreadable header: {exc}")]
    for extra in [h for h in header if h not in names]:
        problems.append(Problem(shown, 1, extra, "column is not in the table's schema "
                                                 "(data/datapackage.json)"))
    for missing in [n for n in names if n not in header]:
        problems.append(Problem(shown, 1, missing, "column required by the schema is missing"))
    if not problems and header != names:
        problems.append(Problem(shown, 1, None, f"columns are out of order: expected {names}"))
    if problems:
        return [], problems

    rows = []
    try:
        for cells in reader:
            rownum = reader.line_num
            if not cells:
                problems.append(Problem(shown, rownum, None, "blank line inside the table"))
                continue
            if len(cells) != len(names):
                missing = names[len(cells)] if len(cells) < len(names) else None
                problems.append(Problem(
                    shown, rownum, missing,
                    f"has {len(cells)} fields but the header has {len(names)}"
                    + (" (is the file truncated?)" if len(cells) < len(names) else "")))
                continue
            record = {"_row": rownum}
            for field, raw in zip(fields, cells):
                name = field["name"]
                if raw == "" or raw != raw.strip():
                    if raw != raw.strip() and raw.strip() != "":
                        problems.append(Problem(shown, rownum, name,
                                                f"{raw!r} has leading or trailing spaces"))
                        record[name] = None
                        continue
                    if field.get("constraints", {}).get("required"):
                        problems.append(Problem(shown, rownum, name, "required value is missing"))
                    record[name] = None
                    continue
                value, error = _parse_cell(raw, field)
                if error is None:
                    error = _check_constraints(value, raw, field)
                if error:
                    problems.append(Problem(shown, rownum, name, error))
                    value = None
                record[name] = value
            rows.append(record)
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, None, f"malformed CSV: {exc}"))
    if not rows and not problems:
        problems.append(Problem(shown, None, None, "the table has a header but no rows"))
    return rows, problems


# ---------------------------------------------------------------- table-level checks

def _key_of(record: dict, key: list[str]):
    return tuple(record.get(k) for k in key)


def _check_keys(rows: list[dict], schema: dict, shown: str) -> list[Problem]:
    problems = []
    uniques = [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    pk = schema.get("primaryKey")
    keys = [[pk]] if isinstance(pk, str) else ([pk] if pk else [])
    for key in [[u] for u in uniques] + keys:
        seen: dict = {}
        for r in rows:
            value = _key_of(r, key)
            if any(v is None for v in value):
                continue
            if value in seen:
                problems.append(Problem(shown, r["_row"], ",".join(key),
                                        f"duplicate key {value if len(value) > 1 else value[0]!r}"
                                        f" (first seen in row {seen[value]})"))
            else:
                seen[value] = r["_row"]
    return problems


def _check_date_basis(r: dict, shown: str, sources: dict, source_field: str) -> list[Problem]:
    """A day-precision date attested only by reports of that day is not called `event`."""
    basis, day = r.get("date_basis"), r.get("date")
    if basis is None or day is None:
        return []
    if r.get("date_precision") != "day":
        if basis != "event":
            return [Problem(shown, r["_row"], "date_basis",
                            f"{basis!r} applies to day-precision dates only")]
        return []
    published = [sources.get(k) for k in (r.get(source_field) or "").split(";")]
    known = [p for p in published if p is not None]
    if not known:
        return []
    if basis == "event" and all(p == day for p in known):
        return [Problem(shown, r["_row"], "date_basis",
                        f"{day} is the publication day of every source with a known day: mark it "
                        "'reported', or 'event_same_day' if a source says it happened that day, "
                        "or add a later source that gives the day")]
    if basis in ("reported", "event_same_day") and day not in known:
        return [Problem(shown, r["_row"], "date_basis",
                        f"{basis!r} but no source was published on {day}")]
    return []


def _check_conventions(rows: list[dict], schema: dict, shown: str,
                       sources: dict | None) -> list[Problem]:
    problems = []
    names = {f["name"] for f in schema["fields"]}
    start_field = "date" if "date" in names else ("start_date" if "start_date" in names else None)
    for r in rows:
        n = r["_row"]
        if sources is not None:
            for field in ("source_id", "source_ids"):
                if field in names and r.get(field):
                    for key in r[field].split(";"):
                        if key not in sources:
                            problems.append(Problem(shown, n, field,
                                                    f"source {key!r} is not in book/references.bib"))
            if "date_basis" in names:
                source_field = "source_ids" if "source_ids" in names else "source_id"
                problems += _check_date_basis(r, shown, sources, source_field)
        start = r.get(start_field) if start_field else None
        precision = r.get("date_precision")
        if start is not None and precision is not None:
            if precision == "month" and start.day != 1:
                problems.append(Problem(shown, n, start_field,
                                        f"{start} has month precision, so it must be written as "
                                        "the 1st of the month"))
            if precision == "year" and (start.month, start.day) != (1, 1):
                problems.append(Problem(shown, n, start_field,
                                        f"{start} has year precision, so it must be written as "
                                        "1 January"))
        end = r.get("end_date")
        if start is not None and end is not None and end < start:
            problems.append(Problem(shown, n, "end_date",
                                    f"ends ({end}) before it starts ({start})"))
    return problems


def _to_frame(rows: list[dict], schema: dict) -> pd.DataFrame:
    columns = [f["name"] for f in schema["fields"]]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    for f in schema["fields"]:
        name, kind = f["name"], f.get("type", "string")
        if kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "number":
            frame[name] = frame[name].astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        else:
            frame[name] = frame[name].astype("string")
    return frame


# ---------------------------------------------------------------- public entry points

def _validate(name: str, package: dict, sources: dict | None, cache: dict) -> tuple[list, list]:
    if name in cache:
        return cache[name]
    res = find_resource(package, name)
    path = package["_base"] / res["path"]
    shown = relative(path)
    rows, problems = read_rows(path, res["schema"])
    if not problems:
        problems += _check_keys(rows, res["schema"], shown)
        problems += _check_conventions(rows, res["schema"], shown, sources)
    cache[name] = (rows, problems)
    if problems:
        return rows, problems
    for fk in res["schema"].get("foreignKeys", []):
        local = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        ref_name = ref.get("resource") or name
        if ref_name == name:  # a table pointing at its own rows (responds_to, alternative_to)
            ref_rows, ref_problems = rows, []
        else:
            ref_rows, ref_problems = _validate(ref_name, package, sources, cache)
        if ref_problems:
            problems.append(Problem(shown, None, None,
                                    f"cannot check references to {ref_name!r}: that table is invalid"))
            continue
        known = {_key_of(r, ref_fields) for r in ref_rows}
        for r in rows:
            value = _key_of(r, local)
            if any(v is None for v in value):
                continue
            if value not in known:
                problems.append(Problem(shown, r["_row"], ",".join(local),
                                        f"{value[0] if len(value) == 1 else value!r} is not a known "
                                        f"{ref_name}.{','.join(ref_fields)}"))
    cache[name] = (rows, problems)
    return rows, problems


def load_table(name: str, package_path: Path = PACKAGE_PATH, bib_path: Path = BIB_PATH,
               package: dict | None = None) -> pd.DataFrame:
    """Validate one table of the package (with the tables it refers to) and return it typed.

    Raises DataError naming file, row and field for every problem found.
    """
    package = package or read_package(package_path)
    sources = publication_days(bib_path)
    rows, problems = _validate(name, package, sources, {})
    if problems:
        raise DataError(problems)
    return _to_frame(rows, find_resource(package, name)["schema"])


def validate_package(package_path: Path = PACKAGE_PATH, bib_path: Path = BIB_PATH,
                     names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Validate every table of the package; all problems of all tables in one DataError."""
    package = read_package(package_path)
    sources = publication_days(bib_path)
    cache: dict = {}
    problems: list[Problem] = []
    names = names or [r["name"] for r in package["resources"]]
    for name in names:
        problems += _validate(name, package, sources, cache)[1]
    if problems:
        # A table whose references failed is reported once, under its own name.
        raise DataError(list(dict.fromkeys(problems)))
    return {n: _to_frame(cache[n][0], find_resource(package, n)["schema"]) for n in names}


def write_table(frame: pd.DataFrame, name: str, package_path: Path = PACKAGE_PATH,
                bib_path: Path = BIB_PATH) -> pd.DataFrame:
    """Write a derived table where the package says it lives, then validate what was written.

    Columns follow the schema's order; a derived table that breaks its own schema stops the
    notebook here rather than reaching a reader.
    """
    package = read_package(package_path)
    res = find_resource(package, name)
    columns = [f["name"] for f in res["schema"]["fields"]]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(res["path"], None, c, "the notebook did not produce this column")
                         for c in missing])
    path = package["_base"] / res["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame[columns].copy()
    for field in res["schema"]["fields"]:
        if field.get("type") == "boolean":  # Table Schema spells booleans true/false
            out[field["name"]] = out[field["name"]].map({True: "true", False: "false"})
    out.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return load_table(name, package_path, bib_path, package=package)
