"""The redrawn figures of the context and chronology chapters (issue 29): each test reads the
figure function's returned matplotlib Figure, not pixels, and fails if an encoding the issue
fixed comes back (a panel per question, lines broken where a question's format changes, one
unit per axis, linear axes from zero, counts by who counted with the population drawn)."""

from __future__ import annotations

import pandas as pd
import pytest

from cstoreport import load_table, style
from cstoreport.analysis import chronology, context
from cstoreport.figures import context as draw_context
from cstoreport.figures import incident_chronology as draw


@pytest.fixture(scope="module", autouse=True)
def house_style():
    style.apply_style()


@pytest.fixture(scope="module")
def lines():
    series = context.opinion_series(load_table("public_opinion"))
    return context.opinion_lines(series, load_table("opinion_series"))


@pytest.fixture(scope="module")
def figures():
    return load_table("context_figures")


@pytest.fixture(scope="module")
def tolls():
    return load_table("event_figures"), load_table("events")


# --- public opinion ---------------------------------------------------------------------------


def test_one_panel_per_question(lines):
    fig = draw_context.opinion_questions(lines, "A title")
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes if ax.axison]
    assert titles == list(lines.drop_duplicates("panel")["panel_title"])


def test_no_line_joins_two_question_formats(lines):
    """Every drawn line of the IRI partner panel stays within one format, and a dotted line
    marks each of its two format changes."""
    fig = draw_context.opinion_questions(lines, "A title")
    panel = next(ax for ax in fig.axes if ax.get_title(loc="left").startswith("Russia a main pol"))
    partner = lines[lines["series_id"] == "S15"].set_index("plot_date")["format_id"]
    drawn = [ln for ln in panel.get_lines() if ln.get_marker() == "o"]
    for ln in drawn:
        dates = pd.to_datetime(list(ln.get_xdata()))
        assert len({partner[d] for d in dates}) == 1
    assert sum(len(ln.get_xdata()) for ln in drawn) == len(partner)
    changes = [ln for ln in panel.get_lines() if ln.get_linestyle() == ":"]
    assert len(changes) == 2 == len(draw_context.format_changes(lines[lines["panel"] == 6]))


def test_the_opinion_alt_text_counts_panels_and_changes(lines):
    alt = draw_context.opinion_alt(lines)
    assert alt.startswith("10 small panels")
    assert "each of the 4 changes of format" in alt
    assert "17% want to stay in the CSTO (July 2024)" in alt


# --- reported tolls ---------------------------------------------------------------------------


def test_every_toll_panel_has_one_unit_and_a_linear_axis_from_zero(tolls):
    fig = draw.reported_costs(*tolls)
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == len(draw.COST_PANELS)
    units = []
    for ax in panels:
        assert ax.get_xscale() == "linear"
        assert ax.get_xlim()[0] == 0
        label = ax.get_xlabel()
        units.append(label[label.index("(") + 1 : label.index(")")])
    assert set(units) == {"persons", "troops"}
    assert units[-1] == "troops"  # the CSTO's troops apart from the dead


def test_a_toll_mixing_units_is_refused(tolls, monkeypatch):
    figures, events = tolls
    mixed = figures.copy()
    first = mixed.index[(mixed["event_id"] == "E043") & (mixed["measure"] == "troops_deployed")][0]
    mixed.loc[first, "unit"] = "persons"
    with pytest.raises(ValueError, match="E043 troops_deployed: not a count of people in one"):
        draw.reported_costs(mixed, events)


def test_equal_counts_are_stacked_not_hidden():
    assert draw.stacked_levels([225, 238, 225, 230, 238, 500], tolerance=8) == [0, 0, 1, 2, 1, 0]


def test_the_costs_figure_passes_the_house_checks(tolls):
    style.check_figure(draw.reported_costs(*tolls), "chronology_costs")


# --- the timeline (a key figure: a narrow layout too) -------------------------------------


