"""Judge the article's claims by one rule book, so that verdicts are recomputed on every build.

The rule book is `data/claim_rules.csv`: for each kind of wording ("about", "nearly", "N months
after", "continues to grow", "second-largest", ...) it says when a claim holds, when it holds
only with a nuance, and when it fails. Every ledger row names its rule.

A row is checked in one of three ways:
- from the report's data: `check_key` names what to compute and the rule compares it with the
  article's value (check methods trade, membership, chronology, indicators);
- from a figure a cited source gives (`source_figure`): the rule compares that figure with the
  article's value, so this verdict is recomputed too;
- by reading the cited sources (rule `attribution`): the verdict is the reviewer's, and the row
  must carry the sources, what they say (`source_says`) and where (`source_where`).

Check keys (several keys joined by "|" give a tuple, judged together):
  trade:<column>:<ISO3>:<year>            trade_rank:<ISO3>:<year> (partner countries only)
  trade_rank_all_lines:<ISO3>:<year>      trade_multiple:<ISO3>:<year1>:<year2>
  trade_change:<ISO3>:<year1>:<year2>[:<months>]   per cent; January to <months> if given
  date:<E|A|M id>   end_date:<E id>       figure:<V id>    figure_range:<E id>:<measure>:<side>
  figure_bounds:<low>:<high>   each a V id or one less another ("V088_minus_V027"): (low, high)
  months_between:<id>:<id>   years_between:<id>:<id>   days_spanned:<id>:<id>
  count:<name>      lag:<request E id>:<lag column>
  member_rank:<indicator>:<ISO3>:<year>   indicator_latest:<indicator>:<ISO3>:<year>
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, fields

import pandas as pd

from cstoreport.analysis import chronology, claim_review, membership, trade
from cstoreport.analysis.sources import merge_source_ids

VERDICTS = ("supported", "supported_with_nuance", "contradicted", "not_checkable")
OUTCOMES = ("holds", "holds_with_nuance", "fails")


def holding_verdicts(verdicts: pd.DataFrame) -> frozenset:
    """The verdicts that count as holding (data/verdicts.csv, column holds)."""
    return frozenset(verdicts.loc[verdicts["holds"].astype(bool), "verdict"])


DATA_METHODS = {"trade", "membership", "chronology", "indicators"}
MATERIALITY = ("none", "minor", "misframing", "material")
DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25
FLAT_BAND_PCT = 2.0  # a change smaller than this, either way, is neither growth nor decline
DEFAULT_TOLERANCE = {"about": 10.0, "nearly": 5.0}
CSTO_MEMBERS = ["ARM", *trade.MEMBERS]
NEAREST_YEAR_GAP = 1  # a member without a figure for the year is ranked on an adjacent year
MAX_QUOTE_WORDS = 25


class Several(tuple):
    """Values of several keys joined by '|', judged together (unlike a (low, high) range)."""


class ClaimKeyError(ValueError):
    """A ledger row names something the data do not have."""


@dataclass
class Data:
    annual_all: pd.DataFrame  # data/derived/trade_annual_by_partner.csv
    monthly: pd.DataFrame  # data/derived/trade_monthly_members.csv
    events: pd.DataFrame
    figures: pd.DataFrame
    steps: pd.DataFrame
    membership_events: pd.DataFrame
    lags: pd.DataFrame  # data/derived/response_lags.csv
    spells: pd.DataFrame  # data/derived/membership_spells.csv
    indicators: pd.DataFrame  # data/public_indicators.csv
    energy: pd.DataFrame  # data/energy_infrastructure.csv


# --- what a key names -------------------------------------------------------------------------


def _date_of(data: Data, ident: str) -> pd.Timestamp:
    tables = {
        "E": (data.events, "event_id"),
        "A": (data.steps, "step_id"),
        "M": (data.membership_events, "event_id"),
    }
    if ident[:1] not in tables:
        raise ClaimKeyError(f"no dated table for id {ident!r}")
    table, column = tables[ident[:1]]
    rows = table[table[column] == ident]
    if rows.empty:
        raise ClaimKeyError(f"unknown id {ident!r}")
    return pd.Timestamp(rows["date"].iloc[0])


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
        per_year = membership.members_per_year(
            data.spells, membership.DATA_AS_OF.year, membership.DATA_AS_OF.year
        )
        return int(per_year["csto_members"].iloc[0])
    raise ClaimKeyError(f"unknown count {name!r}")


def trade_change_pct(
    monthly: pd.DataFrame, partner: str, start: int, end: int, months: int | None = None
) -> float:
    """Per cent change of turnover (exports plus imports by origin) from one year to another,
    over January to `months` of each year when given (what was published at a given time)."""
    rows = monthly[monthly["partner_iso3"] == partner]
    if months is not None:
        rows = rows[rows["month"] <= months]
    turnover = (rows["exports"] + rows["imports_origin"]).groupby(rows["year"]).sum()
    if start not in turnover or end not in turnover:
        raise ClaimKeyError(f"no trade with {partner} in {start} or {end}")
    return float(100 * (turnover[end] / turnover[start] - 1))


def indicator_values(indicators: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """One figure per member for an indicator and year: reported directly, or military spending
    computed as its reported share of GDP times GDP; a member without a figure that year takes
    its figure from the nearest year at most NEAREST_YEAR_GAP away (flagged in `year_used`)."""

    def direct(ind: str) -> pd.DataFrame:
        return indicators[indicators["indicator"] == ind][
            ["state_iso3", "year", "value", "source_id"]
        ]

    table = direct(indicator)
    if indicator == "milex_usd_m":
        share = direct("milex_pct_gdp").merge(
            direct("gdp_usd_m"), on=["state_iso3", "year"], suffixes=("_pct", "_gdp")
        )
        share = pd.DataFrame(
            {
                "state_iso3": share["state_iso3"],
                "year": share["year"],
                "value": share["value_pct"] / 100 * share["value_gdp"],
                "source_id": share["source_id_pct"] + ";" + share["source_id_gdp"],
            }
        )
        have = set(zip(table["state_iso3"], table["year"], strict=False))
        share = share[
            [(s, y) not in have for s, y in zip(share["state_iso3"], share["year"], strict=False)]
        ]
        table = pd.concat([table, share], ignore_index=True)
    # Each member's nearest year, in one pass (the sort is stable: ties keep the table's order).
    near = table.assign(gap=(table["year"] - year).abs())
    near = near[near["gap"] <= NEAREST_YEAR_GAP].sort_values(["gap", "year"])
    best = near.groupby("state_iso3").head(1).set_index("state_iso3")
    rows = [
        {
            "state_iso3": state,
            "year_used": int(best.at[state, "year"]),
            "value": float(best.at[state, "value"]),
            "source_id": best.at[state, "source_id"],
        }
        for state in CSTO_MEMBERS
        if state in best.index
    ]
    return pd.DataFrame(rows, columns=["state_iso3", "year_used", "value", "source_id"])


def member_rank(indicators: pd.DataFrame, indicator: str, state: str, year: int) -> int:
    values = indicator_values(indicators, indicator, year)
    if state not in set(values["state_iso3"]):
        raise ClaimKeyError(f"no {indicator} for {state} around {year}")
    ranks = values.set_index("state_iso3")["value"].rank(ascending=False, method="min")
    return int(ranks.loc[state])


def _shares(data: Data, indicator: str, state: str) -> pd.DataFrame:
    """Figures for one state: the report's indicators table plus, for the nuclear share, the
    energy table's sourced shares."""
    own = data.indicators[
        (data.indicators["indicator"] == indicator) & (data.indicators["state_iso3"] == state)
    ][["year", "value", "source_id"]]
    if indicator == "nuclear_share_pct" and state == "ARM":
        energy = data.energy[(data.energy["topic"] == "nuclear") & (data.energy["unit"] == "pct")]
        own = pd.concat(
            [
                own,
                energy.rename(columns={"source_ids": "source_id"})[["year", "value", "source_id"]],
            ],
            ignore_index=True,
        )
    return own.dropna(subset=["value"])


