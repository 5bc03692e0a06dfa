"""The robustness, claims, bilateral and alternatives figures (issue 29): each finding on its own
axis against its threshold, counts on the claims chart, one mark per claim, Israel in its house
colour; every figure passes the figure check and carries alt text computed from the data.
Tested on the returned matplotlib figures, not on pixels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D

from cstoreport import load_table, style
from cstoreport.analysis import bilateral, claims
from cstoreport.figures import alternatives as draw_alternatives
from cstoreport.figures import bilateral_profiles as draw_bilateral
from cstoreport.figures import claims_audit as draw_claims
from cstoreport.figures import robustness as draw_robustness


@pytest.fixture(autouse=True)
def _house_style():
    style.apply_style()
    yield
    plt.close("all")


# --- robustness ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def robustness_inputs():
    table = load_table("robustness")
    findings = load_table("robustness_findings")
    short = dict(zip(findings["finding_id"], findings["short_label"], strict=True))
    return table, findings, short


def _panels(fig):
    return [ax for ax in fig.axes if ax.axison]


def test_robustness_draws_each_finding_on_its_own_axis_against_its_threshold(robustness_inputs):
    table, findings, short = robustness_inputs
    fig = draw_robustness.findings_ranges(table, findings, short)
    style.check_figure(fig, "robustness")
    panels = _panels(fig)
    assert len(panels) == len(table)  # one panel per finding
    by_label = {ax.get_title(loc="left"): ax for ax in panels}
    by_id = findings.set_index("finding_id")
    for r in table.itertuples():
        ax, t = by_label[short[r.finding_id]], by_id.loc[r.finding_id]
        assert ax.get_xscale() == "linear"
        assert draw_robustness.AXIS_UNITS[r.unit] in ax.get_xlabel()  # its own unit
        low, high = ax.get_xlim()
        # In its own units: the values themselves are on the axis, not a per cent of them.
        for value in (r.preferred_value, r.minimum, r.maximum):
            assert low <= value <= high, (r.finding_id, value, (low, high))
        # The threshold the wording needs is drawn, as a dashed vertical line.
        drawn = {
            float(line.get_xdata()[0])
            for line in ax.get_lines()
            if line.get_linestyle() == "--" and len(set(line.get_xdata())) == 1
        }
        for x in draw_robustness.thresholds(t):
            assert any(abs(x - d) < 1e-9 for d in drawn), (r.finding_id, x, drawn)
        assert ax.get_title(loc="right") == r.verdict
    for a, b in zip(panels, panels[1:], strict=False):
        assert not a.get_shared_x_axes().joined(a, b)  # no shared scale across findings


def test_robustness_marks_untested_findings_untested(robustness_inputs):
    table, findings, short = robustness_inputs
    untested = table[table["alternatives_tested"] == 0]
    assert not untested.empty
    fig = draw_robustness.findings_ranges(table, findings, short)
    titled = {ax.get_title(loc="left"): ax.get_title(loc="right") for ax in _panels(fig)}
    for r in untested.itertuples():
        assert titled[short[r.finding_id]] == "untested"
    assert f"{len(untested)} are untested" in fig.get_suptitle()
    alt = draw_robustness.alt_text(table, short)
    assert f"{len(untested)} are untested" in alt
    assert all(short[f] in alt for f in untested["finding_id"])


# --- claims --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def claims_inputs():
    verdicts = load_table("claims_verdicts")
    sections = load_table("article_sections")
    labels = load_table("verdicts")
    return (
        verdicts,
        dict(zip(sections["section"], sections["title"], strict=True)),
        dict(zip(labels["verdict"], labels["label"], strict=True)),
        claims.holding_verdicts(labels),
    )


def _numbers(ax) -> list[int]:
    return [int(t.get_text()) for t in ax.texts if t.get_text().isdigit()]


def test_claims_chart_writes_its_counts(claims_inputs):
    verdicts, sections, labels, holding = claims_inputs
    counts = draw_claims.section_counts(verdicts, sections)
    fig = draw_claims.verdicts_by_section(verdicts, sections, labels, holding, 0)
    style.check_figure(fig, "claims_verdicts")
    written = _numbers(fig.axes[0])
    # every non-zero segment's count and every section's total is written on the chart
    expected = [int(n) for n in counts.to_numpy().ravel() if n] + list(counts.sum(axis=1))
    assert sorted(written) == sorted(expected)


def test_claims_chart_has_a_narrow_layout_for_phones(claims_inputs):
    verdicts, sections, labels, holding = claims_inputs
    narrow = draw_claims.verdicts_by_section_narrow(verdicts, sections, labels, holding, 0)
    style.check_figure(narrow, "claims_verdicts_narrow")
    assert narrow.get_figwidth() == pytest.approx(4.0)
    assert style.smallest_text_pt(narrow) >= 9
    totals = draw_claims.section_counts(verdicts, sections).sum(axis=1)
    assert set(totals) <= set(_numbers(narrow.axes[0]))


def test_claims_strip_has_one_mark_per_claim_coloured_by_its_verdict(claims_inputs):
    verdicts, sections, labels, _ = claims_inputs
    fig = draw_claims.strip(verdicts, sections, labels)
    style.check_figure(fig, "claims_strip")
    marks = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    colours = [mcolors.to_hex(face) for c in marks for face in c.get_facecolors()]
    assert len(colours) == len(verdicts)
    expected = [
        style.VERDICT_COLOURS[v].lower()
        for section in sections
        for v in verdicts[verdicts["section"] == section].sort_values("claim_id")["verdict"]
    ]
    assert colours == expected


# --- bilateral and alternatives ------------------------------------------------------------


@pytest.fixture(scope="module")
def names():
    states = load_table("states")
    return dict(zip(states["state_iso3"], states["name"], strict=True))


def test_israel_is_drawn_in_its_house_colour_not_georgias(names):
    arms = load_table("arms_to_azerbaijan")
    imports = arms[arms["indicator"] == "share_of_azerbaijan_imports"]
    fig = draw_bilateral.arms_shares(imports, names)
    style.check_figure(fig, "bilateral_arms_azerbaijan")
    israel = mcolors.to_hex(style.colour("ISR"))
    assert israel != mcolors.to_hex(style.colour("GEO"))
    colours = {
        mcolors.to_hex(line.get_color())
        for ax in fig.axes
        for line in ax.get_lines()
        if isinstance(line, Line2D)
    }
    assert israel in colours
    legend = fig.axes[1].get_legend()
    handle = dict(
        zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True)
    )
    assert mcolors.to_hex(handle[names["ISR"]].get_color()) == israel
    assert "64% or 69%" in draw_bilateral.arms_alt_text(imports, names)


def test_freedom_house_chart_passes_and_names_each_member_with_its_latest_score(names):
    fh = load_table("freedom_house")
    preferred = fh[fh["preferred"]]
    fig = draw_bilateral.freedom_scores(preferred, names)
    style.check_figure(fig, "bilateral_freedom_house")
    latest = draw_bilateral.latest_scores(preferred)
    texts = {t.get_text() for t in fig.axes[0].texts}
    for state in bilateral.PROFILE_STATES:
        assert any(
            t.startswith(f"{names[state]} {int(latest.loc[state, 'total_score'])},") for t in texts
        )
    assert f"Armenia {int(preferred[preferred.state_iso3 == 'ARM'].total_score.iloc[0])}" in (
        draw_bilateral.freedom_alt_text(preferred, names)
    )


def test_dodged_labels_keep_their_gap():
    placed = draw_bilateral.dodge({"a": 5.0, "b": 7.0, "c": 12.0, "d": 40.0}, 5.5)
    heights = sorted(placed.values())
    assert all(b - a >= 5.5 - 1e-9 for a, b in zip(heights, heights[1:], strict=False))
    assert placed["a"] == 5.0 and placed["d"] == 40.0


def test_alternatives_timeline_passes_with_one_dot_per_item():
    alt = load_table("alternatives")
    fig = draw_alternatives.timeline(alt)
    style.check_figure(fig, "alternatives_timeline")
    # the two sides of one exercise (same dates) make one dot
    dots = draw_alternatives.lane_dots(alt, "us_exercise")
    assert len(dots) == len(set(dots))
    assert all(
        (b - a).days > draw_alternatives.SAME_ITEM_DAYS
        for a, b in zip(dots, dots[1:], strict=False)
    )
    assert f"{len(dots)} (" in draw_alternatives.alt_text(alt)
