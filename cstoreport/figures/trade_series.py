"""The trade chapter's figures: members' turnover, Russia's share and monthly flows, the small
members, the mirror gaps, the vintages of quoted figures and the first releases after the
series. Each figure's alt text (its finding with the key numbers) is built from the same data
by the `*_alt` function beside it."""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from cstoreport import style
from cstoreport.analysis import first_releases as first_releases_analysis
from cstoreport.analysis import trade

SOURCE = "Armstat, external trade by partner country (monthly tables, summed by year)"
MARKED_YEARS = [  # (year, label on a wide figure, label on a phone)
    (2015, "Armenia joins the EAEU\n(Jan 2015)", "joins EAEU\n(2015)"),
    (2022, "Russia invades Ukraine\n(Feb 2022)", "invasion of\nUkraine (2022)"),
]
SMALL_MEMBERS = ["BLR", "KAZ", "KGZ", "TJK"]
OTHERS_COLOUR = style.ACTOR_COLOURS["CSTO"]  # the four other members taken together
FLOW = {
    "turnover": "turnover",
    "armenia_exports": "Armenia's exports",
    "armenia_imports": "Armenia's imports",
}
PERIOD = {6: " Jan-Jun", 7: " Jan-Jul", 8: " Jan-Aug", 10: " Jan-Oct", 11: " Jan-Nov"}
LABEL_PT = 9  # legends, annotations and row labels: prints at 7 pt or more from 8 in wide
NARROW_WIDTH_IN = 4.0
NARROW_PT = 9.5  # every text of a phone layout


def fmt(value: float, decimals: int = 0) -> str:
    return style.fmt_number(value, decimals)


def pct(value: float, decimals: int = 0) -> str:
    return style.fmt_number(value, decimals, percent=True)


def wrap(text: str, width: int) -> str:
    """A title broken into lines for a narrow figure."""
    return "\n".join(textwrap.wrap(text, width))


def bigger_ticks(fig: plt.Figure, size: float = NARROW_PT) -> None:
    for ax in fig.axes:
        ax.tick_params(labelsize=size)
        ax.xaxis.label.set_size(size)
        ax.yaxis.label.set_size(size)
        ax.title.set_size(size + 0.5)


def _turnover(annual: pd.DataFrame, codes: list[str]) -> pd.Series:
    """Turnover by year, million US dollars, summed over `codes`."""
    rows = annual[annual["partner_iso3"].isin(codes)]
    return rows.groupby("year")["turnover_usd_m"].sum().sort_index()


