"""The context chapter's figure (poll results on the CSTO and Russia, one panel per question) and
its tables of contested figures (with who claims each) and poll results."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

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
OPINION_TEXT_PT = 9.0  # at 8 in wide, prints at 7 pt on the PDF's text width
FORMAT_CHANGE = {"color": "#777777", "ls": ":", "lw": 1.2, "zorder": 0}
FORMAT_NOTE = (
    "Dotted vertical line: the question's wording or answer format changed there; "
    "lines are not joined across it."
)
OPINION_SOURCE = "MPG (Gallup International), SOCIES, ACGRC, IRI, CRRC, as relayed by news reports"
MEASURE_LABELS = {
    "killed": "killed (all)",
    "killed_and_missing": "killed and missing (all)",
    "killed_military": "servicemen killed",
    "area_occupied": "area taken (km2)",
}
SIDES = {"ARM": "Armenian losses", "AZE": "Azerbaijani losses", "both_sides": "both sides"}


def format_changes(shown: pd.DataFrame) -> list[pd.Timestamp]:
    """Where a line of the panel changes question format: the middle of the gap between the
    last wave in one format and the first in the next (one date per change, sorted)."""
    dates = set()
    for _, line in shown.groupby("series_id", sort=True):
        runs = context.format_runs(line)
        for before, after in zip(runs, runs[1:], strict=False):
            last, first = before["plot_date"].max(), after["plot_date"].min()
            dates.add((last + (first - last) / 2).normalize())
    return sorted(dates)


def _opinion_panel(ax, shown: pd.DataFrame, panel_title: str, text_pt: float) -> None:
    """One question: a line per answer, broken where the question's format changes, with a
    dotted vertical line at each change."""
    for change in format_changes(shown):
        ax.axvline(change, **FORMAT_CHANGE)
    for (_, label, survey), line in shown.groupby(["series_id", "label", "survey"], sort=True):
        look = ANSWER_LOOKS.get(label, DEFAULT_LOOK)
        hollow = survey in HOLLOW_SURVEYS
        for i, part in enumerate(context.format_runs(line)):
            ax.plot(
                part["plot_date"],
                part["value_pct"],
                marker="o",
                ms=5,
                lw=1.6,
                mfc="white" if hollow else look["color"],
                label=label if i == 0 and not hollow else None,
                **look,
            )
    # A long title takes two lines rather than running into the next panel's.
    wrapped = "\n".join(textwrap.wrap(panel_title, PANEL_TITLE_CHARS))
    ax.set_title(wrapped, fontsize=text_pt + 0.5, loc="left", fontweight="bold")
    ax.set_ylim(0, 100)
    ax.set_xlim(*OPINION_X_RANGE)
    labels = set(ax.get_legend_handles_labels()[1])
    if len(labels) > 1:
        ax.legend(
            fontsize=text_pt,
            loc="upper left",
            # side by side while they fit in the panel, else one under another
            ncol=3 if sum(map(len, labels)) <= LEGEND_ROW_CHARS else 1,
            handlelength=1.4,
            columnspacing=0.7,
            handletextpad=0.4,
            borderaxespad=0.2,
        )


PANEL_TITLE_CHARS = 40  # a line of a panel title at 9.5 pt bold in half of 8 in
LEGEND_ROW_CHARS = 32  # the labels that fit side by side in one panel at 9 pt


def opinion_questions(lines: pd.DataFrame, title: str) -> plt.Figure:
    """Small multiples, two columns, one panel per question (context.opinion_lines); every
    text at least 9 pt on a figure 8 in wide."""
    panels = lines.drop_duplicates("panel")[["panel", "panel_title"]].to_numpy()
    nrow = -(-len(panels) // 2)
    fig, axes = plt.subplots(nrow, 2, figsize=(8, 2.3 * nrow + 1.3), sharex=True, sharey=True)
    for ax, (panel, panel_title) in zip(axes.ravel(), panels, strict=False):
        _opinion_panel(ax, lines[lines["panel"] == panel], panel_title, OPINION_TEXT_PT)
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    for ax in axes[:, 0]:
        ax.set_ylabel("Respondents (%)", fontsize=OPINION_TEXT_PT)
    for ax in axes.ravel()[: len(panels)]:
        style.date_axis(ax)
        ax.tick_params(labelsize=OPINION_TEXT_PT)
    fig.text(0.01, 0.028, FORMAT_NOTE, ha="left", va="bottom", fontsize=OPINION_TEXT_PT)
    style.finish(fig, title, OPINION_SOURCE)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def opinion_alt(lines: pd.DataFrame) -> str:
    """The opinion figure's finding: its panels, where lines break, and the latest values."""
    panels = lines.drop_duplicates("panel")
    changes = sum(len(format_changes(lines[lines["panel"] == p])) for p in panels["panel"])
    return (
        f"{len(panels)} small panels of poll results in per cent of respondents, one per "
        f"question: {', '.join(panels['panel_title'])}. Lines join waves of one question "
        f"format only; a dotted vertical line marks each of the {changes} changes of format. "
        + opinion_title(lines).replace("\n", " ")
        + "."
    )


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


