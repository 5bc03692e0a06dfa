"""The chronology's figures (three episodes on one axis of days; the spread of reported costs)
and its table of response lags."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import chronology
from cstoreport.gluing import REPORT_DATE_MARK

SOURCE = "events.csv (sources per row)"
# One panel per episode on a common axis of days since the request, every event labelled where
# it happens: the eye should meet Kazakhstan's troops first, and their absence for Armenia.
WINDOW = (-4, 21)  # days; later events are pinned to the right edge with their day written out
# (request, panel title, outcome, {event: (short label, label height, label shift in days)})
EPISODES = [
    (
        "E022",
        "Armenia, May 2021",
        "No troops",
        {
            "E014": ("incursion", 1, 0),
            "E022": ("appeal", -1, 0),
            "E026": ("foreign ministers meet", 1, 0),
            "E028": ('"border incident"', -1, 0),
        },
    ),
    (
        "E034",
        "Kazakhstan, January 2022",
        "Troops within a day",
        {
            "E033": ("protests", 1, 0),
            "E034": ("appeal", -1, 0),
            "E036": ("decision", 1, -0.9),
            "E037": ("troops land", 2, 1.2),
            "E048": ("withdrawal", -1, 0),
        },
    ),
    (
        "E107",
        "Armenia, September 2022",
        "No troops",
        {
            "E101": ("attack", 1, -1.3),
            "E107": ("appeal", -1, 0),
            "E110": ("decision: a mission", 2, 0.6),
            "E114": ("advance group", 1, 1.6),
            "E117": ("Secretary General's mission", -1, 1.5),
            "E123": ("report discussed", 1, 0),
        },
    ),
]
TROOPS = {"E034": ("E037", "E048")}  # troops on the ground: first landing to end of withdrawal
# The costs figure: (event, measure, side, label), one row per measure.
COST_PANELS = [
    ("E101", "killed", "ARM", "Sept 2022: Armenian dead"),
    ("E105", "killed_military", "AZE", "Sept 2022: Azerbaijani soldiers dead"),
    ("E101", "evacuated", "ARM", "Sept 2022: displaced in Armenia"),
    ("E101", "area_occupied", "ARM", "Sept 2022: area taken, km²"),
    ("E014", "soldiers_involved", "AZE", "May 2021: Azerbaijani soldiers inside"),
    ("E014", "area_occupied", "ARM", "May 2021: area taken, km²"),
    ("E033", "killed", "KAZ", "Jan 2022: dead in Kazakhstan"),
    ("E043", "troops_deployed", "CSTO", "Jan 2022: CSTO troops deployed"),
]


STATE_NAMES = {"ARM": "Armenia", "KAZ": "Kazakhstan"}


def lags_table(lags: pd.DataFrame) -> pd.DataFrame:
    """The response lags as the chapter shows them (placed with csv-table, so it reaches the
    PDF too); a day that is only the day of the earliest report says so."""

    def mark(basis):
        return REPORT_DATE_MARK if basis == "reported" else ""

    return pd.DataFrame(
        {
            "Request": [
                f"{STATE_NAMES[r.requesting_state]} to the {r.addressed_to}, "
                f"{r.request_date:%d %b %Y}{mark(r.request_date_basis)}"
                for r in lags.itertuples()
            ],
            "First response": [
                f"{r.first_response_type}, {r.first_response_date:%d %b %Y}"
                f"{mark(r.first_response_date_basis)}"
                if pd.notna(r.first_response_date)
                else "none"
                for r in lags.itertuples()
            ],
            "Days to decision": lags["lag_to_decision_days"].astype("string").fillna("no decision"),
            "Days to deployment": lags["lag_to_deployment_days"].astype("string").fillna("none"),
            "Outcome": lags["response_type"],
        }
    )


def marker_colour(event):
    if event.event_type in ("attack", "incursion"):
        return style.colour("AZE") if event.actor == "AZE" else "#999999"
    if event.actor == "CSTO" or event.event_type in ("deployment", "withdrawal"):
        return style.colour("CSTO")
    return style.colour(event.actor)


def _troops_bar(ax, by_id, day0, troops) -> None:
    start = (by_id.loc[troops[0], "date"] - day0).days
    end = (by_id.loc[troops[1], "end_date"] - day0).days
    ax.barh(0, end - start, left=start, height=0.55, color=style.colour("CSTO"), alpha=0.85)
    ax.text(
        start + 0.6,
        0,
        f"CSTO troops, days {start}\u2013{end}",
        va="center",
        ha="left",
        fontsize=8.5,
        color="white",
        fontweight="bold",
    )


def _episode_events(ax, by_id, day0, labels, troops) -> None:
    same_day_before = {}
    for event_id, (label, level, shift) in labels.items():
        e = by_id.loc[event_id]
        day = (e.date - day0).days
        # Events of the same day side by side, in the order they happened, a quarter-day apart.
        shown = min(day, WINDOW[1] - 0.5) + 0.3 * same_day_before.get(day, 0)
        same_day_before[day] = same_day_before.get(day, 0) + 1
        if pd.notna(e.end_date) and (e.end_date - e.date).days > 0 and not troops:
            ax.plot(
                [day, (e.end_date - day0).days],
                [0, 0],
                color=marker_colour(e),
                lw=2.5,
                solid_capstyle="butt",
            )  # thin: how long it lasted, not troops
        ax.plot(
            shown,
            0,
            ">" if day > WINDOW[1] else "o",
            ms=7,
            color=marker_colour(e),
            mec="#222222",
            mew=0.6,
            zorder=3,
        )
        text = f"{label} (day {day})" if day > WINDOW[1] else label
        ax.annotate(
            text,
            (shown, 0),
            xytext=(shown + shift, level * 0.55),
            ha="right" if day > WINDOW[1] else "center",
            va="bottom" if level > 0 else "top",
            fontsize=9,
            arrowprops=dict(arrowstyle="-", color="#777777", lw=0.6, shrinkB=5),
        )


def episodes_timeline(events: pd.DataFrame) -> plt.Figure:
    """Each request to the CSTO on a common axis of days since the request."""
    by_id = events.set_index("event_id")
    fig, axes = plt.subplots(3, 1, figsize=(8, 6.4), sharex=True)
    for ax, (request_id, title, outcome, labels) in zip(axes, EPISODES, strict=False):
        day0 = by_id.loc[request_id, "date"]
        troops = TROOPS.get(request_id)
        if troops:
            _troops_bar(ax, by_id, day0, troops)
        ax.axhline(0, color="#BBBBBB", lw=1, zorder=0)
        ax.axvline(0, color="#444444", lw=0.8, ls="--", zorder=0)
        _episode_events(ax, by_id, day0, labels, troops)
        ax.set_title(title, loc="left", fontsize=10)
        ax.text(
            1.0,
            1.02,
            outcome,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=10,
            fontweight="bold",
            color=style.colour("CSTO") if troops else style.colour("ARM"),
        )
        ax.set_ylim(-1.45, 1.75)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.grid(False)
    ax.set_xlim(*WINDOW)
    ax.set_xlabel("Days since the request to the CSTO (day 0); later events marked with their day")
    style.finish(
        fig, "Kazakhstan got CSTO troops within a day; Armenia got talks and a mission", SOURCE
    )
    return fig


def reported_costs(figures: pd.DataFrame, events: pd.DataFrame) -> plt.Figure:
    """Every source's value for each toll, area and troop number, on a log scale."""
    merged = chronology.comparable_figures(figures, events)
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for y, (event_id, measure, side, _label) in enumerate(COST_PANELS):
        vals = merged[
            (merged.event_id == event_id) & (merged.measure == measure) & (merged.side == side)
        ]["value"]
        # The side's own colour (Azerbaijan's yellow needs its dark edge). One circle per source;
        # no line joins them, as they are different sources' counts.
        ax.plot(
            vals,
            [y] * len(vals),
            "o",
            color=style.colour(side),
            mec="#222222",
            mew=0.8,
            ms=7,
            alpha=0.85,
        )
    ax.set_yticks(range(len(COST_PANELS)), [p[3] for p in COST_PANELS], fontsize=8)
    ax.invert_yaxis()
    style.plain_log_axis(ax, "x")
    ax.set_xlabel("Reported value (log scale); one circle per source")
    style.finish(
        fig,
        "Reported tolls, areas and troop numbers vary widely by source and date",
        "event_figures.csv (sources per row)",
    )
    return fig
