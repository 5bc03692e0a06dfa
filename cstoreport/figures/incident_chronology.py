"""The chronology's figures (three episodes on one axis of days; the spread of reported counts
of people; the September 2022 area by scope; the map of Armenia) and its tables (response lags,
the area by scope)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from cstoreport import style
from cstoreport.analysis import chronology, maps
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
# The costs figure: (event, measure, side, label), one row per measure; counts of people only
# (persons, troops): the areas, in km², have their own figure (september_area).
COST_PANELS = [
    ("E101", "killed", "ARM", "Sept 2022: Armenian dead"),
    ("E105", "killed_military", "AZE", "Sept 2022: Azerbaijani soldiers dead"),
    ("E101", "evacuated", "ARM", "Sept 2022: displaced in Armenia"),
    ("E014", "soldiers_involved", "AZE", "May 2021: Azerbaijani soldiers inside"),
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
    """Every source's count of people for each toll and troop number, on a log scale. A row
    whose figures are not counts of people is refused: no axis mixes units."""
    merged = chronology.comparable_figures(figures, events)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for y, (event_id, measure, side, _label) in enumerate(COST_PANELS):
        rows = merged[
            (merged.event_id == event_id) & (merged.measure == measure) & (merged.side == side)
        ]
        if set(rows["unit"]) - PEOPLE_UNITS:
            raise ValueError(f"{event_id} {measure}: not a count of people ({set(rows['unit'])})")
        # The side's own colour (Azerbaijan's yellow needs its dark edge). One circle per source;
        # no line joins them, as they are different sources' counts.
        ax.plot(
            rows["value"],
            [y] * len(rows),
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
    ax.set_xlabel("Reported number of people (log scale); one circle per source")
    style.finish(
        fig,
        "Reported tolls and troop numbers vary widely by source and date",
        "event_figures.csv (sources per row)",
    )
    return fig


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
    fig, ax = plt.subplots(figsize=(8, 4.4))
    for y, row in shown.iterrows():
        ax.plot([0, row["value_km2"]], [y, y], color="#BBBBBB", lw=1, zorder=1)
        marker = READINGS[row["reading"]][0]
        ax.plot(row["value_km2"], y, ls="none", marker=marker, ms=9, color="#000000", zorder=3)
        ax.annotate(
            f"{row['value_km2']:g}",
            (row["value_km2"], y),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axvline(article_km2, color="#555555", lw=1.5, ls="--", zorder=2)
    ax.annotate(
        f"the article: about {article_km2:g}",
        (article_km2, -0.5),
        xytext=(-4, 2),
        textcoords="offset points",
        va="top",
        ha="right",
        fontsize=8,
    )
    labels = [
        f"{label}\n({READINGS[reading][1]})"
        for label, reading in zip(shown["label"], shown["reading"], strict=True)
    ]
    ax.set_yticks(range(len(shown)), labels, fontsize=7.5)
    ax.set_ylim(len(shown) - 0.5, -0.9)
    ax.set_xlim(0, max(shown["value_km2"].max(), article_km2) * 1.12)
    ax.set_xlabel("Area of Armenia held by Azerbaijani forces (km²)")
    style.finish(fig, title, "event_figures.csv, area_scopes.csv (sources per row)")
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


def _draw_points(ax, points: pd.DataFrame) -> None:
    """Markers by kind, then one label per place beside it (below the markers, so that a label
    never hides one; left out of the layout, which the map's fixed aspect decides)."""
    for rank, kind in enumerate(MARKERS):
        rows = points[points["kind"] == kind]
        if not rows.empty:
            ax.plot(rows["lon"], rows["lat"], ls="none", zorder=5 + rank / 10, **MARKERS[kind])
    for row in maps.place_labels(points).itertuples():
        dx, dy = OFFSETS[row.label_side]
        ax.annotate(
            row.text,
            (row.lon, row.lat),
            xytext=(dx * LABEL_GAP_PT, dy * LABEL_GAP_PT),
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
        fig, title, "Natural Earth 1:10m (public domain); map_places.csv, map_features.csv"
    )
    fig.subplots_adjust(bottom=0.21, top=0.9)
    return fig
