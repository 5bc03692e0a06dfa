"""The chronology's figures (three episodes on one axis of days; the spread of reported counts
of people; the September 2022 area by scope; the map of Armenia) and its tables (response lags,
the area by scope)."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from cstoreport import style
from cstoreport.analysis import chronology, maps
from cstoreport.gluing import REPORT_DATE_MARK

SOURCE = "CSTO statements; the governments of Armenia and Kazakhstan; news agencies"
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
# The costs figure: (event, measure, side, label), one row per measure; counts of people only
# (persons, troops): the areas, in km², have their own figure (september_area).
COST_PANELS = [
    ("E101", "killed", "ARM", "Armenian dead, Sept 2022"),
    ("E105", "killed_military", "AZE", "Azerbaijani soldiers dead, Sept 2022"),
    ("E101", "evacuated", "ARM", "Displaced in Armenia, Sept 2022"),
    ("E014", "soldiers_involved", "AZE", "Azerbaijani soldiers inside, May 2021"),
    ("E033", "killed", "KAZ", "Dead in Kazakhstan, Jan 2022"),
    ("E043", "troops_deployed", "CSTO", "CSTO troops deployed, Jan 2022"),
]
COSTS_TITLE = "Reported tolls and troop numbers vary by source and date"
COSTS_SOURCE = (
    "officials of Armenia, Azerbaijan, Kazakhstan and the CSTO, and the IFRC, "
    "as reported by news agencies"
)
COSTS_TEXT_PT = 9.0
COSTS_DOT_PT2 = 45  # marker area in pt²
COSTS_STACK_SHARE = 0.03  # values closer than this share of the axis share a stack


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


def _troops_bar(ax, by_id, day0, troops, inside: bool = True) -> None:
    """The CSTO's troops on the ground as a thick bar, labelled inside it (wide) or above it,
    clear of the event markers (narrow)."""
    start = (by_id.loc[troops[0], "date"] - day0).days
    end = (by_id.loc[troops[1], "end_date"] - day0).days
    ax.barh(0, end - start, left=start, height=0.55, color=style.colour("CSTO"), alpha=0.85)
    ax.text(
        start + 0.6 if inside else start + 3.5,
        0 if inside else 0.4,
        f"CSTO troops, days {start}\u2013{end}",
        va="center" if inside else "bottom",
        ha="left",
        fontsize=9,
        color="white" if inside else style.colour("CSTO"),
        fontweight="bold",
    )


def _episode_events(ax, by_id, day0, labels, troops, layout) -> None:
    same_day_before = {}
    for event_id, (label, level, shift) in labels.items():
        label, level, shift = layout["labels"].get(event_id, (label, level, shift))
        e = by_id.loc[event_id]
        day = (e.date - day0).days
        # Events of the same day side by side, in the order they happened.
        shown = min(day, WINDOW[1] - 0.5) + layout["same_day_gap"] * same_day_before.get(day, 0)
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
            ms=layout["ms"],
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


TIMELINE_TITLE = "Kazakhstan got CSTO troops within a day; Armenia got talks and a mission"
TIMELINE_XLABEL = "Days since the request to the CSTO (day 0); later events marked with their day"
# The wide layout, and the phone's (4 in wide, every text at least 9 pt): labels that would
# collide in the narrow panels move to other heights or shorten.
TIMELINE_LAYOUTS = {
    "wide": {"size": (8, 6.4), "ylim": (-1.45, 1.75), "ms": 7, "same_day_gap": 0.3, "labels": {}},
    "narrow": {
        "size": (4, 8.6),
        "ylim": (-2.3, 2.6),
        "ms": 6,
        "same_day_gap": 0.7,
        "titles": {"E034": "Kazakhstan, Jan 2022", "E107": "Armenia, Sept 2022"},
        "labels": {
            "E014": ("incursion", 1, -1),
            "E026": ("ministers meet", 2, 1.5),
            "E028": ('"border incident"', -2, 0),
            "E033": ("protests", 1, 0),
            "E036": ("decision", 2, -1.5),
            "E037": ("troops land", 3, 3),
            "E048": ("withdrawal", -1, 1),
            "E101": ("attack", 1, -1.5),
            "E107": ("appeal", -1, -1),
            "E110": ("decision: a mission", 3, 3.5),
            "E114": ("advance group", 2, 5),
            "E117": ("SG's mission", -2, 3),
            "E123": ("report discussed", 1, 0),
        },
    },
}


def episodes_timeline(events: pd.DataFrame, *, narrow: bool = False) -> plt.Figure:
    """Each request to the CSTO on a common axis of days since the request; `narrow` lays the
    same panels out for a phone."""
    layout = TIMELINE_LAYOUTS["narrow" if narrow else "wide"]
    by_id = events.set_index("event_id")
    fig, axes = plt.subplots(3, 1, figsize=layout["size"], sharex=True)
    for ax, (request_id, title, outcome, labels) in zip(axes, EPISODES, strict=False):
        day0 = by_id.loc[request_id, "date"]
        troops = TROOPS.get(request_id)
        if troops:
            _troops_bar(ax, by_id, day0, troops, inside=not narrow)
        ax.axhline(0, color="#BBBBBB", lw=1, zorder=0)
        ax.axvline(0, color="#444444", lw=0.8, ls="--", zorder=0)
        _episode_events(ax, by_id, day0, labels, troops, layout)
        ax.set_title(layout.get("titles", {}).get(request_id, title), loc="left", fontsize=10)
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
        ax.set_ylim(*layout["ylim"])
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.grid(False)
    ax.set_xlim(*WINDOW)
    if narrow:
        ax.set_xlabel(textwrap.fill(TIMELINE_XLABEL, 44))
        style.finish_narrow(fig, TIMELINE_TITLE, SOURCE)
    else:
        ax.set_xlabel(TIMELINE_XLABEL)
        style.finish(fig, TIMELINE_TITLE, SOURCE)
    return fig


def timeline_alt(events: pd.DataFrame) -> str:
    """The timeline's finding with its key numbers, from the events."""
    by_id = events.set_index("event_id")

    def days(event_id: str, request_id: str, column: str = "date") -> int:
        return int((by_id.loc[event_id, column] - by_id.loc[request_id, "date"]).days)

    start, end = TROOPS["E034"]
    return (
        "Three timelines on a common axis of days since each request to the CSTO. "
        f"Kazakhstan, January 2022: CSTO troops landed on day {days(start, 'E034')} and stayed "
        f"until day {days(end, 'E034', 'end_date')}. Armenia, May 2021: foreign ministers met "
        f"on day {days('E026', 'E022')}, and on day {days('E028', 'E022')} the Secretary General "
        "called it a border incident; no troops. Armenia, September 2022: a decision to send a "
        f"mission on day {days('E110', 'E107')}, the Secretary General's mission on day "
        f"{days('E117', 'E107')}, the report discussed on day {days('E123', 'E107')}; no troops."
    )


