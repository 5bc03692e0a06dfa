"""The alternatives chapter's figure: Armenia's ties with the EU, the US, France and India."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style

# Dots closer than this in one lane would pile up; in the data they are one item reported twice.
SAME_ITEM_DAYS = 15
LANES = [
    ("eu_mission", "EU monitoring missions", "EU"),
    ("eu_assistance", "EU assistance (European Peace Facility)", "EU"),
    ("us_exercise", "Exercises with the United States", "ARM"),
    ("defence_agreement", "Arms deals with France and India", "ARM"),
]


def lane_dots(alt: pd.DataFrame, category: str) -> list[pd.Timestamp]:
    """The dates a lane marks: one dot for items within SAME_ITEM_DAYS of the previous dot (the
    two sides of one exercise, one contract dated a day apart by two sources). An item dated
    only to its year has no place on a time axis and gets none."""
    dots: list[pd.Timestamp] = []
    rows = alt[(alt["category"] == category) & alt["date"].notna()]
    for day in sorted(rows.loc[rows["date_precision"] != "year", "date"]):
        if not dots or (day - dots[-1]).days > SAME_ITEM_DAYS:
            dots.append(day)
    return dots


def alt_text(alt: pd.DataFrame) -> str:
    """The figure's finding with its dates, from the table."""
    parts = []
    for category, label, _ in LANES:
        dots = lane_dots(alt, category)
        if dots:
            parts.append(f"{label}: {len(dots)} ({', '.join(f'{d:%B %Y}' for d in dots)})")
    first = min(d for category, _, _ in LANES for d in lane_dots(alt, category))
    return (
        f"Timeline of Armenia's ties outside the CSTO from {first:%B %Y}, one lane per kind "
        "of tie, a dot per item and a bar for a mandate or exercise that lasted. "
        + "; ".join(parts)
        + "."
    )


def timeline(alt: pd.DataFrame) -> plt.Figure:
    """One lane per kind of tie; a bar for a mandate or exercise that lasted over 20 days, a
    dot per item (one for an item reported twice, see lane_dots)."""
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
        for day in lane_dots(alt, category):
            ax.plot(day, y, "o", color=style.colour(code), ms=7, mec="#222222", mew=0.5)
    ax.set_yticks(range(len(LANES)), [lane[1] for lane in LANES], fontsize=9.5)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("2022-07-01"), pd.Timestamp("2027-03-31"))
    style.date_axis(ax)
    ax.set_xlabel("Date (bars: mandates and exercises that lasted)")
    style.finish(
        fig,
        "From late 2022 Armenia built ties with the EU, the US, France and India",
        "Council of the EU; governments and defence ministries; news agencies (sources per row)",
    )
    return fig