# --- the 2023 exodus from Karabakh, by date and by who counted ----------------------------

EXODUS_EVENT = "K08"
# Counts dated after this are drawn apart, in a panel of later counts.
EXODUS_WINDOW = (pd.Timestamp("2023-09-24"), pd.Timestamp("2023-10-05"))
NO_TIME = pd.Timedelta(hours=12)  # a count without an hour is placed at midday
# Who counted: the reporter's name before its bracket (context_figures.reporter), its look.
COUNTERS = {
    "Government of Armenia": {"color": style.colour("ARM"), "marker": "o", "ls": "-"},
    "UNHCR": {"color": "#004488", "marker": "D", "ls": "-"},
}
POPULATION_LINE = {"color": "#777777", "ls": "--", "lw": 1.2, "zorder": 1}
FLOOR_ARROW_PT = 16  # "more than": an arrow up from the count's dot
EXODUS_SOURCE = (
    "Government of Armenia and UNHCR, as reported by Armenpress, AFP, Reuters and others"
)


def exodus_counts(figures: pd.DataFrame) -> pd.DataFrame:
    """The exodus's running counts of people arrived in Armenia (context_figures rows of
    displaced_persons for the exodus), with `when` (date and stated time, else midday) and
    `counter` (who counted), sorted by time. A reporter with no look in COUNTERS is refused."""
    rows = figures[
        (figures["event_id"] == EXODUS_EVENT) & (figures["measure"] == "displaced_persons")
    ].copy()
    times = rows["as_of_time"].fillna("")
    rows["when"] = [
        day + (pd.Timedelta(f"{t}:00") if t else NO_TIME)
        for day, t in zip(rows["as_of"], times, strict=True)
    ]
    rows["counter"] = rows["reporter"].str.split(" (", regex=False).str[0]
    unknown = sorted(set(rows["counter"]) - set(COUNTERS))
    if unknown:
        raise ValueError(f"context_figures: no look for the counter(s) {unknown}")
    return rows.sort_values(["when", "value"], ignore_index=True)


def exodus_population(figures: pd.DataFrame) -> float:
    rows = figures[
        (figures["event_id"] == EXODUS_EVENT) & (figures["measure"] == "pre_exodus_population")
    ]
    return float(rows.loc[rows["preferred"].astype(bool), "value"].iloc[0])


def exodus_title(figures: pd.DataFrame) -> str:
    """The finding: the count the text uses (preferred) as a share of the population."""
    counts = exodus_counts(figures)
    used = counts[counts["preferred"].astype(bool)].iloc[0]
    population = exodus_population(figures)
    share = style.fmt_number(100 * used["value"] / population, percent=True)
    return (
        f"By {used['as_of']:%-d %B %Y}, {style.fmt_number(used['value'])} people from Karabakh "
        f"had reached Armenia: {share} of its estimated {style.fmt_number(population)}"
    )


def exodus_alt(figures: pd.DataFrame) -> str:
    """The exodus figure's finding with its key numbers, from the data."""
    counts = exodus_counts(figures)
    government = counts[counts["counter"] == "Government of Armenia"]
    inside = government[government["when"] < EXODUS_WINDOW[1]]
    first, last = inside.iloc[0], inside.iloc[-1]
    unhcr = counts[counts["counter"] == "UNHCR"]
    later = counts[counts["when"] >= EXODUS_WINDOW[1]]
    pinned = "; ".join(
        f"{r.counter}, {r.as_of:%-d %B %Y}: {style.fmt_number(r.value)}" for r in later.itertuples()
    )
    during = unhcr[unhcr["when"] < EXODUS_WINDOW[1]]
    return (
        f"{exodus_title(figures)}. Line chart of the running count of arrivals in Armenia, "
        f"{len(counts)} counts by who counted: the Government of Armenia's counts rise from "
        f"{style.fmt_number(first.value)} on {first.as_of:%-d %B} to "
        f"{style.fmt_number(last.value)} on {last.as_of:%-d %B}; UNHCR gave "
        + " and ".join(style.fmt_number(v) for v in during["value"])
        + f" on {during['as_of'].iloc[0]:%-d %B}. Later counts, in a panel of their own: "
        f"{pinned}. A dashed line marks the estimated population before the exodus, "
        f"{style.fmt_number(exodus_population(figures))}."
    )


def _exodus_lines(ax, counts: pd.DataFrame, ms: float) -> None:
    """One line per counter through its counts in the window, a floor ("more than") marked by
    an arrow pointing up from its dot."""
    for counter, rows in counts.groupby("counter", sort=True):
        look = COUNTERS[counter]
        inside = rows[rows["when"] < EXODUS_WINDOW[1]]
        ax.plot(inside["when"], inside["value"], lw=1.6, ms=ms, label=counter, **look)
        for r in inside[inside["qualifier"] == "lower_bound"].itertuples():
            ax.annotate(
                "",
                (r.when, r.value),
                xytext=(0, FLOOR_ARROW_PT),
                textcoords="offset points",
                arrowprops={"arrowstyle": "<-", "color": look["color"], "lw": 1.2, "shrinkB": ms},
            )


