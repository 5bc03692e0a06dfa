"""The first page's figure: one story timeline of requests, answers and Armenia's steps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import membership

FORM_MARKS = {  # how each form is drawn: a formal act solid, a statement hollow, an absence a cross
    "formal_act": dict(marker="s", ms=7, mfc=style.colour("ARM"), mec=style.colour("ARM")),
    "statement": dict(marker="o", ms=7, mfc="white", mec=style.colour("ARM"), mew=1.2),
    "absence": dict(marker="x", ms=6, mec="#555555", mew=1.2),
}
FORM_LANES = {
    "formal_act": "Armenia's formal acts",
    "statement": "Armenia's statements",
    "absence": "Armenia's absences",
}
LANES = ["Karabakh", "Kazakhstan asks the CSTO", "Armenia asks the CSTO", *FORM_LANES.values()]
# Each request: a dot on its lane and, in words, what the CSTO did. May 2021 is labelled above its
# dot so that its label does not run into September 2022's.
REQUESTS = [
    ("E034", "Kazakhstan asks the CSTO", "KAZ", "beside"),
    ("E022", "Armenia asks the CSTO", "ARM", "above"),
    ("E107", "Armenia asks the CSTO", "ARM", "beside"),
]
FORMAL_LABELS = {
    "declined_signature": "refused to sign",
    "declined_post": "gave up a post",
    "recalled_envoy": "recalled envoy",
    "budget_refusal": "refused to pay",
}
# A kind seen again: the written notice that followed the spokeswoman's refusal to pay.
REPEAT_LABELS = {"budget_refusal": "notified it will not pay"}


def after(days) -> str:
    days = int(days)
    return "the same day" if days == 0 else "the next day" if days == 1 else f"after {days} days"


def answer(row) -> str:
    """What the CSTO did, in words: first answer, decision, troops."""
    decision, troops = row["lag_to_decision_days"], row["lag_to_deployment_days"]
    if pd.isna(decision):
        said = f"consultations {after(row['lag_to_response_days'])}, no decision"
    elif pd.notna(troops) and troops == decision:
        return f"a decision and troops {after(decision)}"
    else:
        said = f"a decision {after(decision)}"
    if pd.notna(troops):
        return said + f", troops {after(troops)}"
    return said + (", a mission, no troops" if row["response_type"] == "mission" else ", no troops")


def _context(ax, context, y) -> None:
    """The Russian peacekeeping mission in Karabakh and the 2023 offensive."""
    keepers = context.loc["K02"]
    ax.barh(
        y,
        (keepers["end_date"] - keepers["date"]).days,
        left=keepers["date"],
        height=0.28,
        color=style.colour("RUS"),
        alpha=0.35,
    )
    ax.text(
        keepers["date"] + pd.Timedelta(days=20),
        y - 0.25,
        "Russian peacekeepers in Karabakh after the 2020 war",
        fontsize=8,
        va="bottom",
    )
    offensive = context.loc["K07"]
    ax.plot(offensive["date"], y, "D", ms=7, color=style.colour("AZE"), mec="#222222")
    ax.text(
        offensive["date"] + pd.Timedelta(days=25),
        y + 0.3,
        "Azerbaijan takes Karabakh; its Armenians leave",
        fontsize=8,
        va="top",
    )


def _requests(ax, lags, y_of) -> None:
    for request_id, lane, state, place in REQUESTS:
        row, y = lags.loc[request_id], y_of[lane]
        ax.plot(
            row["request_date"], y, "o", ms=8, color=style.colour(state), mec="#222222", mew=0.6
        )
        text = f"{row['request_date']:%b %Y}: {answer(row)}"
        if place == "beside":
            ax.text(row["request_date"] + pd.Timedelta(days=25), y, text, fontsize=8, va="center")
        else:
            ax.text(row["request_date"], y - 0.3, text, fontsize=8, va="bottom")


def _steps(ax, arm_steps, y_of) -> None:
    for step in arm_steps.sort_values("date").itertuples():
        y = y_of[FORM_LANES[step.step_form]]
        if step.date_precision == "month":  # known only to the month: drawn across it
            ax.plot([step.date, step.date + pd.offsets.MonthEnd(0)], [y, y], color="#555555", lw=2)
        ax.plot(step.date, y, linestyle="none", **FORM_MARKS[step.step_form])
    formal = arm_steps[arm_steps["step_form"] == "formal_act"].sort_values("date")
    labels = [
        REPEAT_LABELS[t] if again else FORMAL_LABELS[t]
        for t, again in zip(formal["step_type"], formal["step_type"].duplicated(), strict=False)
    ]
    for k, (step, label) in enumerate(zip(formal.itertuples(), labels, strict=False)):
        up = k % 2 == 0
        ax.text(
            step.date,
            y_of[FORM_LANES["formal_act"]] + (-0.22 if up else 0.22),
            label,
            fontsize=7.5,
            ha="center",
            va="bottom" if up else "top",
        )
    freeze = arm_steps[arm_steps["step_type"] == "freeze"].iloc[0]
    ax.text(
        freeze["date"],
        y_of[FORM_LANES["statement"]] + 0.22,
        "“frozen” (in an interview)",
        fontsize=7.5,
        ha="center",
        va="top",
    )


def story_timeline(lags: pd.DataFrame, steps: pd.DataFrame, context: pd.DataFrame) -> plt.Figure:
    """Requests to the CSTO and its answers, Armenia's steps by form, and the Karabakh context.

    `lags` is response_lags indexed by request_id, `steps` armenia_disengagement, `context`
    context_events indexed by event_id."""
    arm_steps = membership.armenian_steps(steps)
    forms = membership.steps_by_form(steps)
    y_of = {lane: i for i, lane in enumerate(LANES)}
    fig, ax = plt.subplots(figsize=(9, 5.2))
    _context(ax, context, y_of["Karabakh"])
    _requests(ax, lags, y_of)
    _steps(ax, arm_steps, y_of)
    lane_labels = {
        **{lane: lane for lane in LANES},
        **{lane: f"{lane} ({forms[form]})" for form, lane in FORM_LANES.items()},
    }
    ax.set_yticks(range(len(LANES)), [lane_labels[lane] for lane in LANES])
    ax.set_ylim(len(LANES) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    # The axis runs to the newest date in the tables drawn from (their cut-off).
    newest = max(steps["date"].max(), lags["request_date"].max(), context["date"].max())
    end = newest + pd.offsets.MonthEnd(1)
    ax.set_xlim(pd.Timestamp("2020-09-01"), end)
    years = range(2021, end.year + 1)
    ax.set_xticks(pd.to_datetime([f"{y}-01-01" for y in years]), [str(y) for y in years])
    ax.set_xlabel("Date (steps: square = formal act, circle = statement, cross = absence)")
    style.finish(
        fig,
        "The CSTO sent troops to Kazakhstan, not to Armenia; Armenia's steps back\n"
        f"are {forms['formal_act']} formal acts, {forms['statement']} statements and "
        f"{forms['absence']} absences",
        "events.csv (requests and answers), armenia_disengagement.csv, "
        "context_events.csv; sources per row",
    )
    return fig