def stacked_levels(values, tolerance: float) -> list[int]:
    """A dot's level in its stack: values within `tolerance` of the first of a run share a
    column and are stacked upwards in the order given, so that no dot hides another."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    levels, start, level = [0] * len(values), None, 0
    for i in order:
        if start is None or values[i] - start > tolerance:
            start, level = values[i], 0
        else:
            level += 1
        levels[i] = level
    return levels


def _costs_levels(rows: pd.DataFrame) -> tuple[list[float], list[int], float]:
    values = list(rows["value"].astype(float))
    high = max(values) * 1.15
    return values, stacked_levels(values, COSTS_STACK_SHARE * high), high


def _costs_panel(ax, rows: pd.DataFrame, side: str, label: str, unit: str, top: float) -> None:
    """One toll: one dot per source on a linear axis from zero, in its own unit; sources that
    agree (or nearly) are stacked, not drawn on top of each other (one dot is one height in
    every panel: `top` is the highest stack of all)."""
    values, levels, high = _costs_levels(rows)
    ax.scatter(
        values,
        levels,
        s=COSTS_DOT_PT2,
        color=style.colour(side),
        edgecolors="#222222",
        linewidths=0.8,
        zorder=3,
    )
    low, most = min(values), max(values)
    spread = (
        style.fmt_number(low)
        if low == most
        else f"{style.fmt_number(low)}\u2013{style.fmt_number(most)}"
    )
    ax.set_title(f"{label}: {spread}", loc="left", fontsize=COSTS_TEXT_PT, fontweight="bold")
    ax.set_xlim(0, high)
    ax.set_ylim(-0.8, top + 0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    style.number_axis(ax, "x")
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.tick_params(labelsize=COSTS_TEXT_PT)
    ax.set_xlabel(f"Reported number ({unit})", fontsize=COSTS_TEXT_PT)


def cost_rows(
    figures: pd.DataFrame, events: pd.DataFrame
) -> list[tuple[str, str, str, pd.DataFrame]]:
    """(side, label, unit, rows) for each toll of COST_PANELS: the figures that cover the whole
    event; a toll whose rows mix units, or are not counts of people, is refused."""
    merged = chronology.comparable_figures(figures, events)
    panels = []
    for event_id, measure, side, label in COST_PANELS:
        rows = merged[
            (merged.event_id == event_id) & (merged.measure == measure) & (merged.side == side)
        ]
        units = set(rows["unit"])
        if units - PEOPLE_UNITS or len(units) != 1:
            raise ValueError(f"{event_id} {measure}: not a count of people in one unit ({units})")
        panels.append((side, label, units.pop(), rows))
    return panels


def reported_costs(figures: pd.DataFrame, events: pd.DataFrame) -> plt.Figure:
    """Every source's count for each toll and troop number: one panel per toll, each on a
    linear axis from zero in its own unit (persons or troops); no axis mixes units."""
    panels = cost_rows(figures, events)
    nrow = -(-len(panels) // 2)
    fig, axes = plt.subplots(nrow, 2, figsize=(8, 1.75 * nrow + 1.1))
    top = max(max(_costs_levels(rows)[1]) for *_, rows in panels)
    for ax, (side, label, unit, rows) in zip(axes.ravel(), panels, strict=False):
        _costs_panel(ax, rows, side, label, unit, top)
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    style.finish(fig, COSTS_TITLE, COSTS_SOURCE)
    return fig


def costs_alt(figures: pd.DataFrame, events: pd.DataFrame) -> str:
    """The costs figure's finding with each toll's range and number of sources."""
    parts = []
    for _, label, unit, rows in cost_rows(figures, events):
        low, high = rows["value"].min(), rows["value"].max()
        parts.append(
            f"{label}: {style.fmt_number(low)} to {style.fmt_number(high)} {unit} "
            f"({len(rows)} sources)"
        )
    return (
        "Six small dot charts, one per toll, each on its own linear scale from zero in its own "
        "unit, one dot per source: " + "; ".join(parts) + "."
    )


# --- the September 2022 area by scope ----------------------------------------------------------

PEOPLE_UNITS = {"persons", "troops"}
READINGS = {
    "lower_bound": (">", "September gain at least"),
    "upper_bound": ("<", "September gain at most"),
    "wider_total": ("s", "a wider total"),
}
CLAIMANT_WORDS = {
    "armenian_government": "Armenian government",
    "azerbaijani_government": "Azerbaijani government",
    "russian_government": "Russian government",
    "independent": "independent",
}


def september_area(values: pd.DataFrame, article_km2: float, title: str) -> plt.Figure:
    """The area of Armenia taken in September 2022, scope by scope (chronology.area_scope_values;
    km², linear axis), with the article's figure as a dashed line."""
    shown = values.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 5.2))
    for y, row in shown.iterrows():
        ax.plot([0, row["value_km2"]], [y, y], color="#BBBBBB", lw=1, zorder=1)
        marker = READINGS[row["reading"]][0]
        ax.plot(row["value_km2"], y, ls="none", marker=marker, ms=9, color="#000000", zorder=3)
        # A label that would cross the article's line goes on the left of its marker.
        left = 0 < article_km2 - row["value_km2"] < 0.1 * article_km2
        ax.annotate(
            style.fmt_number(row["value_km2"], 2 if row["value_km2"] % 1 else 0),
            (row["value_km2"], y),
            xytext=(-8 if left else 7, 0),
            textcoords="offset points",
            va="center",
            ha="right" if left else "left",
            fontsize=9,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"} if left else None,
        )
    ax.axvline(article_km2, color="#555555", lw=1.5, ls="--", zorder=2)
    ax.annotate(
        f"the article: about {style.fmt_number(article_km2)}",
        (article_km2, -0.5),
        xytext=(-4, 2),
        textcoords="offset points",
        va="top",
        ha="right",
        fontsize=9,
    )
    labels = [
        f"{label}\n({READINGS[reading][1]})"
        for label, reading in zip(shown["label"], shown["reading"], strict=True)
    ]
    ax.set_yticks(range(len(shown)), labels, fontsize=9)
    ax.set_ylim(len(shown) - 0.5, -0.9)
    ax.set_xlim(0, max(shown["value_km2"].max(), article_km2) * 1.12)
    style.number_axis(ax, "x")
    ax.set_xlabel("Area of Armenia held by Azerbaijani forces (km²)")
    style.finish(fig, title, "Armenian officials and CivilNet, as reported by news agencies")
    return fig


