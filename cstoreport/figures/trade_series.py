"""The trade chapter's figures: members' turnover, Russia's share and monthly flows, the small
members, the mirror gaps, the vintages of quoted figures and the first releases after the
series."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import first_releases as first_releases_analysis
from cstoreport.analysis import trade

SOURCE = "Armstat, external trade by partner country (monthly tables, summed by year)"
MARKED_YEARS = [
    (2015, "Armenia joins the EAEU\n(Jan 2015)"),
    (2022, "Russia invades Ukraine\n(Feb 2022)"),
]
SMALL_MEMBERS = ["BLR", "KAZ", "KGZ", "TJK"]
FLOW = {
    "turnover": "turnover",
    "armenia_exports": "Armenia's exports",
    "armenia_imports": "Armenia's imports",
}
PERIOD = {6: " Jan-Jun", 7: " Jan-Jul", 8: " Jan-Aug", 10: " Jan-Oct", 11: " Jan-Nov"}


def members_turnover(annual: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    fig, ax = plt.subplots()
    for code in trade.MEMBERS:
        s = annual[annual["partner_iso3"] == code]
        ax.plot(
            s["year"],
            s["turnover_usd_m"],
            marker="o",
            ms=3,
            color=style.colour(code),
            label=names[code],
        )
    style.plain_log_axis(ax)
    style.year_axis(ax)
    ax.set_ylabel("Turnover, million US dollars (log scale)")
    ax.set_xlabel("Year")
    # The dashed lines are labelled above the plot and the legend sits below it, so no text
    # crosses a data line.
    for year, label in MARKED_YEARS:
        ax.axvline(year, color="#444444", ls="--", lw=0.8)
        ax.annotate(
            label,
            xy=(year, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8)
    style.finish(fig, "Trade with every member jumped after 2021; Russia's dwarfs the rest", SOURCE)
    return fig


def russia_share(annual: pd.DataFrame) -> plt.Figure:
    """Russia's share of turnover, with imports by origin and by consignment."""
    fig, ax = plt.subplots()
    s = annual[annual["partner_iso3"] == "RUS"]
    ax.plot(
        s["year"],
        s["share_of_total_pct"],
        marker="o",
        ms=3,
        color=style.colour("RUS"),
        label="imports by country of origin (Armstat headline)",
    )
    share_c = (
        100
        * s["turnover_consignment_usd_m"].values
        / annual[annual["partner_iso3"] == "WLD"]["turnover_consignment_usd_m"].values
    )
    ax.plot(
        s["year"],
        share_c,
        ls="--",
        color=style.colour("RUS"),
        label="imports by country of consignment",
    )
    ax.set_ylabel("Russia's share of Armenia's goods turnover, %")
    ax.set_xlabel("Year")
    ax.set_ylim(0, 50)
    style.year_axis(ax)
    ax.legend(loc="upper left", fontsize=8)
    style.finish(fig, "Russia's share of Armenia's trade climbed past a third after 2022", SOURCE)
    return fig


def russia_monthly(rus_m: pd.DataFrame) -> plt.Figure:
    """Monthly exports to and imports from Russia since 2019 (`rus_m`: trade_monthly_members,
    Russia's rows)."""
    fig, ax = plt.subplots()
    dates = pd.to_datetime(dict(year=rus_m["year"], month=rus_m["month"], day=1))
    window = dates >= "2019-01-01"
    ax.plot(
        dates[window],
        rus_m["exports"][window] / 1000,
        color=style.colour("RUS"),
        label="Armenian exports to Russia",
    )
    ax.plot(
        dates[window],
        rus_m["imports_origin"][window] / 1000,
        color=style.colour("RUS"),
        ls=":",
        label="imports from Russia (by origin)",
    )
    ax.axvline(pd.Timestamp("2022-02-24"), color="#444444", ls="--", lw=0.8)
    ax.text(pd.Timestamp("2022-03-10"), ax.get_ylim()[1] * 0.9, "24 Feb 2022", fontsize=8)
    ax.set_ylabel("Million US dollars per month")
    style.date_axis(ax)
    ax.set_xlabel("Month")
    ax.legend(loc="upper left", fontsize=8)
    style.finish(
        fig,
        "Exports to Russia jumped within months of the invasion of Ukraine",
        "Armstat, external trade by partner country, monthly",
    )
    return fig


