"""How much each finding depends on which source the report believed.

The data keep every variant of a disputed value: rows marked `preferred` = false with
`alternative_to` naming the row they dispute (steps, membership events, and events once they
carry the columns), several reported figures for one quantity (casualties, areas, troops,
force sizes), Armstat figures as first published (vintages that differ from today's series),
and a second import basis (country of consignment). A *variant* is one such alternative,
expressed as a change to the inputs; a *finding* is a number the report states, with its
wording as a testable condition on that number.

For each finding the computation takes the preferred value, the value under each variant that
touches it on its own, and the lowest and highest values over combinations of variants (one
choice per disputed item). Every condition here is an interval (at least, at most, between),
so a wording that holds at both ends of the range holds everywhere inside it.

Variants are read from the data when the computation runs, so rows added later are picked up
without changes here. Alternative rows that no finding reads are listed, with the reason, by
`coverage`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from cstoreport.analysis import chronology, claims, membership
from cstoreport.gluing import long_date
from cstoreport.tables import state_names

# Exhaustive search over combinations up to this many; beyond it, one choice per disputed item
# is made greedily (the choice that moves the value furthest on its own), which is exact when
# the items act on the value independently, as they do here.
MAX_COMBINATIONS = 4096
DUPLICATE_WINDOW_DAYS = 7  # two steps of one kind this close may be one move reported twice
# Columns that identify or document a row rather than state the disputed value.
BOOKKEEPING = {
    "event_id",
    "step_id",
    "preferred",
    "alternative_to",
    "description",
    "source_ids",
    "note",
    "date_basis",
}


@dataclass(frozen=True)
class Inputs:
    """Everything the findings read; variants return modified copies."""

    annual: pd.DataFrame  # data/derived/trade_annual_by_partner.csv
    fixtures: pd.DataFrame  # data/armstat_published_totals.csv
    events: pd.DataFrame
    figures: pd.DataFrame  # data/event_figures.csv
    steps: pd.DataFrame  # data/armenia_disengagement.csv
    membership_events: pd.DataFrame
    forces: pd.DataFrame  # data/collective_forces.csv
    ledger: pd.DataFrame  # data/claims_ledger.csv
    import_basis: str = "origin"
    # Further tables claims.Data may need (by field name), passed through unchanged.
    extra: dict = field(default_factory=dict)
    judgements: Judgements | None = None  # the findings' wording, exclusions (judgements_from)
    applied: tuple = ()  # "table:variant_id" of the variants behind these inputs, for the cache
    # Shared by every copy made from one set of inputs: a derived table or a claim's verdict is
    # computed once per set of applied variants that can change it.
    cache: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Variant:
    variant_id: str
    table: str
    choice: str  # variants of one choice exclude each other (one source per item)
    label: str
    apply: Callable[[Inputs], Inputs]
    touches: frozenset = frozenset()  # what it changes: ("trade", partner, year), row ids
    sources: str = ""  # source_ids of the alternative value(s)
    # False for a variant that offers no rival value (believing the only report of a quantity):
    # it is listed as considered, but a finding that only such variants touch is untested.
    rival: bool = True


@dataclass(frozen=True)
class Finding:
    finding_id: str
    group: str  # the overview bullet or chapter it belongs to
    wording: str
    quantity: str
    unit: str
    condition: str
    holds: Callable[[float], bool]
    compute: Callable[[Inputs], float]
    reads: Callable[[Variant], bool]
    claim_id: str = ""  # an externally judged claim that rests on this finding's wording


@dataclass(frozen=True)
class Judgements:
    """The analysis's judgements, recorded as data rather than code: the findings' wording and
    thresholds, the early counts superseded by later ones, and why an alternative moves no
    finding."""

    findings: pd.DataFrame  # data/robustness_findings.csv
    superseded: dict  # figure_id -> reason (data/superseded_figures.csv)
    not_used: dict  # (table, item) -> reason (data/robustness_not_used.csv)
    not_used_rules: dict  # rule -> reason (data/robustness_not_used_rules.csv)
    holding: frozenset  # verdicts that count as holding (data/verdicts.csv)


JUDGEMENT_TABLES = (
    "robustness_findings",
    "superseded_figures",
    "robustness_not_used",
    "robustness_not_used_rules",
    "verdicts",
)


def judgements_from(tables: dict[str, pd.DataFrame]) -> Judgements:
    """The judgements from their tables (loaded with cstoreport.load_table, JUDGEMENT_TABLES)."""
    not_used = tables["robustness_not_used"]
    rules = tables["robustness_not_used_rules"]
    superseded = tables["superseded_figures"]
    return Judgements(
        tables["robustness_findings"],
        dict(zip(superseded["figure_id"], superseded["reason"], strict=False)),
        dict(
            zip(
                zip(not_used["table"], not_used["item"], strict=False),
                not_used["reason"],
                strict=False,
            )
        ),
        dict(zip(rules["rule"], rules["reason"], strict=False)),
        claims.holding_verdicts(tables["verdicts"]),
    )


def _judged(inputs: Inputs) -> Judgements:
    if inputs.judgements is None:
        raise ValueError(
            "these inputs carry no judgements: pass "
            "judgements=robustness.judgements_from(tables) to Inputs"
        )
    return inputs.judgements


# --- trade -----------------------------------------------------------------------------


def _turnover_column(inputs: Inputs) -> str:
    consignment = inputs.import_basis == "consignment"
    return "turnover_consignment_usd_m" if consignment else "turnover_usd_m"


def turnover(inputs: Inputs, partner: str, year: int) -> float:
    # Row positions by (partner, year), found once per version of the trade table.
    rows = _cached(
        inputs,
        "trade_rows",
        TRADE_TABLES,
        lambda: inputs.annual.groupby(["partner_iso3", "year"]).indices,
    )
    at = rows.get((partner, year), [])
    if len(at) != 1:
        raise KeyError(f"expected one trade row for {partner} {year}, found {len(at)}")
    return float(inputs.annual[_turnover_column(inputs)].iloc[at[0]])


def share(inputs: Inputs, partner: str, year: int) -> float:
    return 100 * turnover(inputs, partner, year) / turnover(inputs, "WLD", year)


def consignment_basis() -> Variant:
    return Variant(
        "import_basis:consignment",
        "trade_annual_by_partner",
        "import_basis",
        "imports by country of consignment instead of origin",
        lambda inputs: replace(inputs, import_basis="consignment"),
        frozenset({("trade", "*", "*")}),
        "armstat_trade_monthly",
    )


def _is_whole_year(fixtures: pd.DataFrame) -> pd.Series:
    whole = fixtures["month"].isna()
    if "to_month" in fixtures:  # January-to-month totals are not a year's figure
        whole &= fixtures["to_month"].isna()
    return whole


def _published_value(partner: str, year: int, flow: str, value: float):
    """Replace one year's flow with a published figure (published on the origin basis)."""

    def apply(inputs: Inputs) -> Inputs:
        a = inputs.annual.copy()
        at = (a["partner_iso3"] == partner) & (a["year"] == year)
        if flow == "exports":
            delta = value - a.loc[at, "exports_usd_m"]
            a.loc[at, "exports_usd_m"] = value
            a.loc[at, ["turnover_usd_m", "turnover_consignment_usd_m"]] = a.loc[
                at, ["turnover_usd_m", "turnover_consignment_usd_m"]
            ].add(delta, axis=0)
        elif flow == "imports":
            delta = value - a.loc[at, "imports_usd_m"]
            a.loc[at, "imports_usd_m"] = value
            a.loc[at, "turnover_usd_m"] += delta
        else:
            delta = value - a.loc[at, "turnover_usd_m"]
            a.loc[at, "turnover_usd_m"] = value
            a.loc[at, "turnover_consignment_usd_m"] += delta
        return replace(inputs, annual=a)

    return apply