def _later_counts(ax, later: pd.DataFrame, population: float, ms: float) -> None:
    """Counts dated after the window, side by side in a panel of their own, one per date, each
    in its counter's look and labelled with its value."""
    later = later.reset_index(drop=True)
    for i, r in later.iterrows():
        look = COUNTERS[r["counter"]]
        ax.plot(i, r["value"], ls="none", marker=look["marker"], ms=ms, color=look["color"])
        ax.annotate(
            style.fmt_number(r["value"]),
            (i, r["value"]),
            xytext=(0, -7),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            color=look["color"],
        )
    ax.set_xticks(range(len(later)), [f"{d:%-d %b}\n{d:%Y}" for d in later["as_of"]])
    ax.set_xlim(-0.6, len(later) - 0.4)
    ax.set_title("Later counts", loc="left", fontsize=9)
    ax.axhline(population, **POPULATION_LINE)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)


def _later_counts_rows(ax, later: pd.DataFrame, population: float, ms: float) -> None:
    """The later counts for a phone: one row per date, on an axis of people of their own, with
    the population before the exodus as the same dashed line."""
    later = later.reset_index(drop=True)
    for i, r in later.iterrows():
        look = COUNTERS[r["counter"]]
        ax.plot(r["value"], i, ls="none", marker=look["marker"], ms=ms, color=look["color"])
        ax.annotate(
            style.fmt_number(r["value"]),
            (r["value"], i),
            xytext=(-7, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=9,
            color=look["color"],
        )
    ax.axvline(population, **POPULATION_LINE)
    ax.set_yticks(range(len(later)), [f"{d:%-d %b %Y}" for d in later["as_of"]])
    ax.set_ylim(len(later) - 0.5, -0.6)
    ax.set_xlim(0, population * 1.1)
    style.number_axis(ax, "x")
    ax.xaxis.set_major_locator(MaxNLocator(3))
    ax.set_title("Later counts", loc="left", fontsize=9)
    ax.set_xlabel("People arrived (count)")


def exodus_figure(figures: pd.DataFrame, *, narrow: bool = False) -> plt.Figure:
    """Arrivals in Armenia from Karabakh, September-October 2023, by date and by who counted,
    with the estimated population before the exodus as a dashed line, and the later counts in a
    panel of their own; `narrow` for a phone."""
    counts = exodus_counts(figures)
    population = exodus_population(figures)
    ms = 4.5 if narrow else 5.5
    if narrow:  # stacked: the running count above, the later counts below on their own axis
        fig, (ax, side) = plt.subplots(
            2, 1, figsize=(4, 7.4), gridspec_kw={"height_ratios": (3.4, 1)}
        )
    else:  # side by side on one scale of people
        fig, (ax, side) = plt.subplots(
            1, 2, figsize=(8, 5), sharey=True, gridspec_kw={"width_ratios": (5, 1)}
        )
    _exodus_lines(ax, counts[counts["when"] < EXODUS_WINDOW[1]], ms=ms)
    later = counts[counts["when"] >= EXODUS_WINDOW[1]]
    if narrow:
        _later_counts_rows(side, later, population, ms=ms)
    else:
        _later_counts(side, later, population, ms=ms)
    for panel in (ax, side):
        panel.axhline(population, color="#777777", ls="--", lw=1.2, zorder=1)
    ax.annotate(
        f"{'population' if narrow else 'estimated population'} before the exodus: "
        f"{style.fmt_number(population)}",
        (EXODUS_WINDOW[0], population),
        xytext=(4, 3),
        textcoords="offset points",
        va="bottom",
        fontsize=9,
        color="#444444",
    )
    ax.set_xlim(*EXODUS_WINDOW)
    ax.set_ylim(0, population * 1.1)
    style.number_axis(ax, "y")
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=3 if narrow else 2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    ax.set_ylabel(
        "People arrived in Armenia (running count)"
        if not narrow
        else "People arrived (running count)"
    )
    ax.set_xlabel("Date of the count, 2023 (counts without an hour at midday)")
    handles = [
        Line2D([], [], **COUNTERS[c], ms=5.5, label=c) for c in sorted(set(counts["counter"]))
    ] + [Line2D([], [], ls="none", marker="$\u2191$", ms=9, color="#333333", label="at least")]
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    if narrow:
        ax.set_xlabel(textwrap.fill(ax.get_xlabel(), 44))
        style.finish_narrow(fig, exodus_title(figures), EXODUS_SOURCE)
    else:
        style.finish(fig, textwrap.fill(exodus_title(figures), 68), EXODUS_SOURCE)
    return fig
