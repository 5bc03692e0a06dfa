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


# A day known only as the day of the earliest report carries this mark; each page that shows one
# says once what it means, in exactly this line (tests/test_reader_text.py holds pages to it).
REPORT_DATE_MARK = "\u2020"
REPORT_DATE_LEGEND = (
    "\u2020 The day of the earliest report found: the source gives no day for the event itself, "
    "which may be earlier."
)

SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Format specifications of {glue:text} for a count in prose: zero to nine in words, larger
# numbers in digits as format "d" writes them ("w"; "W" capitalises, at a sentence's start).
COUNT_FORMATS = ("w", "W")


def count_words(value, spec: str = "w") -> str:
    """A count as prose writes it: 'three', 'Three' (spec 'W'), '12', '2036'."""
    number = int(value)
    if number != value or spec not in COUNT_FORMATS:
        raise ValueError(f"count_words: {value!r} with {spec!r} is not a count to write")
    words = SMALL_NUMBERS[number] if 0 <= number < len(SMALL_NUMBERS) else f"{number:d}"
    return words.capitalize() if spec == "W" else words


def long_date(day, precision: str = "day", basis: str = "event") -> str:
    """'13 September 2022', 'September 2022' or '2022', as precise as the source allows.

    A date that is only the day of the earliest report (`date_basis` 'reported') carries
    REPORT_DATE_MARK ('13 May 2021\u2020'), which REPORT_DATE_LEGEND explains.
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
