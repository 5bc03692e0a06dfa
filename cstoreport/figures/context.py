"""The context chapter's figure (how Armenian opinion moved) and its tables of contested figures
and poll results."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import context
from cstoreport.gluing import long_date

# (survey, measure, subject, label, colour code, line style)
OPINION_LINES = [
    ("IRI", "political_partner", "RUS", "IRI: Russia named a main political partner", "RUS", "-"),
    ("IRI", "relations_good", "RUS", "IRI: relations with Russia rated good", "RUS", "--"),
    ("IRI", "political_threat", "RUS", "IRI: Russia named a political threat", "RUS", ":"),
    ("CRRC_CB", "main_friend", "RUS", "Caucasus Barometer: Russia the main friend", "RUS", "-."),
    ("EU_NEIGHBOURS_EAST", "trust", "EU", "EU Neighbours East: trust the EU", "EU", "-"),
]
SURVEY_NAMES = {
    "IRI": "IRI",
    "CRRC_CB": "Caucasus Barometer",
    "EU_NEIGHBOURS_EAST": "EU Neighbours East",
}
MEASURE_LABELS = {
    "killed": "killed (all)",
    "killed_and_missing": "killed and missing (all)",
    "killed_military": "servicemen killed",
    "area_occupied": "area taken (km2)",
}
SIDES = {"ARM": "Armenian losses", "AZE": "Azerbaijani losses", "both_sides": "both sides"}


def opinion_shift(series: pd.DataFrame) -> plt.Figure:
    """The poll lines (context.opinion_series) with the wars and attacks marked."""
    fig, ax = plt.subplots(figsize=(8, 4.6))
    for survey, measure, subject, label, code, dash in OPINION_LINES:
        rows = series[
            (series["survey"] == survey)
            & (series["measure"] == measure)
            & (series["subject"] == subject)
        ]
        ax.plot(
            rows["plot_date"],
            rows["value_pct"],
            dash,
            marker="o",
            ms=4,
            color=style.colour(code),
            label=label,
        )
    ax.axvspan(pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"), color="#DDDDDD", lw=0)
    ax.axvline(pd.Timestamp("2022-09-13"), color="#999999", lw=0.8)
    ax.axvline(pd.Timestamp("2023-09-19"), color="#999999", lw=0.8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Share of respondents (%)")
    ax.set_xlabel(
        "Middle of fieldwork (grey: 2020 war; lines: Sept 2022 attack, Sept 2023 offensive)"
    )
    style.date_axis(ax)
    ax.legend(fontsize=7, loc="lower left")
    style.finish(
        fig,
        "Fewer Armenians see Russia as partner or friend, more as a threat",
        "IRI, CRRC Caucasus Barometer, EU Neighbours East as relayed (public_opinion.csv)",
    )
    return fig


def contested_table(contested: pd.DataFrame, words: dict[str, str]) -> pd.DataFrame:
    """Contested casualty and area figures (context.with_source_types) with who reports them;
    `words` says each qualifier in words (data/qualifiers.csv)."""
    return pd.DataFrame(
        {
            "Figure": contested["figure_id"],
            "Measure": contested["measure"].map(MEASURE_LABELS)
            + ", "
            + contested["side"].map(SIDES),
            "Scope": contested["scope"].str.replace("_", " "),
            "Value": [f"{v:g}" for v in contested["value"]],
            "Qualifier": contested["qualifier"].map(words),
            "Source": contested["source_id"].map(context.cite),
            "Type of source": [
                context.type_label(t, s)
                for t, s in zip(contested["source_type"], contested["state"], strict=False)
            ],
        }
    )


def opinion_table(opinion: pd.DataFrame) -> pd.DataFrame:
    """Every poll result, with its fieldwork, question, base and source."""
    return pd.DataFrame(
        {
            "Survey": opinion["survey"].map(SURVEY_NAMES),
            "Fieldwork": [
                long_date(s, p) + ("" if pd.isna(e) or p == "year" else " to " + long_date(e, p))
                for s, e, p in zip(
                    opinion["fieldwork_start"],
                    opinion["fieldwork_end"],
                    opinion["fieldwork_precision"],
                    strict=False,
                )
            ],
            "Question (paraphrased)": opinion["question"],
            "About": opinion["subject"],
            "Share (%)": opinion["value_pct"].map(lambda v: f"{v:g}"),
            "Base": opinion["base"],
            "Source": opinion["source_id"].map(context.cite)
            + opinion["preferred"].map({True: "", False: " (alternative reading)"}),
        }
    )
