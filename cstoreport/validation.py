"""The validator: check a data package's CSV tables and refuse bad input loudly.

`data/datapackage.json` (a Frictionless Data Package) is the single description of every
table. frictionless, the reference implementation of Table Schema, checks each CSV against it:
types and formats, required fields, enums, patterns, ranges, primary, unique and foreign keys,
and the recorded hash of each raw snapshot. This module adds only what is this project's own,
as frictionless custom checks, and turns every error into a `DataError` that names the file,
the row and the field. Rows are numbered as in the file: the header is row 1.

The project's own rules (the checks below):
- `source_id` / `source_ids` (several keys joined by ";") must be keys of `book/references.bib`;
- a `date` with a `date_precision` of `month` must fall on the 1st, of `year` on 1 January;
- an `end_date` may not come before its `date` or `start_date`;
- a `date_basis` says whether a day-precision date is the day of the event or only the day it
  was reported. A day that equals the publication day of every one of the row's sources (with a
  known day) may not be called `event`: either a source published on a later day gives the same
  day, or the row says `reported` (the day of the earliest report found; the event may be
  earlier) or `event_same_day` (a report of that day says the event happened that day);
- cells are written as they are meant (no surrounding spaces, finite numbers), and a table
  has at least one row;
- whole-table rules, checked when the package is validated (not when a notebook loads one
  table): what each kind of claim in the ledger must fill in, and each annual trade value
  equals the sum of its months. The rules themselves are the machinery's
  (`cstoreport.machinery.validate.TABLE_RULES`); this module applies the ones it is given.

Notebooks read tables through the data API (`cstoreport.tables`), which calls `validate_tables`.
A notebook's fingerprint does not cover this module: whether and how bad input is refused
changes no output of a table that passes.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pandas as pd
from frictionless import Checklist, Package, errors
from frictionless.checklist import Check

from cstoreport.paths import BIB_PATH, relative
from cstoreport.schema import DataError, Problem, as_frictionless, to_frame
from cstoreport.table_versions import references

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SOURCE_FIELDS = ("source_id", "source_ids")
PADDED_CELL = re.compile(r"(?:^|\x00)\s|\s(?:$|\x00)")


REQUIRED_BIB_FIELDS = ("title", "url", "urldate", "year")


def bib_keys(bib_path: Path = BIB_PATH) -> set[str]:
    """Keys of the bibliography, which is the project's one registry of sources."""
    shown = relative(bib_path)
    error, entries = _parsed_bib(_bib_text(bib_path))
    if error is not None:
        raise DataError([Problem(shown, None, None, error)])
    problems = [
        Problem(
            shown,
            None,
            required,
            f"entry {key!r} lacks {required!r} (every source "
            "needs a title, URL, access date and year)",
        )
        for key, missing, _ in entries
        for required in missing
    ]
    if problems:
        raise DataError(problems)
    return {key for key, _, _ in entries}


def publication_days(bib_path: Path = BIB_PATH) -> dict:
    """Each source's publication day, where its entry gives year, month and day (else None)."""
    bib_keys(bib_path)  # the same checks and messages for an unreadable or incomplete file
    return {key: day for key, _, day in _parsed_bib(_bib_text(bib_path))[1]}


