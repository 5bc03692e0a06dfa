"""The alternatives chapter's figure: Armenia's ties with the EU, the US, France and India."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style

LANES = [
    ("eu_mission", "EU monitoring missions", "EU"),
    ("eu_assistance", "EU assistance (European Peace Facility)", "EU"),
    ("us_exercise", "Exercises with the United States", "ARM"),
    ("defence_agreement", "Arms deals with France and India", "ARM"),
]


def timeline(alt: pd.DataFrame) -> plt.Figure:
    """One lane per kind of tie; a bar for a mandate or exercise that lasted over 20 days."""
    fig, ax = plt.subplots(figsize=(8, 4))
    for y, (category, _label, code) in enumerate(LANES):
        rows = alt[(alt["category"] == category) & alt["date"].notna()]
        for r in rows.itertuples():
            if pd.notna(r.end_date) and (r.end_date - r.date).days > 20:
                ax.plot(
                    [r.date, r.end_date],
                    [y, y],
                    color=style.colour(code),
                    lw=5,
                    alpha=0.5,
                    solid_capstyle="butt",
                )
            ax.plot(r.date, y, "o", color=style.colour(code), ms=7, mec="#222222", mew=0.5)
    ax.set_yticks(range(len(LANES)), [lane[1] for lane in LANES], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("2022-07-01"), pd.Timestamp("2027-03-31"))
    style.date_axis(ax)
    ax.set_xlabel("Date (bars: mandates and exercises that lasted)")
    style.finish(
        fig,
        "From late 2022 Armenia built ties with the EU, the US, France and India",
        "alternatives.csv (sources per row)",
    )
    return fig
