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


def type_label(source_type: str, state, names: dict[str, str] | None = None) -> str:
    """'state-owned media (RUS)', 'official statement (ARM)', 'news agency'; with `names`
    (code to name), 'state-owned media (Russia)'."""
    label = str(source_type).replace("state_owned", "state-owned").replace("_", " ")
    if not (isinstance(state, str) and state):
        return label
    return f"{label} ({(names or {}).get(state, state)})"


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


def opinion_lines(series: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    """One row per line of the opinion figure, wave and question format: the shares of the
    answers the line adds up (data/opinion_series.csv says which).

    `series` is `opinion_series(public_opinion)`. A wave that lacks one of a line's answers is
    an error, as is a line with no results.
    """
    rows = []
    for d in definitions.sort_values(["panel", "series_id"]).itertuples():
        answers = [a.strip() for a in d.answers.split(";")]
        picked = series[
            (series["survey"] == d.survey)
            & (series["measure"] == d.measure)
            & (series["subject"] == d.subject)
            & series["answer"].isin(answers)
        ]
        if picked.empty:
            raise ValueError(f"opinion_series {d.series_id}: no poll results for it")
        for (wave, fmt), wave_rows in picked.groupby(["wave", "format_id"], sort=True):
            missing = set(answers) - set(wave_rows["answer"])
            if missing:
                raise ValueError(
                    f"opinion_series {d.series_id}: wave {wave} lacks {sorted(missing)}"
                )
            rows.append(
                {
                    "series_id": d.series_id,
                    "panel": d.panel,
                    "panel_title": d.panel_title,
                    "label": d.label,
                    "survey": d.survey,
                    "wave": wave,
                    "format_id": fmt,
                    "plot_date": wave_rows["plot_date"].min(),
                    "value_pct": round(float(wave_rows["value_pct"].sum()), 1),
                    "poll_ids": ";".join(sorted(wave_rows["poll_id"])),
                }
            )
    return pd.DataFrame(rows).sort_values(["panel", "series_id", "plot_date"], ignore_index=True)


def format_runs(line: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive waves of one line that share a question format: the only pieces a line may
    join; a change of format breaks it."""
    line = line.sort_values("plot_date")
    breaks = (line["format_id"] != line["format_id"].shift()).cumsum()
    return [part for _, part in line.groupby(breaks, sort=True)]


def latest_wave(lines: pd.DataFrame, series_id: str) -> pd.Series:
    """The newest wave of one line of opinion_lines."""
    return lines[lines["series_id"] == series_id].sort_values("plot_date").iloc[-1]


# --- the events sweep: what the search log covered, month by month ------------------------


def month_range(first: str, last: str) -> list[pd.Period]:
    """The months from `first` to `last` (YYYY-MM), both included."""
    return list(pd.period_range(pd.Period(first, "M"), pd.Period(last, "M"), freq="M"))


def sweep_coverage(log: pd.DataFrame, dated: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """One row per month of the sweep: how many logged queries were aimed at it and which
    recorded rows are dated in it.

    `log` is the search log (month_from and month_to as YYYY-MM); `dated` has one row per
    recorded event, its id in `record` and its `date`. A month without a dated record is one in
    which the sweep found nothing in scope, however many queries were aimed at it.
    """
    spans = [
        (pd.Period(a, "M"), pd.Period(b, "M"))
        for a, b in zip(log["month_from"], log["month_to"], strict=True)
    ]
    months_of = dated["date"].dt.to_period("M")
    rows = []
    for month in month_range(first, last):
        rows.append(
            {
                "month": month,
                "queries": sum(a <= month <= b for a, b in spans),
                "records": sorted(dated.loc[months_of == month, "record"]),
            }
        )
    return pd.DataFrame(rows, columns=["month", "queries", "records"])


def month_list_phrase(months: list[pd.Period]) -> str:
    """'April and June to December 2026': runs of consecutive months joined into ranges; the
    year is written once at the end when all the months fall in one year."""
    if not months:
        return "no month"
    months = sorted(months)
    runs = [[months[0], months[0]]]
    for month in months[1:]:
        if month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    one_year = len({m.year for m in months}) == 1

    def name(month: pd.Period) -> str:
        return f"{month:%B}" if one_year else f"{month:%B %Y}"

    parts = [name(a) if a == b else f"{name(a)} to {name(b)}" for a, b in runs]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{text} {months[-1].year}" if one_year else text
