"""The membership chapter's figures: who was party and member when, and Armenia's steps by form."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from cstoreport import style
from cstoreport.analysis import membership

SOURCE = (
    "Belarus foreign ministry (depositary); Gibler alliance data; TASS, RIA Novosti and other "
    "news agencies"
)
ORDER = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE", "GEO"]
# The events ticked on a state's bars, each labelled on the figure with its word.
TICK_WORDS = {
    "signature": "signed",
    "accession": "acceded",
    "lapse": "lapsed",
    "membership_restored": "returned",
    "suspension": "suspended",
}
TICK_EVENTS = list(TICK_WORDS)
# Ticks of one state this close together get one label ("returned, signed").
LABEL_JOIN_DAYS = 366
FROZEN_HATCH = "////"  # black lines on white: visible on Armenia's black bar's place
# One lane per kind of step, grouped by form: formal acts (solid squares), statements (hollow
# circles), absences (crosses). A step known only to the month is drawn across that month.
STEP_LANES = [
    ("formal_act", "declined_signature", "refused to sign"),
    ("formal_act", "declined_post", "gave up its deputy post"),
    ("formal_act", "recalled_envoy", "recalled its envoy"),
    ("formal_act", "budget_refusal", "refused to pay"),
    ("statement", "declined_exercises", "would not host drills"),
    ("statement", "freeze", "\u201cfroze\u201d participation"),
    ("statement", "statement_on_leaving", "spoke of leaving"),
    ("statement", "other", "other remarks"),
    ("absence", "absence_from_meeting", "stayed away from meetings"),
    ("absence", "declined_exercises", "sent no unit to drills"),
]
FORM_NAMES = {"formal_act": "Formal acts", "statement": "Statements", "absence": "Absences"}
MARKS = {
    "formal_act": dict(marker="s", mfc=style.colour("ARM"), mec=style.colour("ARM")),
    "statement": dict(marker="o", mfc="white", mec=style.colour("ARM"), mew=1.2),
    "absence": dict(marker="x", mec="#555555", mew=1.5),
}
MARKER_PT = 7


# -- layout helpers shared with the overview figure -------------------------------------------


def dodge_levels(dates, min_gap_days: float) -> list[int]:
    """A level for each date (in the given order) so that dates closer than `min_gap_days`
    never share a level: level 0 first, then 1, 2 ... (greedy, by date)."""
    order = sorted(range(len(dates)), key=lambda i: dates[i])
    last_on_level: dict[int, pd.Timestamp] = {}
    levels = [0] * len(dates)
    for i in order:
        level = 0
        while level in last_on_level and (dates[i] - last_on_level[level]).days < min_gap_days:
            level += 1
        levels[i] = level
        last_on_level[level] = dates[i]
    return levels


def level_offset(level: int, step: float) -> float:
    """0, +step, -step, +2 step ... : dodged markers alternate around their lane."""
    return 0.0 if level == 0 else step * ((level + 1) // 2) * (1 if level % 2 else -1)


def days_per_point(ax: plt.Axes, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """How many days one typographic point covers on a date x axis, as the axes are laid out."""
    fig = ax.figure
    fig.canvas.draw()
    width_pt = ax.get_position().width * fig.get_figwidth() * 72
    return (end - start).days / width_pt


def place_labels(ax: plt.Axes, labels, slots, fontsize: float = 9, avoid=()) -> list:
    """Put each label (x, row, text) in the first of `slots` (dy, va, dx in x units, ha) where
    it stays inside the axes and overlaps no label placed before; if none is free, in the first
    slot (the figure check then names the overlap). Returns the Text artists."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.bbox
    placed = []
    boxes = [a.get_window_extent(renderer) for a in avoid]
    for x, row, text in labels:
        for k, (dy, va, dx, ha) in enumerate(slots):
            artist = ax.text(x + dx, row + dy, text, va=va, ha=ha, fontsize=fontsize)
            box = artist.get_window_extent(renderer).expanded(1.04, 1.15)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1
            if (inside and not any(box.overlaps(b) for b in boxes)) or k == len(slots) - 1:
                break
            artist.remove()
        placed.append(artist)
        boxes.append(box)
    return placed


