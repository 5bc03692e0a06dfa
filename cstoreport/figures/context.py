"""The context chapter's figure (poll results on the CSTO and Russia, one panel per question) and
its tables of contested figures (with who claims each) and poll results."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import context
from cstoreport.gluing import long_date
from cstoreport.tables import state_names

SURVEY_NAMES = {
    "IRI": "IRI",
    "CRRC_CB": "Caucasus Barometer",
    "EU_NEIGHBOURS_EAST": "EU Neighbours East",
    "MPG": "MPG (Gallup International)",
    "SOCIES": "SOCIES",
    "ACGRC": "ACGRC",
}
MODES = {"telephone": "telephone", "face_to_face": "face to face", "not_stated": "not stated"}
# Who makes a contested claim, in words (event_figures.claimant).
CLAIMANTS = {
    "armenian_government": "Armenian government",
    "azerbaijani_government": "Azerbaijani government",
    "russian_government": "Russian government",
    "karabakh_authorities": "Karabakh authorities",
    "other_government": "another government",
    "international_organisation": "international organisation",
    "independent": "independent",
    "unattributed": "unattributed",
    "other": "other",
}
# The opinion figure's lines: answers are not states, so the CSTO and Russia keep their house
# colours and the other answers are greys told apart by line style.
ANSWER_LOOKS = {
    "Russia": {"color": style.colour("RUS"), "ls": "-"},
    "the CSTO": {"color": style.colour("CSTO"), "ls": "-"},
    "stay in the CSTO": {"color": style.colour("CSTO"), "ls": "-"},
    "join NATO": {"color": "#333333", "ls": "--"},
    "neither": {"color": "#999999", "ls": ":"},
    "no": {"color": "#999999", "ls": "-"},
    "no (at least)": {"color": "#999999", "ls": "-"},
    "would help against Azerbaijan": {"color": "#999999", "ls": "-"},
}
DEFAULT_LOOK = {"color": "#333333", "ls": "-"}
HOLLOW_SURVEYS = ("SOCIES",)  # another question than MPG's in the same panel: drawn apart
OPINION_X_RANGE = (pd.Timestamp("2012-07-01"), pd.Timestamp("2026-12-31"))
MEASURE_LABELS = {
    "killed": "killed (all)",
    "killed_and_missing": "killed and missing (all)",
    "killed_military": "servicemen killed",
    "area_occupied": "area taken (km2)",
}
SIDES = {"ARM": "Armenian losses", "AZE": "Azerbaijani losses", "both_sides": "both sides"}


def _opinion_panel(ax, shown: pd.DataFrame, panel_title: str) -> None:
    """One question: a line per answer, broken where the question's format changes."""
    for (_, label, survey), line in shown.groupby(["series_id", "label", "survey"], sort=True):
        look = ANSWER_LOOKS.get(label, DEFAULT_LOOK)
        hollow = survey in HOLLOW_SURVEYS
        for i, part in enumerate(context.format_runs(line)):
            ax.plot(
                part["plot_date"],
                part["value_pct"],
                marker="o",
                ms=4.5,
                lw=1.4,
                mfc="white" if hollow else look["color"],
                label=label if i == 0 and not hollow else None,
                **look,
            )
    ax.set_title(panel_title, fontsize=8.5, loc="left", fontweight="bold")
    ax.set_ylim(0, 100)
    ax.set_xlim(*OPINION_X_RANGE)
    if len(set(ax.get_legend_handles_labels()[1])) > 1:
        ax.legend(fontsize=7, loc="upper right", ncol=3, handlelength=1.6, columnspacing=0.8)