def _trade(data: Data, key: str, column, partner, year):
    return trade.value(data.annual_all, partner, int(year), column)


def _trade_rank(data: Data, key: str, partner, year):
    rows = data.annual_all[
        (data.annual_all["partner_iso3"] == partner) & (data.annual_all["year"] == int(year))
    ]
    if rows.empty:
        raise ClaimKeyError(f"no rank for {partner} in {year}")
    return float(rows["rank_among_partners"].iloc[0])


def _trade_rank_all_lines(data: Data, key: str, partner, year):
    return float(trade.rank_among_all_lines(data.annual_all, partner, int(year)))


def _trade_multiple(data: Data, key: str, partner, first, last):
    return trade.growth_multiple(data.annual_all, partner, int(first), int(last))


def _trade_change(data: Data, key: str, partner, first, last, *months):
    return trade_change_pct(
        data.monthly, partner, int(first), int(last), int(months[0]) if months else None
    )


def _date(data: Data, key: str, event_id):
    return _date_of(data, event_id)


def _end_date(data: Data, key: str, event_id):
    end = data.events.loc[data.events["event_id"] == event_id, "end_date"]
    if end.empty or pd.isna(end.iloc[0]):
        raise ClaimKeyError(f"{event_id} has no end date")
    return pd.Timestamp(end.iloc[0])


