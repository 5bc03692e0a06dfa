"""Judge the article's claims against the report's data, so verdicts are recomputed every build.

Each ledger row names how it is checked. Rows checked from data carry a `check_key` (what to
compute) and a `rule` (how to compare it with the article's value); rows checked against an
external source carry the verdict a reviewer reached from that source, with its evidence.

Keys:
  trade:<column>:<ISO3>:<year>          trade_rank_all_lines:<ISO3>:<year>
  trade_multiple:<ISO3>:<year1>:<year2> date:<E|A|M id>      end_date:<E id>
  figure:<V id>                         figure_range:<E id>:<measure>:<side>
  months_between:<id>:<id>              days_between:<id>:<id>
  count:<name>                          lag:<request E id>:<lag column>
Rules: equal, round_to:<step>, rounded_down:<step>, at_least, almost:<pct>, within_pct:<pct>, same_day, same_month,
same_year, range_contains, range_exceeds.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cstoreport.analysis import chronology, membership, trade

VERDICTS = ("supported", "supported_with_nuance", "contradicted", "not_checkable")
DATA_METHODS = {"trade", "membership", "chronology"}
DAYS_PER_MONTH = 30.44


class ClaimKeyError(ValueError):
    """A ledger row names something the data do not have."""


@dataclass
class Data:
    annual_all: pd.DataFrame
    events: pd.DataFrame
    figures: pd.DataFrame
    steps: pd.DataFrame
    membership_events: pd.DataFrame
    lags: pd.DataFrame
    spells: pd.DataFrame


def _date_of(data: Data, ident: str) -> pd.Timestamp:
    tables = {"E": (data.events, "event_id"), "A": (data.steps, "step_id"),
              "M": (data.membership_events, "event_id")}
    if ident[:1] not in tables:
        raise ClaimKeyError(f"no dated table for id {ident!r}")
    table, column = tables[ident[:1]]
    rows = table[table[column] == ident]
    if rows.empty:
        raise ClaimKeyError(f"unknown id {ident!r}")
    return rows["date"].iloc[0]


def _count(data: Data, name: str) -> int:
    ev = data.membership_events[data.membership_events["preferred"]]
    by_type = {
        "signatories_1992": (ev["instrument"] == "CST_1992") & (ev["event_type"] == "signature"),
        "accessions_1993": (ev["instrument"] == "CST_1992") & (ev["event_type"] == "accession"),
        "renewed_1999": ev["event_type"] == "renewal_signed",
        "lapsed_1999": ev["event_type"] == "lapse",
        "charter_signatories_2002": ev["event_type"] == "charter_signature",
    }
    if name in by_type:
        return int(ev.loc[by_type[name], "state_iso3"].nunique())
    if name == "csto_members_now":
        per_year = membership.members_per_year(data.spells, membership.DATA_AS_OF.year,
                                               membership.DATA_AS_OF.year)
        return int(per_year["csto_members"].iloc[0])
    raise ClaimKeyError(f"unknown count {name!r}")


def resolve(data: Data, key: str):
    """The value a check key names: a number, a date, or a (low, high) range."""
    kind, *args = key.split(":")
    try:
        if kind == "trade":
            column, partner, year = args
            return trade.value(data.annual_all, partner, int(year), column)
        if kind == "trade_rank_all_lines":
            return trade.rank_among_all_lines(data.annual_all, args[0], int(args[1]))
        if kind == "trade_multiple":
            return trade.growth_multiple(data.annual_all, args[0], int(args[1]), int(args[2]))
        if kind == "date":
            return _date_of(data, args[0])
        if kind == "end_date":
            end = data.events.loc[data.events["event_id"] == args[0], "end_date"]
            if end.empty or pd.isna(end.iloc[0]):
                raise ClaimKeyError(f"{args[0]} has no end date")
            return end.iloc[0]
        if kind == "figure":
            rows = data.figures[data.figures["figure_id"] == args[0]]
            if rows.empty:
                raise ClaimKeyError(f"unknown figure {args[0]!r}")
            return float(rows["value"].iloc[0])
        if kind == "figure_range":
            event_id, measure, side = args
            spread = chronology.figure_spread(data.figures, data.events)
            rows = spread[(spread["event_id"] == event_id) & (spread["measure"] == measure)
                          & (spread["side"] == side)]
            if rows.empty:
                raise ClaimKeyError(f"no comparable figures for {key!r}")
            return (float(rows["min"].iloc[0]), float(rows["max"].iloc[0]))
        if kind in ("months_between", "days_between"):
            days = (_date_of(data, args[1]) - _date_of(data, args[0])).days
            return days / DAYS_PER_MONTH if kind == "months_between" else float(days)
        if kind == "count":
            return _count(data, args[0])
        if kind == "lag":
            rows = data.lags[data.lags["request_id"] == args[0]]
            if rows.empty or args[1] not in rows:
                raise ClaimKeyError(f"no lag {key!r}")
            value = rows[args[1]].iloc[0]
            return None if pd.isna(value) else float(value)
    except (KeyError, ValueError) as exc:
        if isinstance(exc, ClaimKeyError):
            raise
        raise ClaimKeyError(f"cannot resolve {key!r}: {exc}") from exc
    raise ClaimKeyError(f"unknown key kind {kind!r} in {key!r}")


def _join(ids) -> str:
    keys: list[str] = []
    for item in ids:
        for key in str(item).split(";"):
            if key and key not in keys:
                keys.append(key)
    return ";".join(keys)


def _sources_of_id(data: Data, ident: str) -> list[str]:
    tables = {"E": (data.events, "event_id", "source_ids"),
              "A": (data.steps, "step_id", "source_ids"),
              "M": (data.membership_events, "event_id", "source_ids"),
              "V": (data.figures, "figure_id", "source_id")}
    table, column, sources = tables[ident[:1]]
    return table.loc[table[column] == ident, sources].tolist()


def key_sources(data: Data, key: str) -> str:
    """The sources behind a computed value, for the verdicts table."""
    kind, *args = key.split(":")
    if kind.startswith("trade"):
        return trade.ARMSTAT_SOURCE
    if kind in ("date", "end_date", "figure"):
        return _join(_sources_of_id(data, args[0]))
    if kind in ("months_between", "days_between"):
        return _join(_sources_of_id(data, args[0]) + _sources_of_id(data, args[1]))
    if kind == "figure_range":
        comparable = chronology.comparable_figures(data.figures, data.events)
        rows = comparable[(comparable["event_id"] == args[0]) & (comparable["measure"] == args[1])
                          & (comparable["side"] == args[2])]
        return _join(rows["source_id"])
    if kind == "lag":
        return _join(data.lags.loc[data.lags["request_id"] == args[0], "source_ids"])
    if kind == "count":
        ev = data.membership_events[data.membership_events["preferred"]]
        types = {"signatories_1992": ["signature"], "accessions_1993": ["accession"],
                 "renewed_1999": ["renewal_signed"], "lapsed_1999": ["lapse"],
                 "charter_signatories_2002": ["charter_signature"],
                 "csto_members_now": ["charter_entry_into_force"]}[args[0]]
        return _join(ev.loc[ev["event_type"].isin(types), "source_ids"])
    return ""


def _article_date(text: str) -> tuple[pd.Timestamp, str]:
    parts = str(text).split("-")
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    padded = "-".join(parts + ["01"] * (3 - len(parts)))
    return pd.Timestamp(padded), precision


def applies(rule: str, article: str, value) -> bool:
    """Does the computed value bear the article's value out under the rule?"""
    name, _, param = rule.partition(":")
    if value is None:
        return False
    if name in ("same_day", "same_month", "same_year"):
        claimed, _ = _article_date(article)
        if name == "same_day":
            return value.normalize() == claimed
        if name == "same_month":
            return (value.year, value.month) == (claimed.year, claimed.month)
        return value.year == claimed.year
    if name == "equal" and isinstance(value, pd.Timestamp):
        return value == _article_date(article)[0]
    claimed = float(article)
    if name == "range_contains":
        return value[0] <= claimed <= value[1]
    if name == "range_exceeds":
        return value[1] > claimed
    if name == "equal":
        return float(value) == claimed
    if name == "round_to":
        return abs(float(value) - claimed) <= float(param) / 2 + 1e-9
    if name == "rounded_down":  # the article truncates: 3.377 given as "3.3"
        return claimed <= float(value) < claimed + float(param) - 1e-9
    if name == "at_least":
        return float(value) >= claimed
    if name == "almost":
        return claimed * (1 - float(param) / 100) <= float(value) <= claimed
    if name == "within_pct":
        return abs(float(value) - claimed) <= abs(claimed) * float(param) / 100
    raise ClaimKeyError(f"unknown rule {rule!r}")


