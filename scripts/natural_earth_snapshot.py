"""Cut the few Natural Earth features the map of Armenia needs into data/raw/ (maintainer tool).

Not part of the build: the build reads only the committed snapshot. Run once by hand, from
a local copy of the repository martynafford/natural-earth-geojson (Natural Earth's 1:10m
vectors converted to GeoJSON with GDAL; the data are public domain, the repository CC0):

    python scripts/natural_earth_snapshot.py LINE_FILE LAKE_FILE data/raw/natural_earth_armenia.csv

LINE_FILE is 10m/cultural/ne_10m_admin_0_boundary_lines_land.json, LAKE_FILE the unpacked
10m/physical/ne_10m_lakes.7z. Features are copied whole (coordinates and the properties
kept below unchanged); only which features to keep is decided here: every land boundary line
with a vertex inside BBOX, and Lake Sevan. The cut is written as a table, one row per vertex
(feature, part, ring, vertex), so that the data package validates it like every other table;
the coordinates are the GeoJSON's numbers, written as read.
"""

from __future__ import annotations

import csv
import json
import sys

BBOX = (42.5, 38.3, 47.6, 41.9)  # lon_min, lat_min, lon_max, lat_max
LINE_PROPS = ("featurecla", "adm0_left", "adm0_right", "adm0_a3_l", "adm0_a3_r", "type")
LAKES = ("Lake Sevan",)


def _lines(geometry: dict) -> list:
    coords = geometry["coordinates"]
    return [coords] if geometry["type"] == "LineString" else coords


def _inside(points) -> bool:
    lon0, lat0, lon1, lat1 = BBOX
    return any(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in points)


def cut(lines: dict, lakes: dict) -> dict:
    features = []
    for feature in lines["features"]:
        if any(_inside(line) for line in _lines(feature["geometry"])):
            props = {k: feature["properties"].get(k) for k in LINE_PROPS}
            props["layer"] = "ne_10m_admin_0_boundary_lines_land"
            features.append(
                {"type": "Feature", "properties": props, "geometry": feature["geometry"]}
            )
    for feature in lakes["features"]:
        if feature["properties"].get("name") in LAKES:
            props = {"name": feature["properties"]["name"], "layer": "ne_10m_lakes"}
            features.append(
                {"type": "Feature", "properties": props, "geometry": feature["geometry"]}
            )
    features.sort(
        key=lambda f: (
            f["properties"]["layer"],
            str(f["properties"].get("adm0_a3_l")),
            str(f["properties"].get("adm0_a3_r")),
            json.dumps(f["geometry"]["coordinates"])[:80],
        )
    )
    return {"type": "FeatureCollection", "features": features}


COLUMNS = (
    "feature",
    "layer",
    "name",
    "adm0_left",
    "adm0_right",
    "adm0_a3_left",
    "adm0_a3_right",
    "featurecla",
    "part",
    "ring",
    "vertex",
    "lon",
    "lat",
)


def vertex_rows(collection: dict):
    """One row per vertex: lines have one ring (0) per part; polygons their rings in order."""
    for number, feature in enumerate(collection["features"], start=1):
        p, g = feature["properties"], feature["geometry"]
        if g["type"] in ("LineString", "MultiLineString"):
            parts = [[ring] for ring in _lines(g)]
        else:
            parts = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for part_no, part in enumerate(parts):
            for ring_no, ring in enumerate(part):
                for vertex_no, (lon, lat) in enumerate(ring):
                    yield {
                        "feature": number,
                        "layer": p["layer"],
                        "name": p.get("name") or "",
                        "adm0_left": p.get("adm0_left") or "",
                        "adm0_right": p.get("adm0_right") or "",
                        "adm0_a3_left": p.get("adm0_a3_l") or "",
                        "adm0_a3_right": p.get("adm0_a3_r") or "",
                        "featurecla": p.get("featurecla") or "",
                        "part": part_no,
                        "ring": ring_no,
                        "vertex": vertex_no,
                        "lon": repr(lon),
                        "lat": repr(lat),
                    }


if __name__ == "__main__":
    lines_path, lakes_path, out_path = sys.argv[1:4]
    with open(lines_path, encoding="utf-8") as f:
        lines = json.load(f)
    with open(lakes_path, encoding="utf-8") as f:
        lakes = json.load(f)
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(vertex_rows(cut(lines, lakes)))