def vintage_variants(fixtures: pd.DataFrame, annual: pd.DataFrame) -> list[Variant]:
    """Whole-year Armstat figures as published that differ from today's series beyond their
    rounding (a first release or a later revision): each an alternative value for its year."""
    known = set(zip(annual["partner_iso3"], annual["year"], strict=False))
    rows = fixtures[_is_whole_year(fixtures) & (fixtures["expected_check"] != "match")]
    names = {**state_names(), "WLD": "all partners"}
    out = []
    for fx in rows.sort_values("fixture_id").itertuples():
        if (fx.partner_iso3, int(fx.year)) not in known:
            continue
        out.append(
            Variant(
                fx.fixture_id,
                "armstat_published_totals",
                f"vintage:{fx.partner_iso3}:{fx.year}",
                f"{fx.flow} ({names.get(fx.partner_iso3, fx.partner_iso3)}, {int(fx.year)}) "
                "as published: "
                f"{fx.value_usd_m:,.10g} million USD",
                _published_value(fx.partner_iso3, int(fx.year), fx.flow, float(fx.value_usd_m)),
                frozenset({("trade", fx.partner_iso3, int(fx.year))}),
                fx.source_id,
            )
        )
    return out


def _reads_trade(pairs) -> Callable[[Variant], bool]:
    pairs = set(pairs)

    def reads(v: Variant) -> bool:
        return any(t[0] == "trade" and (t[1:] == ("*", "*") or t[1:] in pairs) for t in v.touches)

    return reads


# --- alternative rows (preferred = false) ----------------------------------------------


def _id_column(table: pd.DataFrame) -> str:
    return "step_id" if "step_id" in table else "event_id"


def swap_variants(table: pd.DataFrame, name: str, attribute: str) -> list[Variant]:
    """One variant per alternative row: the disputed row takes the alternative's values."""
    if "alternative_to" not in table or "preferred" not in table:
        return []
    ident = _id_column(table)
    alternatives = table[~table["preferred"].astype(bool) & table["alternative_to"].notna()]
    out = []
    for alt in alternatives.sort_values(ident).to_dict("records"):
        target = alt["alternative_to"]
        original = table[table[ident] == target]
        if original.empty:
            continue
        disputed = [
            c
            for c in table.columns
            if c not in BOOKKEEPING and not _same(original[c].iloc[0], alt[c])
        ]

        def apply(inputs: Inputs, target=target, alt=alt, disputed=disputed) -> Inputs:
            frame = getattr(inputs, attribute).copy()
            at = frame[_id_column(frame)] == target
            for column in disputed:
                frame.loc[at, column] = alt[column]
            return replace(inputs, **{attribute: frame})

        out.append(
            Variant(
                alt[ident],
                name,
                f"{name}:{target}",
                _another_sources(alt, disputed),
                apply,
                frozenset({target, alt[ident]}),
                alt["source_ids"],
            )
        )
    return out


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _show(value) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, pd.Timestamp) else str(value)