def show(value) -> str:
    """The computed value as the ledger displays it."""
    if value is None:
        return "none"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, tuple):
        return f"{value[0]:,.10g}–{value[1]:,.10g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def judge(ledger: pd.DataFrame, data: Data) -> pd.DataFrame:
    """One verdict per claim, with the reconstructed value and the evidence behind it."""
    rows = []
    for c in ledger.itertuples():
        if c.check_method in DATA_METHODS:
            try:
                value = resolve(data, c.check_key)
            except ClaimKeyError as exc:
                raise ClaimKeyError(f"data/claims_ledger.csv, claim {c.claim_id}, field "
                                    f"'check_key': {exc}") from exc
            holds = applies(c.rule, c.article_value, value)
            if holds:
                verdict = "supported_with_nuance" if pd.notna(c.nuance) else "supported"
            else:
                verdict = "contradicted"
            evidence = (f"{c.check_key} = {show(value)} ({c.rule})"
                        + (f"; {c.nuance}" if pd.notna(c.nuance) else ""))
            reconstructed = show(value)
            sources = _join([c.source_ids, key_sources(data, c.check_key)]
                            if pd.notna(c.source_ids) else [key_sources(data, c.check_key)])
        else:
            verdict = c.external_verdict
            evidence = c.evidence
            reconstructed = c.external_value if pd.notna(c.external_value) else ""
            sources = c.source_ids if pd.notna(c.source_ids) else ""
        rows.append({"claim_id": c.claim_id, "section": c.section, "kind": c.kind,
                     "claim": c.claim, "article_value": c.article_value,
                     "reconstructed_value": reconstructed, "verdict": verdict,
                     "evidence": evidence, "source_ids": sources})
    return pd.DataFrame(rows)


def ledger_problems(ledger: pd.DataFrame, path: str = "data/claims_ledger.csv") -> list:
    """Rules the Table Schema cannot express: what each kind of row must fill in."""
    from cstoreport.build.validate import Problem
    problems = []
    for i, c in enumerate(ledger.itertuples()):
        row = i + 2
        if c.check_method in DATA_METHODS:
            for field in ("check_key", "rule"):
                if pd.isna(getattr(c, field)):
                    problems.append(Problem(path, row, field,
                                            f"a {c.check_method}-checked claim needs a {field}"))
        else:
            for field in ("external_verdict", "evidence"):
                if pd.isna(getattr(c, field)):
                    problems.append(Problem(path, row, field,
                                            f"a claim checked by '{c.check_method}' needs {field}"))
            if c.external_verdict != "not_checkable" and pd.isna(c.source_ids):
                problems.append(Problem(path, row, "source_ids",
                                        "a verdict from an external source must cite it"))
    return problems
