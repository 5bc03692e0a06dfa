"""The story figures (overview, membership, organisation, drift): each passes the house check,
the key figures have a narrow layout, and the encodings issue 29 asked for stay drawn."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from cstoreport import load_table, style
from cstoreport.analysis import drift, membership
from cstoreport.figures import drift as draw_drift
from cstoreport.figures import membership_history as draw_membership
from cstoreport.figures import organisation as draw_organisation
from cstoreport.figures import overview as draw_overview

FAMILIES = [
    ("CRDF", "whole", "Rapid Deployment Force, Central Asia"),
    ("CRRF", "whole", "Rapid Reaction Force"),
    ("peacekeeping", "military", "Peacekeeping forces: military"),
    ("peacekeeping", "whole", "Peacekeeping forces: total"),
    ("peacekeeping", "police", "Peacekeeping forces: police"),
]


@pytest.fixture(scope="module", autouse=True)
def house_style():
    style.apply_style()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def story():
    lags = load_table("response_lags").set_index("request_id")
    steps = load_table("armenia_disengagement")
    context = load_table("context_events").set_index("event_id")
    events, figures = load_table("events"), load_table("event_figures")
    return lags, steps, context, events, figures


@pytest.fixture(scope="module")
def history():
    events = load_table("membership_events")
    steps = load_table("armenia_disengagement")
    states = load_table("states")
    names = dict(zip(states["state_iso3"], states["name"], strict=True))
    return membership.spells(events, steps), events[events["preferred"]], names, steps


@pytest.fixture(scope="module")
def people():
    forces = load_table("collective_forces")
    return forces[
        (forces["unit"] == "personnel") & forces["size"].notna() & forces["year_of_figure"].notna()
    ]


def texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible()]


def test_the_troops_sent_are_the_reported_range_and_none_for_armenia(story):
    lags, _, _, events, figures = story
    troops = draw_overview.troops_sent(lags, events, figures).set_index("request_id")
    assert (troops.loc["E034", "low"], troops.loc["E034", "high"]) == (2000, 2500)
    assert troops.loc["E034", "sources"] == 6
    assert (troops.loc[["E022", "E107"], "high"] == 0).all()


def test_troops_counted_without_a_deployment_are_refused(story):
    lags, _, _, events, figures = story
    broken = lags.copy()
    broken.loc["E034", "lag_to_deployment_days"] = pd.NA
    with pytest.raises(ValueError, match="E034: troops counted and the deployment lag disagree"):
        draw_overview.troops_sent(broken, events, figures)


def test_the_overview_draws_the_troops_contrast_on_a_linear_axis(story):
    lags, steps, context, events, figures = story
    troops = draw_overview.troops_sent(lags, events, figures)
    for narrow in (False, True):
        fig = draw_overview.story_timeline(lags, steps, context, troops, narrow=narrow)
        top = fig.axes[0]
        assert top.get_xscale() == "linear" and top.get_xlim()[0] == 0
        bars = [p for p in top.patches if isinstance(p, Rectangle) and p.get_width() > 0]
        assert [b.get_width() for b in bars] == [2000]  # Kazakhstan's bar, to the lowest report
        reach = max(max(line.get_xdata()) for line in top.get_lines())
        assert reach == 2500  # and a line to the highest
        shown = " ".join(texts(fig))
        assert "2,000\u20132,500 troops" in shown and "none: a mission" in shown
        assert "none: consultations" in shown
        style.check_figure(fig, "overview_summary")  # no piled markers, no overlaps
        plt.close(fig)


def test_the_overview_has_a_narrow_layout_of_stacked_panels(story):
    lags, steps, context, events, figures = story
    troops = draw_overview.troops_sent(lags, events, figures)
    fig = draw_overview.story_timeline(lags, steps, context, troops, narrow=True)
    assert fig.get_figwidth() == 4 and style.smallest_text_pt(fig) >= 9
    tops = [ax.get_position().y0 for ax in fig.axes]
    assert len(tops) == 3 and tops == sorted(tops, reverse=True)
    plt.close(fig)


def test_the_overview_alt_text_carries_the_key_numbers(story):
    lags, steps, context, events, figures = story
    troops = draw_overview.troops_sent(lags, events, figures)
    forms = membership.steps_by_form(steps)
    alt = draw_overview.overview_alt(troops, steps, lags, context)
    assert (
        "Kazakhstan, Jan 2022: a decision and troops the next day, 2,000\u20132,500 troops "
        "(6 sources)" in alt
    )
    assert "Armenia, Sep 2022: a decision the same day, a mission, no troops;" not in alt
    assert "Armenia, Sep 2022: a decision the same day, a mission, no troops." in alt
    assert f"{forms['formal_act']} formal acts" in alt and "February 2024 freeze" in alt
    assert "from November 2020 to June 2024" in alt


def test_dodged_markers_never_share_a_level_when_close():
    dates = list(pd.to_datetime(["2024-02-22", "2024-02-28", "2024-03-12", "2024-06-01"]))
    assert draw_membership.dodge_levels(dates, 30) == [0, 1, 2, 0]
    assert draw_membership.dodge_levels(dates, 5) == [0, 0, 0, 0]
    assert [draw_membership.level_offset(k, 0.3) for k in range(3)] == [0.0, 0.3, -0.3]


def test_the_frozen_part_is_a_visible_hatch_with_a_legend_entry(history):
    spells, preferred, names, _ = history
    for narrow in (False, True):
        fig = draw_membership.membership_timeline(spells, preferred, names, narrow=narrow)
        ax = fig.axes[0]
        hatched = [p for p in ax.patches if p.get_hatch()]
        assert len(hatched) == 1  # Armenia's frozen spell
        # white under black lines: not black on Armenia's black
        assert hatched[0].get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert hatched[0].get_edgecolor()[:3] == (0.0, 0.0, 0.0)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "Member, participation frozen" in legend
        style.check_figure(fig, "membership_timeline")
        plt.close(fig)


def test_every_ticked_event_is_labelled_on_the_figure(history):
    spells, preferred, names, _ = history
    fig = draw_membership.membership_timeline(spells, preferred, names)
    assert fig.get_suptitle().startswith("Nine states were once party; six remain, and Armenia")
    shown = texts(fig)
    for code in draw_membership.ORDER:
        for _, words in draw_membership.tick_labels(preferred, code):
            assert words in shown, (code, words)
    for word in draw_membership.TICK_WORDS.values():
        assert any(word in t for t in shown), word
    plt.close(fig)


def test_the_membership_alt_text_names_who_remains_and_the_freeze(history):
    spells, _, names, _ = history
    alt = draw_membership.membership_alt(spells, names)
    assert "the nine states" in alt and "Six remain" in alt and "from February 2024" in alt


def test_the_steps_chart_dodges_steps_close_in_time(history):
    _, _, _, steps = history
    arm = membership.armenian_steps(steps)
    fig = draw_membership.steps_by_form(arm, membership.steps_by_form(steps))
    style.check_figure(fig, "armenia_disengagement")
    plt.close(fig)


def test_the_forces_are_a_linear_dot_plot_with_each_value_labelled(people):
    fig = draw_organisation.force_sizes(people, FAMILIES)
    ax = fig.axes[0]
    assert ax.get_xscale() == "linear" and ax.get_yscale() == "linear"
    assert ax.get_xlim()[0] == 0
    shown = " ".join(texts(fig))
    sizes = draw_organisation.reported_sizes(people, FAMILIES)
    for row in sizes.itertuples():
        assert draw_organisation.value_label(row) in shown
    assert "up to 20,000" in shown and "more than 500 (2 sources)" in shown
    assert fig.get_suptitle().startswith(
        "The Rapid Reaction Force is reported at 18,000\u201322,000"
    )
    style.check_figure(fig, "organisation_forces")
    plt.close(fig)


def test_the_export_share_figure_passes_and_says_its_numbers():
    memberships = load_table("organisation_memberships")
    shares = drift.export_shares(
        load_table("trade_annual_by_partner"), drift.eaeu_partners(memberships)
    )
    fig = draw_drift.export_share_figure(shares, 2015)
    assert fig.get_suptitle() == "The EAEU took 47% of Armenia's exports in 2022 and 26% in 2024"
    style.check_figure(fig, "eaeu_export_share")
    alt = draw_drift.export_share_alt(shares, 2015)
    assert "47% and 45% in 2022" in alt and "26% and 24% in 2024" in alt
    plt.close(fig)