def _another_sources(alt: dict, disputed: list[str]) -> str:
    """What an alternative row says differently, for a reader: "another source's date
    (August 2024)" (the row ids stay in the variant's id)."""
    parts = []
    if "date" in disputed:
        parts.append(f"date ({long_date(alt['date'], alt.get('date_precision', 'day'))})")
    parts += [
        f"{c.replace('_', ' ')} ({_show(alt[c])})"
        for c in disputed
        if c not in ("date", "date_precision")
    ]
    return "another source's " + (" and ".join(parts) or "record of the same item")


def duplicate_steps(steps: pd.DataFrame, window_days: int = DUPLICATE_WINDOW_DAYS) -> list[tuple]:
    """Pairs of preferred Armenian steps of one kind within a few days of each other: the same
    move may have been reported twice (two sessions of one gathering, say)."""
    arm = membership.armenian_steps(steps)
    pairs = []
    for _, rows in arm.sort_values(["date", "step_id"]).groupby("step_type"):
        records = rows.to_dict("records")
        for first, second in zip(records, records[1:], strict=False):
            if (second["date"] - first["date"]).days <= window_days:
                pairs.append((first["step_id"], second["step_id"]))
    return pairs


def duplicate_variants(steps: pd.DataFrame) -> list[Variant]:
    out = []
    sources = dict(zip(steps["step_id"], steps["source_ids"], strict=False))
    for first, second in duplicate_steps(steps):

        def apply(inputs: Inputs, second=second) -> Inputs:
            return replace(inputs, steps=inputs.steps[inputs.steps["step_id"] != second])

        out.append(
            Variant(
                f"{first}+{second}",
                "armenia_disengagement",
                f"duplicate:{second}",
                f"{first} and {second} counted as one step",
                apply,
                frozenset({first, second}),
                f"{sources[first]};{sources[second]}",
            )
        )
    return out


# --- reported figures (several sources for one quantity) -------------------------------

# Early counts of a toll or presence that grew, superseded by later counts of the same thing:
# a later count is not a rival source, so these are not offered as alternatives
# (data/superseded_figures.csv, in Judgements.superseded).


def comparable_groups(
    figures: pd.DataFrame, events: pd.DataFrame, superseded=frozenset()
) -> pd.DataFrame:
    """Figures that can stand in for one another (not the early counts in `superseded`), with
    their group key."""
    merged = chronology.comparable_figures(figures, events)
    merged = merged[~merged["figure_id"].isin(list(superseded))]
    return merged.assign(group=merged["event_id"] + ":" + merged["measure"] + ":" + merged["side"])


def figure_value_variants(
    figures: pd.DataFrame, events: pd.DataFrame, figure_id: str, superseded=frozenset()
) -> list[Variant]:
    """Another source's figure for the same quantity, in place of `figure_id`'s value."""
    comparable = comparable_groups(figures, events, superseded)
    own = comparable[comparable["figure_id"] == figure_id]
    if own.empty:
        return []
    group = own["group"].iloc[0]
    others = comparable[(comparable["group"] == group) & (comparable["figure_id"] != figure_id)]
    out = []
    for alt in others.sort_values("figure_id").itertuples():

        def apply(inputs: Inputs, value=float(alt.value)) -> Inputs:
            f = inputs.figures.copy()
            f.loc[f["figure_id"] == figure_id, "value"] = value
            return replace(inputs, figures=f)

        out.append(
            Variant(
                alt.figure_id,
                "event_figures",
                f"figure:{figure_id}",
                f"another source's figure, {alt.value:,.10g} {alt.unit} "
                f"({alt.qualifier.replace('_', ' ')}), instead of "
                f"{float(own['value'].iloc[0]):,.10g}",
                apply,
                frozenset({figure_id, alt.figure_id, group}),
                alt.source_id,
            )
        )
    return out


def single_source_variants(
    figures: pd.DataFrame, events: pd.DataFrame, group: str, superseded=frozenset()
) -> list[Variant]:
    """Believe one report only: the range of a quantity shrinks to that report's figure."""
    comparable = comparable_groups(figures, events, superseded)
    rows = comparable[comparable["group"] == group]
    out = []
    for alt in rows.sort_values("figure_id").itertuples():
        others = tuple(sorted(set(rows["figure_id"]) - {alt.figure_id}))

        def apply(inputs: Inputs, others=others) -> Inputs:
            kept = inputs.figures[~inputs.figures["figure_id"].isin(others)]
            return replace(inputs, figures=kept)

        out.append(
            Variant(
                alt.figure_id,
                "event_figures",
                f"only:{group}",
                f"only {alt.figure_id}: {alt.value:,.10g} {alt.unit} ({alt.qualifier})",
                apply,
                frozenset({alt.figure_id, group}),
                alt.source_id,
                rival=bool(others),
            )
        )
    return out


def figure_range_max(inputs: Inputs, group: str) -> float:
    comparable = comparable_groups(inputs.figures, inputs.events, _judged(inputs).superseded)
    return float(comparable.loc[comparable["group"] == group, "value"].max())


