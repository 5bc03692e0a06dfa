"""Source ids: every row names the keys of book/references.bib it rests on, joined by ";"."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def merge_source_ids(groups: Iterable) -> str:
    """One `source_ids` value from several: each key once, in the order first seen.

    Each group is a value as stored in a table ("key1;key2") or a single key; missing values
    (None, NaN, <NA>) and empty strings are skipped.
    """
    keys: list[str] = []
    for group in groups:
        if group is None or (not isinstance(group, str) and pd.isna(group)):
            continue
        for key in str(group).split(";"):
            if key and key not in keys:
                keys.append(key)
    return ";".join(keys)
