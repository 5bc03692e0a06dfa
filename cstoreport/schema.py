"""What the data package's schema makes of a table: how its cells are read and typed, and the
problems that stop a load.

`Problem` names file, row and field; `DataError` carries every problem found. Rows are
numbered as in the file: the header is row 1.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAX_LISTED_PROBLEMS = 25


class DataError(ValueError):
    """A data file is malformed or inconsistent; the message names file, row and field."""

    def __init__(self, problems: list[Problem]):
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


def as_frictionless(res: dict, base: Path) -> dict:
    """The resource as frictionless should read it: UTF-8, numbers as floats, booleans
    spelled only true/false (Table Schema would also accept 1, True, TRUE)."""
    desc = copy.deepcopy(res)
    desc["encoding"] = (
        "utf-8-sig" if (base / res["path"]).read_bytes()[:3] == b"\xef\xbb\xbf" else "utf-8"
    )
    for field in desc["schema"]["fields"]:
        if field.get("type") == "number":
            field["floatNumber"] = True
        elif field.get("type") == "boolean":
            field.setdefault("trueValues", ["true"])
            field.setdefault("falseValues", ["false"])
    return desc


def to_frame(rows: list[list], schema_fields: list[dict]) -> pd.DataFrame:
    """The typed rows of a table (in the schema's order) as a frame with the schema's types."""
    columns = [f["name"] for f in schema_fields]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    for f in schema_fields:
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