def _bib_text(bib_path: Path) -> str:
    try:
        return Path(bib_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([Problem(relative(bib_path), None, None, f"cannot read: {exc}")]) from exc


@functools.lru_cache(maxsize=4)
def _parsed_bib(text: str) -> tuple[str | None, tuple]:
    """(why it cannot be parsed, or None; each entry's key, missing required fields and
    publication day). Parsed once per content: a notebook loads several tables, and the tests'
    scratch copies share the repository's bibliography."""
    from pybtex.database import parse_string
    from pybtex.database.input.bibtex import BibliographyDataError

    try:
        bib = parse_string(text, bib_format="bibtex")
    except BibliographyDataError as exc:
        return str(exc), ()
    return None, tuple(
        (
            key,
            tuple(f for f in REQUIRED_BIB_FIELDS if f not in entry.fields),
            _publication_day(entry.fields),
        )
        for key, entry in bib.entries.items()
    )


MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def _publication_day(fields):
    import datetime as dt

    try:
        return dt.date(
            int(fields["year"]), MONTHS[fields["month"].strip().lower()[:3]], int(fields["day"])
        )
    except (KeyError, ValueError):
        return None


# ---------------------------------------------------------------- the project's own checks


class ProjectRuleError(errors.CellError):
    type = "project-rule"
    title = "Project rule"
    description = "A rule of this project that the Table Schema cannot express."
    template = "{note}"


class EmptyTableError(errors.TableError):
    type = "empty-table"
    title = "Empty table"
    description = "A table must have at least one row."
    template = "{note}"


def _rule_error(row, field: str, note: str) -> ProjectRuleError:
    return ProjectRuleError.from_row(row, note=note, field_name=field)


@attrs.define(kw_only=True, repr=False)
class source_ids_resolve(Check):
    """Every key in `source_id` / `source_ids` (joined by ";") is a key of references.bib."""

    type = "source-ids-resolve"
    Errors = [ProjectRuleError]
    sources: frozenset

    def validate_row(self, row):
        for field in SOURCE_FIELDS:
            if row.get(field):
                for key in row[field].split(";"):
                    if key not in self.sources:
                        yield _rule_error(
                            row, field, f"source {key!r} is not in book/references.bib"
                        )


@attrs.define(kw_only=True, repr=False)
class date_matches_precision(Check):
    """A date known to the month is written as the 1st; known to the year, as 1 January."""

    type = "date-matches-precision"
    Errors = [ProjectRuleError]
    date_field: str

    def validate_row(self, row):
        day, precision = row.get(self.date_field), row.get("date_precision")
        if day is None or precision is None:
            return
        if precision == "month" and day.day != 1:
            yield _rule_error(
                row,
                self.date_field,
                f"{day} has month precision, so it must be written as the 1st of the month",
            )
        if precision == "year" and (day.month, day.day) != (1, 1):
            yield _rule_error(
                row,
                self.date_field,
                f"{day} has year precision, so it must be written as 1 January",
            )


@attrs.define(kw_only=True, repr=False)
class date_basis_matches_sources(Check):
    """A day-precision date attested only by reports of that day is not called `event`."""

    type = "date-basis-matches-sources"
    Errors = [ProjectRuleError]
    days: dict
    date_field: str
    source_field: str

    def validate_row(self, row):
        basis, day = row.get("date_basis"), row.get(self.date_field)
        if basis is None or day is None:
            return
        if row.get("date_precision") != "day":
            if basis != "event":
                yield _rule_error(
                    row, "date_basis", f"{basis!r} applies to day-precision dates only"
                )
            return
        known = [self.days.get(k) for k in (row.get(self.source_field) or "").split(";")]
        known = [k for k in known if k is not None]
        if not known:
            return
        if basis == "event" and all(k == day for k in known):
            yield _rule_error(
                row,
                "date_basis",
                f"{day} is the publication day of every source with a known day: "
                "mark it 'reported', or 'event_same_day' if a source says it "
                "happened that day, or add a later source that gives the day",
            )
        if basis in ("reported", "event_same_day") and day not in known:
            yield _rule_error(row, "date_basis", f"{basis!r} but no source was published on {day}")


@attrs.define(kw_only=True, repr=False)
class end_not_before_start(Check):
    type = "end-not-before-start"
    Errors = [ProjectRuleError]
    start_field: str

    def validate_row(self, row):
        start, end = row.get(self.start_field), row.get("end_date")
        if start is not None and end is not None and end < start:
            yield _rule_error(row, "end_date", f"ends ({end}) before it starts ({start})")


@attrs.define(kw_only=True, repr=False)
class cells_as_written(Check):
    """No leading or trailing spaces (frictionless would silently strip them from numbers),
    no infinite or not-a-number values, and at least one row."""

    type = "cells-as-written"
    Errors = [ProjectRuleError, EmptyTableError]
    number_fields: tuple = ()
    rows_seen: int = 0

    def validate_row(self, row):
        self.rows_seen += 1
        # One search per row; the cell-by-cell look only where a row has a suspect cell.
        if PADDED_CELL.search("\x00".join(row.cells)):
            for name, raw in zip(row.field_names, row.cells, strict=False):
                if raw != raw.strip() and raw.strip():
                    yield _rule_error(row, name, f"{raw!r} has leading or trailing spaces")
        for name in self.number_fields:
            value = row.get(name)
            if value is not None and not math.isfinite(value):
                yield _rule_error(row, name, f"{value!r} is not a finite number")

    def validate_end(self):
        if not self.rows_seen:
            yield EmptyTableError(note="the table has a header but no rows")


@attrs.define(kw_only=True, repr=False)
class whole_table_rule(Check):
    """Keeps the typed rows (so each file is read once) and, at the end, applies a rule to the
    whole table: `rule(frame)` returns (row, field, message) for each problem."""

    type = "whole-table-rule"
    Errors = [ProjectRuleError]
    rule: Callable | None = None
    schema_fields: list = attrs.field(factory=list)
    rows: list = attrs.field(factory=list)

    def validate_row(self, row):
        self.rows.append(row.to_list())  # the cells typed, in the schema's order
        yield from ()

    def frame(self) -> pd.DataFrame:
        return to_frame(self.rows, self.schema_fields)

    def validate_end(self):
        if self.rule is None:
            return
        names = [f["name"] for f in self.schema_fields]
        for row, field, message in self.rule(self.frame()):
            yield ProjectRuleError(
                note=message,
                cells=[],
                row_number=row,
                cell="",
                field_name=field,
                field_number=names.index(field) + 1,
            )


def _checks(res: dict, sources: frozenset, rule, days: dict | None = None) -> list[Check]:
    names = [f["name"] for f in res["schema"]["fields"]]
    numbers = tuple(f["name"] for f in res["schema"]["fields"] if f.get("type") == "number")
    checks = [cells_as_written(number_fields=numbers)]
    if any(f in names for f in SOURCE_FIELDS):
        checks.append(source_ids_resolve(sources=sources))
    start = next((f for f in ("date", "start_date") if f in names), None)
    if start and "date_precision" in names:
        checks.append(date_matches_precision(date_field=start))
    if start and "end_date" in names:
        checks.append(end_not_before_start(start_field=start))
    if start and "date_basis" in names and days is not None:
        source_field = next(f for f in SOURCE_FIELDS if f in names)
        checks.append(
            date_basis_matches_sources(days=days, date_field=start, source_field=source_field)
        )
    checks.append(whole_table_rule(rule=rule, schema_fields=res["schema"]["fields"]))
    return checks


# ---------------------------------------------------------------- frictionless, and its errors


def _utf8_problem(path: Path, shown: str) -> Problem | None:
    """Where a file stops being UTF-8 (frictionless would guess another encoding instead)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line_start = before.rfind(b"\n") + 1
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        column = data[line_start : exc.start].count(b",")
        return Problem(
            shown,
            before.count(b"\n") + 1,
            header[column] if column < len(header) else None,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )


def _constraint_message(err, field: dict) -> str:
    match = re.search(r'constraint "(\w+)"', err.note or "")
    name = match.group(1) if match else None
    c = field.get("constraints", {})
    raw = err.cell
    if name == "required":
        return "required value is missing"
    if name == "enum":
        return f"{raw!r} is not one of the allowed values {c['enum']}"
    if name == "pattern":
        return f"{raw!r} does not match the pattern {c['pattern']!r}"
    if name == "minimum":
        return f"{raw} is below the minimum {c['minimum']}"
    if name == "maximum":
        return f"{raw} is above the maximum {c['maximum']}"
    if name == "maxLength":
        return f"is longer than {c['maxLength']} characters"
    return err.message


def _type_message(err, field: dict) -> str:
    raw, kind = err.cell, field.get("type", "string")
    if kind == "date":
        if ISO_DATE.fullmatch(raw):
            return f"{raw!r} is not a real calendar date"
        return f"{raw!r} is not a date in YYYY-MM-DD form"
    if kind == "boolean":
        return f"{raw!r} is not true or false"
    return f"{raw!r} is not {'an' if kind == 'integer' else 'a'} {kind}"


def _key_value(cells: list, positions: list[int]):
    values = tuple(cells[i] if i < len(cells) else "" for i in positions)
    return values[0] if len(values) == 1 else values


@dataclasses.dataclass
class _Where:
    """What the translation of one table's errors needs to know about the table."""

    shown: str
    res: dict
    fields: dict
    names: list
    short_rows: set = dataclasses.field(default_factory=set)


def _extra_label(err, at: _Where) -> list[Problem]:
    return [
        Problem(
            at.shown, 1, err.label, "column is not in the table's schema (data/datapackage.json)"
        )
    ]


def _missing_label(err, at: _Where) -> list[Problem]:
    return [Problem(at.shown, 1, err.field_name, "column required by the schema is missing")]


def _incorrect_label(err, at: _Where) -> list[Problem]:
    return [
        Problem(
            at.shown,
            1,
            err.field_name,
            f"found column {err.label!r}: columns are out of order, expected {at.names}",
        )
    ]


def _cell_count(err, at: _Where) -> list[Problem]:
    row = getattr(err, "row_number", None)
    if row in at.short_rows:
        return []
    at.short_rows.add(row)
    short = err.type == "missing-cell"
    return [
        Problem(
            at.shown,
            row,
            getattr(err, "field_name", None) if short else None,
            f"has {len(err.cells)} fields but the header has {len(at.names)}"
            + (" (is the file truncated?)" if short else ""),
        )
    ]


def _blank_row(err, at: _Where) -> list[Problem]:
    return [
        Problem(at.shown, getattr(err, "row_number", None), None, "blank line inside the table")
    ]


def _type_error(err, at: _Where) -> list[Problem]:
    field = getattr(err, "field_name", None)
    return [
        Problem(
            at.shown, getattr(err, "row_number", None), field, _type_message(err, at.fields[field])
        )
    ]


def _constraint_error(err, at: _Where) -> list[Problem]:
    field = getattr(err, "field_name", None)
    return [
        Problem(
            at.shown,
            getattr(err, "row_number", None),
            field,
            _constraint_message(err, at.fields[field]),
        )
    ]


def _duplicate_key(err, at: _Where) -> list[Problem]:
    field = getattr(err, "field_name", None)
    key = at.res["schema"]["primaryKey"] if err.type == "primary-key" else [field]
    key = [key] if isinstance(key, str) else key
    first = re.search(r"position (\d+)", err.note or "")
    return [
        Problem(
            at.shown,
            getattr(err, "row_number", None),
            ",".join(key),
            f"duplicate key {_key_value(err.cells, [at.names.index(k) for k in key])!r}"
            + (f" (first seen in row {first.group(1)})" if first else "")
            if first
            else "the key fields are all empty",
        )
    ]


def _foreign_key(err, at: _Where) -> list[Problem]:
    value = err.field_cells[0] if len(err.field_cells) == 1 else tuple(err.field_cells)
    target = err.reference_name or at.res["name"]
    return [
        Problem(
            at.shown,
            getattr(err, "row_number", None),
            ",".join(err.field_names),
            f"{value!r} is not a known {target}.{','.join(err.reference_field_names)}",
        )
    ]


def _hash_count(err, at: _Where) -> list[Problem]:
    return [
        Problem(
            at.shown,
            None,
            None,
            f"the file differs from the snapshot recorded in datapackage.json ({err.note})",
        )
    ]


def _project_rule(err, at: _Where) -> list[Problem]:
    return [
        Problem(
            at.shown, getattr(err, "row_number", None), getattr(err, "field_name", None), err.note
        )
    ]


def _as_frictionless_says(err, at: _Where) -> list[Problem]:
    return [
        Problem(
            at.shown,
            getattr(err, "row_number", None),
            getattr(err, "field_name", None),
            err.message,
        )
    ]


# Each kind of frictionless error (its `type`) and how it is told; any other kind is told in
# frictionless's own words.
ERROR_KINDS = {
    "extra-label": _extra_label,
    "missing-label": _missing_label,
    "incorrect-label": _incorrect_label,
    "missing-cell": _cell_count,
    "extra-cell": _cell_count,
    "blank-row": _blank_row,
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "primary-key": _duplicate_key,
    "unique-error": _duplicate_key,
    "foreign-key": _foreign_key,
    "hash-count": _hash_count,
    "project-rule": _project_rule,
    "empty-table": _project_rule,
}


def _problems(errs: list, res: dict, shown: str) -> list[Problem]:
    """frictionless errors, as messages that name file, row and field."""
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    header = [e for e in errs if isinstance(e, (errors.LabelError, errors.HeaderError))]
    if header:  # with the wrong columns, every row would be wrong too
        errs = header
    at = _Where(shown, res, fields, list(fields))
    return [
        problem
        for err in errs
        for problem in ERROR_KINDS.get(err.type, _as_frictionless_says)(err, at)
    ]


# ---------------------------------------------------------------- validating tables


def validate_tables(
    names: list[str], package: dict, bib_path: Path = BIB_PATH, table_rules: dict | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate `names` and every table they refer to; frames of the valid tables and the
    problems of the tables asked for. `table_rules` are the whole-table rules to apply: for a
    table's name, (the other tables the rule needs, a function of their frames that returns
    the rule); none when a notebook loads one table."""
    table_rules = table_rules or {}
    sources = frozenset(bib_keys(bib_path))
    days = publication_days(bib_path)
    base = package["_base"]
    resources = {r["name"]: r for r in package["resources"]}
    # Referenced tables first, so that references into an invalid table are reported once.
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        order.append(name)  # marks it before its references: a cycle stops here
        needs = references(resources[name])
        if name in table_rules:
            needs += list(table_rules[name][0])
        for ref in needs:
            visit(ref)
        order.remove(name)
        order.append(name)

    for name in names:
        visit(name)
    # Only the tables this run needs: frictionless checks each descriptor it is given.
    descriptor = {k: v for k, v in package.items() if k != "_base"}
    descriptor["resources"] = [
        as_frictionless(resources[n], base) for n in order if (base / resources[n]["path"]).exists()
    ]
    fl_package = Package(descriptor, basepath=str(base))

    frames: dict[str, pd.DataFrame] = {}
    invalid: set[str] = set()
    problems: list[Problem] = []
    for name in order:
        res = resources[name]
        path = base / res["path"]
        shown = relative(path)
        rule = None
        if name in table_rules:
            needs = table_rules[name][0]
            rule = table_rules[name][1](frames) if all(n in frames for n in needs) else None
        found: list[Problem]
        if not path.exists():
            found = [Problem(shown, None, None, "cannot read: the file does not exist")]
        elif not path.read_bytes().strip():
            found = [Problem(shown, None, None, "the file is empty (no header row)")]
        elif (utf8 := _utf8_problem(path, shown)) is not None:
            found = [utf8]
        else:
            checks = _checks(res, sources, rule, days)
            report = fl_package.get_resource(name).validate(
                checklist=Checklist(checks=checks), limit_errors=10_000
            )
            errs = report.tasks[0].errors if report.tasks else report.errors
            bad_refs = [r for r in references(res) if r in invalid]
            if bad_refs:
                errs = [
                    e
                    for e in errs
                    if not (e.type == "foreign-key" and e.reference_name in bad_refs)
                ]
            found = _problems(errs, res, shown)
            found += [
                Problem(
                    shown, None, None, f"cannot check references to {ref!r}: that table is invalid"
                )
                for ref in bad_refs
            ]
            if not found:
                frames[name] = checks[-1].frame()
        if found:
            invalid.add(name)
            if name in names:
                problems += found
    return {n: frames[n] for n in names if n in frames}, problems
