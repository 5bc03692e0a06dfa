"""The incident chronology: how fast and how the CSTO answered requests for help.

A response is linked to what it answers through `responds_to`; responses to responses (a
mission sent under a decision) count for the original request too. A "collective" response is
an event whose actor is the organisation asked (the CSTO; the EU for Armenia's request for a
monitoring mission, the contrast the report draws).
"""

from __future__ import annotations

import pandas as pd

from cstoreport.analysis.sources import merge_source_ids

ORGANISATIONS = ("CSTO", "EU")  # requests to either are measured; the EU as the contrast
REQUEST_TYPES = {"request", "appeal"}
DECISION_TYPES = {"decision"}
DEPLOYMENT_TYPES = {"deployment", "monitoring_mission"}
RESPONSE_TYPES = {
    "consultation",
    "statement",
    "decision",
    "mission",
    "summit",
    "deployment",
    "monitoring_mission",
}


def responses_to(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """Every event that answers `event_id`, directly or through another response."""
    found: list[str] = []
    frontier = [event_id]
    while frontier:
        children = events.loc[events["responds_to"].isin(frontier), "event_id"].tolist()
        children = [c for c in children if c not in found]
        found += children
        frontier = children
    return events[events["event_id"].isin(found)].sort_values(["date", "event_id"])


def addressee(target) -> str | None:
    names = [t for t in ("" if pd.isna(target) else str(target)).split(";") if t in ORGANISATIONS]
    return names[0] if names else None


def requests_to_organisations(events: pd.DataFrame) -> pd.DataFrame:
    is_request = events["event_type"].isin(REQUEST_TYPES)
    to_org = events["target"].apply(addressee).notna()
    return events[is_request & to_org].sort_values(["date", "event_id"])


def _first(frame: pd.DataFrame):
    return frame.iloc[0] if not frame.empty else None


def response_lags(events: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for req in requests_to_organisations(events).itertuples():
        organisation = addressee(req.target)
        answers = responses_to(events, req.event_id)
        collective = answers[
            (answers["actor"] == organisation) & answers["event_type"].isin(RESPONSE_TYPES)
        ]
        first = _first(collective)
        decision = _first(collective[collective["event_type"].isin(DECISION_TYPES)])
        deployment = _first(answers[answers["event_type"].isin(DEPLOYMENT_TYPES)])
        mission = _first(collective[collective["event_type"] == "mission"])
        if deployment is not None:
            kind = "deployment"
        elif mission is not None:
            kind = "mission"
        elif first is not None:
            consulted = first["event_type"] in {"consultation", "summit"}
            kind = "consultation" if consulted else "statement"
        else:
            kind = "none"

        def lag(event, req=req):
            return None if event is None else int((event["date"] - req.date).days)

        used = [req.source_ids] + [
            e["source_ids"] for e in (first, decision, deployment) if e is not None
        ]
        rows.append(
            {
                "request_id": req.event_id,
                "requesting_state": req.actor.split(";")[0],
                "addressed_to": organisation,
                "request_date": req.date,
                # whether each date is the day of the event or only of the report (date_basis)
                "request_date_basis": getattr(req, "date_basis", "event"),
                "first_response_date": None if first is None else first["date"],
                "first_response_date_basis": (
                    None if first is None else first.get("date_basis", "event")
                ),
                "first_response_type": None if first is None else first["event_type"],
                "first_decision_date": None if decision is None else decision["date"],
                "first_deployment_date": None if deployment is None else deployment["date"],
                "lag_to_response_days": lag(first),
                "lag_to_decision_days": lag(decision),
                "lag_to_deployment_days": lag(deployment),
                "response_type": kind,
                "source_ids": merge_source_ids(used),
            }
        )
    table = pd.DataFrame(rows)
    for col in ("lag_to_response_days", "lag_to_decision_days", "lag_to_deployment_days"):
        table[col] = table[col].astype("Int64")
    for col in ("first_response_date", "first_decision_date", "first_deployment_date"):
        table[col] = pd.to_datetime(table[col])
    return table


def comparable_figures(figures: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Figures that cover their whole event and were not withdrawn: the ones to compare."""
    whole = figures[(figures["scope"] == "whole_event") & (figures["qualifier"] != "retracted")]
    return whole.merge(events[["event_id", "episode"]], on="event_id")


def figure_spread(figures: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Lowest and highest value each (event, measure, side) has across sources."""
    merged = comparable_figures(figures, events)
    grouped = merged.groupby(["episode", "event_id", "measure", "side", "unit"])
    spread = grouped["value"].agg(["min", "max", "count"]).reset_index()
    spread["sources"] = grouped["source_id"].nunique().values
    return spread.sort_values(["episode", "event_id", "measure", "side"]).reset_index(drop=True)


def source_range(spread: pd.DataFrame, event_id: str, measure: str, side: str):
    """(lowest, highest, number of sources) of one measure of one event."""
    row = spread[
        (spread.event_id == event_id) & (spread.measure == measure) & (spread.side == side)
    ]
    return float(row["min"].iloc[0]), float(row["max"].iloc[0]), int(row["sources"].iloc[0])


def _figure_value(figures: pd.DataFrame, figure_id: str) -> float:
    rows = figures.loc[figures["figure_id"] == figure_id, "value"]
    if rows.empty:
        raise KeyError(f"unknown figure {figure_id!r}")
    return float(rows.iloc[0])


def figure_ids(expression: str) -> list[str]:
    """The figures an expression reads: 'V088', 'V088-V027' or, in a claim's check key,
    'V088_minus_V027'."""
    return expression.replace("_minus_", "-").split("-")


def figure_expression(figures: pd.DataFrame, expression: str) -> float:
    """The value of a figure of event_figures ('V088') or of one figure less others
    ('V088-V027', 'V088_minus_V027')."""
    first, *rest = figure_ids(expression)
    return _figure_value(figures, first) - sum(_figure_value(figures, f) for f in rest)


def scope_expression(row) -> str:
    """A row of area_scopes as a figure expression: 'V088', or 'V088-V027' by subtraction."""
    minus = row["minus_figure_id"]
    return row["figure_id"] if pd.isna(minus) or not minus else f"{row['figure_id']}-{minus}"


def area_scope_values(scopes: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The September 2022 area by scope (area_scopes): each scope's value in km² from
    event_figures (a figure, or a figure less another), with the claimants and the sources of
    the figures it reads."""
    out = scopes.copy()
    expressions = [scope_expression(row) for _, row in out.iterrows()]
    by_id = figures.set_index("figure_id")
    used = [figure_ids(e) for e in expressions]
    out["value_km2"] = [round(figure_expression(figures, e), 2) for e in expressions]
    out["claimants"] = [";".join(dict.fromkeys(by_id.loc[ids, "claimant"])) for ids in used]
    out["source_ids"] = [merge_source_ids(by_id.loc[ids, "source_id"]) for ids in used]
    return out


def september_area_bounds(values: pd.DataFrame) -> tuple[float, float]:
    """(largest lower bound, smallest upper bound) of the area taken in September 2022 alone,
    from area_scope_values."""
    low = values.loc[values["reading"] == "lower_bound", "value_km2"]
    high = values.loc[values["reading"] == "upper_bound", "value_km2"]
    if low.empty or high.empty:
        raise ValueError("area_scopes needs at least one lower and one upper bound")
    return float(low.max()), float(high.min())