def september_area_table(values: pd.DataFrame, cite) -> pd.DataFrame:
    """The area by scope for the chapter page: value, reading, claimant, sources."""
    return pd.DataFrame(
        {
            "Scope": values["label"],
            "km²": values["value_km2"].map(lambda v: f"{v:g}"),
            "Reading": values["reading"].map(lambda r: READINGS[r][1]),
            "Claimed by": values["claimants"].map(
                lambda c: "; ".join(
                    CLAIMANT_WORDS.get(x, x.replace("_", " ")) for x in c.split(";")
                )
            ),
            "Sources": values["source_ids"].map(cite),
        }
    )


# --- the map of Armenia ------------------------------------------------------------------------

# The map's finding: every crossing Russian guards held is in map_features with the day they
# left (Zvartnots 2024, Agarak 2024, Margara 2025; Akhurik 2026, unmapped), and the EU mission's
# bases line the border with Azerbaijan.
MAP_TITLE = (
    "Russian guards have handed over every crossing;\nEU monitors watch the border with Azerbaijan"
)
EXTENT = (43.3, 47.2, 38.62, 41.4)  # lon_min, lon_max, lat_min, lat_max
LAND_FILL = "#F4F1EA"
ARMENIA_FILL = "#E3DCCB"
WATER = "#C6DBEF"
BORDER = "#555555"
ROUTE = {"color": "#009E73", "lw": 2.2, "ls": (0, (3, 1.5))}
GUARDED = {"color": style.colour("RUS"), "lw": 4, "alpha": 0.35}
GUARDED_PAIRS = ({"ARM", "TUR"}, {"ARM", "IRN"})
# One look per kind of point feature; the EU and Russia keep their house colours.
MARKERS = {
    "capital": {"marker": "*", "ms": 11, "color": "#000000"},
    "russian_base": {"marker": "s", "ms": 9, "color": style.colour("RUS")},
    "former_russian_post": {
        "marker": "X",
        "ms": 9,
        "color": style.colour("RUS"),
        "mec": "white",
        "mew": 0.6,
    },
    "euma_headquarters": {"marker": "D", "ms": 9, "color": style.colour("EU")},
    "euma_base": {"marker": "D", "ms": 6, "color": style.colour("EU"), "mfc": "white", "mew": 1.5},
    "incursion": {
        "marker": "o",
        "ms": 16,
        "color": style.colour("AZE"),
        "mec": "#222222",
        "mew": 0.8,
        "alpha": 0.8,
    },
}
LEGEND = {
    "capital": "Capital",
    "russian_base": "Russian 102nd military base",
    "former_russian_post": "Crossing Russian guards left (year)",
    "euma_headquarters": "EU mission (EUMA) headquarters",
    "euma_base": "EUMA forward operating base",
    "incursion": "Azerbaijani advance (place, not area)",
    "russian_guarded_border": "Guarded by Russian troops (2024 agreement)",
    "transit_route": "Planned TRIPP route (approximate)",
}
NEIGHBOURS = [
    ("GEORGIA", 44.2, 41.3),
    ("TURKEY", 43.65, 39.4),
    ("IRAN", 44.55, 39.05),
    ("AZERBAIJAN", 46.55, 40.95),
    ("NAKHCHIVAN\n(Azerbaijan)", 45.0, 39.3),
    ("ARMENIA", 44.55, 40.55),
]
OFFSETS = {
    "N": (0, 1),
    "S": (0, -1),
    "E": (1, 0),
    "W": (-1, 0),
    "NE": (0.75, 0.75),
    "NW": (-0.75, 0.75),
    "SE": (0.75, -0.75),
    "SW": (-0.75, -0.75),
}
LABEL_GAP_PT = 9
SHARED_PLACE_GAP_PT = 12  # between the centres of two markers at one place
SCALE_KM = 50


