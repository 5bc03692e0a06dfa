"""The trade figures (issue 29): encodings that match their titles, tested on the returned
matplotlib figures (not pixels), and alt texts computed from the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only; notebooks keep the inline backend
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cstoreport import style
from cstoreport.analysis import trade_composition as tc
from cstoreport.figures import trade_composition as draw_tc
from cstoreport.figures import trade_series as draw

NAMES = {
    "RUS": "Russia",
    "BLR": "Belarus",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
}
TURNOVER = {"RUS": 12000.0, "BLR": 200.0, "KAZ": 100.0, "KGZ": 20.0, "TJK": 4.0}


@pytest.fixture(autouse=True)
def _house_style():
    style.apply_style()
    yield
    plt.close("all")


def tiny_annual() -> pd.DataFrame:
    """Five members, 2019-2024, with 2021 and 2024 values (million US dollars)."""
    rows = []
    for code, top in TURNOVER.items():
        for year in range(2019, 2025):
            turnover = top * (0.2 if year < 2022 else 1.0) * (year - 2017) / 7
            rows.append(
                {
                    "partner_iso3": code,
                    "year": year,
                    "turnover_usd_m": turnover,
                    "exports_usd_m": turnover * 0.4,
                    "imports_usd_m": turnover * 0.6,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("narrow", [False, True])
def test_members_turnover_is_linear_so_russia_visibly_dwarfs_the_rest(narrow):
    fig = draw.members_turnover(tiny_annual(), NAMES, narrow=narrow)
    (ax,) = fig.axes
    assert ax.get_yscale() == "linear"  # a log axis hid what the title says
    assert ax.get_ylim()[0] == 0
    russia, others = (line.get_ydata() for line in ax.lines[:2])
    assert max(russia) == pytest.approx(TURNOVER["RUS"] / 1000)
    assert max(others) == pytest.approx(sum(TURNOVER.values()) / 1000 - TURNOVER["RUS"] / 1000)
    assert "dwarfs" in fig.get_suptitle()
    style.check_figure(fig, "members")


def test_members_turnover_has_a_phone_layout_with_large_type():
    fig = draw.members_turnover(tiny_annual(), NAMES, narrow=True)
    assert fig.get_figwidth() == pytest.approx(4.0)
    assert style.smallest_text_pt(fig) >= 9


def test_small_members_share_one_linear_scale():
    fig = draw.small_members(tiny_annual(), NAMES)
    limits = {ax.get_ylim() for ax in fig.axes}
    assert len(fig.axes) == 4 and len(limits) == 1  # $4m no longer looks like $200m
    assert all(ax.get_yscale() == "linear" for ax in fig.axes)
    style.check_figure(fig, "small")


def test_alt_texts_carry_the_numbers_of_the_data():
    annual = tiny_annual()
    alt = draw.members_turnover_alt(annual, NAMES)
    assert "12.0 billion in 2024" in alt and "0.32 billion in 2024" in alt
    changed = annual.assign(turnover_usd_m=annual["turnover_usd_m"] * 2)
    assert "24.0 billion in 2024" in draw.members_turnover_alt(changed, NAMES)
    assert "Tajikistan 4.0 million in 2024" in draw.small_members_alt(annual, NAMES)


@pytest.mark.parametrize(
    ("reporter", "short"),
    [
        ("Belarus: President Lukashenko (as reported by BelTA)", "President Lukashenko"),
        ("Belarus official data, 'по данным' (BelTA, relayed by NewsHay)", "Belarus official data"),
        ("Kommersant (figure attributed to the Russian side's reporting)", "Kommersant"),
        ("Kazakhstan: Khabar 24 state TV (report on talks)", "Khabar 24 state TV"),
    ],
)
def test_reporter_short_names_who_reported(reporter, short):
    assert draw.reporter_short(reporter) == short


def tiny_mirror() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mirror_id": ["M1", "M2", "M3"],
            "partner_iso3": ["BLR", "RUS", "RUS"],
            "year": [2010, 2023, 2023],
            "flow": ["turnover", "turnover", "turnover"],
            "armenia_value_usd_m": [36.5, 7924.0, 7924.0],
            "partner_value_usd_m": [47.2, 7000.0, 7400.0],
            "qualifier": ["exact", "lower_bound", "exact"],
            "gap_pct": [29.3, -11.7, -6.6],
        }
    )


def test_mirror_rows_say_who_reported_each_figure():
    reporters = {
        "M1": "Belarus: President Lukashenko (BelTA)",
        "M2": "Russia: President Putin (Kremlin)",
        "M3": "Russia: Deputy PM A. Overchuk (AiF)",
    }
    qualifiers = {"exact": "", "lower_bound": "more than"}
    fig = draw.mirror_gaps(tiny_mirror(), NAMES, qualifiers, reporters)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [
        "Belarus",
        "2010 turnover: President Lukashenko",
        "Russia",
        "2023 turnover (more than): President Putin",
        "2023 turnover: Deputy PM A. Overchuk",
    ]
    # The title states what is drawn: the widest gaps below and above.
    assert fig.get_suptitle().endswith("up to 12% below, 29% above")
    assert "Lukashenko" not in draw.mirror_alt(tiny_mirror(), NAMES)  # the alt counts rows
    assert "3 partner-reported figures" in draw.mirror_alt(tiny_mirror(), NAMES)


def tiny_checks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fixture_id": ["F1", "F2", "F3", "F4"],
            "partner_iso3": ["RUS", "RUS", "WLD", "RUS"],
            "year": [2023, 2024, 2024, 2022],
            "to_month": pd.array([pd.NA, 6, 7, pd.NA], dtype="Int64"),
            "flow": ["turnover"] * 4,
            "difference_pct": [8.5, -10.4, -4.5, 0.0],
            "outcome": ["revision", "differs", "differs", "match"],
            "direction": ["up", "down", "down", None],
        }
    )


def test_vintages_title_counts_what_is_drawn():
    fig = draw.vintages(tiny_checks(), NAMES)
    ax = fig.axes[0]
    assert len(ax.get_yticks()) == 3  # matches are not drawn
    title = fig.get_suptitle()
    assert "above 1 of the 3" in title and "below 2, all for part of 2024" in title
    assert "revised" not in title  # open marks are differences the data do not explain
    alt = draw.vintages_alt(tiny_checks())
    assert "January to June or July 2024" in alt and "1 points are filled" in alt


def tiny_shares() -> pd.DataFrame:
    by_partner = pd.DataFrame(
        {
            "partner_iso3": ["RUS", "WLD", "RUS", "WLD"],
            "year": [2021, 2021, 2024, 2024],
            "imports_usd_m": [30.0, 100.0, 60.0, 100.0],
        }
    )
    composition = pd.DataFrame({"year": [2021, 2024], "hs71_imports_usd_m": [5.0, 50.0]})
    return tc.import_shares_by_year(by_partner, composition, "RUS", {2024: 40.0})


@pytest.mark.parametrize("narrow", [False, True])
def test_russia_import_share_draws_the_floor_as_its_own_mark(narrow):
    shares = tiny_shares()
    fig = draw_tc.russia_import_share(shares, narrow=narrow)
    ax = fig.axes[0]
    with_line, floor, estimate = ax.lines[:3]
    assert list(with_line.get_ydata()) == pytest.approx([30.0, 60.0])
    assert floor.get_marker() == "^" and floor.get_linestyle() == "None"
    assert list(floor.get_ydata()) == pytest.approx([25 / 95 * 100, 20.0])
    # Only the year with a published partner figure has the share itself.
    assert list(estimate.get_xdata()) == [2024]
    assert list(estimate.get_ydata()) == pytest.approx([40.0])
    assert estimate.get_color() == style.GOODS_COLOURS["hs71"]
    assert style.GOODS_COLOURS["hs71"] != style.ACTOR_COLOURS["EAEU"]
    assert "from 60% to about 40%" in fig.get_suptitle().replace("\n", " ")
    if not narrow:  # the phone layout is checked on the real data, when the notebook saves it
        style.check_figure(fig, "share")
    else:
        assert fig.get_figwidth() == pytest.approx(4.0)
        assert style.smallest_text_pt(fig) >= 9


def test_russia_import_share_alt_says_which_years_have_the_share_itself():
    alt = draw_tc.russia_import_share_alt(tiny_shares())
    assert "Only 2024 has a published figure" in alt
    assert "share without HS 71 is 40.0%" in alt and "at least 26.3% without it" in alt