def figure_value(inputs: Inputs, figure_id: str) -> float:
    return float(inputs.figures.loc[inputs.figures["figure_id"] == figure_id, "value"].iloc[0])


# --- collective forces ------------------------------------------------------------------


def force_rows(forces: pd.DataFrame, family: str, component: str) -> pd.DataFrame:
    """Sized personnel figures of one force, dated, oldest first."""
    people = forces[
        (forces["unit"] == "personnel") & forces["size"].notna() & forces["year_of_figure"].notna()
    ]
    rows = people[(people["force_family"] == family) & (people["component"] == component)]
    return rows.sort_values(["year_of_figure", "force_id"])


# The article's force sizes match the 2013 fact sheet (claims C023-C026); the ledger's verdicts
# rest on these rows, the other sources' figures are the alternatives.
FORCE_REFERENCE = {
    ("CRDF", "whole"): "F04",
    ("CRRF", "whole"): "F10",
    ("peacekeeping", "police"): "F16",
}


def force_size(inputs: Inputs, force_id: str) -> float:
    return float(inputs.forces.loc[inputs.forces["force_id"] == force_id, "size"].iloc[0])


def force_variants(forces: pd.DataFrame, family: str, component: str) -> list[Variant]:
    rows = force_rows(forces, family, component)
    latest = FORCE_REFERENCE[(family, component)]
    reference = rows[rows["force_id"] == latest].iloc[0]
    out = []
    for alt in rows[rows["force_id"] != latest].itertuples():

        def apply(inputs: Inputs, size=float(alt.size)) -> Inputs:
            f = inputs.forces.copy()
            f.loc[f["force_id"] == latest, "size"] = size
            return replace(inputs, forces=f)

        out.append(
            Variant(
                alt.force_id,
                "collective_forces",
                f"force:{family}:{component}",
                f"another source's figure, {alt.size:,.0f} personnel "
                f"({alt.qualifier.replace('_', ' ')}, {int(alt.year_of_figure)}), "
                f"instead of "
                f"{reference['size']:,.0f} ({int(reference['year_of_figure'])})",
                apply,
                frozenset({alt.force_id, latest, f"force:{family}:{component}"}),
                alt.source_id,
            )
        )
    return out


# --- response lags and steps -------------------------------------------------------------


def lags(inputs: Inputs) -> pd.DataFrame:
    return chronology.response_lags(inputs.events).set_index("request_id")


def lag(inputs: Inputs, request_id: str, column: str) -> float:
    value = lags(inputs).loc[request_id, column]
    return float("nan") if pd.isna(value) else float(value)


def precision_variants(events: pd.DataFrame) -> list[Variant]:
    """A date known only to the month or year could be any day in it: its first and last."""
    out = []
    for e in events[events["date_precision"] != "day"].sort_values("event_id").itertuples():
        period = "M" if e.date_precision == "month" else "Y"
        start = e.date.to_period(period).start_time
        end = e.date.to_period(period).end_time.normalize()
        for tag, day in (("first", start), ("last", end)):

            def apply(inputs: Inputs, day=day, ident=e.event_id) -> Inputs:
                ev = inputs.events.copy()
                ev.loc[ev["event_id"] == ident, "date"] = day
                return replace(inputs, events=ev)

            out.append(
                Variant(
                    f"{e.event_id}:{tag}_day",
                    "events",
                    f"precision:{e.event_id}",
                    f"{e.event_id} on the {tag} day of its {e.date_precision} ({day:%Y-%m-%d})",
                    apply,
                    frozenset({e.event_id}),
                    e.source_ids,
                )
            )
    return out


def _reads_chain(events: pd.DataFrame, request_id: str) -> Callable[[Variant], bool]:
    chain = {request_id} | set(chronology.responses_to(events, request_id)["event_id"])
    return lambda v: v.table == "events" and bool(v.touches & chain)


def armenian_steps(inputs: Inputs) -> pd.DataFrame:
    return membership.armenian_steps(inputs.steps)


# --- claims -------------------------------------------------------------------------------

# Tables claims.Data may ask for beyond the ones built here, by field name: the notebook loads
# those the current claims.Data declares and passes them in `Inputs.extra`.
CLAIMS_EXTRA_TABLES = {
    "monthly": "trade_monthly_members",
    "indicators": "public_indicators",
    "energy": "energy_infrastructure",
}
BUILT_HERE = {"annual_all", "events", "figures", "steps", "membership_events", "lags", "spells"}


def claims_extra_tables() -> dict[str, str]:
    """The further tables the claims need, {claims.Data field: table name}."""
    wanted = {f.name for f in dataclasses.fields(claims.Data)} - BUILT_HERE
    unknown = wanted - set(CLAIMS_EXTRA_TABLES)
    if unknown:
        raise KeyError(f"claims.Data needs {sorted(unknown)}: add them to CLAIMS_EXTRA_TABLES")
    return {name: CLAIMS_EXTRA_TABLES[name] for name in sorted(wanted)}


TRADE_TABLES = {"trade_annual_by_partner", "armstat_published_totals"}
MEMBERSHIP_TABLES = {"armenia_disengagement", "membership_events"}