def opinion_questions(lines: pd.DataFrame, title: str) -> plt.Figure:
    """Small multiples, two columns, one panel per question (context.opinion_lines)."""
    panels = lines.drop_duplicates("panel")[["panel", "panel_title"]].to_numpy()
    nrow = -(-len(panels) // 2)
    fig, axes = plt.subplots(nrow, 2, figsize=(8, 2.05 * nrow + 0.9), sharex=True, sharey=True)
    for ax, (panel, panel_title) in zip(axes.ravel(), panels, strict=False):
        _opinion_panel(ax, lines[lines["panel"] == panel], panel_title)
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    for ax in axes[:, 0]:
        ax.set_ylabel("Respondents (%)", fontsize=8)
    for ax in axes.ravel()[: len(panels)]:
        style.date_axis(ax)
        ax.tick_params(labelsize=7.5)
    style.finish(
        fig,
        title,
        "public_opinion.csv (MPG, SOCIES, ACGRC, IRI, CRRC as relayed; sources per row)",
    )
    return fig


def opinion_title(lines: pd.DataFrame) -> str:
    """What the latest data show: the newest shares for staying in the CSTO (MPG) and for
    Russia as a partner and a threat (IRI)."""
    stay = context.latest_wave(lines, "S05")
    partner = context.latest_wave(lines, "S15")
    threat = context.latest_wave(lines, "S16")
    return (
        f"Latest polls: {stay.value_pct:.0f}% want to stay in the CSTO ({stay.plot_date:%B %Y});"
        f"\n{partner.value_pct:.0f}% name Russia a main partner, {threat.value_pct:.0f}% a threat"
        f" ({partner.plot_date:%B %Y})"
    )


def contested_table(
    contested: pd.DataFrame, words: dict[str, str], names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Contested casualty and area figures (context.with_source_types) with who reports them;
    `words` says each qualifier in words (data/qualifiers.csv), `names` each state by name
    (data/states.csv by default)."""
    names = state_names() if names is None else names
    return pd.DataFrame(
        {
            "Measure": contested["measure"].map(MEASURE_LABELS)
            + ", "
            + contested["side"].map(SIDES),
            "Scope": contested["scope"].str.replace("_", " "),
            "Value": [f"{v:g}" for v in contested["value"]],
            "Qualifier": contested["qualifier"].map(words),
            "Claimed by": contested["claimant"].map(CLAIMANTS),
            "Source": contested["source_id"].map(context.cite),
            "Type of source": [
                context.type_label(t, s, names)
                for t, s in zip(contested["source_type"], contested["state"], strict=False)
            ],
        }
    )


def fieldwork_words(start, end, precision: str) -> str:
    """'22 November 2021 to 5 December 2021', 'December 2023', '2019', or, where the source gives
    no fieldwork date, the publication date it was dated by."""
    if precision == "not_stated":
        return f"not stated (published {long_date(start)})"
    if pd.isna(end) or precision == "year":
        return long_date(start, precision)
    return f"{long_date(start, precision)} to {long_date(end, precision)}"


def opinion_table(opinion: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every poll result, with its fieldwork, question, answer, pollster, mode, sample and
    source; a state it asks about by name (`names`, data/states.csv by default)."""
    names = state_names() if names is None else names
    return pd.DataFrame(
        {
            "Survey": opinion["survey"].map(SURVEY_NAMES),
            "Fieldwork": [
                fieldwork_words(s, e, p)
                for s, e, p in zip(
                    opinion["fieldwork_start"],
                    opinion["fieldwork_end"],
                    opinion["fieldwork_precision"],
                    strict=True,
                )
            ],
            "Question (paraphrased)": opinion["question"],
            "About, answer": opinion["subject"].map(lambda s: names.get(s, s))
            + ", "
            + opinion["answer"],
            "Share (%)": opinion["value_pct"].map(lambda v: f"{v:g}"),
            "Pollster, mode, sample": [
                f"{p}; {MODES[m]}; " + ("n not stated" if pd.isna(n) else f"n = {int(n):,}")
                for p, m, n in zip(
                    opinion["pollster"], opinion["mode"], opinion["sample_size"], strict=True
                )
            ],
            "Source": opinion["source_id"].map(context.cite)
            + opinion["preferred"].map({True: "", False: " (alternative reading)"}),
        }
    )
