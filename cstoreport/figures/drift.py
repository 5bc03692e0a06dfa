"""The drift chapter's figure: the EAEU's and Russia's shares of Armenia's exports by year."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style


def export_share_figure(shares: pd.DataFrame, joined_year: int) -> plt.Figure:
    """`shares`: drift.export_shares; lines of the four other EAEU members' and Russia's shares
    of Armenia's exports by year, with a dashed line at the year Armenia joined."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.plot(
        shares["year"],
        shares["partners_export_share_pct"],
        color=style.colour("EAEU"),
        marker="o",
        ms=3,
        label="Four other EAEU members",
    )
    ax.plot(
        shares["year"],
        shares["russia_export_share_pct"],
        color=style.colour("RUS"),
        marker="s",
        ms=3,
        label="Russia alone",
    )
    ax.axvline(joined_year, color="#999999", lw=0.8, ls="--")
    ax.annotate(
        "Armenia joins the EAEU",
        (joined_year, ax.get_ylim()[1] * 0.95),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize=8,
        va="top",
    )
    ax.set_ylabel("Share of Armenia's exports (%)")
    ax.set_xlabel("Year")
    ax.set_ylim(0, None)
    style.year_axis(ax)
    ax.legend(loc="upper left")
    return fig