def _cached(inputs: Inputs, name: str, tables: set, build):
    """A derived table rebuilt only when a variant changed the tables it is built from."""
    key = (name, tuple(sorted(a for a in inputs.applied if a.split(":", 1)[0] in tables)))
    if key not in inputs.cache:
        inputs.cache[key] = build()
    return inputs.cache[key]


def claims_data(inputs: Inputs) -> claims.Data:
    """The ledger's inputs, with the derived tables rebuilt from the (varied) curated ones."""
    available = {
        "annual_all": _cached(inputs, "annual", TRADE_TABLES, lambda: _annual_on_basis(inputs)),
        "events": inputs.events,
        "figures": inputs.figures,
        "steps": inputs.steps,
        "membership_events": inputs.membership_events,
        "lags": _cached(
            inputs, "lags", {"events"}, lambda: chronology.response_lags(inputs.events)
        ),
        "spells": _cached(
            inputs,
            "spells",
            MEMBERSHIP_TABLES,
            lambda: membership.spells(inputs.membership_events, inputs.steps),
        ),
        **inputs.extra,
    }
    return claims.Data(**{f.name: available[f.name] for f in dataclasses.fields(claims.Data)})


def _annual_on_basis(inputs: Inputs) -> pd.DataFrame:
    a = inputs.annual.copy()
    if inputs.import_basis == "consignment":
        a["imports_usd_m"] = a["imports_consignment_usd_m"]
        a["turnover_usd_m"] = a["turnover_consignment_usd_m"]
    totals = a[a["partner_iso3"] == "WLD"].set_index("year")["turnover_usd_m"]
    a["share_of_total_pct"] = 100 * a["turnover_usd_m"] / a["year"].map(totals)
    return a


# The curated tables each claims.Data field is built from (what a variant names in `table`).
DATA_FIELD_TABLES = {
    "annual_all": TRADE_TABLES,
    "events": {"events"},
    "figures": {"event_figures"},
    "steps": {"armenia_disengagement"},
    "membership_events": {"membership_events"},
    "lags": {"events"},
    "spells": MEMBERSHIP_TABLES,
    **{name: {table} for name, table in CLAIMS_EXTRA_TABLES.items()},
}


def _tables_behind(claim) -> set[str]:
    """The curated tables a ledger row's verdict depends on (none for a verdict read from the
    sources or computed from the figure a source gives)."""
    if claim.check_method not in claims.DATA_METHODS:
        return set()
    return set().union(*(DATA_FIELD_TABLES[name] for name in claims.fields_read(claim.check_key)))


def verdicts(inputs: Inputs) -> pd.Series:
    """Each claim's verdict under these inputs. A claim is judged again only under variants of
    the tables it reads; under any other variant its verdict is the one already judged."""
    ledger = inputs.ledger
    keys = []
    for claim in ledger.itertuples():
        tables = _tables_behind(claim)
        keys.append(
            (
                "verdict",
                claim.claim_id,
                tuple(sorted(a for a in inputs.applied if a.split(":", 1)[0] in tables)),
            )
        )
    to_judge = [key not in inputs.cache for key in keys]
    if any(to_judge):
        judged = claims.judge(ledger[to_judge], claims_data(inputs))
        pending = (k for k, todo in zip(keys, to_judge, strict=False) if todo)
        for key, verdict in zip(pending, judged["verdict"], strict=False):
            inputs.cache[key] = verdict
    return pd.Series(
        [inputs.cache[key] for key in keys],
        name="verdict",
        index=pd.Index(ledger["claim_id"], name="claim_id"),
    )


def with_variants(inputs: Inputs, chosen) -> Inputs:
    for variant in chosen:  # ids repeat across tables (F01 is a fixture and a force)
        inputs = replace(
            variant.apply(inputs),
            applied=inputs.applied + (f"{variant.table}:{variant.variant_id}",),
        )
    return inputs


def claims_holding_pct(inputs: Inputs) -> float:
    """Claims that hold, per cent of the claims that could be checked."""
    v = verdicts(inputs)
    checked = v[v != "not_checkable"]
    return 100 * float(checked.isin(_judged(inputs).holding).sum()) / len(checked)


# --- the findings ---------------------------------------------------------------------------


def _at_least(limit):
    return lambda x: not pd.isna(x) and x >= limit - 1e-9


def _at_most(limit):
    return lambda x: not pd.isna(x) and x <= limit + 1e-9


def _between(low, high):
    return lambda x: not pd.isna(x) and low - 1e-9 <= x <= high + 1e-9


def _tables(*names):
    return lambda v: v.table in names


TESTS = {  # how a finding's condition is tested on its number (data/robustness_findings.csv)
    "at_least": lambda low, high: _at_least(low),
    "at_most": lambda low, high: _at_most(low),
    "more_than": lambda low, high: lambda x: not pd.isna(x) and x > low,
    "between": _between,
}