def _figure(data: Data, key: str, figure_id):
    rows = data.figures[data.figures["figure_id"] == figure_id]
    if rows.empty:
        raise ClaimKeyError(f"unknown figure {figure_id!r}")
    return float(rows["value"].iloc[0])


def _figure_range(data: Data, key: str, event_id, measure, side):
    spread = chronology.figure_spread(data.figures, data.events)
    rows = spread[
        (spread["event_id"] == event_id) & (spread["measure"] == measure) & (spread["side"] == side)
    ]
    if rows.empty:
        raise ClaimKeyError(f"no comparable figures for {key!r}")
    return (float(rows["min"].iloc[0]), float(rows["max"].iloc[0]))


def _figure_bounds(data: Data, key: str, low, high):
    return (
        chronology.figure_expression(data.figures, low),
        chronology.figure_expression(data.figures, high),
    )


def _dates_between(data: Data, first_id, last_id):
    first, last = _date_of(data, first_id), _date_of(data, last_id)
    return first, last, (last - first).days


def _months_between(data: Data, key: str, first_id, last_id):
    return _dates_between(data, first_id, last_id)[2] / DAYS_PER_MONTH


def _years_between(data: Data, key: str, first_id, last_id):
    first, last, days = _dates_between(data, first_id, last_id)
    return {"years": days / DAYS_PER_YEAR, "calendar_years": last.year - first.year}


def _days_spanned(data: Data, key: str, first_id, last_id):
    return float(_dates_between(data, first_id, last_id)[2] + 1)


def _count_of(data: Data, key: str, what):
    return _count(data, what)


def _lag(data: Data, key: str, request_id, column):
    rows = data.lags[data.lags["request_id"] == request_id]
    if rows.empty or column not in rows:
        raise ClaimKeyError(f"no lag {key!r}")
    value = rows[column].iloc[0]
    return None if pd.isna(value) else float(value)


def _member_rank(data: Data, key: str, indicator, state, year):
    return float(member_rank(data.indicators, indicator, state, int(year)))


def _indicator_latest(data: Data, key: str, indicator, state, year):
    rows = _shares(data, indicator, state)
    rows = rows[rows["year"] <= int(year)].sort_values(["year", "value"])
    if rows.empty:
        raise ClaimKeyError(f"no {indicator} for {state} up to {year}")
    latest = rows[rows["year"] == rows["year"].max()]
    return float(latest["value"].mean())


# Each kind of check key and the function that computes its value from the key's parts.
KEY_KINDS = {
    "trade": _trade,
    "trade_rank": _trade_rank,
    "trade_rank_all_lines": _trade_rank_all_lines,
    "trade_multiple": _trade_multiple,
    "trade_change": _trade_change,
    "date": _date,
    "end_date": _end_date,
    "figure": _figure,
    "figure_range": _figure_range,
    "figure_bounds": _figure_bounds,
    "months_between": _months_between,
    "years_between": _years_between,
    "days_spanned": _days_spanned,
    "count": _count_of,
    "lag": _lag,
    "member_rank": _member_rank,
    "indicator_latest": _indicator_latest,
}


def _resolve_one(data: Data, key: str):
    kind, *args = key.split(":")
    if kind not in KEY_KINDS:
        raise ClaimKeyError(f"unknown key kind {kind!r} in {key!r}")
    compute = KEY_KINDS[kind]
    try:
        inspect.signature(compute).bind(data, key, *args)
    except TypeError as exc:  # too few or too many parts for the kind
        raise ValueError(f"{kind!r} takes other parts: {exc}") from exc
    return compute(data, key, *args)


def resolve(data: Data, key: str):
    """The value a check key names: a number, a date, a (low, high) range, or a tuple of values
    when several keys are joined by '|'."""
    try:
        parts = [_resolve_one(data, k) for k in key.split("|")]
    except ClaimKeyError:
        raise
    except (KeyError, ValueError, IndexError) as exc:
        raise ClaimKeyError(f"cannot resolve {key!r}: {exc}") from exc
    return parts[0] if len(parts) == 1 else Several(parts)


def _sources_of_id(data: Data, ident: str) -> list[str]:
    tables = {
        "E": (data.events, "event_id", "source_ids"),
        "A": (data.steps, "step_id", "source_ids"),
        "M": (data.membership_events, "event_id", "source_ids"),
        "V": (data.figures, "figure_id", "source_id"),
    }
    table, column, sources = tables[ident[:1]]
    return table.loc[table[column] == ident, sources].tolist()


