"""The trade-composition chapter's figures: the early-2024 spike in imports from Russia, and
precious stones and metals (HS 71) in Armenia's trade, and their fall in 2025."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import first_releases
from cstoreport.figures.trade_series import period_to_date_panel

SOURCE = "Armstat, trade by partner and by HS heading, monthly (HS 71: all partners together)"


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
        color=style.GOODS_COLOURS["hs71"],
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
    style.date_axis(ax)
    ax.legend(loc="upper left", fontsize=8)
    style.finish(
        fig, "Early 2024: imports from Russia jumped with precious stones and metals", SOURCE
    )
    return fig


def hs71_share(composition: pd.DataFrame) -> plt.Figure:
    """Exports and imports by year, HS 71 stacked on all other goods."""
    years = composition["year"]
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.2), sharey=True)
    for ax, flow, label in zip(axes, ("exports", "imports"), ("Exports", "Imports"), strict=False):
        hs71 = composition[f"hs71_{flow}_usd_m"] / 1000
        rest = composition[f"{flow}_excl_hs71_usd_m"] / 1000
        ax.bar(years, rest, color=style.GOODS_COLOURS["other_goods"], label="all other goods")
        ax.bar(
            years,
            hs71,
            bottom=rest,
            color=style.GOODS_COLOURS["hs71"],
            label="precious stones and metals (HS 71)",
        )
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("Year")
        style.year_axis(ax)
    axes[0].set_ylabel("Goods trade, billion US dollars")
    axes[0].legend(loc="upper left", fontsize=8)
    style.finish(
        fig,
        "Precious stones and metals made up most of the growth in Armenia's trade",
        "Armstat, external trade by HS heading, all partners (monthly tables summed by year)",
    )
    return fig


def first_releases_hs71(hs71: pd.DataFrame, commodity: pd.DataFrame) -> plt.Figure:
    """HS 71 imports and exports from January to each month: the commodity table's last two
    years and Armstat's first releases after it (`hs71`: first_release_checks rows for HS 71,
    indexed by release_id)."""
    last_year = int(commodity["year"].max())
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.4))
    for ax, flow, label in zip(axes, ("imports", "exports"), ("Imports", "Exports"), strict=True):
        rows = hs71[hs71["flow"] == flow]
        lines = {
            year: first_releases.period_to_date_hs71(commodity, flow, year)
            for year in (last_year - 1, last_year)
        }
        marks = [
            dict(to_month=int(r.to_month), value=r.published, label=i, kind="release")
            for i, r in rows.iterrows()
        ]
        period_to_date_panel(
            ax, lines, marks, style.GOODS_COLOURS["hs71"], "HS 71, billion US dollars"
        )
        ax.set_title(label, fontsize=10)
    style.finish(
        fig,
        "In early 2025 the trade in gold and gems fell to a fraction of 2024's",
        "Armstat: commodity table to December 2024 (HS 71, all partners);\nfirst "
        "releases for 2025 as relayed by the press (data/armstat_first_releases.csv)",
    )
    return fig