def _draw_ground(ax, snapshot: pd.DataFrame, lines: list[dict], kinds: set) -> None:
    """Armenia's fill, Lake Sevan, every boundary line, the Russian-guarded lines, the route."""
    ax.set_facecolor(LAND_FILL)
    for ring in maps.country_rings(lines, "ARM"):
        ax.add_patch(Polygon(ring, closed=True, fc=ARMENIA_FILL, ec="none", zorder=1))
    sevan = Polygon(maps.lake(snapshot), closed=True, fc=WATER, ec="#6A9AC4", lw=0.6, zorder=2)
    ax.add_patch(sevan)
    for ln in lines:
        xs, ys = zip(*ln["points"], strict=True)
        armenian = "ARM" in (ln["left"], ln["right"])
        ax.plot(xs, ys, color=BORDER, lw=1.4 if armenian else 0.8, zorder=3)
        if "russian_guarded_border" in kinds and {ln["left"], ln["right"]} in GUARDED_PAIRS:
            ax.plot(xs, ys, zorder=2.5, solid_capstyle="round", **GUARDED)
    if "transit_route" in kinds:
        xs, ys = zip(*maps.route_line(lines), strict=True)
        ax.plot(xs, ys, zorder=4, **ROUTE)
    for name, x, y in NEIGHBOURS:
        weight = "bold" if name == "ARMENIA" else "normal"
        ax.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=9,
            color="#777777",
            fontweight=weight,
            zorder=2,
        )