def _key_sources_one(data: Data, key: str) -> str:
    kind, *args = key.split(":")
    if kind.startswith("trade"):
        return trade.ARMSTAT_SOURCE
    if kind in ("date", "end_date", "figure"):
        return merge_source_ids(_sources_of_id(data, args[0]))
    if kind in ("months_between", "years_between", "days_spanned"):
        return merge_source_ids(_sources_of_id(data, args[0]) + _sources_of_id(data, args[1]))
    if kind == "figure_range":
        comparable = chronology.comparable_figures(data.figures, data.events)
        rows = comparable[
            (comparable["event_id"] == args[0])
            & (comparable["measure"] == args[1])
            & (comparable["side"] == args[2])
        ]
        return merge_source_ids(rows["source_id"])
    if kind == "figure_bounds":
        ids = [ident for arg in args for ident in chronology.figure_ids(arg)]
        return merge_source_ids(s for ident in ids for s in _sources_of_id(data, ident))
    if kind == "lag":
        return merge_source_ids(data.lags.loc[data.lags["request_id"] == args[0], "source_ids"])
    if kind == "count":
        ev = data.membership_events[data.membership_events["preferred"]]
        types = {
            "signatories_1992": ["signature"],
            "accessions_1993": ["accession"],
            "renewed_1999": ["renewal_signed"],
            "lapsed_1999": ["lapse"],
            "charter_signatories_2002": ["charter_signature"],
            "csto_members_now": ["charter_entry_into_force"],
        }[args[0]]
        return merge_source_ids(ev.loc[ev["event_type"].isin(types), "source_ids"])
    if kind == "member_rank":
        return merge_source_ids(
            indicator_values(data.indicators, args[0], int(args[2]))["source_id"]
        )
    if kind == "indicator_latest":
        return merge_source_ids(_shares(data, args[0], args[1])["source_id"])
    return ""


def key_sources(data: Data, key: str) -> str:
    """The sources behind a computed value, for the verdicts table."""
    return merge_source_ids(_key_sources_one(data, k) for k in key.split("|"))


# The Data field each kind of id is looked up in (E, A, M: dated rows; V: reported figures).
ID_FIELDS = {"E": "events", "A": "steps", "M": "membership_events", "V": "figures"}


def fields_read(key: str) -> set[str]:
    """The Data fields a check key's value and its sources are computed from: a claim's verdict
    can change only when one of them does. A kind or id not listed here reads every field."""
    every = {f.name for f in fields(Data)}
    read: set[str] = set()
    for one in key.split("|"):
        kind, *args = one.split(":")
        if kind in ("trade", "trade_rank", "trade_rank_all_lines", "trade_multiple"):
            read.add("annual_all")
        elif kind == "trade_change":
            read.add("monthly")
        elif kind in (
            "date",
            "end_date",
            "figure",
            "months_between",
            "years_between",
            "days_spanned",
        ):
            if not all(ident[:1] in ID_FIELDS for ident in args):
                return every
            read.update(ID_FIELDS[ident[:1]] for ident in args)
        elif kind == "figure_range":
            read.update({"figures", "events"})
        elif kind == "figure_bounds":
            read.add("figures")
        elif kind == "count":
            read.update({"membership_events", "spells"})
        elif kind == "lag":
            read.add("lags")
        elif kind == "member_rank":
            read.add("indicators")
        elif kind == "indicator_latest":
            read.update({"indicators", "energy"})
        else:
            return every
    return read


# --- what a key computes, in words -------------------------------------------------------------

TRADE_COLUMNS = {
    "turnover_usd_m": "goods turnover (exports plus imports)",
    "exports_usd_m": "exports",
    "imports_usd_m": "imports by country of origin",
    "imports_consignment_usd_m": "imports by country of consignment",
    "turnover_consignment_usd_m": "goods turnover on the consignment basis",
    "balance_usd_m": "trade balance",
    "share_of_total_pct": "share of Armenia's goods turnover",
}
DATED_TABLES = {
    "E": "the incident chronology",
    "A": "the table of Armenia's steps",
    "M": "the membership events",
}
COUNTS = {
    "signatories_1992": "the states that signed the Treaty in 1992",
    "accessions_1993": "the states that acceded to the Treaty in 1993",
    "renewed_1999": "the states that signed the 1999 protocol extending the Treaty",
    "lapsed_1999": "the states whose membership lapsed in 1999",
    "charter_signatories_2002": "the states that signed the Charter in 2002",
    "csto_members_now": "the Organization's members at the data's cut-off",
}
INDICATORS = {
    "gdp_usd_m": "GDP",
    "milex_usd_m": "military spending",
    "nuclear_share_pct": "nuclear power's share of electricity generation",
}
LAGS = {
    "lag_to_response_days": "first response",
    "lag_to_decision_days": "first decision",
    "lag_to_deployment_days": "first deployment",
}