def computations(inputs: Inputs) -> dict[str, tuple[Callable, Callable]]:
    """For each finding, how its number is computed and which variants it reads; the wording,
    condition and threshold are data (data/robustness_findings.csv)."""
    events = inputs.events
    last_year = int(inputs.annual["year"].max())
    rus_years = [("RUS", y) for y in sorted(set(inputs.annual["year"]))]
    first_step_base = pd.Timestamp("2022-11-01")
    return {
        "rus_multiple_2019_2023": (
            lambda i: turnover(i, "RUS", 2023) / turnover(i, "RUS", 2019),
            _reads_trade({("RUS", 2019), ("RUS", 2023)}),
        ),
        "rus_share_rise_2019_2024": (
            lambda i: share(i, "RUS", last_year) - share(i, "RUS", 2019),
            _reads_trade({("RUS", 2019), ("RUS", last_year), ("WLD", 2019), ("WLD", last_year)}),
        ),
        "rus_turnover_record": (
            lambda i: (
                turnover(i, "RUS", last_year)
                / max(turnover(i, "RUS", y) for _, y in rus_years if y < last_year)
            ),
            _reads_trade(rus_years),
        ),
        "rus_share_2023": (
            lambda i: share(i, "RUS", 2023),
            _reads_trade({("RUS", 2023), ("WLD", 2023)}),
        ),
        "kaz_days_to_deployment": (
            lambda i: lag(i, "E034", "lag_to_deployment_days"),
            _reads_chain(events, "E034"),
        ),
        "may2021_days_to_response": (
            lambda i: lag(i, "E022", "lag_to_response_days"),
            _reads_chain(events, "E022"),
        ),
        "sept2022_days_to_decision": (
            lambda i: lag(i, "E107", "lag_to_decision_days"),
            _reads_chain(events, "E107"),
        ),
        "arm_steps": (lambda i: float(len(armenian_steps(i))), _tables("armenia_disengagement")),
        "arm_steps_since_nov_2022": (
            lambda i: float((armenian_steps(i)["date"].min() - first_step_base).days),
            _tables("armenia_disengagement"),
        ),
        "claims_hold": (
            claims_holding_pct,
            _tables(
                "armenia_disengagement",
                "membership_events",
                "events",
                "event_figures",
                "trade_annual_by_partner",
                "armstat_published_totals",
            ),
        ),
        "sept2022_armenian_dead": (
            lambda i: figure_range_max(i, "E101:killed:ARM"),
            lambda v: "E101:killed:ARM" in v.touches,
        ),
        "sept2022_displaced": (
            lambda i: figure_range_max(i, "E101:evacuated:ARM"),
            lambda v: "E101:evacuated:ARM" in v.touches,
        ),
        "may2021_advance": (lambda i: figure_value(i, "V015"), lambda v: v.choice == "figure:V015"),
        "kaz_armenian_peacekeepers": (
            lambda i: figure_value(i, "V057"),
            lambda v: v.choice == "figure:V057",
        ),
        "crrf_size": (lambda i: force_size(i, "F10"), lambda v: "force:CRRF:whole" in v.touches),
        "crdf_size": (lambda i: force_size(i, "F04"), lambda v: "force:CRDF:whole" in v.touches),
        "peacekeeping_police_size": (
            lambda i: force_size(i, "F16"),
            lambda v: "force:peacekeeping:police" in v.touches,
        ),
    }


def findings(inputs: Inputs) -> list[Finding]:
    """The report's key findings and the chapters' headline numbers that a source can move, in
    the order of data/robustness_findings.csv (wording, condition and threshold from there)."""
    last_year = int(inputs.annual["year"].max())
    computed = computations(inputs)
    out = []
    for r in _judged(inputs).findings.itertuples():
        compute, reads = computed[r.finding_id]
        out.append(
            Finding(
                r.finding_id,
                r.group,
                r.wording.format(last_year=last_year),
                r.quantity.format(last_year=last_year),
                r.unit,
                r.condition,
                TESTS[r.test](float(r.low), float(r.high)),
                compute,
                reads,
                r.claim_id if isinstance(r.claim_id, str) else "",
            )
        )
    return out


def all_variants(inputs: Inputs) -> list[Variant]:
    """Every alternative the data hold, as variants."""
    figure_claims = inputs.ledger["check_key"].dropna()
    figure_ids = sorted(
        {k.split(":")[1] for k in figure_claims if k.startswith("figure:")} | {"V015", "V057"}
    )
    out = [consignment_basis()]
    out += vintage_variants(inputs.fixtures, inputs.annual)
    out += swap_variants(inputs.steps, "armenia_disengagement", "steps")
    out += duplicate_variants(inputs.steps)
    out += swap_variants(inputs.membership_events, "membership_events", "membership_events")
    out += swap_variants(inputs.events, "events", "events")
    out += precision_variants(inputs.events)
    for figure_id in figure_ids:
        out += figure_value_variants(
            inputs.figures, inputs.events, figure_id, _judged(inputs).superseded
        )
    for group in ("E101:killed:ARM", "E101:evacuated:ARM"):
        out += single_source_variants(
            inputs.figures, inputs.events, group, _judged(inputs).superseded
        )
    for family, component in (("CRRF", "whole"), ("CRDF", "whole"), ("peacekeeping", "police")):
        out += force_variants(inputs.forces, family, component)
    return out


# --- the computation ----------------------------------------------------------------------


def _evaluate(finding: Finding, inputs: Inputs, chosen: tuple[Variant, ...]) -> float:
    return float(finding.compute(with_variants(inputs, chosen)))