def test_the_timeline_has_a_phone_layout_that_passes_the_checks():
    events = load_table("events")
    narrow = draw.episodes_timeline(events, narrow=True)
    assert narrow.get_figwidth() == 4
    assert len([ax for ax in narrow.axes if ax.axison]) == 3  # stacked, one per request
    assert style.smallest_text_pt(narrow) >= 9
    style.check_figure(narrow, "chronology_timeline_narrow")
    style.check_figure(draw.episodes_timeline(events), "chronology_timeline")


def test_the_timeline_alt_text_gives_the_days():
    alt = draw.timeline_alt(load_table("events"))
    assert "CSTO troops landed on day 1 and stayed until day 14" in alt
    assert "on day 50 the Secretary General called it a border incident" in alt


# --- the September 2022 area and the map ------------------------------------------------------


def test_the_area_alt_text_states_the_bounds():
    values = chronology.area_scope_values(load_table("area_scopes"), load_table("event_figures"))
    alt = draw.september_area_alt(values, 150)
    assert "between 60.06 and 98 km²" in alt
    assert "about 150 km²" in alt


def test_markers_sharing_a_place_are_set_side_by_side():
    points = pd.DataFrame(
        {
            "kind": ["euma_base", "incursion", "capital"],
            "lon": [45.6, 45.6, 44.5],
            "lat": [39.8] * 3,
        }
    )
    shifts = draw.shared_place_shifts(points)
    assert shifts.iloc[0] == -shifts.iloc[1] != 0
    assert shifts.iloc[2] == 0


# --- the exodus ---------------------------------------------------------------------------------


def test_exodus_counts_come_with_their_counter_and_time(figures):
    counts = draw_context.exodus_counts(figures)
    assert set(counts["counter"]) == {"Government of Armenia", "UNHCR"}
    assert counts["when"].is_monotonic_increasing
    row = counts.set_index("figure_id").loc["KF19"]
    assert row["when"] == pd.Timestamp("2023-09-28 14:00")
    assert counts.set_index("figure_id").loc["KF03", "when"] == pd.Timestamp("2023-10-01 12:00")


def test_an_exodus_count_by_an_unknown_counter_is_refused(figures):
    odd = figures.copy()
    odd.loc[odd["figure_id"] == "KF19", "reporter"] = "Someone else (a blog)"
    with pytest.raises(ValueError, match=r"no look for the counter\(s\) \['Someone else'\]"):
        draw_context.exodus_counts(odd)


def test_the_exodus_figure_draws_each_counter_and_the_population(figures):
    fig = draw_context.exodus_figure(figures)
    main = fig.axes[0]
    labels = {ln.get_label() for ln in main.get_lines()}
    assert {"Government of Armenia", "UNHCR"} <= labels
    population = draw_context.exodus_population(figures)
    assert population == 120_000
    assert any(
        ln.get_linestyle() == "--" and set(ln.get_ydata()) == {population}
        for ln in main.get_lines()
    )
    assert main.get_ylim()[0] == 0 and main.get_yscale() == "linear"
    government = next(ln for ln in main.get_lines() if ln.get_label() == "Government of Armenia")
    assert max(government.get_ydata()) == 100_625  # the last count in the window, 3 October
    style.check_figure(fig, "karabakh_exodus")
    narrow = draw_context.exodus_figure(figures, narrow=True)
    assert style.smallest_text_pt(narrow) >= 9
    style.check_figure(narrow, "karabakh_exodus_narrow")


def test_the_exodus_title_and_alt_come_from_the_data(figures):
    assert draw_context.exodus_title(figures) == (
        "By 1 October 2023, 100,490 people from Karabakh had reached Armenia: 84% of its "
        "estimated 120,000"
    )
    alt = draw_context.exodus_alt(figures)
    assert "UNHCR, 1 February 2024: 115,183" in alt
    assert "rise from 2,900 on 25 September to 100,625 on 3 October" in alt