def _describe_one(key: str, names: dict[str, str]) -> str:
    kind, *args = key.split(":")
    name = lambda code: names.get(code, code)  # noqa: E731
    if kind == "trade":
        column, partner, year = args
        return f"Armenia's {TRADE_COLUMNS.get(column, column)} with {name(partner)} in {year}"
    if kind in ("trade_rank", "trade_rank_all_lines"):
        among = (
            "every line of Armstat's table"
            if kind == "trade_rank_all_lines"
            else "Armenia's partner countries"
        )
        return f"{name(args[0])}'s rank among {among} in {args[1]}"
    if kind == "trade_multiple":
        return (
            f"how many times Armenia's goods turnover with {name(args[0])} in {args[2]} "
            f"was that of {args[1]}"
        )
    if kind == "trade_change":
        months = f", January to {pd.Timestamp(2000, int(args[3]), 1):%B}" if len(args) > 3 else ""
        return (
            f"the change in Armenia's goods turnover with {name(args[0])} from {args[1]} "
            f"to {args[2]}{months}, per cent"
        )
    if kind in ("date", "end_date"):
        which = "last day" if kind == "end_date" else "date"
        return f"the {which} of the event in {DATED_TABLES.get(args[0][:1], 'the data')}"
    if kind == "figure":
        return "the figure a source gives for the event"
    if kind == "figure_bounds":
        return (
            "a lower and an upper bound from the figures the sources give "
            "(a figure, or one figure less another)"
        )
    if kind == "figure_range":
        measure = args[1].replace("_", " ")
        return (
            f"the lowest and the highest comparable figure the sources give for {measure} "
            f"on {name(args[2])}'s side"
        )
    if kind in ("months_between", "years_between", "days_spanned"):
        what = {
            "months_between": "the months between",
            "years_between": "the years between",
            "days_spanned": "the calendar days spanned by",
        }[kind]
        return f"{what} two dated events in {DATED_TABLES.get(args[0][:1], 'the data')}"
    if kind == "count":
        return f"the number of {COUNTS.get(args[0], args[0].replace('_', ' '))}"
    if kind == "lag":
        return f"the days from the request to the {LAGS.get(args[1], 'response')}"
    if kind == "member_rank":
        indicator, state, year = args
        return (
            f"{name(state)}'s rank among the members by "
            f"{INDICATORS.get(indicator, indicator)} in {year}"
        )
    if kind == "indicator_latest":
        indicator, state, year = args
        return (
            f"the latest figure for {INDICATORS.get(indicator, indicator)} in {name(state)} "
            f"up to {year}"
        )
    raise ClaimKeyError(f"unknown key kind {kind!r} in {key!r}")


def describe_check(key: str, names: dict[str, str]) -> str:
    """What a check key computes, as a reader would say it ('Armenia's goods turnover with
    Russia in 2023'); the key itself stays on the notebook page. `names`: ISO code -> name."""
    return "; ".join(_describe_one(k, names) for k in key.split("|"))


# --- the rule book ----------------------------------------------------------------------------


def _article_date(text: str) -> pd.Timestamp:
    parts = str(text).split("-")
    return pd.Timestamp("-".join(parts + ["01"] * (3 - len(parts))))


def _numbers(value) -> list[float]:
    return [float(v) for v in value] if isinstance(value, tuple) else [float(value)]


def _same(part: str):
    def rule(article: str, value, param: str) -> str:
        claimed, value = _article_date(article), pd.Timestamp(value)
        same = {
            "same_day": lambda: value.normalize() == claimed,
            "same_month": lambda: (value.year, value.month) == (claimed.year, claimed.month),
            "same_year": lambda: value.year == claimed.year,
        }[part]()
        return "holds" if same else "fails"

    return rule


def _attribution(article: str, value, param: str) -> str:
    raise ClaimKeyError("an attribution is judged by reading the sources, not computed")


def _years_after(article: str, value, param: str) -> str:
    claimed = float(article)
    if round(value["years"]) == claimed:
        return "holds"
    return "holds_with_nuance" if value["calendar_years"] == claimed else "fails"


def _range_exceeds(article: str, value, param: str) -> str:
    claimed, (low, high) = float(article), value
    return "holds" if low > claimed else "holds_with_nuance" if high > claimed else "fails"


def _range_contains(article: str, value, param: str) -> str:
    claimed = float(article)
    return "holds" if value[0] <= claimed <= value[1] else "fails"


