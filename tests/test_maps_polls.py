"""The map of Armenia, the public-opinion panels and the September 2022 area by scope."""

from __future__ import annotations

import math

import matplotlib.path
import pytest

from cstoreport import load_table, style
from cstoreport.analysis import chronology, context, maps
from cstoreport.figures import context as draw_context
from cstoreport.figures import incident_chronology as draw

ARMENIA_KM2 = 29_743  # Armenia's area as Armstat states it


@pytest.fixture(scope="module")
def snapshot():
    return load_table("natural_earth_armenia_raw")


def ring_km2(ring):
    """Area of a lon/lat ring in km², on a local equirectangular projection (good to a few
    tenths of a per cent over a country of Armenia's size)."""
    lat0 = sum(y for _, y in ring) / len(ring)
    kx = maps.km_per_degree_lon(lat0)
    return abs(maps.signed_area([(x * kx, y * maps.KM_PER_DEGREE_LAT) for x, y in ring[:-1]]))


def test_armenia_is_closed_by_its_land_borders_and_has_its_area(snapshot):
    rings = maps.country_rings(maps.boundary_lines(snapshot), "ARM")
    assert all(r[0] == r[-1] for r in rings)
    # the main territory and the Artsvashen exclave; Azerbaijan's enclaves are not Armenia
    assert len(rings) == 2
    area = sum(ring_km2(r) for r in rings)
    assert area == pytest.approx(ARMENIA_KM2, rel=0.03)


def test_a_broken_border_is_refused_with_where_it_breaks(snapshot):
    lines = maps.boundary_lines(snapshot)
    armenian = [i for i, ln in enumerate(lines) if "ARM" in (ln["left"], ln["right"])]
    del lines[armenian[len(armenian) // 2]]
    with pytest.raises(ValueError, match="the boundary of ARM does not close near"):
        maps.country_rings(lines, "ARM")


def test_every_point_feature_sits_at_a_place_and_lines_do_not():
    features = load_table("map_features")
    lines = features["kind"].isin(["russian_guarded_border", "transit_route"])
    assert features.loc[~lines, "place_id"].notna().all()
    assert features.loc[lines, "place_id"].isna().all()


def km_to_ring(point, ring):
    """Shortest distance in km from a point to a ring's edge (local equirectangular)."""
    x, y = point
    kx, ky = maps.km_per_degree_lon(y), maps.KM_PER_DEGREE_LAT
    best = math.inf
    for (x0, y0), (x1, y1) in zip(ring[:-1], ring[1:], strict=True):
        ax, ay, bx, by = (x0 - x) * kx, (y0 - y) * ky, (x1 - x) * kx, (y1 - y) * ky
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def test_places_lie_in_armenia_or_on_its_border(snapshot):
    """Border places (Agarak, Margara, Sev Lich, Kapan) may fall a little outside a 1:10m line;
    none may lie more than 2 km outside it, which would mean a wrong coordinate."""
    ring = max(maps.country_rings(maps.boundary_lines(snapshot), "ARM"), key=len)
    path = matplotlib.path.Path(ring)
    places = load_table("map_places")
    for place in places.itertuples():
        inside = path.contains_point((place.lon, place.lat))
        assert inside or km_to_ring((place.lon, place.lat), ring) < 2, place.name


def test_the_route_follows_the_iranian_border(snapshot):
    route = maps.route_line(maps.boundary_lines(snapshot))
    lons = [x for x, _ in route]
    assert 45.9 < min(lons) < 46.2 and 46.4 < max(lons) < 46.7  # the Meghri section only


def test_the_map_passes_the_house_checks(snapshot):
    style.apply_style()
    fig = draw.armenia_map(
        snapshot, load_table("map_places"), load_table("map_features"), "A title\nin two lines"
    )
    style.check_figure(fig, "armenia_map")


@pytest.fixture(scope="module")
def lines():
    series = context.opinion_series(load_table("public_opinion"))
    return context.opinion_lines(series, load_table("opinion_series"))


def test_answers_are_added_up_within_a_wave(lines):
    leave = lines.set_index("series_id")
    assert leave.loc["S01", "value_pct"] == pytest.approx(27.1 + 16.2)  # definitely + rather yes
    assert leave.loc["S02", "value_pct"] == pytest.approx(19.6 + 19.7)


def test_a_line_is_broken_where_the_question_format_changes(lines):
    partner = lines[lines["series_id"] == "S15"]
    pieces = context.format_runs(partner)
    assert [p["format_id"].iloc[0] for p in pieces] == [
        "iri_partner_several",
        "iri_partner_two",
        "iri_partner_several",
    ]


def test_a_wave_without_every_answer_is_refused():
    series = context.opinion_series(load_table("public_opinion"))
    series = series[series["poll_id"] != "O46"]  # drop "rather yes"
    with pytest.raises(ValueError, match="S01: wave 2022-11 lacks"):
        context.opinion_lines(series, load_table("opinion_series"))


def test_the_september_area_lies_between_the_jermuk_sector_and_a_difference_of_totals():
    values = chronology.area_scope_values(load_table("area_scopes"), load_table("event_figures"))
    by_scope = values.set_index("scope_id")["value_km2"]
    assert by_scope["AS3"] == pytest.approx(139 - 41)
    assert chronology.september_area_bounds(values) == (60.06, 98.0)


def test_a_figure_expression_names_an_unknown_figure():
    with pytest.raises(KeyError, match="V999"):
        chronology.figure_expression(load_table("event_figures"), "V088-V999")


def test_no_axis_mixes_people_and_area(monkeypatch):
    """The costs figure counts people only; a row of km² is refused (the areas have their own
    figure), and the real rows pass."""
    figures, events = load_table("event_figures"), load_table("events")
    draw.reported_costs(figures, events)
    monkeypatch.setattr(draw, "COST_PANELS", [("E101", "area_occupied", "ARM", "area")])
    with pytest.raises(ValueError, match="E101 area_occupied: not a count of people"):
        draw.reported_costs(figures, events)


def test_the_opinion_title_says_what_the_latest_polls_show(lines):
    title = draw_context.opinion_title(lines)
    assert title.startswith("Latest polls: 17% want to stay in the CSTO (July 2024)")
    assert "43% name Russia a main partner, 29% a threat (February 2026)" in title


def test_the_opinion_figure_passes_the_house_checks(lines):
    style.apply_style()
    style.check_figure(draw_context.opinion_questions(lines, "A title"), "opinion_questions")


def test_the_area_figure_passes_the_house_checks():
    style.apply_style()
    values = chronology.area_scope_values(load_table("area_scopes"), load_table("event_figures"))
    style.check_figure(draw.september_area(values, 150, "A title"), "september_area")


def test_every_contested_figure_names_its_claimant():
    figures = load_table("event_figures")
    area = figures[(figures["event_id"] == "E101") & (figures["measure"] == "area_occupied")]
    claimants = area.set_index("figure_id")["claimant"]
    assert claimants["V088"] == "armenian_government"
    assert claimants["V091"] == "independent"  # CivilNet's own satellite count
