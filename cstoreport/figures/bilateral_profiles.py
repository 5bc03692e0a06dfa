"""The bilateral chapter's figures: Freedom House scores of the six members, and the arms
suppliers' shares of Azerbaijan's imports."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import bilateral

ARMS_PANELS = [(["RUS"], "Russia"), (["ISR", "BLR"], "Israel and Belarus")]
NO_HOUSE_COLOUR = "#777777"  # Israel has no house colour


def freedom_scores(fh_preferred: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Each member's Freedom in the World total score by edition; Not Free shaded."""
    fig, ax = plt.subplots()
    for state in bilateral.PROFILE_STATES:
        s = fh_preferred[fh_preferred["state_iso3"] == state].sort_values("edition_year")
        ax.plot(
            s["edition_year"],
            s["total_score"],
            marker="o",
            ms=4,
            color=style.colour(state),
            label=names[state],
        )
    ax.axhspan(0, 35, color="#DDDDDD", alpha=0.3, lw=0)
    ax.set_ylim(0, 100)
    style.year_axis(ax)
    ax.set_ylabel("Freedom in the World total score (0-100)")
    ax.set_xlabel("Edition (each covers the previous calendar year)")
    ax.legend(ncol=3, fontsize=8, loc="upper right")
    style.finish(
        fig,
        "Armenia is the only member not rated Not Free",
        "Freedom House, Freedom in the World (as read; sources per row in freedom_house.csv)",
    )
    return fig


def _supplier_spans(ax, s, colour, panel_spans) -> None:
    """One supplier's shares, each a span over the years its SIPRI period covers, labelled."""
    for (start, end), window in s.groupby(["period_start", "period_end"]):
        ten_years = end - start + 1 >= 10
        for share in window["share_pct"]:
            ax.plot(
                [start - 0.5, end + 0.5],
                [share, share],
                color=colour,
                lw=3,
                ls=(0, (2, 1)) if ten_years else "-",
                solid_capstyle="butt",
            )
            # End caps show where each period starts and stops where spans run together.
            ax.plot([start - 0.5, end + 0.5], [share, share], "|", color="#222222", ms=7)
        # Two reports of one release that disagree share one label: "64 or 69".
        shares = sorted(window["share_pct"])
        label = " or ".join(f"{v:g}" for v in shares) + (" (ten years)" if ten_years else "")
        y = sum(shares) / len(shares)
        # The label goes after the span, or before it where another span of the panel runs
        # through that spot (Israel's 2015-19 share would sit on the 2017-21 bar).
        covered = any(
            s0 - 0.5 < end + 1.5 and end + 0.5 < s1 + 0.5 and abs(v - y) < 4
            for s0, s1, v in panel_spans
            if (s0, s1) != (start, end)
        )
        ax.annotate(
            label,
            (start - 0.5 if covered else end + 0.5, y),
            xytext=(-3 if covered else 3, 0),
            textcoords="offset points",
            ha="right" if covered else "left",
            va="center",
            fontsize=8,
            color="#222222",
            bbox=dict(fc="white", ec="none", pad=0.5),
            zorder=4,
        )


def arms_shares(imports: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Suppliers' shares of Azerbaijan's arms imports. A SIPRI share describes a window of five
    or ten years, so each is drawn as a span over the years it covers (ends at the years'
    edges), never as a point in one year."""
    fig, axes = plt.subplots(2, 1, figsize=(8, 5.6), sharex=True)
    for ax, (suppliers, title) in zip(axes, ARMS_PANELS, strict=False):
        in_panel = imports[imports["supplier_iso3"].isin(suppliers) & imports["share_pct"].notna()]
        panel_spans = list(
            zip(
                in_panel["period_start"],
                in_panel["period_end"],
                in_panel["share_pct"],
                strict=False,
            )
        )
        for supplier in suppliers:
            s = imports[(imports["supplier_iso3"] == supplier) & imports["share_pct"].notna()]
            _supplier_spans(ax, s, style.STATE_COLOURS.get(supplier, NO_HOUSE_COLOUR), panel_spans)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylim(0, 100)
        ax.set_ylabel("Share of imports, %")
    ax.set_xlim(2009.3, 2023.2)
    style.year_axis(ax)
    ax.set_xlabel("Years covered by each SIPRI period (solid: five years; dashed: ten years)")
    axes[1].plot([], [], color=NO_HOUSE_COLOUR, lw=3, label=names["ISR"])
    axes[1].plot([], [], color=style.colour("BLR"), lw=3, label=names["BLR"])
    axes[1].legend(fontsize=8, loc="upper left")
    style.finish(
        fig,
        "Russia's share of Azerbaijan's arms imports fell period by period; Israel's rose",
        "SIPRI figures as quoted (arms_to_azerbaijan.csv, sources per row)",
    )
    return fig