def members_turnover(annual: pd.DataFrame, names: dict[str, str], narrow: bool = False):
    """Russia against the other four members together, on one linear axis (billion US dollars):
    a log axis would hide that Russia's trade dwarfs theirs. `narrow`: the phone layout."""
    russia = _turnover(annual, ["RUS"]) / 1000
    others = _turnover(annual, SMALL_MEMBERS) / 1000
    size = (NARROW_WIDTH_IN, 4.6) if narrow else (8, 4.5)
    fig, ax = plt.subplots(figsize=size)
    ax.plot(russia.index, russia.values, color=style.colour("RUS"), lw=2)
    ax.plot(others.index, others.values, color=OTHERS_COLOUR, lw=2)
    last = int(russia.index.max())
    entries = ((russia, names["RUS"], "RUS"), (others, "other four members together", "others"))
    for series, label, key in entries:
        colour = OTHERS_COLOUR if key == "others" else style.colour(key)
        if narrow:  # a legend: direct labels would cross the lines on a phone
            ax.lines[0 if key == "RUS" else 1].set_label(
                f"{label.replace(' members ', chr(10) + 'members ')}: "
                f"{fmt(series.loc[last], 1)} in {last}"
            )
            continue
        ax.annotate(
            f"{label.replace(' members ', chr(10) + 'members ')}: {fmt(series.loc[last], 1)}",
            (last, series.loc[last]),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=LABEL_PT + 1,
            color=colour,
            fontweight="bold",
        )
    if narrow:
        ax.legend(loc="upper left", fontsize=NARROW_PT, frameon=True, edgecolor="white")
    style.year_axis(ax)
    if narrow:
        ax.set_xticks(range(2008, last + 1, 4))
    style.number_axis(ax, "y")
    ax.set_ylim(0, russia.max() * 1.12)
    ax.set_ylabel("Turnover, billion US dollars")
    ax.set_xlabel("Year")
    for year, long, short in MARKED_YEARS:
        ax.axvline(year, color="#444444", ls="--", lw=0.8)
        ax.annotate(
            short if narrow else long,
            xy=(year, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=NARROW_PT if narrow else LABEL_PT,
        )
    title = "Armenia's trade with Russia dwarfs its trade with the other four members"
    if narrow:
        bigger_ticks(fig)
        style.finish_narrow(fig, title, "Armstat, external trade by partner country")
    else:
        style.finish(fig, title, SOURCE)
    return fig


def members_turnover_alt(annual: pd.DataFrame, names: dict[str, str]) -> str:
    russia, others = _turnover(annual, ["RUS"]), _turnover(annual, SMALL_MEMBERS)
    first, last = int(russia.index.min()), int(russia.index.max())
    small = ", ".join(names[c] for c in SMALL_MEMBERS[:-1]) + f" and {names[SMALL_MEMBERS[-1]]}"
    return (
        f"Line chart, linear scale, of Armenia's goods turnover from {first} to {last} in "
        f"billion US dollars: with Russia, and with {small} together. Russia's line rises from "
        f"{fmt(russia.loc[2021] / 1000, 1)} billion in 2021 to {fmt(russia.loc[last] / 1000, 1)} "
        f"billion in {last}; the other four members together peak at "
        f"{fmt(others.max() / 1000, 2)} billion ({int(others.idxmax())}) and come to "
        f"{fmt(others.loc[last] / 1000, 2)} billion in {last}; Russia's is "
        f"{fmt(russia.loc[last] / others.loc[last])} times as large. Dashed lines mark "
        f"Armenia's accession to the EAEU (2015) and Russia's invasion of Ukraine (2022)."
    )


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
    ax.plot(
        s["year"],
        _consignment_share(annual),
        ls="--",
        color=style.colour("RUS"),
        label="imports by country of consignment",
    )
    ax.set_ylabel("Russia's share of Armenia's goods turnover, %")
    ax.set_xlabel("Year")
    ax.set_ylim(0, 50)
    style.year_axis(ax)
    style.number_axis(ax, "y", percent=True)
    ax.legend(loc="upper left", fontsize=LABEL_PT)
    style.finish(fig, "Russia's share of Armenia's trade climbed past a third after 2021", SOURCE)
    return fig


def _consignment_share(annual: pd.DataFrame):
    s = annual[annual["partner_iso3"] == "RUS"]
    world = annual[annual["partner_iso3"] == "WLD"]["turnover_consignment_usd_m"].values
    return 100 * s["turnover_consignment_usd_m"].values / world


def russia_share_alt(annual: pd.DataFrame) -> str:
    s = annual[annual["partner_iso3"] == "RUS"].set_index("year")["share_of_total_pct"]
    first, last = int(s.index.min()), int(s.index.max())
    before = s.loc[:2021]
    return (
        f"Line chart of Russia's share of Armenia's goods turnover from {first} to {last}, with "
        f"imports counted by country of origin (solid) and by country of consignment (dashed). "
        f"On the origin basis the share stays between {pct(before.min())} and "
        f"{pct(before.max())} until 2021 and rises to {pct(s.loc[2022])} in 2022 and "
        f"{pct(s.loc[last])} in {last}; the consignment basis follows close by."
    )


def russia_monthly(rus_m: pd.DataFrame) -> plt.Figure:
    """Monthly exports to and imports from Russia since 2019 (`rus_m`: trade_monthly_members,
    Russia's rows)."""
    fig, ax = plt.subplots()
    dates, exports, imports = _monthly(rus_m)
    ax.plot(dates, exports, color=style.colour("RUS"), label="Armenian exports to Russia")
    ax.plot(
        dates, imports, color=style.colour("RUS"), ls=":", label="imports from Russia (by origin)"
    )
    ax.axvline(pd.Timestamp("2022-02-24"), color="#444444", ls="--", lw=0.8)
    ax.set_ylim(0, max(exports.max(), imports.max()) * 1.05)
    ax.text(pd.Timestamp("2022-03-10"), ax.get_ylim()[1] * 0.9, "24 Feb 2022", fontsize=LABEL_PT)
    ax.set_ylabel("Million US dollars per month")
    style.number_axis(ax, "y")
    style.date_axis(ax)
    ax.set_xlabel("Month")
    ax.legend(loc="upper left", fontsize=LABEL_PT)
    style.finish(
        fig,
        "Exports to Russia jumped within months of the invasion of Ukraine",
        "Armstat, external trade by partner country, monthly",
    )
    return fig


def _monthly(rus_m: pd.DataFrame):
    dates = pd.to_datetime(dict(year=rus_m["year"], month=rus_m["month"], day=1))
    window = dates >= "2019-01-01"
    return (
        dates[window],
        rus_m["exports"][window] / 1000,
        rus_m["imports_origin"][window] / 1000,
    )


def russia_monthly_alt(rus_m: pd.DataFrame) -> str:
    dates, exports, imports = _monthly(rus_m)
    by_year = exports.groupby(dates.dt.year).mean()
    peak = imports.idxmax()
    return (
        f"Monthly line chart from {dates.min():%B %Y} to {dates.max():%B %Y} of Armenian exports "
        f"to Russia and imports from Russia, million US dollars. Exports averaged "
        f"{fmt(by_year.loc[2021])} million a month in 2021 and {fmt(by_year.loc[2023])} million "
        f"in 2023, rising from spring 2022; imports peak at {fmt(imports.loc[peak])} million in "
        f"{dates.loc[peak]:%B %Y}. A dashed line marks 24 February 2022."
    )


def small_members(annual: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """The four smaller members on ONE shared, linear scale: a panel of its own scale would make
    Tajikistan's few million look like Belarus's hundred."""
    fig, axes = plt.subplots(2, 2, figsize=(8, 5.5), sharex=True, sharey=True)
    for ax, code in zip(axes.flat, SMALL_MEMBERS, strict=True):
        s = annual[annual["partner_iso3"] == code]
        ax.plot(s["year"], s["exports_usd_m"], color=style.colour(code), label="exports")
        ax.plot(s["year"], s["imports_usd_m"], color=style.colour(code), ls=":", label="imports")
        last = s.iloc[-1]
        ax.set_title(
            f"{names[code]}: turnover {fmt(last['turnover_usd_m'])} million in {int(last['year'])}",
            fontsize=10,
        )
        ax.set_xticks(range(2008, 2025, 4))  # yearly labels collide in a half-width panel
    axes[0, 0].set_ylim(0, None)
    for ax in axes[:, 0]:
        ax.set_ylabel("Million US dollars")
        style.number_axis(ax, "y")
    axes[0, 0].legend(fontsize=LABEL_PT, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("Year")
    style.finish(
        fig,
        "On one scale: trade with the other four members is small; with Tajikistan, tiny",
        SOURCE,
    )
    return fig


def small_members_alt(annual: pd.DataFrame, names: dict[str, str]) -> str:
    parts = []
    for code in SMALL_MEMBERS:
        s = annual[annual["partner_iso3"] == code].set_index("year")
        last = int(s.index.max())
        parts.append(
            f"{names[code]} {fmt(s.loc[last, 'turnover_usd_m'], 1)} million in {last} "
            f"(peak {fmt(s['turnover_usd_m'].max(), 1)} in {int(s['turnover_usd_m'].idxmax())})"
        )
    first = int(annual["year"].min())
    return (
        f"Four small line charts on one shared scale, million US dollars, of Armenia's exports "
        f"(solid) and imports (dotted) from {first} with each of the four smaller members. "
        f"Turnover: " + "; ".join(parts) + "."
    )


def reporter_short(reporter: str) -> str:
    """Who gave a partner-reported figure, in a few words: the reporter column of
    trade_mirror_reported without its country prefix ("Russia: ") and without the channel it
    was read through (the brackets, or what follows a comma or semicolon)."""
    who = re.split(r"\s*[(,;]", reporter, maxsplit=1)[0]
    return re.sub(r"^[A-Z][a-z]+:\s*", "", who).strip()


SHORT_FLOW = {"turnover": "turnover", "armenia_exports": "exports", "armenia_imports": "imports"}


def mirror_rows(
    mirror: pd.DataFrame,
    names: dict[str, str],
    qualifier_labels: dict[str, str],
    reporters: dict[str, str],
) -> list[tuple[str, pd.Series | None]]:
    """The mirror figure's rows, top to bottom: a heading row per partner (label, None), then
    one row per figure labelled with year, flow, the partner's own qualifier and who reported
    it (label, the mirror row)."""

    def bracket(qualifier):
        label = qualifier_labels.get(qualifier)
        return f" ({label})" if isinstance(label, str) and label else ""

    rows: list[tuple[str, pd.Series | None]] = []
    for partner, group in mirror.groupby("partner_iso3", sort=False):
        rows.append((names[partner], None))
        for _, m in group.iterrows():
            who = reporter_short(reporters[m["mirror_id"]])
            label = f"{m['year']} {SHORT_FLOW[m['flow']]}{bracket(m['qualifier'])}: {who}"
            rows.append((label, m))
    return rows


def mirror_title(mirror: pd.DataFrame) -> str:
    gaps = trade.mirror_gaps(mirror)
    below, above = gaps["widest_below"], gaps["widest_above"]
    return (
        f"Partners' figures stray from Armstat's both ways: up to "
        f"{pct(abs(below['gap_pct']))} below, {pct(above['gap_pct'])} above"
    )


def mirror_gaps(
    mirror: pd.DataFrame,
    names: dict[str, str],
    qualifier_labels: dict[str, str],
    reporters: dict[str, str],
) -> plt.Figure:
    """Left: the two sources' values as separate marks (no line joins them): Armstat's a bar,
    the partner's a diamond; the log scale fits Tajikistan and Russia on one axis but hides how
    far apart the marks are. Right: that gap. Each row names who reported the partner's figure
    (`reporters`: mirror_id to the reporter column of trade_mirror_reported), under a heading
    per partner. `qualifier_labels`: what a row's label adds, in brackets, for its qualifier
    (empty: nothing; data/qualifiers.csv, mirror_label)."""
    rows = mirror_rows(mirror, names, qualifier_labels, reporters)
    fig, (ax_value, ax_gap) = plt.subplots(
        1,
        2,
        figsize=(8, 2.0 + 0.235 * len(rows)),
        sharey=True,
        gridspec_kw={"width_ratios": [1, 1.25]},
    )
    for i, (_, m) in enumerate(rows):
        if m is None:
            continue
        c = style.colour(m["partner_iso3"])
        ax_value.plot(m["armenia_value_usd_m"], i, "|", color=c, ms=11, mew=2)
        ax_value.plot(m["partner_value_usd_m"], i, "D", mfc="white", color=c, ms=5)
        ax_gap.plot([0, m["gap_pct"]], [i, i], color=c, lw=1)
        ax_gap.plot(m["gap_pct"], i, "D", mfc="white", color=c, ms=5)
    ax_value.set_yticks(range(len(rows)), [label for label, _ in rows], fontsize=LABEL_PT)
    for tick, (_, m) in zip(ax_value.get_yticklabels(), rows, strict=True):
        if m is None:
            tick.set_fontweight("bold")
    ax_value.tick_params(axis="y", length=0)
    ax_value.set_ylim(len(rows) - 0.5, -0.5)
    style.plain_log_axis(ax_value, "x")
    ax_value.set_xticks([1, 100, 10000])
    ax_value.set_xlim(0.4, 40000)
    ax_value.set_xlabel("Million US dollars, log scale\n(bar: Armstat;\ndiamond: partner)")
    ax_gap.axvspan(-10, 10, color="#DDDDDD", alpha=0.5, lw=0)
    ax_gap.axvline(0, color="#444444", lw=0.8)
    ax_gap.set_xlim(-70, 40)
    ax_gap.set_xticks([-50, -25, 0, 25])
    style.number_axis(ax_gap, "x", percent=True)
    ax_gap.set_xlabel("Partner minus Armstat,\n% of Armstat's figure\n(grey band: within 10%)")
    style.finish(
        fig,
        mirror_title(mirror),
        "Armstat (current series); partners' officials and statistics agencies as quoted by "
        "news agencies",
    )
    return fig


def mirror_alt(mirror: pd.DataFrame, names: dict[str, str]) -> str:
    gaps = trade.mirror_gaps(mirror)
    below, above = gaps["widest_below"], gaps["widest_above"]
    return (
        f"Two panels with one row for each of {gaps['rows']} partner-reported figures, each "
        f"naming the partner, year, flow and who reported it. Left, on a log scale: Armstat's "
        f"value as a bar and the partner's as an open diamond. Right: the gap, partner minus "
        f"Armstat in per cent of Armstat's figure. {gaps['partner_lower']} of the "
        f"{gaps['rows']} partner figures are lower than Armstat's and {gaps['within_near']} lie "
        f"within 10% of it; the widest gaps are {names[below['partner_iso3']]} "
        f"{int(below['year'])}, {pct(abs(below['gap_pct']))} below, and "
        f"{names[above['partner_iso3']]} {int(above['year'])}, {pct(above['gap_pct'])} above."
    )


def _vintage_rows(checks: pd.DataFrame) -> pd.DataFrame:
    """Quoted figures that differ from the current series, in the trade chapter's partners and
    totals (the Turkish monthly figures stay in the table)."""
    return checks[(checks["outcome"] != "match") & (checks["partner_iso3"] != "TUR")].sort_values(
        ["year", "to_month", "partner_iso3", "flow", "fixture_id"], na_position="first"
    )


def vintages_title(checks: pd.DataFrame) -> str:
    shown = _vintage_rows(checks)
    up, down = shown[shown["direction"] == "up"], shown[shown["direction"] == "down"]
    where = ""
    if len(down) and down["to_month"].notna().all() and down["year"].nunique() == 1:
        where = f", all for part of {int(down['year'].iloc[0])}"
    return (
        f"Today's series is above {len(up)} of the {len(shown)} quoted figures that differ "
        f"from it,\nand below {len(down)}{where}"
    )


REVISION_LABEL = "a later revision, shown by the\nrelease's own growth rate"
OPEN_LABEL = "not explained"


def vintages(checks: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Quoted figures that differ from the current series, revision explained or not."""
    place = names | {"WLD": "Armenia's total", "EAEU": "EAEU partners"}
    shown = _vintage_rows(checks)
    fig, ax = plt.subplots(figsize=(8, 2.2 + 0.24 * len(shown)))
    for i, r in enumerate(shown.itertuples()):
        c_ = style.colour(r.partner_iso3)
        filled = r.outcome == "revision"
        ax.plot([0, r.difference_pct], [i, i], color=c_, lw=1)
        ax.plot(r.difference_pct, i, "o", color=c_, mfc=c_ if filled else "white", ms=7)
    labels = [
        f"{place[r.partner_iso3]} {r.year}{PERIOD.get(r.to_month, '')} {r.flow} ({r.fixture_id})"
        for r in shown.itertuples()
    ]
    ax.set_yticks(range(len(shown)), labels, fontsize=LABEL_PT)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.axvline(0, color="#444444", lw=0.8)
    style.number_axis(ax, "x", percent=True)
    ax.set_xlabel("Current series minus the figure as first quoted, % of the quoted figure")
    grey = "#444444"
    ax.legend(
        handles=[
            Line2D([], [], marker="o", ls="none", color=grey, ms=7, label=REVISION_LABEL),
            Line2D([], [], marker="o", ls="none", color=grey, mfc="white", ms=7, label=OPEN_LABEL),
        ],
        loc="lower right",
        fontsize=LABEL_PT,
        frameon=True,
    )
    style.finish(
        fig,
        vintages_title(checks),
        "Armstat (current series); Armstat's figures as quoted by officials and news agencies",
    )
    return fig


def _part_years(rows: pd.DataFrame) -> str:
    """', all for January to June or July 2024' for rows that all cover part of one year."""
    if not len(rows) or rows["to_month"].isna().any() or rows["year"].nunique() != 1:
        return ""
    months = [
        pd.Timestamp(2000, int(m), 1).strftime("%B") for m in sorted(rows["to_month"].unique())
    ]
    return f", all for January to {' or '.join(months)} {int(rows['year'].iloc[0])}"


def vintages_alt(checks: pd.DataFrame) -> str:
    shown = _vintage_rows(checks)
    up, down = shown[shown["direction"] == "up"], shown[shown["direction"] == "down"]
    revisions = int((shown["outcome"] == "revision").sum())
    return (
        f"Lollipop chart, one row for each of the {len(shown)} quoted Armstat figures that do not "
        f"match the current series, showing the current series minus the quoted figure in per "
        f"cent of the quoted figure. The current series is higher for {len(up)} of them (up to "
        f"{pct(up['difference_pct'].max(), 1)}) and lower for {len(down)} (down to "
        f"{pct(down['difference_pct'].min(), 1)}){_part_years(down)}. "
        f"{revisions} points are filled: differences explained as later revisions by the "
        f"release's own growth rate; the other {len(shown) - revisions} are open, not explained."
    )


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
    and claims as open marks labelled with their value (`points`: dicts with to_month, value in
    million US dollars, label, and kind, a key of MARKS); marks at one place share a label. The
    lines carry no dots, so a first release on a line stays visible."""
    for k, (year, series) in enumerate(lines.items()):
        ax.plot(
            series.index,
            series.values / 1000,
            color=colour,
            lw=1.8,
            alpha=0.35 + 0.65 * (k + 1) / len(lines),
            label=f"{year} (monthly series)",
        )
    merged: dict[tuple, dict] = {}
    for p in points:
        key = (p["to_month"], p["value"], p["kind"])
        if key in merged:
            if p["label"] not in merged[key]["label"].split(", "):
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
            fontsize=LABEL_PT,
        )
    ax.set_xticks(range(1, 13), [m[0] for m in MONTHS])
    ax.set_xlim(0.5, 12.9)
    ax.set_ylim(0, None)
    style.number_axis(ax, "y")
    ax.set_xlabel("January to month")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=LABEL_PT, loc="upper left")


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
            label=fmt(r.published / 1000, 1),
            year=int(r.year),
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
        dict(to_month=12, value=c.value_usd_m, label=fmt(c.value_usd_m / 1000, 1), kind="claim")
        for c in rus_claims.itertuples()
    ]
    fig, axes = plt.subplots(2, 1, figsize=(8, 8.2))
    for ax, partner, extra, title in [
        (axes[0], "RUS", claim_marks, names["RUS"]),
        (axes[1], "WLD", [], "All partners"),
    ]:
        period_to_date_panel(
            ax,
            _lines(monthly_all, partner, last_year),
            _marks(first, partner, last_year) + extra,
            style.colour(partner),
            "Turnover, billion US dollars",
        )
        ax.set_title(title, fontsize=10)
    style.finish(
        fig,
        "First releases: trade with Russia fell back in 2025 close to its 2023 pace",
        "Armstat (monthly series to December 2024; first releases after it as relayed by the "
        "press); Russian officials",
    )
    return fig


def _lines(monthly_all: pd.DataFrame, partner: str, last_year: int) -> dict[int, pd.Series]:
    return {
        year: first_releases_analysis.period_to_date(monthly_all, partner, "turnover", year)
        for year in (last_year - 1, last_year)
    }


def first_releases_alt(
    first: pd.DataFrame, monthly_all: pd.DataFrame, claims: pd.DataFrame, last_year: int
) -> str:
    def bn(value):
        return fmt(value / 1000, 1)

    rus, wld = _lines(monthly_all, "RUS", last_year), _lines(monthly_all, "WLD", last_year)
    marks = _marks(first, "RUS", last_year)
    said = ", ".join(f"{bn(m['value'])} billion to {MONTHS[m['to_month'] - 1]}" for m in marks)
    claim_values = sorted(
        set(claims.loc[(claims["partner_iso3"] == "RUS"), "value_usd_m"].astype(float))
    )
    world = ", ".join(
        f"{bn(m['value'])} billion to {MONTHS[m['to_month'] - 1]} {m['year']}"
        for m in _marks(first, "WLD", last_year)
    )
    return (
        f"Two line charts of trade turnover summed from January to each month, billion US "
        f"dollars. Top, Russia: {last_year} reaches {bn(rus[last_year].iloc[-1])} billion in "
        f"December, {last_year - 1} {bn(rus[last_year - 1].iloc[-1])} billion; the first releases "
        f"for {last_year + 1} ({said}) sit near the {last_year - 1} line, and Russian officials' "
        f"claims for {last_year + 1} ({' and '.join(bn(v) for v in claim_values)} billion) are "
        f"marked in December. Bottom, all partners: {last_year} reaches "
        f"{bn(wld[last_year].iloc[-1])} billion, "
        f"{last_year - 1} {bn(wld[last_year - 1].iloc[-1])}; "
        f"first releases after the series: {world}."
    )