def _extremes(
    finding: Finding,
    inputs: Inputs,
    relevant: list[Variant],
    alone: dict[str, float],
    preferred: float,
) -> tuple[float, float]:
    choices: dict[str, list[Variant]] = {}
    for v in relevant:
        choices.setdefault(v.choice, []).append(v)
    sizes = [len(options) + 1 for options in choices.values()]
    values = [preferred] + [x for x in alone.values() if not pd.isna(x)]
    total = 1
    for size in sizes:
        total *= size
    if total <= MAX_COMBINATIONS:
        for combo in itertools.product(*[[None] + options for options in choices.values()]):
            picked = tuple(v for v in combo if v is not None)
            if len(picked) > 1:
                values.append(_evaluate(finding, inputs, picked))
    else:
        for pick in (min, max):
            picked = []
            for options in choices.values():
                best = pick(options, key=lambda v: alone[v.variant_id])
                if pick(alone[best.variant_id], preferred) != preferred:
                    picked.append(best)
            values.append(_evaluate(finding, inputs, tuple(picked)))
    values = [x for x in values if not pd.isna(x)]
    return (min(values), max(values)) if values else (float("nan"), float("nan"))


def assess(finding: Finding, inputs: Inputs, variants: list[Variant]) -> dict:
    """The finding under its preferred inputs, under each variant alone, and at the extremes."""
    relevant = [v for v in variants if finding.reads(v)]
    preferred = float(finding.compute(inputs))
    alone = {v.variant_id: _evaluate(finding, inputs, (v,)) for v in relevant}
    low, high = _extremes(finding, inputs, relevant, alone, preferred)
    moved = sorted(k for k, x in alone.items() if not _same_number(x, preferred))
    return {
        "finding_id": finding.finding_id,
        "group": finding.group,
        "wording": finding.wording,
        "quantity": finding.quantity,
        "unit": finding.unit,
        "condition": finding.condition,
        "preferred_value": preferred,
        "minimum": low,
        "maximum": high,
        "variants_considered": ";".join(sorted(alone)) or "none recorded",
        "variants_that_move_it": ";".join(moved),
        "alternatives_tested": len({v.variant_id for v in relevant if v.rival}),
        "source_ids": _join_sources(v.sources for v in relevant),
        "holds_preferred": bool(finding.holds(preferred)),
        "holds_at_minimum": bool(finding.holds(low)),
        "holds_at_maximum": bool(finding.holds(high)),
        "holds_at_both_ends": bool(finding.holds(low) and finding.holds(high)),
        "values_alone": alone,
    }


def _join_sources(groups) -> str:
    keys: list[str] = []
    for group in groups:
        keys += [k for k in str(group).split(";") if k and k not in keys]
    return ";".join(sorted(keys))


def _same_number(a: float, b: float) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (
        not pd.isna(a) and not pd.isna(b) and abs(a - b) <= 1e-9 * max(1.0, abs(b))
    )


def robustness_table(
    inputs: Inputs, finding_list: list[Finding] | None = None, variants: list[Variant] | None = None
) -> pd.DataFrame:
    """One row per finding: preferred value, range, variants, and whether the wording holds."""
    finding_list = finding_list if finding_list is not None else findings(inputs)
    variants = variants if variants is not None else all_variants(inputs)
    rows = [assess(f, inputs, variants) for f in finding_list]
    table = pd.DataFrame(rows).drop(columns="values_alone")
    for column in ("preferred_value", "minimum", "maximum"):
        table[column] = table[column].round(4)
    table["verdict"] = [
        verdict(both, tested)
        for both, tested in zip(
            table["holds_at_both_ends"], table["alternatives_tested"], strict=True
        )
    ]
    return table


def verdict(holds_at_both_ends: bool, alternatives_tested: int) -> str:
    """Robust if the wording holds at both ends of the range, sensitive if not; untested when
    no rival value in the data touches the finding (its range is only the preferred value,
    so holding there proves nothing about other sources)."""
    if alternatives_tested == 0:
        return "untested"
    return "robust" if holds_at_both_ends else "sensitive"


def group_verdict(verdicts) -> str:
    """One mark for findings that go together (a key finding of the overview): sensitive if
    any is, robust only if every one is, untested otherwise."""
    verdicts = set(verdicts)
    if "sensitive" in verdicts:
        return "sensitive"
    return "robust" if verdicts == {"robust"} else "untested"


def verdict_flips(inputs: Inputs, variants: list[Variant] | None = None) -> pd.DataFrame:
    """Claims whose verdict changes when one alternative replaces the preferred value."""
    variants = variants if variants is not None else all_variants(inputs)
    base = verdicts(inputs)
    rows = []
    claims_finding = next(f for f in findings(inputs) if f.finding_id == "claims_hold")
    for v in variants:
        if not claims_finding.reads(v):
            continue
        changed = verdicts(with_variants(inputs, (v,)))
        for claim_id in base.index[base != changed]:
            rows.append(
                {
                    "claim_id": claim_id,
                    "recorded_verdict": base[claim_id],
                    "verdict_under_variant": changed[claim_id],
                    "variant_id": v.variant_id,
                    "table": v.table,
                    "variant": v.label,
                    "source_ids": v.sources,
                }
            )
    # Claims judged from an external source: their verdict follows the finding's wording.
    recorded = inputs.ledger.set_index("claim_id")["recorded_verdict"]
    for f in findings(inputs):
        if not f.claim_id or recorded.get(f.claim_id) not in _judged(inputs).holding:
            continue
        for v in variants:
            if f.reads(v) and not f.holds(_evaluate(f, inputs, (v,))):
                rows.append(
                    {
                        "claim_id": f.claim_id,
                        "recorded_verdict": recorded[f.claim_id],
                        "verdict_under_variant": "contradicted",
                        "variant_id": v.variant_id,
                        "table": v.table,
                        "variant": v.label,
                        "source_ids": v.sources,
                    }
                )
    columns = [
        "claim_id",
        "recorded_verdict",
        "verdict_under_variant",
        "variant_id",
        "table",
        "variant",
        "source_ids",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["claim_id", "variant_id"], ignore_index=True
    )