def shared_place_shifts(points: pd.DataFrame) -> pd.Series:
    """A horizontal shift in points for each marker: markers of several kinds at one place
    (Jermuk: an EU base and an advance) sit side by side, centred on the place, instead of
    hiding each other; a place with one marker keeps it where it is."""
    rank = points["kind"].map({kind: i for i, kind in enumerate(MARKERS)})
    order = rank.groupby([points["lon"], points["lat"]]).rank(method="first") - 1
    count = points.groupby(["lon", "lat"])["kind"].transform("size")
    return (order - (count - 1) / 2) * SHARED_PLACE_GAP_PT


def _draw_points(ax, points: pd.DataFrame) -> None:
    """Markers by kind, then one label per place beside it (below the markers, so that a label
    never hides one; left out of the layout, which the map's fixed aspect decides)."""
    shifts = shared_place_shifts(points)
    for rank, kind in enumerate(MARKERS):
        rows = points[points["kind"] == kind]
        for shift, group in rows.groupby(shifts[rows.index], sort=True):
            ax.plot(
                group["lon"],
                group["lat"],
                ls="none",
                zorder=5 + rank / 10,
                transform=offset_copy(ax.transData, fig=ax.figure, x=shift, units="points"),
                **MARKERS[kind],
            )
    # Clear of the markers: of markers set side by side, and of the largest marker's edge.
    radius = points["kind"].map(lambda k: MARKERS[k]["ms"] / 2 + 5 - LABEL_GAP_PT).clip(lower=0)
    widest = (shifts.abs() + radius).groupby([points["lon"], points["lat"]]).max()
    for row in maps.place_labels(points).itertuples():
        dx, dy = OFFSETS[row.label_side]
        aside = widest.get((row.lon, row.lat), 0.0)
        ax.annotate(
            row.text,
            (row.lon, row.lat),
            xytext=(dx * (LABEL_GAP_PT + aside), dy * (LABEL_GAP_PT + aside)),
            textcoords="offset points",
            ha="left" if dx > 0 else "right" if dx < 0 else "center",
            va="bottom" if dy > 0 else "top" if dy < 0 else "center",
            fontsize=8,
            zorder=4.5,
            in_layout=False,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )


def _draw_scale(ax, lon: float, lat: float) -> None:
    """A bar of SCALE_KM along the parallel at `lat`, where the map's scale is true."""
    width = SCALE_KM / maps.km_per_degree_lon(lat)
    ax.plot([lon, lon + width], [lat, lat], color="black", lw=3, solid_capstyle="butt", zorder=6)
    ax.text(lon + width / 2, lat + 0.04, f"{SCALE_KM} km", ha="center", va="bottom", fontsize=8)


def _map_legend(fig, kinds: set) -> None:
    handles, names = [], []
    for kind in MARKERS:
        if kind in kinds:
            handles.append(Line2D([], [], ls="none", **MARKERS[kind]))
            names.append(LEGEND[kind])
    for kind, look in (("russian_guarded_border", GUARDED), ("transit_route", ROUTE)):
        if kind in kinds:
            handles.append(Line2D([], [], **look))
            names.append(LEGEND[kind])
    fig.legend(
        handles,
        names,
        loc="lower center",
        ncol=2,
        fontsize=8,
        bbox_to_anchor=(0.5, 0.035),
        handlelength=2.0,
        columnspacing=1.0,
    )


def armenia_map(
    snapshot: pd.DataFrame, places: pd.DataFrame, features: pd.DataFrame, title: str
) -> plt.Figure:
    """Natural Earth's lines around Armenia, Lake Sevan, and the features of map_features at the
    places of map_places, with a legend, a scale bar, a title and a source line (the axes are
    off: a map's degrees need no tick labels; the scale bar gives the unit)."""
    lines = maps.boundary_lines(snapshot)
    lon0, lon1, lat0, lat1 = EXTENT
    kinds = set(features["kind"])
    fig, ax = plt.subplots(figsize=(7, 6.9))
    _draw_ground(ax, snapshot, lines, kinds)
    _draw_points(ax, maps.map_points(places, features))
    _draw_scale(ax, lon0 + 0.1, lat0 + 0.45)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / math.cos(math.radians((lat0 + lat1) / 2)))
    ax.set_axis_off()
    _map_legend(fig, kinds)
    style.finish(
        fig,
        title,
        "Natural Earth (public domain); places from official statements and news agencies",
    )
    fig.subplots_adjust(bottom=0.21, top=0.9)
    return fig


def september_area_alt(values: pd.DataFrame, article_km2: float) -> str:
    """The area figure's finding with every scope's value, from the data."""
    low, high = chronology.september_area_bounds(values)
    parts = [
        f"{label} {style.fmt_number(v, 2 if v % 1 else 0)} ({READINGS[reading][1]})"
        for label, v, reading in zip(
            values["label"], values["value_km2"], values["reading"], strict=True
        )
    ]
    return (
        f"Dot chart of {len(values)} figures for the area of Armenia held by Azerbaijani forces, "
        f"in km²: " + "; ".join(parts) + f". The September 2022 gain lies between "
        f"{style.fmt_number(low, 2 if low % 1 else 0)} and {style.fmt_number(high)} km²; a "
        f"dashed line marks the article's figure of about {style.fmt_number(article_km2)} km², "
        "above that range."
    )


def map_alt(places: pd.DataFrame, features: pd.DataFrame) -> str:
    """The map's finding: which places stand for what, from map_places and map_features."""
    points = maps.map_points(places, features)
    parts = []
    for kind, words in LEGEND.items():
        names = sorted(points.loc[points["kind"] == kind, "name"])
        if names:
            parts.append(f"{words}: {', '.join(names)}")
    return (
        "Map of Armenia and its neighbours with Lake Sevan and a 50 km scale bar. "
        + "; ".join(parts)
        + ". The borders with Turkey and Iran are shaded where Russian troops guard them, and a "
        "dashed line in the far south marks the approximate planned TRIPP route."
    )