def _each(hit):
    """A rule over several values: all of them bear it out, some, or none."""

    def rule(article: str, value, param: str) -> str:
        claimed = float(article)
        hits = [hit(v, claimed) for v in _numbers(value)]
        return "holds" if all(hits) else "holds_with_nuance" if any(hits) else "fails"

    return rule


def _exact(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    return "holds" if value == claimed else "fails"


def _rounded(article: str, value, param: str) -> str:
    claimed, value, step = float(article), float(value), float(param)
    if abs(value - claimed) <= step / 2 + 1e-9:
        return "holds"
    return "holds_with_nuance" if claimed <= value < claimed + step - 1e-9 else "fails"


def _about(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    tolerance = abs(claimed) * float(param or DEFAULT_TOLERANCE["about"]) / 100
    gap = abs(value - claimed)
    return (
        "holds"
        if gap <= tolerance + 1e-9
        else "holds_with_nuance"
        if gap <= 2 * tolerance + 1e-9
        else "fails"
    )


def _nearly(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    tolerance = abs(claimed) * float(param or DEFAULT_TOLERANCE["nearly"]) / 100
    if claimed - tolerance <= value < claimed:
        return "holds"
    return (
        "holds_with_nuance" if claimed - 2 * tolerance <= value <= claimed + tolerance else "fails"
    )


def _more_than(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    return "holds" if value > claimed else "fails"


def _at_most(article: str, value, param: str) -> str:
    """'Immediately', 'at once', 'within N days': the value is at most the article's figure."""
    claimed, value = float(article), float(value)
    return "holds" if value <= claimed else "fails"


def _months_after(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    gap = abs(value - claimed)
    return "holds" if gap <= 0.5 else "holds_with_nuance" if gap < 1 else "fails"


def _days_spanned_rule(article: str, value, param: str) -> str:
    claimed, value = float(article), float(value)
    gap = abs(value - claimed)
    return "holds" if gap == 0 else "holds_with_nuance" if gap <= 1 else "fails"


# The rule book (data/claim_rules.csv): each rule and the function that applies it.
RULES = {
    "exact": _exact,
    "rounded": _rounded,
    "about": _about,
    "nearly": _nearly,
    "more_than": _more_than,
    "at_most": _at_most,
    "range_exceeds": _range_exceeds,
    "range_contains": _range_contains,
    "months_after": _months_after,
    "years_after": _years_after,
    "days_spanned": _days_spanned_rule,
    "same_day": _same("same_day"),
    "same_month": _same("same_month"),
    "same_year": _same("same_year"),
    "grows": _each(lambda v, claimed: v > FLAT_BAND_PCT),
    "declines": _each(lambda v, claimed: v < -FLAT_BAND_PCT),
    "rank": _each(lambda v, claimed: v == claimed),
    "attribution": _attribution,
}


def applies(rule: str, article: str, value) -> str:
    """How the value bears out the article under the rule: 'holds', 'holds_with_nuance' or
    'fails' (see data/claim_rules.csv)."""
    name, _, param = rule.partition(":")
    if value is None:
        return "fails"
    if name not in RULES:
        raise ClaimKeyError(f"unknown rule {rule!r}")
    return RULES[name](article, value, param)


def rule_names(rules: pd.DataFrame) -> set[str]:
    return set(rules["rule"])


def show(value) -> str:
    """The computed value as the ledger displays it."""
    if value is None:
        return "none"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dict):
        return f"{value['years']:.2f} years ({value['calendar_years']} calendar year(s))"
    if isinstance(value, tuple):
        return ("; " if isinstance(value, Several) else "–").join(show(v) for v in value)
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _verdict(outcome: str, nuance_kind) -> str:
    """The rule's outcome and the structured nuance kind decide; a note filled in never does."""
    return claim_review.grade(outcome, nuance_kind if pd.notna(nuance_kind) else None)


# Ledger columns the published verdicts carry as they are (issue 26).
CARRIED = (
    "nuance_kind",
    "paragraphs_checked",
    "later_development",
    "search_note",
    "previous_verdict",
    "previous_materiality",
    "change_reason",
    "second_verdict",
    "review_resolution",
)


def _carried(c, field: str) -> str:
    value = getattr(c, field, None)
    return "" if value is None or pd.isna(value) else value


def judge(ledger: pd.DataFrame, data: Data) -> pd.DataFrame:
    """One verdict per claim, with the reconstructed value and the evidence behind it."""
    rows = []
    figures = {
        f: show(float(v))
        for f, v in zip(data.figures["figure_id"], data.figures["value"], strict=True)
    }
    for c in ledger.itertuples():
        sources = [c.source_ids]
        if c.check_method in DATA_METHODS:
            try:
                value = resolve(data, c.check_key)
            except ClaimKeyError as exc:
                raise ClaimKeyError(
                    f"data/claims_ledger.csv, claim {c.claim_id}, field 'check_key': {exc}"
                ) from exc
            outcome = applies(c.rule, c.article_value, value)
            verdict = _verdict(outcome, getattr(c, "nuance_kind", None))
            reconstructed = show(value)
            sources.append(key_sources(data, c.check_key))
            basis = "computed from the report's data"
            note = claim_review.render_note(c.nuance, reconstructed, figures)
        elif pd.notna(c.source_figure):
            outcome = applies(c.rule, c.article_value, float(c.source_figure))
            verdict = _verdict(outcome, getattr(c, "nuance_kind", None))
            reconstructed = show(float(c.source_figure))
            basis = "computed from the figure the source gives"
            note = " ".join(str(x) for x in (c.nuance, c.evidence) if pd.notna(x) and x)
        else:
            verdict = c.external_verdict
            reconstructed = c.external_value if pd.notna(c.external_value) else ""
            basis = "read from the sources"
            note = c.evidence
        rows.append(
            {
                "claim_id": c.claim_id,
                "section": c.section,
                "kind": c.kind,
                "claim": c.claim,
                "article_value": c.article_value,
                "reconstructed_value": reconstructed,
                "rule": c.rule,
                "verdict": verdict,
                "basis": basis,
                "materiality": c.materiality,
                "note": note if pd.notna(note) else "",
                "source_says": c.source_says if pd.notna(c.source_says) else "",
                "source_where": c.source_where if pd.notna(c.source_where) else "",
                "evidence_reread": (
                    pd.Timestamp(c.evidence_reread).strftime("%Y-%m-%d")
                    if pd.notna(c.evidence_reread)
                    else ""
                ),
                "revision": c.revision if pd.notna(c.revision) else "",
                "chapter": c.chapter if pd.notna(c.chapter) else "",
                "source_ids": merge_source_ids(sources),
                **{f: _carried(c, f) for f in CARRIED},
            }
        )
    return pd.DataFrame(rows)


def tally(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Verdicts by materiality grade: how many errors change the argument."""
    return (
        verdicts.groupby(["verdict", "materiality"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=list(VERDICTS), columns=list(MATERIALITY), fill_value=0)
    )


# --- what every row must carry ----------------------------------------------------------------

_QUOTE = re.compile(r'"([^"]+)"')
_NUMBER_WITH_UNIT = re.compile(r"\d[\d,.]*\s*(%|per cent|[A-Za-z$€]+)")
_DATE = re.compile(r"\b(19|20)\d\d\b")  # a date the source gives is a figure too


def evidence_problem(source_says, source_where) -> str | None:
    """Is the source's own evidence well formed: a quoted phrase of at most 25 words or a number
    with its unit, and a place in the source?"""
    if pd.isna(source_says) or not str(source_says).strip():
        return "needs what the source says (a quoted phrase or a number with its unit)"
    if pd.isna(source_where) or not str(source_where).strip():
        return "needs where in the source it stands"
    text = str(source_says)
    quotes = _QUOTE.findall(text)
    if quotes:
        longest = max(len(q.split()) for q in quotes)
        if longest > MAX_QUOTE_WORDS:
            return f"a quoted phrase has {longest} words (at most {MAX_QUOTE_WORDS})"
        return None
    if _NUMBER_WITH_UNIT.search(text) or _DATE.search(text):
        return None
    return "is neither a quoted phrase in quotation marks nor a number with its unit or a date"


_QUOTED_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*(?:thousand|million|billion))?", re.IGNORECASE
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def quoted_numbers(text: str) -> list[tuple[float, float]]:
    """Each number written in the text with the step of its last digit: "3,600" is (3600, 1),
    "3.5 thousand" is (3500, 100), "80 %" is (80, 1), "two" is (2, 1)."""
    found = [
        (float(_NUMBER_WORDS[w.lower()]), 1.0)
        for w in re.findall(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", str(text), re.I)
    ]
    for whole, decimals, scale in _QUOTED_NUMBER.findall(str(text)):
        step = 10.0 ** -(len(decimals) - 1) if decimals else 1.0
        factor = _SCALE[scale.strip().lower()] if scale.strip() else 1.0
        found.append((float(whole.replace(",", "") + decimals) * factor, step * factor))
    return found


def figure_in_words(figure: float, text: str) -> bool:
    """Does the text give the figure, to the precision the text writes it (the rule book's
    rounding: the figure rounds to the written number at the step of its last digit)?"""
    return any(abs(value - figure) <= step / 2 + 1e-9 for value, step in quoted_numbers(text))


def date_in_words(date: str, text: str) -> bool:
    """Does the text give the date at the precision the article gives it (a year, a month of a
    year, or a day)?"""
    parts = date.split("-")
    text = str(text)
    if len(parts) == 1:
        return re.search(rf"\b{parts[0]}\b", text) is not None
    month = _MONTHS[int(parts[1]) - 1]
    name = rf"(?:{month}|{month[:3]}\.?)"
    if len(parts) == 2:
        return (
            re.search(rf"\b{name}\s+(?:\d{{1,2}},?\s+)?{parts[0]}\b", text) is not None
            or f"{parts[0]}-{parts[1]}" in text
        )
    day = str(int(parts[2]))
    return (
        re.search(rf"\b{day}\s+{name}\s+{parts[0]}\b", text) is not None
        or re.search(rf"\b{name}\s+{day},?\s+{parts[0]}\b", text) is not None
        or date in text
    )


def relied_on_problem(c) -> str | None:
    """Does the source's evidence carry the figure or date the verdict relies on? Checked where
    the ledger names it: a source figure (a computed verdict), the article's date on a date row
    the sources bear out, and the article's number on a count or number row they fully bear out."""
    if pd.isna(c.source_says) or c.recorded_verdict == "not_checkable":
        return None
    if pd.notna(c.source_figure):
        if not figure_in_words(float(c.source_figure), c.source_says):
            return (
                f"the source figure {show(float(c.source_figure))} does not appear in what "
                "the source says"
            )
        return None
    if c.rule != "attribution":
        return None
    article = str(c.article_value)
    if c.kind == "date" and c.recorded_verdict in ("supported", "supported_with_nuance"):
        dates = article.split("/")
        if all(_DATE_VALUE.match(d) for d in dates):
            missing = [d for d in dates if not date_in_words(d, c.source_says)]
            if missing:
                return (
                    f"the date {', '.join(missing)} the verdict relies on does not appear in "
                    "what the source says"
                )
        return None
    if c.kind in ("number", "count") and c.recorded_verdict == "supported":
        try:
            claimed = float(article)
        except ValueError:
            return None
        if not figure_in_words(claimed, c.source_says):
            return (
                f"the figure {show(claimed)} the verdict relies on does not appear in what "
                "the source says"
            )
    return None


def ledger_problems(
    ledger: pd.DataFrame, rules: pd.DataFrame | None = None, path: str = "data/claims_ledger.csv"
) -> list:
    """Rules the Table Schema cannot express: what each kind of row must fill in."""
    from cstoreport.tables import Problem

    problems = []
    known_rules = rule_names(rules) if rules is not None else None
    for i, c in enumerate(ledger.itertuples()):
        row = i + 2
        if known_rules is not None and c.rule.partition(":")[0] not in known_rules:
            problems.append(
                Problem(
                    path, row, "rule", f"{c.rule!r} is not in the rule book (data/claim_rules.csv)"
                )
            )
        if c.check_method in DATA_METHODS:
            if pd.isna(c.check_key):
                problems.append(
                    Problem(
                        path,
                        row,
                        "check_key",
                        f"a {c.check_method}-checked claim needs a check_key",
                    )
                )
            continue
        if pd.isna(c.evidence):
            problems.append(
                Problem(
                    path, row, "evidence", f"a claim checked by '{c.check_method}' needs evidence"
                )
            )
        if pd.isna(c.source_figure):
            if c.rule != "attribution":
                problems.append(
                    Problem(
                        path,
                        row,
                        "rule",
                        "a claim judged by reading the sources uses the rule 'attribution'",
                    )
                )
            if pd.isna(c.external_verdict):
                problems.append(
                    Problem(
                        path,
                        row,
                        "external_verdict",
                        "a claim judged by reading the sources needs its verdict",
                    )
                )
        if c.recorded_verdict != "not_checkable" and pd.isna(c.source_ids):
            problems.append(
                Problem(path, row, "source_ids", "a verdict from an external source must cite it")
            )
        if pd.notna(c.source_says) or pd.notna(c.revision):
            issue = evidence_problem(c.source_says, c.source_where)
            if issue and c.recorded_verdict != "not_checkable":
                problems.append(Problem(path, row, "source_says", issue))
        relied = relied_on_problem(c)
        if relied:
            problems.append(Problem(path, row, "source_says", relied))
    for i, c in enumerate(ledger.itertuples()):  # the guards of issue 26, on every row
        for field, message in claim_review.guard_problems(c):
            problems.append(Problem(path, i + 2, field, message))
    return problems
