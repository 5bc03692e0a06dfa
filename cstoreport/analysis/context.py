"""Context chapter: source types, public-opinion series and the report's cut-off dates."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from cstoreport.paths import BIB_PATH, relative
from cstoreport.tables import DataError, Problem


def url_domain(url: str) -> str:
    """The host of a URL in lower case, without 'www.' and without a trailing dot."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def bib_urls(bib_path: Path = BIB_PATH) -> pd.DataFrame:
    """Every bibliography entry with its URL, sorted by key."""
    from pybtex.database import parse_file

    bib = parse_file(str(bib_path), bib_format="bibtex")
    rows = [{"source_id": key, "url": entry.fields["url"]} for key, entry in bib.entries.items()]
    return pd.DataFrame(rows).sort_values("source_id", ignore_index=True)


def source_types(
    urls: pd.DataFrame, publishers: pd.DataFrame, bib_path: Path = BIB_PATH
) -> pd.DataFrame:
    """Type each bibliography entry by the domain of its URL.

    A domain missing from source_publishers stops here with the entry named, so a new source
    cannot reach the book without a type.
    """
    typed = urls.assign(domain=urls["url"].map(url_domain)).merge(
        publishers[["domain", "source_type", "state"]], on="domain", how="left"
    )
    untyped = typed[typed["source_type"].isna()]
    if len(untyped):
        raise DataError(
            [
                Problem(
                    relative(bib_path),
                    None,
                    "url",
                    f"entry {r.source_id!r}: domain {r.domain!r} is not in "
                    "data/source_publishers.csv",
                )
                for r in untyped.itertuples()
            ]
        )
    typed["source_ids"] = typed["source_id"]
    return typed[["source_id", "domain", "source_type", "state", "source_ids"]]


def with_source_types(figures: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """Add the type (and state) of each figure's source: who reports a contested number."""
    out = figures.merge(types[["source_id", "source_type", "state"]], on="source_id", how="left")
    return out.sort_values(list(figures.columns[:1]), ignore_index=True)


def type_label(source_type: str, state) -> str:
    """'state-owned media (RUS)', 'official statement (ARM)', 'news agency'."""
    label = str(source_type).replace("state_owned", "state-owned").replace("_", " ")
    return f"{label} ({state})" if isinstance(state, str) and state else label


def cite(source_ids: str) -> str:
    """A table cell citing its sources (keys joined by ";") as the text does, author and year."""
    return "{cite:p}`" + ",".join(k.strip() for k in str(source_ids).split(";")) + "`"


def opinion_series(opinion: pd.DataFrame) -> pd.DataFrame:
    """Preferred poll results with a plotting date: the middle of the fieldwork period.

    Where only a year is known the middle of that year is used, where only a month its 15th.
    """
    kept = opinion[opinion["preferred"].astype(bool)].copy()

    def midpoint(row) -> pd.Timestamp:
        start = row["fieldwork_start"]
        if row["fieldwork_precision"] == "year":
            return start + pd.Timedelta(days=181)
        end = row["fieldwork_end"] if pd.notna(row["fieldwork_end"]) else start
        if row["fieldwork_precision"] == "month":
            end = end + pd.offsets.MonthEnd(0)
        return start + (end - start) / 2

    kept["plot_date"] = kept.apply(midpoint, axis=1).dt.normalize()
    return kept.sort_values(["survey", "measure", "subject", "plot_date"], ignore_index=True)


def newest_record(
    tables: dict[str, tuple[pd.DataFrame, str, str]],
) -> tuple[pd.Timestamp, str, str]:
    """(date, table, row id) of the newest dated record among the tables given.

    tables maps a table name to (frame, id column, date column).
    """
    best = None
    for name, (frame, id_column, date_column) in sorted(tables.items()):
        dated = frame.dropna(subset=[date_column])
        if dated.empty:
            continue
        row = dated.sort_values([date_column, id_column]).iloc[-1]
        candidate = (row[date_column], name, str(row[id_column]))
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None:
        raise ValueError("no dated records in the tables given")
    return best
