"""The organisation chapter's figure: the collective forces' reported sizes by source and year."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style

SHADES = ["#7F3C8D", "#A267AC", "#5B2A64", "#C597CB", "#3E1B44"]  # the CSTO's own tone
SOURCE = (
    "CSTO officials via Sputnik, RIA Novosti and Itar-Tass; Belarus News; Vestnik Kavkaza; "
    "EVN Report"
)
BOUND_WORDS = {"lower_bound": "more than ", "upper_bound": "up to ", "approximate": "about "}


def reported_sizes(people: pd.DataFrame, families: list[tuple[str, str, str]]) -> pd.DataFrame:
    """One row per series, year, size and qualifier drawn, with how many sources report it,
    in the order drawn (series as listed, then year)."""
    rows = []
    for order, (family, component, label) in enumerate(families):
        mine = people[(people["force_family"] == family) & (people["component"] == component)]
        grouped = mine.groupby(["year_of_figure", "size", "qualifier"], as_index=False).agg(
            sources=("source_id", "nunique")
        )
        rows.append(grouped.assign(series=label, order=order))
    out = pd.concat(rows, ignore_index=True)
    out["year_of_figure"] = out["year_of_figure"].astype(int)
    return out.sort_values(["order", "year_of_figure", "size"]).reset_index(drop=True)


def value_label(row) -> str:
    text = BOUND_WORDS.get(row.qualifier, "") + style.fmt_number(row.size)
    return text + (f" ({row.sources} sources)" if row.sources > 1 else "")


def forces_alt(sizes: pd.DataFrame) -> str:
    """The chart's finding with its key numbers, from the sizes drawn."""
    parts = []
    for series, rows in sizes.groupby("series", sort=False):
        values = ", ".join(f"{value_label(r)} in {r.year_of_figure}" for r in rows.itertuples())
        parts.append(f"{series}: {values}")
    return (
        "Dot chart on a linear scale of the reported strength of the CSTO's collective forces, "
        "one row per figure, grouped by force, each labelled with its value. "
        + "; ".join(parts)
        + "."
    )


def forces_title(sizes: pd.DataFrame, largest: str) -> str:
    big = sizes[sizes["series"] == largest]["size"]
    rest = sizes[sizes["series"] != largest]["size"]
    return (
        f"The {largest} is reported at {style.fmt_number(big.min())}\u2013"
        f"{style.fmt_number(big.max())} personnel;\nno other force at more than "
        f"{style.fmt_number(rest.max())}"
    )


def force_sizes(people: pd.DataFrame, families: list[tuple[str, str, str]]) -> plt.Figure:
    """`people`: collective_forces rows sized in personnel with a year; `families`: (family,
    component, label) of each series drawn. A linear dot plot: one row per reported figure (its
    year on the left), grouped by force, each dot labelled with its value. A bound ("more
    than 500", "up to 20,000") is hollow, an exact or approximate figure filled."""
    sizes = reported_sizes(people, families)
    fig, ax = plt.subplots(figsize=(8, 6.8))
    y, ticks, tick_labels = 0.0, [], []
    for (order, series), rows in sizes.groupby(["order", "series"], sort=True):
        shade = SHADES[order % len(SHADES)]
        ax.text(0, y + 0.15, series, fontsize=10, fontweight="bold", va="bottom", ha="left")
        y += 0.6
        for r in rows.itertuples():
            bound = r.qualifier in ("lower_bound", "upper_bound")
            ax.plot([0, r.size], [y, y], color=shade, lw=1, alpha=0.5)
            ax.plot(
                r.size,
                y,
                "o",
                ms=8,
                color=shade,
                mfc="white" if bound else shade,
                mec=shade if bound else "#222222",
                mew=1.5 if bound else 0.5,
            )
            ax.text(r.size, y, "   " + value_label(r), va="center", ha="left", fontsize=9)
            ticks.append(y)
            tick_labels.append(str(r.year_of_figure))
            y += 0.75
        y += 0.35
    ax.set_yticks(ticks, tick_labels)
    ax.set_ylim(y - 0.6, -0.5)
    ax.set_xlim(0, sizes["size"].max() * 1.3)
    style.number_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Reported strength, personnel (linear scale; hollow: a bound)")
    ax.set_ylabel("Year the figure refers to")
    largest = sizes.loc[sizes["size"].idxmax(), "series"]
    style.finish(fig, forces_title(sizes, largest), SOURCE)
    return fig
