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


def long_date(day, precision: str = "day") -> str:
    """'13 September 2022', 'September 2022' or '2022', as precise as the source allows."""
    day = pd.Timestamp(day)
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def glue_date(name: str, day, precision: str = "day") -> None:
    glue_text(name, long_date(day, precision))
