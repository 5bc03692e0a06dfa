"""Glue values for the book's prose with explicit formats, so pages never type a number."""

from __future__ import annotations

import numpy as np
import pandas as pd
from myst_nb import glue


def glue_number(name: str, value) -> None:
    """Numbers go in as plain int/float (a numpy scalar would print as np.float64(...))."""
    plain = int(value) if isinstance(value, (int, np.integer)) else float(value)
    glue(name, plain, display=False)


def glue_text(name: str, text: str) -> None:
    """Text is placed with {glue:text}`path::key:s` (the role strips the quotes of a str)."""
    glue(name, str(text), display=False)


REPORT_DATE_MARK = " (date of report)"


def long_date(day, precision: str = "day", basis: str = "event") -> str:
    """'13 September 2022', 'September 2022' or '2022', as precise as the source allows.

    A date that is only the day of the earliest report (`date_basis` 'reported') says so.
    """
    day = pd.Timestamp(day)
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B} {day.year}"
    mark = REPORT_DATE_MARK if basis == "reported" else ""
    return f"{day.day} {day:%B} {day.year}{mark}"


def glue_date(name: str, day, precision: str = "day", basis: str = "event") -> None:
    glue_text(name, long_date(day, precision, basis))