def small_members(annual: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    fig, axes = plt.subplots(2, 2, figsize=(8, 5.5), sharex=True)
    for ax, code in zip(axes.flat, SMALL_MEMBERS, strict=False):
        s = annual[annual["partner_iso3"] == code]
        ax.plot(s["year"], s["exports_usd_m"], color=style.colour(code), label="exports")
        ax.plot(s["year"], s["imports_usd_m"], color=style.colour(code), ls=":", label="imports")
        ax.set_title(names[code], fontsize=10)
        ax.set_ylabel("Million US dollars")
        ax.set_xticks(range(2008, 2025, 4))  # yearly labels collide in a half-width panel
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("Year")
    style.finish(fig, "Trade with the other four members is small; with Tajikistan, tiny", SOURCE)
    return fig


def mirror_gaps(
    mirror: pd.DataFrame, names: dict[str, str], qualifier_labels: dict[str, str]
) -> plt.Figure:
    """Left: the two sources' values as separate marks (no line joins them); the log scale fits
    Tajikistan and Russia on one axis but hides how far apart the marks are. Right: that gap.
    `qualifier_labels`: what a row's label adds, in brackets, for its qualifier (empty: nothing;
    data/qualifiers.csv, mirror_label)."""
    fig, (ax_value, ax_gap) = plt.subplots(
        1, 2, figsize=(8, 6.2), sharey=True, gridspec_kw={"width_ratios": [1, 1]}
    )
    for i, m in enumerate(mirror.itertuples()):
        c = style.colour(m.partner_iso3)
        ax_value.plot(m.armenia_value_usd_m, i, "o", color=c, ms=5)
        ax_value.plot(m.partner_value_usd_m, i, "D", mfc="white", color=c, ms=5)
        ax_gap.plot([0, m.gap_pct], [i, i], color=c, lw=1)
        ax_gap.plot(m.gap_pct, i, "D", mfc="white", color=c, ms=5)

    def bracket(qualifier):
        label = qualifier_labels.get(qualifier)
        return f" ({label})" if isinstance(label, str) and label else ""

    labels = [
        f"{names[m.partner_iso3]} {m.year} {FLOW[m.flow]}{bracket(m.qualifier)}"
        for m in mirror.itertuples()
    ]
    ax_value.set_yticks(range(len(labels)), labels, fontsize=7)
    ax_value.invert_yaxis()
    style.plain_log_axis(ax_value, "x")
    ax_value.set_xlabel(
        "Million US dollars (log scale)\ncircles: Armstat; diamonds: partner", fontsize=8
    )
    ax_gap.axvspan(-10, 10, color="#DDDDDD", alpha=0.5, lw=0)
    ax_gap.axvline(0, color="#444444", lw=0.8)
    ax_gap.set_xlim(-70, 40)
    ax_gap.set_xlabel(
        "Partner minus Armstat, % of Armstat's figure\n(grey band: within 10 %)", fontsize=8
    )
    style.finish(
        fig,
        "Partner-reported figures stray from Armstat's in both directions, by up to half",
        "Armstat (current series); partner figures as quoted (data/trade_mirror_reported.csv)",
    )
    return fig


def vintages(checks: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Quoted figures that differ from the current series, revision explained or not."""
    place = names | {"WLD": "Armenia's total", "EAEU": "EAEU partners"}
    # The trade chapter's partners and totals; the Turkish monthly figures stay in the table.
    shown = checks[(checks["outcome"] != "match") & (checks["partner_iso3"] != "TUR")].sort_values(
        ["year", "to_month", "partner_iso3", "flow", "fixture_id"], na_position="first"
    )
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for i, r in enumerate(shown.itertuples()):
        c_ = style.colour(r.partner_iso3)
        filled = r.outcome == "revision"
        ax.plot([0, r.difference_pct], [i, i], color=c_, lw=1)
        ax.plot(r.difference_pct, i, "o", color=c_, mfc=c_ if filled else "white", ms=7)
    labels = [
        f"{place[r.partner_iso3]} {r.year}{PERIOD.get(r.to_month, '')} {r.flow} ({r.fixture_id})"
        for r in shown.itertuples()
    ]
    ax.set_yticks(range(len(shown)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(
        "Current series minus the figure as first quoted, % of the quoted figure\n"
        "filled: revision explained by the release's own growth rate; open: not "
        "explained"
    )
    style.finish(
        fig,
        "Most quoted figures were later revised up; those for early 2024 (to July) down",
        "Armstat (current series); quoted figures as listed in data/armstat_published_totals.csv",
    )
    return fig


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MARKS = {  # how a figure beyond the series is drawn, and its legend entry
    "release": ("o", "2025, first releases (press-relayed)"),
    "claim": ("D", "2025, Russian-side claim"),
    "next": ("s", "2026, first release (press-relayed)"),
}


def period_to_date_panel(
    ax, lines: dict[int, pd.Series], points: list[dict], colour: str, ylabel: str
) -> None:
    """January-to-month totals: the series' years as lines (the newest darkest), first releases
    and claims as open marks labelled with their row id (`points`: dicts with to_month, value in
    million US dollars, label, and kind, a key of MARKS); marks at one place share a label."""
    for k, (year, series) in enumerate(lines.items()):
        ax.plot(
            series.index,
            series.values / 1000,
            color=colour,
            lw=1.6,
            marker="o",
            ms=2.5,
            alpha=0.35 + 0.65 * (k + 1) / len(lines),
            label=f"{year} (monthly series)",
        )
    merged: dict[tuple, dict] = {}
    for p in points:
        key = (p["to_month"], p["value"], p["kind"])
        if key in merged:
            merged[key]["label"] += ", " + p["label"]
        else:
            merged[key] = dict(p)
    shown = set()
    for p in merged.values():
        marker, legend = MARKS[p["kind"]]
        ax.plot(
            p["to_month"],
            p["value"] / 1000,
            marker,
            ms=7,
            mfc="white",
            mec=colour,
            mew=1.6,
            linestyle="none",
            label=None if legend in shown else legend,
        )
        shown.add(legend)
        ax.annotate(
            p["label"],
            (p["to_month"], p["value"] / 1000),
            xytext=(6, -3),
            textcoords="offset points",
            fontsize=7.5,
        )
    ax.set_xticks(range(1, 13), MONTHS)
    ax.set_xlim(0.5, 12.8)
    ax.set_ylim(0, None)
    ax.set_xlabel("January to month")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, loc="upper left")


def _marks(first: pd.DataFrame, partner: str, last_year: int) -> list[dict]:
    rows = first[
        (first["partner_iso3"] == partner)
        & (first["flow"] == "turnover")
        & (first["goods"] == "all")
        & (first["measure"] == "value")
    ]
    return [
        dict(
            to_month=int(r.month if pd.notna(r.month) else r.to_month),
            value=r.published,
            label=r.release_id,
            kind="release" if r.year == last_year + 1 else "next",
        )
        for r in rows.itertuples()
    ]


def first_releases(
    first: pd.DataFrame,
    monthly_all: pd.DataFrame,
    claims: pd.DataFrame,
    names: dict[str, str],
    last_year: int,
) -> plt.Figure:
    """Turnover with Russia and with all partners from January to each month: the series' last
    two years, Armstat's first releases after it (`first`: first_release_checks) and Russian
    officials' claims for the year after the series (`claims`: trade_mirror_reported rows)."""
    rus_claims = claims[(claims["partner_iso3"] == "RUS") & (claims["flow"] == "turnover")]
    claim_marks = [
        dict(to_month=12, value=c.value_usd_m, label=c.mirror_id, kind="claim")
        for c in rus_claims.itertuples()
    ]
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.6))
    for ax, partner, extra, title in [
        (axes[0], "RUS", claim_marks, names["RUS"]),
        (axes[1], "WLD", [], "All partners"),
    ]:
        lines = {
            year: first_releases_analysis.period_to_date(monthly_all, partner, "turnover", year)
            for year in (last_year - 1, last_year)
        }
        period_to_date_panel(
            ax,
            lines,
            _marks(first, partner, last_year) + extra,
            style.colour(partner),
            "Turnover, billion US dollars",
        )
        ax.set_title(title, fontsize=10)
    style.finish(
        fig,
        "By Armstat's first releases, trade with Russia fell back in 2025 close to its 2023 pace",
        "Armstat: monthly series to December 2024; first releases for 2025-2026 as "
        "relayed by the press\n(data/armstat_first_releases.csv); Russian officials' "
        "claims (data/trade_mirror_reported.csv)",
    )
    return fig
