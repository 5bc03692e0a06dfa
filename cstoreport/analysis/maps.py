"""The map of Armenia's geometry: Natural Earth's boundary lines (the raw snapshot) chained
into Armenia's outline, Lake Sevan, the approximate line of the planned route, and one label
per mapped place. Pure computations; the drawing is in cstoreport.figures.incident_chronology."""

from __future__ import annotations

import math

import pandas as pd

KM_PER_DEGREE_LAT = 111.32
BOUNDARY_LAYER = "ne_10m_admin_0_boundary_lines_land"
LAKE_LAYER = "ne_10m_lakes"
ROUTE_OFFSET_DEG = 0.02  # the route is drawn this far north of the Iranian border line


def boundary_lines(snapshot: pd.DataFrame) -> list[dict]:
    """Each boundary line of the snapshot as {left, right, points: [(lon, lat), ...]}, with the
    countries' Natural Earth codes on its left and right."""
    lines = snapshot[snapshot["layer"] == BOUNDARY_LAYER]
    out = []
    for _, part in lines.groupby(["feature", "part"], sort=True):
        part = part.sort_values("vertex")
        out.append(
            {
                "left": part["adm0_a3_left"].iloc[0],
                "right": part["adm0_a3_right"].iloc[0],
                "points": list(zip(part["lon"], part["lat"], strict=True)),
            }
        )
    return out


def lake(snapshot: pd.DataFrame, name: str = "Lake Sevan") -> list[tuple[float, float]]:
    """The outer ring of a lake of the snapshot."""
    rows = snapshot[
        (snapshot["layer"] == LAKE_LAYER) & (snapshot["name"] == name) & (snapshot["ring"] == 0)
    ].sort_values(["part", "vertex"])
    if rows.empty:
        raise ValueError(f"no lake {name!r} in the snapshot")
    return list(zip(rows["lon"], rows["lat"], strict=True))


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area of an open ring: positive when it runs anticlockwise."""
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs) / 2


def _close(ring: list, pieces: list) -> list:
    """Chain pieces (point lists) onto the ring, end to end, until it closes."""
    while ring[0] != ring[-1]:
        for i, (other, _) in enumerate(pieces):
            if other[0] == ring[-1]:
                ring += other[1:]
            elif other[-1] == ring[-1]:
                ring += other[::-1][1:]
            else:
                continue
            pieces.pop(i)
            break
        else:
            return ring
    return ring


def country_rings(lines: list[dict], code: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a country bounded by land lines only (Armenia has no coast): the
    lines with `code` on one side, chained end to end. A ring is kept when the country lies
    inside it: Natural Earth puts adm0_left on a line's left, and a ring's inside is on its
    left when it runs anticlockwise; neighbours' enclaves come out with the country outside."""
    pieces = [
        (ln["points"], ln["left"] == code) for ln in lines if code in (ln["left"], ln["right"])
    ]
    rings = []
    while pieces:
        points, code_left = pieces.pop(0)
        ring = _close(list(points), pieces)
        if ring[0] != ring[-1]:
            raise ValueError(f"the boundary of {code} does not close near {ring[-1]}")
        if (signed_area(ring[:-1]) > 0) == code_left:
            rings.append(ring)
    return rings


def km_per_degree_lon(lat: float) -> float:
    return KM_PER_DEGREE_LAT * math.cos(math.radians(lat))


def route_line(lines: list[dict]) -> list[tuple[float, float]]:
    """The planned route, approximately: the Armenia-Iran line (the Meghri section's southern
    edge) from west to east, moved 0.02 degrees north so that it reads as inside Armenia."""
    parts = [ln["points"] for ln in lines if {ln["left"], ln["right"]} == {"ARM", "IRN"}]
    points = sorted((p for part in parts for p in part), key=lambda p: p[0])
    return [(x, y + ROUTE_OFFSET_DEG) for x, y in points]


def place_labels(points: pd.DataFrame) -> pd.DataFrame:
    """One label per place: its name, and in brackets what its features add ('Gyumri (102nd
    base)'); a feature whose label is the place's name adds nothing."""
    rows = []
    for place_id, group in points.groupby("place_id", sort=True):
        first = group.iloc[0]
        extras = [label for label in dict.fromkeys(group["label"]) if label != first["name"]]
        text = f"{first['name']} ({'; '.join(extras)})" if extras else first["name"]
        rows.append(
            {
                "place_id": place_id,
                "lon": first["lon"],
                "lat": first["lat"],
                "label_side": first["label_side"],
                "text": text,
            }
        )
    return pd.DataFrame(rows)


def map_points(places: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """The point features of map_features with their place's name, coordinates and label side."""
    points = features[features["place_id"].notna()]
    return points.merge(places, on="place_id", how="left", validate="many_to_one")
