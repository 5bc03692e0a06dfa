"""The trade-composition chapter's figures: the early-2024 spike in imports from Russia,
precious stones and metals (HS 71) in Armenia's trade and their fall in 2025, and Russia's
share of Armenia's imports with and without them. Each figure's alt text (its finding with the
key numbers) is built from the same data by the `*_alt` function beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import first_releases
from cstoreport.figures.trade_series import (
    LABEL_PT,
    NARROW_PT,
    NARROW_WIDTH_IN,
    bigger_ticks,
    fmt,
    pct,
    period_to_date_panel,
    wrap,
)

SOURCE = "Armstat, trade by partner and by HS heading, monthly (HS 71: all partners together)"
HS71 = style.GOODS_COLOURS["hs71"]
MONTH_NAMES = [pd.Timestamp(2000, m, 1).strftime("%B") for m in range(1, 13)]


def russia_spike(spike: pd.DataFrame) -> plt.Figure:
    """Monthly imports from Russia since 2022 beside all HS 71 imports (`spike`:
    trade_russia_imports_less_hs71)."""
    recent = spike[spike["year"] >= 2022]
    dates = pd.to_datetime(dict(year=recent["year"], month=recent["month"], day=1))
    fig, ax = plt.subplots()
    ax.plot(
        dates,
        recent["partner_imports_usd_m"],
        color=style.colour("RUS"),
        lw=2,
        label="imports from Russia",
    )
    ax.plot(
        dates,
        recent["hs71_imports_all_partners_usd_m"],
        color=HS71,
        lw=1.5,
        label="imports of precious stones and metals (HS 71), all partners",
    )
    ax.plot(
        dates,
        recent["partner_imports_less_all_hs71_usd_m"],
        color=style.colour("RUS"),
        ls="--",
        lw=1.2,
        label="imports from Russia less all HS 71 imports",
    )
    ax.set_ylabel("Imports, million US dollars per month")
    ax.set_xlabel("Month")
    style.number_axis(ax, "y")
    style.date_axis(ax)
    ax.legend(loc="upper left", fontsize=LABEL_PT)
    style.finish(
        fig, "Early 2024: imports from Russia jumped with precious stones and metals", SOURCE
    )
    return fig


def russia_spike_alt(spike: pd.DataFrame) -> str:
    recent = spike[spike["year"] >= 2022].reset_index(drop=True)
    dates = pd.to_datetime(dict(year=recent["year"], month=recent["month"], day=1))
    peak = recent["partner_imports_usd_m"].idxmax()
    rest = recent["partner_imports_less_all_hs71_usd_m"]
    return (
        f"Monthly line chart from {dates.min():%B %Y} to {dates.max():%B %Y}, million US dollars. "
        f"Imports from Russia (solid vermillion) peak at "
        f"{fmt(recent.loc[peak, 'partner_imports_usd_m'])} million in {dates[peak]:%B %Y}. "
        f"Imports of precious stones and metals from all partners (dark gold) follow the same "
        f"path; imports from Russia less all HS 71 imports (dashed) stay between "
        f"{fmt(rest.min())} and {fmt(rest.max())} million throughout."
    )


def hs71_share(composition: pd.DataFrame) -> plt.Figure:
    """Exports and imports by year, HS 71 stacked on all other goods."""
    years = composition["year"]
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.2), sharey=True)
    for ax, flow, label in zip(axes, ("exports", "imports"), ("Exports", "Imports"), strict=True):
        hs71 = composition[f"hs71_{flow}_usd_m"] / 1000
        rest = composition[f"{flow}_excl_hs71_usd_m"] / 1000
        ax.bar(years, rest, color=style.GOODS_COLOURS["other_goods"], label="all other goods")
        ax.bar(years, hs71, bottom=rest, color=HS71, label="precious stones and metals (HS 71)")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("Year")
        style.year_axis(ax)
    axes[0].set_ylabel("Goods trade, billion US dollars")
    style.number_axis(axes[0], "y")
    axes[0].legend(loc="upper left", fontsize=LABEL_PT)
    style.finish(
        fig,
        "Precious stones and metals made up most of the growth in Armenia's trade",
        "Armstat, external trade by HS heading, all partners (monthly tables summed by year)",
    )
    return fig


def hs71_share_alt(composition: pd.DataFrame) -> str:
    c = composition.set_index("year")
    first, last = int(c.index.min()), int(c.index.max())

    def bn(column, year=last):
        return fmt(c.loc[year, column] / 1000, 1)

    return (
        f"Two panels of stacked bars, Armenia's exports and imports from {first} to {last} in "
        f"billion US dollars, split into precious stones and metals (HS 71, dark gold) and all "
        f"other goods (grey). In {first} HS 71 is {pct(c.loc[first, 'hs71_share_of_exports_pct'])} "
        f"of exports; in {last} it is {bn('hs71_exports_usd_m')} of {bn('exports_usd_m')} billion "
        f"of exports ({pct(c.loc[last, 'hs71_share_of_exports_pct'])}) and "
        f"{bn('hs71_imports_usd_m')} of {bn('imports_usd_m')} billion of imports "
        f"({pct(c.loc[last, 'hs71_share_of_imports_pct'])}). Other exports grow from "
        f"{bn('exports_excl_hs71_usd_m', first)} to {bn('exports_excl_hs71_usd_m')} billion."
    )


def first_releases_hs71(hs71: pd.DataFrame, commodity: pd.DataFrame) -> plt.Figure:
    """HS 71 imports and exports from January to each month: the commodity table's last two
    years and Armstat's first releases after it (`hs71`: first_release_checks rows for HS 71,
    indexed by release_id)."""
    last_year = int(commodity["year"].max())
    fig, axes = plt.subplots(2, 1, figsize=(8, 8.2))
    for ax, flow, label in zip(axes, ("imports", "exports"), ("Imports", "Exports"), strict=True):
        period_to_date_panel(
            ax,
            _hs71_lines(commodity, flow, last_year),
            _hs71_marks(hs71, flow),
            HS71,
            "HS 71, billion US dollars",
        )
        ax.set_title(label, fontsize=10)
    style.finish(
        fig,
        "In early 2025 the trade in gold and gems fell to a fraction of 2024's",
        "Armstat (commodity table to December 2024, HS 71, all partners; first releases for "
        "2025 as relayed by the press)",
    )
    return fig


def _hs71_lines(commodity, flow, last_year):
    return {
        year: first_releases.period_to_date_hs71(commodity, flow, year)
        for year in (last_year - 1, last_year)
    }


def _hs71_marks(hs71: pd.DataFrame, flow: str) -> list[dict]:
    rows = hs71[hs71["flow"] == flow]
    return [
        dict(
            to_month=int(r.to_month),
            value=r.published,
            label=fmt(r.published / 1000, 2),
            kind="release",
        )
        for r in rows.itertuples()
    ]


def first_releases_hs71_alt(hs71: pd.DataFrame, commodity: pd.DataFrame) -> str:
    last_year = int(commodity["year"].max())
    parts = []
    for flow in ("imports", "exports"):
        lines = _hs71_lines(commodity, flow, last_year)
        marks = ", ".join(
            f"{fmt(m['value'] / 1000, 2)} billion for January to {MONTH_NAMES[m['to_month'] - 1]}"
            for m in _hs71_marks(hs71, flow)
        )
        parts.append(
            f"{flow.capitalize()}: {last_year} reaches {fmt(lines[last_year].iloc[3] / 1000, 1)} "
            f"billion by April and {fmt(lines[last_year].iloc[-1] / 1000, 1)} billion by December, "
            f"{last_year - 1} {fmt(lines[last_year - 1].iloc[-1] / 1000, 1)} billion by December; "
            f"the first releases for {last_year + 1}: {marks}."
        )
    return (
        "Two line charts of Armenia's trade in precious stones and metals (HS 71, all partners) "
        "summed from January to each month, billion US dollars. " + " ".join(parts)
    )


# Russia's share of Armenia's imports with and without HS 71 (key finding 4).
COMPARED_YEAR = 2021  # the last year before the surge, which the chapter compares with
WITH_LABEL = "all imports (HS 71 included)"
FLOOR_LABEL = "without HS 71, floor: if Russia had\nsupplied all of Armenia's HS 71 imports"
ESTIMATE_LABEL = "without HS 71, with the one published\nfigure for HS 71 from Russia (2024 only)"


def russia_import_share_title(shares: pd.DataFrame) -> str:
    estimated = shares.dropna(subset=["share_without_hs71_pct"]).iloc[-1]
    return (
        f"Without precious stones and metals, Russia's share of Armenia's imports in "
        f"{int(estimated['year'])} falls from {pct(estimated['share_with_hs71_pct'])} to about "
        f"{pct(estimated['share_without_hs71_pct'])}"
    )


# The two marks of the share without HS 71, in the plot and in its legend alike.
ESTIMATE_MARK = dict(ls="none", marker="D", ms=8, color=HS71, mec="black", mew=0.8)
FLOOR_MARK = dict(ls="none", marker="^", ms=9, mfc="white", mec=HS71, mew=1.8)


def russia_import_share(shares: pd.DataFrame, narrow: bool = False) -> plt.Figure:
    """Russia's share of Armenia's imports by year: with HS 71 (a line), the floor of its share
    without HS 71 (open triangles: the share if Russia had supplied all HS 71 imports, so the
    true share lies on or above it), and the share without HS 71 where a published figure
    gives Russia's HS 71 imports (a filled diamond; 2024 only). `shares`:
    analysis.trade_composition.import_shares_by_year. `narrow`: the phone layout."""
    colour = style.colour("RUS")
    size = (NARROW_WIDTH_IN, 6.2) if narrow else (8, 4.8)
    text_pt = NARROW_PT if narrow else LABEL_PT
    fig, ax = plt.subplots(figsize=size)
    years = shares["year"]
    ax.plot(years, shares["share_with_hs71_pct"], color=colour, lw=2, marker="o", ms=6)
    ax.plot(years, shares["share_without_hs71_floor_pct"], **FLOOR_MARK)
    known = shares.dropna(subset=["share_without_hs71_pct"])
    ax.plot(known["year"], known["share_without_hs71_pct"], **ESTIMATE_MARK)
    last = shares.iloc[-1]
    for column, dy in (
        ("share_with_hs71_pct", 0),
        ("share_without_hs71_pct", 2),
        ("share_without_hs71_floor_pct", -2),
    ):
        ax.annotate(
            pct(last[column]),
            (last["year"], last[column]),
            xytext=(9, dy),
            textcoords="offset points",
            va="center",
            fontsize=text_pt,
            fontweight="bold",
        )
    for r in shares[shares["year"] == COMPARED_YEAR].itertuples():  # the year the text compares
        ax.annotate(
            f"at least {pct(r.share_without_hs71_floor_pct)}",
            (r.year, r.share_without_hs71_floor_pct),
            xytext=(0, -9),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=text_pt,
        )
    handles = [
        plt.Line2D([], [], color=colour, lw=2, marker="o", ms=6, label=WITH_LABEL),
        plt.Line2D([], [], label=ESTIMATE_LABEL, **ESTIMATE_MARK),
        plt.Line2D([], [], label=FLOOR_LABEL, **FLOOR_MARK),
    ]
    ax.set_ylim(0, max(60, shares["share_with_hs71_pct"].max() + 6))
    ax.set_xlim(years.min() - 0.4, years.max() + (0.9 if narrow else 0.6))
    style.year_axis(ax)
    style.number_axis(ax, "y", percent=True)
    ax.set_ylabel("Russia's share of Armenia's imports, %")
    ax.set_xlabel("Year")
    title = russia_import_share_title(shares)
    source = "Armstat (trade by partner and by HS heading); HS 71 from Russia: Report.az"
    if narrow:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.45, -0.16),
            fontsize=NARROW_PT,
            frameon=False,
        )
        bigger_ticks(fig)
        style.finish_narrow(fig, title, source)
    else:
        ax.legend(handles=handles, loc="upper left", fontsize=text_pt)
        style.finish(fig, wrap(title, 80), source)
    return fig


def russia_import_share_alt(shares: pd.DataFrame) -> str:
    first, last = shares.iloc[0], shares.iloc[-1]
    known = shares.dropna(subset=["share_without_hs71_pct"])
    y2021 = shares[shares["year"] == 2021]
    before = ""
    if len(y2021):
        r = y2021.iloc[0]
        before = (
            f" In 2021 the share was {pct(r['share_with_hs71_pct'], 1)} with HS 71 and at least "
            f"{pct(r['share_without_hs71_floor_pct'], 1)} without it."
        )
    return (
        f"Line chart of Russia's share of Armenia's imports from {int(first['year'])} to "
        f"{int(last['year'])}: with precious stones and metals (HS 71) it moves from "
        f"{pct(first['share_with_hs71_pct'])} to {pct(last['share_with_hs71_pct'])}. Open "
        f"triangles mark the floor of the share without HS 71 (if Russia had supplied all HS 71 "
        f"imports), from {pct(first['share_without_hs71_floor_pct'])} to "
        f"{pct(last['share_without_hs71_floor_pct'])}. Only "
        + ", ".join(str(int(y)) for y in known["year"])
        + f" has a published figure for HS 71 imports from Russia; with it the share without "
        f"HS 71 is {pct(known['share_without_hs71_pct'].iloc[-1], 1)}." + before
    )
