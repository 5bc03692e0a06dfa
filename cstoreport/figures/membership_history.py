"""The membership chapter's figures: who was party and member when, and Armenia's steps by form."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import membership

SOURCE = "membership_events.csv and armenia_disengagement.csv (sources per row)"
ORDER = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE", "GEO"]
TICK_EVENTS = ["signature", "accession", "lapse", "membership_restored", "suspension"]
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


def membership_timeline(
    spells: pd.DataFrame, preferred: pd.DataFrame, names: dict[str, str]
) -> plt.Figure:
    """Party to the 1992 Treaty and member of the Organization, state by state."""
    end_of_view = pd.Timestamp(year=membership.DATA_AS_OF.year, month=12, day=31)
    fig, ax = plt.subplots(figsize=(8, 5))
    for i, code in enumerate(ORDER):
        for s in spells[spells["state_iso3"] == code].itertuples():
            end = s.end_date if pd.notna(s.end_date) else end_of_view
            cst = s.instrument == "CST_1992"
            ax.barh(
                i + (-0.18 if cst else 0.18),
                (end - s.start_date).days,
                left=s.start_date,
                height=0.32,
                color=style.colour(code),
                alpha=0.45 if cst else 0.95,
                hatch="//" if s.status == "member_participation_frozen" else None,
                edgecolor="#333333",
                linewidth=0.4,
            )
        marks = preferred[
            (preferred["state_iso3"] == code) & preferred["event_type"].isin(TICK_EVENTS)
        ]
        ax.plot(marks["date"], [i] * len(marks), "k|", ms=9)
    ax.set_yticks(range(len(ORDER)), [names[c] for c in ORDER])
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("1992-01-01"), end_of_view)
    ax.set_xlabel(
        "Upper, pale bar: party to the 1992 Treaty. Lower bar: member of the "
        "Organization\n(hatched: participation frozen). Ticks: signature, accession, "
        "lapse, return, suspension",
        fontsize=8,
    )
    style.finish(
        fig, "Nine states were once party; six remain, and Armenia has frozen its part", SOURCE
    )
    return fig


def steps_by_form(arm_steps: pd.DataFrame, forms: dict[str, int]) -> plt.Figure:
    """Armenia's steps, one lane per kind, in a band per form named with its count."""
    lane_of = {(form, step_type): i for i, (form, step_type, _) in enumerate(STEP_LANES)}
    fig, ax = plt.subplots(figsize=(8, 5))
    for s in arm_steps.itertuples():
        y = lane_of[(s.step_form, s.step_type)]  # a new kind of step needs a lane: KeyError
        if s.date_precision == "month":
            ax.plot([s.date, s.date + pd.offsets.MonthEnd(0)], [y, y], color="#555555", lw=2)
        ax.plot(s.date, y, linestyle="none", ms=7, **MARKS[s.step_form])
    ax.set_yticks(range(len(STEP_LANES)), [label for _, _, label in STEP_LANES])
    ax.invert_yaxis()
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
            fontsize=9,
            fontweight="bold",
        )
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Date (a bar: only the month is known)")
    style.date_axis(ax)
    style.finish(
        fig,
        f"{len(arm_steps)} steps away from the CSTO since November 2022; "
        f"{forms['formal_act']} of them formal acts",
        SOURCE,
    )
    return fig