# --- coverage: every alternative row used or explained --------------------------------------

# Alternatives no finding reads, by table and disputed item, with the reason
# (data/robustness_not_used.csv), and the reasons for whole kinds of rows
# (data/robustness_not_used_rules.csv). A new alternative row on a listed item is covered by its
# reason; one on a new item must be placed.


def alternative_tables(package: dict) -> dict[str, list[str]]:
    """Tables of the package that keep alternatives in a `preferred` column, with their keys."""
    out = {}
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        if "preferred" in fields:
            out[resource["name"]] = list(resource["schema"].get("primaryKey", fields[:1]))
    return out


def alternative_rows(
    tables: dict[str, pd.DataFrame],
    keys: dict[str, list[str]] | None = None,
    superseded=frozenset(),
) -> pd.DataFrame:
    """Every row that offers an alternative value, with the item it is an alternative for.

    `keys` names the columns that identify a row of each table with a `preferred` column (from
    `alternative_tables`); a table not named there is identified by its first column.
    """
    keys = keys or {}
    rows = []

    def add(table, row_id, item, note=""):
        rows.append({"table": table, "row_id": row_id, "item": item, "rule": note})

    for name in sorted(n for n, t in tables.items() if "preferred" in t):
        t = tables[name]
        key = keys.get(name, [t.columns[0]])
        for r in t[~t["preferred"].astype(bool)].to_dict("records"):
            row_id = ":".join(str(_show(r[k])) for k in key)
            item = r.get("alternative_to")
            if item is None or pd.isna(item):  # no pointer: the row's key without its source
                item = ":".join(
                    str(_show(r[k])) for k in key if k not in ("source_id", "source_ids", "joined")
                )
            add(name, row_id, item)
    figures = tables["event_figures"]
    grouped = figures.assign(
        group=figures["event_id"] + ":" + figures["measure"] + ":" + figures["side"]
    )
    sizes = grouped.groupby("group")["figure_id"].transform("size")
    for r in grouped[sizes > 1].itertuples():
        note = (
            "retracted"
            if r.qualifier == "retracted"
            else "scope"
            if r.scope != "whole_event"
            else "superseded"
            if r.figure_id in superseded
            else ""
        )
        add("event_figures", r.figure_id, r.group, note)
    forces = tables["collective_forces"]
    sized = forces[(forces["unit"] == "personnel") & forces["size"].notna()]
    sized = sized.assign(group=sized["force_family"] + ":" + sized["component"])
    counts = sized.groupby("group")["force_id"].transform("size")
    for r in sized.itertuples():
        add("collective_forces", r.force_id, r.group, "" if counts[r.Index] > 1 else "single")
    fixtures = tables["armstat_published_totals"]
    whole = _is_whole_year(fixtures)
    for r, is_whole in zip(fixtures.itertuples(), whole, strict=False):
        note = "partial_year" if not is_whole else "match" if r.expected_check == "match" else ""
        add("armstat_published_totals", r.fixture_id, f"{r.partner_iso3}:{int(r.year)}", note)
    for r in tables["trade_mirror_reported"].itertuples():
        add("trade_mirror_reported", r.mirror_id, f"{r.partner_iso3}:{int(r.year)}", "mirror")
    return pd.DataFrame(rows, columns=["table", "row_id", "item", "rule"])


def coverage(
    tables: dict[str, pd.DataFrame],
    inputs: Inputs,
    finding_list: list[Finding] | None = None,
    variants: list[Variant] | None = None,
    keys: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Each alternative row: which findings use it, or why none does (empty if unexplained)."""
    finding_list = finding_list if finding_list is not None else findings(inputs)
    variants = variants if variants is not None else all_variants(inputs)
    used: dict[tuple[str, str], set[str]] = {}
    for v in variants:
        readers = {f.finding_id for f in finding_list if f.reads(v)}
        if not readers:
            continue
        for row_id in v.touches | {v.variant_id}:
            used.setdefault((v.table, str(row_id)), set()).update(readers)
    judged = _judged(inputs)
    out = alternative_rows(tables, keys, judged.superseded)
    findings_col, reasons = [], []
    for r in out.itertuples():
        readers = used.get((r.table, str(r.row_id)), set())
        findings_col.append(";".join(sorted(readers)))
        if readers:
            reasons.append("")
        elif r.rule:
            reasons.append(judged.not_used_rules[r.rule])
        elif r.table == "armstat_published_totals":
            reasons.append(judged.not_used_rules["unused_year"])
        else:
            reasons.append(judged.not_used.get((r.table, r.item), ""))
    return out.assign(used_by=findings_col, reason_not_used=reasons).drop(columns="rule")
