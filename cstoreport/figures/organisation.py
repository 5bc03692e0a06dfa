"""The organisation chapter's figure: the collective forces' reported sizes by source and year."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style

MARKERS = ["o", "s", "D", "^", "v"]
SHADES = ["#7F3C8D", "#A267AC", "#5B2A64", "#C597CB", "#3E1B44"]  # the CSTO's own tone


def force_sizes(people: pd.DataFrame, families: list[tuple[str, str, str]]) -> plt.Figure:
    """`people`: collective_forces rows sized in personnel with a year; `families`: (family,
    component, label) of each series drawn."""
    fig, ax = plt.subplots(figsize=(8, 4.8))
    # Each figure comes from its own source and year: separate marks, no line joining sources.
    # A bound ("more than 500", "up to 20,000") is hollow, an exact or approximate figure filled.
    for (family, component, label), marker, shade in zip(families, MARKERS, SHADES, strict=False):
        rows = people[(people["force_family"] == family) & (people["component"] == component)]
        bound = rows["qualifier"].isin(["lower_bound", "upper_bound"])
        ax.plot(
            rows.loc[~bound, "year_of_figure"],
            rows.loc[~bound, "size"],
            marker=marker,
            ls="none",
            color=shade,
            label=label,
            ms=7,
            mec="#222222",
            mew=0.5,
        )
        ax.plot(
            rows.loc[bound, "year_of_figure"],
            rows.loc[bound, "size"],
            marker=marker,
            ls="none",
            color=shade,
            mfc="white",
            ms=7,
            mew=1.2,
        )
    ax.plot(
        [],
        [],
        "o",
        ls="none",
        color="#555555",
        mfc="white",
        mew=1.2,
        label="hollow: a bound (\u201cmore than\u201d, \u201cup to\u201d)",
    )
    style.plain_log_axis(ax)
    style.year_axis(ax)
    ax.set_ylabel("Reported strength, personnel (log scale)")
    ax.set_xlabel("Year the figure refers to (one marker per source)")
    ax.legend(fontsize=8, loc="lower right")
    style.finish(
        fig,
        "The forces' reported sizes change with the source and the year",
        "collective_forces.csv (sources per row)",
    )
    return fig