def wrapped(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# -- membership timeline ----------------------------------------------------------------------


def tick_labels(preferred: pd.DataFrame, code: str) -> list[tuple[pd.Timestamp, str]]:
    """(date, words) of one state's ticked events; events within LABEL_JOIN_DAYS of the
    previous one share a label, and a word is said once."""
    marks = preferred[
        (preferred["state_iso3"] == code) & preferred["event_type"].isin(TICK_EVENTS)
    ].sort_values(["date", "event_type"])
    groups: list[tuple[pd.Timestamp, pd.Timestamp, list[str]]] = []
    for row in marks.itertuples():
        word = TICK_WORDS[row.event_type]
        if groups and (row.date - groups[-1][1]).days <= LABEL_JOIN_DAYS:
            first, _, words = groups[-1]
            groups[-1] = (first, row.date, words + ([word] if word not in words else []))
        else:
            groups.append((row.date, row.date, [word]))
    return [(first, ", ".join(words)) for first, _, words in groups]


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def in_words(n: int) -> str:
    """Small numbers in words, as the text says them."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else style.fmt_number(n)


def counts(spells: pd.DataFrame) -> tuple[int, list[str], list[str]]:
    """States ever party to the 1992 Treaty, members of the Organization now, and those gone."""
    cst = spells[spells["instrument"] == "CST_1992"]
    now = spells[spells["end_date"].isna()]
    members_now = sorted(now.loc[now["instrument"] == "CSTO_CHARTER_2002", "state_iso3"].unique())
    left = sorted(set(cst["state_iso3"]) - set(now["state_iso3"]))
    return cst["state_iso3"].nunique(), members_now, left


def frozen_since(spells: pd.DataFrame) -> pd.Timestamp | None:
    frozen = spells[spells["status"] == "member_participation_frozen"]
    return None if frozen.empty else frozen["start_date"].min()


def membership_alt(spells: pd.DataFrame, names: dict[str, str]) -> str:
    """The timeline's finding with its key numbers, from the spells."""
    ever, members_now, left = counts(spells)
    frozen = spells[spells["status"] == "member_participation_frozen"]
    text = (
        f"Bars for the {in_words(ever)} states that were once party to the 1992 Collective "
        f"Security Treaty. {in_words(len(members_now)).capitalize()} remain members of the "
        "Organization: "
        f"{membership.name_list(members_now, names)}. "
        f"{membership.name_list(left, names)} left. "
    )
    for row in frozen.itertuples():
        text += (
            f"{names[row.state_iso3]}'s membership bar is hatched from {row.start_date:%B %Y}: "
            "participation frozen. "
        )
    return text + "Ticks, each labelled, mark signature, accession, lapse, return and suspension."


def membership_timeline(
    spells: pd.DataFrame, preferred: pd.DataFrame, names: dict[str, str], *, narrow: bool = False
) -> plt.Figure:
    """Party to the 1992 Treaty and member of the Organization, state by state. `narrow`: the
    same chart laid out for a phone (4 in wide)."""
    end_of_view = pd.Timestamp(year=membership.DATA_AS_OF.year, month=12, day=31)
    # Rows: the upper bar (Treaty), the lower bar (Organization), labels of the ticks above or
    # below; in the narrow layout the state's name sits above its bars and labels take two lines.
    half, line, second = (0.1, 0.21, 0.4) if narrow else (0.13, 0.27, None)
    fig, ax = plt.subplots(figsize=(4, 11) if narrow else (8, 6.6))
    for i, code in enumerate(ORDER):
        for s in spells[spells["state_iso3"] == code].itertuples():
            end = s.end_date if pd.notna(s.end_date) else end_of_view
            cst = s.instrument == "CST_1992"
            frozen = s.status == "member_participation_frozen"
            ax.barh(
                i + (-half if cst else half),
                (end - s.start_date).days,
                left=s.start_date,
                height=1.85 * half,
                color="white" if frozen else style.colour(code),
                alpha=1.0 if frozen else 0.45 if cst else 0.95,
                hatch=FROZEN_HATCH if frozen else None,
                edgecolor="#000000" if frozen else "#333333",
                linewidth=0.8 if frozen else 0.4,
            )
        marks = preferred[
            (preferred["state_iso3"] == code) & preferred["event_type"].isin(TICK_EVENTS)
        ]
        ax.plot(
            marks["date"], [i] * len(marks), "|", color="#000000", ms=17 if narrow else 16, mew=1.5
        )
    headings = []
    if narrow:  # state names above their bars: the bars get the whole width
        ax.set_yticks(range(len(ORDER)), [""] * len(ORDER))
        ax.tick_params(axis="y", length=0)
        for i, code in enumerate(ORDER):
            headings.append(
                ax.text(
                    pd.Timestamp("1991-09-01"),
                    i - 0.24,
                    names[code],
                    va="bottom",
                    fontsize=10,
                    fontweight="bold",
                )
            )
        ax.set_ylim(len(ORDER) - 0.35, -0.6)
    else:
        ax.set_yticks(range(len(ORDER)), [names[c] for c in ORDER])
        ax.set_ylim(len(ORDER) - 0.45, -0.55)
    ax.set_xlim(pd.Timestamp("1991-07-01"), end_of_view)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Year")
    if narrow:
        ax.set_xticks(pd.to_datetime([f"{y}-01-01" for y in range(1992, end_of_view.year, 8)]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(
        handles=[
            Patch(facecolor="#999999", alpha=0.6, label="Party to the 1992 Treaty (upper bar)"),
            Patch(facecolor="#444444", label="Member of the Organization (lower bar)"),
            Patch(
                facecolor="white",
                edgecolor="#000000",
                hatch=FROZEN_HATCH,
                label="Member, participation frozen",
            ),
        ],
        **(
            dict(loc="upper left", bbox_to_anchor=(-0.02, -0.07))
            if narrow
            else dict(loc="lower right")
        ),
        fontsize=9,
        handlelength=2.2,
        borderaxespad=0.2,
    )
    since = frozen_since(spells)
    ever, members_now, _ = counts(spells)
    title = (
        f"{in_words(ever).capitalize()} states were once party;"
        f"{chr(10) if narrow else ' '}{in_words(len(members_now))} remain"
    )
    if since is not None:
        title += ", and Armenia froze its part\n" if not narrow else ";\nArmenia froze its part "
        title += f"in {since:%B %Y}"
    style.finish(fig, title, wrapped(SOURCE, 55) if narrow else SOURCE)
    labels = [
        (date, i, words)
        for i, code in enumerate(ORDER)
        for date, words in tick_labels(preferred, code)
    ]
    gap = pd.Timedelta(days=30 if narrow else 60)
    place_labels(
        ax,
        labels,
        [
            (line, "top", gap, "left"),
            (-line, "bottom", gap, "left"),
            (line, "top", -gap, "right"),
            (-line, "bottom", -gap, "right"),
            *([(second, "top", gap, "left")] if second else []),
        ],
        avoid=headings,
    )
    return fig


STEPS_SOURCE = "Armenian government; Azatutyun, TASS, Asbarez and other news agencies"


def steps_alt(arm_steps: pd.DataFrame, forms: dict[str, int]) -> str:
    """The steps chart's finding with its key numbers, from the steps."""
    first, last = arm_steps["date"].min(), arm_steps["date"].max()
    return (
        f"Dot chart of Armenia's {len(arm_steps)} steps away from the CSTO from "
        f"{first:%B %Y} to {last:%B %Y}, one lane per kind of step in three bands: "
        f"{forms['formal_act']} formal acts (solid squares), {forms['statement']} statements "
        f"(hollow circles) and {forms['absence']} absences (crosses). Most steps are "
        "statements and absences from late 2023 on; steps close in time are drawn side by side."
    )


def steps_by_form(arm_steps: pd.DataFrame, forms: dict[str, int]) -> plt.Figure:
    """Armenia's steps, one lane per kind, in a band per form named with its count. Steps of a
    lane closer in time than a marker's width are dodged up and down, not piled."""
    lane_of = {(form, step_type): i for i, (form, step_type, _) in enumerate(STEP_LANES)}
    fig, ax = plt.subplots(figsize=(8, 5.4))
    start = arm_steps["date"].min() - pd.Timedelta(days=45)
    end = arm_steps["date"].max() + pd.Timedelta(days=45)
    ax.set_xlim(start, end)
    ax.set_yticks(range(len(STEP_LANES)), [label for _, _, label in STEP_LANES])
    ax.set_ylim(len(STEP_LANES) - 0.5, -0.5)
    for form, name in FORM_NAMES.items():  # a band per form, named with its count
        rows = [i for i, (f, _, _) in enumerate(STEP_LANES) if f == form]
        if form != "absence":
            ax.axhline(max(rows) + 0.5, color="#888888", lw=0.8)
        ax.text(
            1.01,
            (min(rows) + max(rows)) / 2,
            f"{name}:\n{forms[form]}",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=10,
            fontweight="bold",
        )
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Date (a bar: only the month is known)")
    style.date_axis(ax)
    style.finish(
        fig,
        f"{len(arm_steps)} steps away from the CSTO since {arm_steps['date'].min():%B %Y}; "
        f"{forms['formal_act']} of them formal acts",
        STEPS_SOURCE,
    )
    gap = 1.1 * MARKER_PT * days_per_point(ax, start, end)
    lanes = arm_steps.assign(
        lane=[  # a new kind of step has no lane: KeyError
            lane_of[(f, t)]
            for f, t in zip(arm_steps["step_form"], arm_steps["step_type"], strict=True)
        ]
    ).sort_values(["lane", "date", "step_id"])
    for _, lane in lanes.groupby("lane"):
        levels = dodge_levels(list(lane["date"]), gap)
        for s, level in zip(lane.itertuples(), levels, strict=True):
            y = s.lane + level_offset(level, 0.28)
            if s.date_precision == "month":
                ax.plot([s.date, s.date + pd.offsets.MonthEnd(0)], [y, y], color="#555555", lw=2)
            ax.plot(s.date, y, linestyle="none", ms=MARKER_PT, **MARKS[s.step_form])
    return fig
