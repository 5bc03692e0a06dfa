"""The drift chapter's figure: the EAEU's and Russia's shares of Armenia's exports by year."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style

SOURCE = "Armstat, external trade by country (monthly, summed by year)"


def _share(shares: pd.DataFrame, year: int, column: str = "partners_export_share_pct") -> float:
    return float(shares.set_index("year").loc[year, column])


def export_share_title(shares: pd.DataFrame, peak_year: int = 2022) -> str:
    last = int(shares["year"].max())
    return (
        f"The EAEU took {style.fmt_number(_share(shares, peak_year), percent=True)} of Armenia's "
        f"exports in {peak_year} and {style.fmt_number(_share(shares, last), percent=True)} "
        f"in {last}"
    )


def export_share_alt(shares: pd.DataFrame, joined_year: int, peak_year: int = 2022) -> str:
    """The chart's finding with its key numbers, from the shares."""
    first, last = int(shares["year"].min()), int(shares["year"].max())

    def both(year: int) -> str:
        return (
            f"{style.fmt_number(_share(shares, year), percent=True)} and "
            f"{style.fmt_number(_share(shares, year, 'russia_export_share_pct'), percent=True)}"
        )

    return (
        f"Line chart, {first} to {last}, of the share of Armenia's exports going to the four "
        f"other EAEU members and to Russia alone: {both(first)} in {first}, {both(joined_year)} "
        f"in {joined_year}, when Armenia joined the Union (a dashed line), {both(peak_year)} in "
        f"{peak_year}, and {both(last)} in {last}."
    )


def export_share_figure(
    shares: pd.DataFrame, joined_year: int, peak_year: int = 2022
) -> plt.Figure:
    """`shares`: drift.export_shares; lines of the four other EAEU members' and Russia's shares
    of Armenia's exports by year, with a dashed line at the year Armenia joined."""
    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.plot(
        shares["year"],
        shares["partners_export_share_pct"],
        color=style.colour("EAEU"),
        marker="o",
        ms=4,
        label="Four other EAEU members",
    )
    ax.plot(
        shares["year"],
        shares["russia_export_share_pct"],
        color=style.colour("RUS"),
        label="Russia alone",
    )
    ax.axvline(joined_year, color="#999999", lw=0.8, ls="--")
    ax.set_ylim(0, shares["partners_export_share_pct"].max() * 1.12)
    ax.annotate(
        "Armenia joins the EAEU",
        (joined_year, ax.get_ylim()[1] * 0.97),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize=9,
        va="top",
    )
    ax.set_ylabel("Share of Armenia's exports (%)")
    ax.set_xlabel("Year")
    style.number_axis(ax, "y", percent=True)
    style.year_axis(ax)
    ax.legend(loc="upper left")
    style.finish(fig, export_share_title(shares, peak_year), SOURCE)
    return fig
