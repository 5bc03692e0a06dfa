"""The first page's figure: the troops the CSTO sent when asked, and one story timeline of
requests, answers and Armenia's steps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import chronology, membership
from cstoreport.figures.membership_history import (
    days_per_point,
    dodge_levels,
    level_offset,
    place_labels,
    wrapped,
)

SOURCE = (
    "CSTO and government statements; news agencies (TASS, Interfax, Sputnik, Azatutyun and others)"
)
MARKER_PT = 7
FORM_MARKS = {  # how each form is drawn: a formal act solid, a statement hollow, an absence a cross
    "formal_act": dict(marker="s", mfc=style.colour("ARM"), mec=style.colour("ARM")),
    "statement": dict(marker="o", mfc="white", mec=style.colour("ARM"), mew=1.2),
    "absence": dict(marker="x", mec="#555555", mew=1.5),
}
FORM_LANES = {
    "formal_act": "Armenia's formal acts",
    "statement": "Armenia's statements",
    "absence": "Armenia's absences",
}
LANES = ["Karabakh", "Kazakhstan asks the CSTO", "Armenia asks the CSTO", *FORM_LANES.values()]
# Each request: a dot on its lane and, in words, what the CSTO did; May 2021 is labelled above
# its dot, so that its words do not run into September 2022's dot.
REQUESTS = [
    ("E034", "Kazakhstan asks the CSTO", "KAZ", "beside"),
    ("E022", "Armenia asks the CSTO", "ARM", "above"),
    ("E107", "Armenia asks the CSTO", "ARM", "beside"),
]
STATE_NAMES = {"KAZ": "Kazakhstan", "ARM": "Armenia"}
FORMAL_LABELS = {
    "declined_signature": "refused to sign",
    "declined_post": "gave up a post",
    "recalled_envoy": "recalled envoy",
    "budget_refusal": "refused to pay",
}
# A kind seen again: the written notice that followed the spokeswoman's refusal to pay.
REPEAT_LABELS = {"budget_refusal": "refused in writing"}


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


def troops_sent(lags: pd.DataFrame, events: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """For each request drawn: the lowest and highest number of troops the CSTO's deployments
    in answer to it were reported at, and by how many sources (0, 0, 0 when the CSTO sent none).
    `lags` is response_lags indexed by request_id."""
    spread = chronology.figure_spread(figures, events)
    rows = []
    for request_id, _, state, _ in REQUESTS:
        lag = lags.loc[request_id]
        sent = events[
            (events["responds_to"] == request_id)
            & (events["event_type"] == "deployment")
            & (events["actor"] == "CSTO")
        ]
        low = high = 0.0
        sources = 0
        if not sent.empty:
            low, high, sources = chronology.source_range(
                spread, sent["event_id"].iloc[0], "troops_deployed", "CSTO"
            )
        if (low > 0) == pd.isna(lag["lag_to_deployment_days"]):
            raise ValueError(f"{request_id}: troops counted and the deployment lag disagree")
        rows.append(
            {
                "request_id": request_id,
                "state": state,
                "request": f"{STATE_NAMES[state]}, {lag['request_date']:%b %Y}",
                "low": low,
                "high": high,
                "sources": sources,
                "response_type": lag["response_type"],
            }
        )
    return pd.DataFrame(rows)


def troops_words(row) -> str:
    if row.high == 0:
        return "none: " + ("a mission" if row.response_type == "mission" else "consultations")
    span = style.fmt_number(row.low)
    if row.high != row.low:
        span += "\u2013" + style.fmt_number(row.high)
    return f"{span} troops ({row.sources} sources)"


def title(troops: pd.DataFrame, forms: dict[str, int], narrow: bool = False) -> str:
    kaz = troops[troops["state"] == "KAZ"].iloc[0]
    first = (
        f"The CSTO sent {style.fmt_number(kaz.low)}\u2013{style.fmt_number(kaz.high)} troops to "
        "Kazakhstan and none to Armenia"
    )
    second = (
        f"Armenia's steps back: {forms['formal_act']} formal acts, {forms['statement']} "
        f"statements, {forms['absence']} absences"
    )
    return (
        wrapped(first + ";", 38) + "\n" + wrapped(second, 38) if narrow else first + ";\n" + second
    )


def overview_alt(
    troops: pd.DataFrame, steps: pd.DataFrame, lags: pd.DataFrame, context: pd.DataFrame
) -> str:
    """The story figure's finding with its key numbers, from the data drawn."""
    forms = membership.steps_by_form(steps)
    arm_steps = membership.armenian_steps(steps)
    freeze = arm_steps.loc[arm_steps["step_type"] == "freeze", "date"].min()
    said = "; ".join(
        f"{r.request}: {answer(lags.loc[r.request_id])}"
        + (f", {troops_words(r)}" if r.high > 0 else "")
        for r in troops.itertuples()
    )
    keepers, offensive = context.loc["K02"], context.loc["K07"]
    return (
        "Two panels. Above, the troops the CSTO sent when asked, on a linear scale from zero: "
        f"{said}. Below, a timeline from late 2020: the Russian peacekeepers in Karabakh from "
        f"{keepers['date']:%B %Y} to {keepers['end_date']:%B %Y} and Azerbaijan's offensive of "
        f"{offensive['date']:%B %Y}; the three requests; and Armenia's {len(arm_steps)} steps "
        f"back in three lanes from {arm_steps['date'].min():%B %Y}: {forms['formal_act']} "
        f"formal acts (solid squares), {forms['statement']} statements (hollow circles, the "
        f"{freeze:%B %Y} freeze among them) and {forms['absence']} absences (crosses)."
    )


def _troops_panel(ax, troops: pd.DataFrame, narrow: bool) -> None:
    """The contrast drawn: a bar to the lowest reported number, a line to the highest."""
    for y, row in enumerate(troops.itertuples()):
        colour = style.colour(row.state)
        if row.high > 0:
            ax.barh(y, row.low, height=0.5, color=colour, edgecolor="#222222", lw=0.5)
            ax.plot([row.low, row.high], [y, y], color="#222222", lw=2)
            ax.plot([row.high], [y], "|", color="#222222", ms=12, mew=2)
        else:
            ax.plot(
                [0], [y], "o", ms=MARKER_PT, color=colour, mec="#222222", mew=0.6, clip_on=False
            )
        ax.text(
            max(row.high, 0) + troops["high"].max() * 0.03,
            y,
            troops_words(row).replace(" (", "\n(") if narrow else troops_words(row),
            va="center",
            fontsize=10 if not narrow else 9,
        )
    if narrow:  # the request named above its bar: the bars get the whole width
        ax.set_yticks(range(len(troops)), [""] * len(troops))
        ax.tick_params(axis="y", length=0)
        for y, request in enumerate(troops["request"]):
            ax.text(0, y - 0.3, request, fontsize=9.5, fontweight="bold", va="bottom")
        ax.set_ylim(len(troops) - 0.6, -0.9)
    else:
        ax.set_yticks(range(len(troops)), list(troops["request"]))
        ax.set_ylim(len(troops) - 0.5, -0.5)
    ax.set_xlim(0, troops["high"].max() * (1.9 if narrow else 1.7))
    style.number_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Troops the CSTO sent, persons (bar: lowest report; line: to the highest)")
    if narrow:
        ax.xaxis.label.set_text(
            "Troops the CSTO sent, persons\n(bar: lowest report; line: highest)"
        )
    ax.set_title("When asked for help", loc="left")


def _context(ax, context, y, narrow: bool) -> None:
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
        y - 0.2,
        "Russian peacekeepers in Karabakh" + ("" if narrow else " after the 2020 war"),
        fontsize=9,
        va="bottom",
    )
    offensive = context.loc["K07"]
    ax.plot(offensive["date"], y, "D", ms=MARKER_PT, color=style.colour("AZE"), mec="#222222")
    ax.text(
        offensive["date"] + pd.Timedelta(days=-30 if narrow else 25),
        y + 0.22,
        "Azerbaijan takes Karabakh;\nits Armenians leave",
        fontsize=9,
        va="top",
        ha="right" if narrow else "left",
    )


def _requests(ax, lags, y_of, narrow: bool) -> None:
    for request_id, lane, state, place in REQUESTS:
        row = lags.loc[request_id]
        y = y_of[f"{lane}, {row['request_date']:%b %Y}" if narrow else lane]
        ax.plot(
            row["request_date"],
            y,
            "o",
            ms=MARKER_PT + 1,
            color=style.colour(state),
            mec="#222222",
            mew=0.6,
        )
        text = f"{row['request_date']:%b %Y}: {answer(row)}"
        if narrow:
            text = wrapped(answer(row), 28)
        elif place == "beside":
            text = text.replace(": a decision the same day, ", ": a decision the same day,\n")
        if narrow or place == "beside":
            ax.text(row["request_date"] + pd.Timedelta(days=45), y, text, fontsize=9, va="center")
        else:
            ax.text(row["request_date"], y - 0.25, text, fontsize=9, va="bottom")


def _steps(ax, arm_steps, y_of, gap_days: float, avoid=()) -> None:
    arm_steps = arm_steps.sort_values(["date", "step_id"])
    for form, lane in FORM_LANES.items():
        mine = arm_steps[arm_steps["step_form"] == form]
        levels = dodge_levels(list(mine["date"]), gap_days)
        for step, level in zip(mine.itertuples(), levels, strict=True):
            y = y_of[lane] + level_offset(level, 0.26)
            if step.date_precision == "month":  # known only to the month: drawn across it
                end = step.date + pd.offsets.MonthEnd(0)
                ax.plot([step.date, end], [y, y], color="#555555", lw=2)
            ax.plot(step.date, y, linestyle="none", ms=MARKER_PT, **FORM_MARKS[form])
    formal = arm_steps[arm_steps["step_form"] == "formal_act"]
    words = [
        REPEAT_LABELS[t] if again else FORMAL_LABELS[t]
        for t, again in zip(formal["step_type"], formal["step_type"].duplicated(), strict=True)
    ]
    row = y_of[FORM_LANES["formal_act"]]
    labels = [(d, row, w) for d, w in zip(formal["date"], words, strict=True)]
    near = pd.Timedelta(days=0)
    place_labels(
        ax,
        labels,
        [
            (-0.2, "bottom", near, "center"),
            (0.2, "top", near, "center"),
            (-0.2, "bottom", near, "left"),
            (0.2, "top", near, "left"),
            (-0.2, "bottom", near, "right"),
            (0.2, "top", near, "right"),
            (0.5, "top", near, "left"),
            (-0.5, "bottom", near, "left"),
        ],
        avoid=avoid,
    )
    # The freeze, named beyond the reach of the lane's dodged markers.
    freeze = arm_steps[arm_steps["step_type"] == "freeze"].iloc[0]
    place_labels(
        ax,
        [(freeze["date"], y_of[FORM_LANES["statement"]], "\u201cfrozen\u201d (in an interview)")],
        [(0.45, "top", near, "center"), (-0.45, "bottom", near, "center")],
        avoid=avoid,
    )


def _lanes(ax, lanes, labels, start, narrow: bool, spacing: float = 1.0) -> tuple[dict, list]:
    """Lane positions and names: tick labels, or in the narrow layout headings above the lanes
    (a lane named None there has no heading: its own marks say what it is)."""
    y_of = {lane: i * spacing for i, lane in enumerate(lanes)}
    headings = []
    if narrow:
        ax.set_yticks(list(y_of.values()), [""] * len(lanes))
        ax.tick_params(axis="y", length=0)
        for lane, y in y_of.items():
            if labels.get(lane):
                headings.append(
                    ax.text(
                        start,
                        y - 0.5 * spacing,
                        labels[lane],
                        fontsize=9.5,
                        fontweight="bold",
                        va="bottom",
                    )
                )
        ax.set_ylim(y_of[lanes[-1]] + 0.55 * spacing, -0.95 * spacing)
    else:
        ax.set_yticks(list(y_of.values()), [labels[lane] for lane in lanes])
        ax.set_ylim(len(lanes) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    return y_of, headings


def _years(ax, start, end, step: int) -> None:
    years = range(start.year + 1, end.year + 1, step)
    ax.set_xticks(pd.to_datetime([f"{y}-01-01" for y in years]), [str(y) for y in years])


def story_timeline(
    lags: pd.DataFrame,
    steps: pd.DataFrame,
    context: pd.DataFrame,
    troops: pd.DataFrame,
    *,
    narrow: bool = False,
) -> plt.Figure:
    """The troops the CSTO sent when asked (top), then requests, answers, Armenia's steps by
    form and the Karabakh context on one time axis.

    `lags` is response_lags indexed by request_id, `steps` armenia_disengagement, `context`
    context_events indexed by event_id, `troops` troops_sent(...). `narrow`: the same finding
    laid out for a phone (4 in wide): three stacked panels (troops; requests and Karabakh;
    Armenia's steps from the first one), lanes named above their marks."""
    arm_steps = membership.armenian_steps(steps)
    forms = membership.steps_by_form(steps)
    labels = {
        **{lane: lane for lane in LANES},
        **{lane: f"{lane} ({forms[form]})" for form, lane in FORM_LANES.items()},
    }
    # The axis runs to the newest date in the tables drawn from (their cut-off).
    newest = max(steps["date"].max(), lags["request_date"].max(), context["date"].max())
    start, end = pd.Timestamp("2020-09-01"), newest + pd.offsets.MonthEnd(1)
    if narrow:
        fig, (top, ax, low) = plt.subplots(
            3, 1, figsize=(4, 13), gridspec_kw={"height_ratios": [1.5, 3.4, 3.6]}
        )
        asks = [f"{lane}, {lags.loc[r, 'request_date']:%b %Y}" for r, lane, _, _ in REQUESTS]
        top_lanes = ["Karabakh", *asks]
        labels |= {lane: lane for lane in asks}
        step_lanes = list(FORM_LANES.values())
        steps_start = arm_steps["date"].min() - pd.offsets.MonthBegin(2)
    else:
        fig, (top, ax) = plt.subplots(
            2, 1, figsize=(8, 7.6), gridspec_kw={"height_ratios": [1, 3.6]}
        )
        low, top_lanes, step_lanes, steps_start = ax, LANES, LANES, start
    _troops_panel(top, troops, narrow)
    ax.set_xlim(start, end)
    if narrow:  # the Karabakh lane names itself ("Russian peacekeepers in Karabakh")
        labels["Karabakh"] = None
    y_of, headings = _lanes(ax, top_lanes, labels, start, narrow, 1.2 if narrow else 1.0)
    if narrow:  # room for the offensive's two lines under the Karabakh bar
        y_of["Karabakh"] -= 0.45
    _years(ax, start, end, 2 if narrow else 1)
    _context(ax, context, y_of["Karabakh"], narrow)
    _requests(ax, lags, y_of, narrow)
    xlabel = "Date (steps: square = formal act, circle = statement, cross = absence)"
    if narrow:
        ax.set_xlabel("Date")
        low.set_xlim(steps_start, end)
        y_of, headings = _lanes(low, step_lanes, labels, steps_start, narrow, 1.6)
        _years(low, steps_start, end, 1)
        low.set_xlabel(xlabel.replace("act, ", "act,\n"))
    else:
        ax.set_xlabel(xlabel)
    style.finish(fig, title(troops, forms, narrow), wrapped(SOURCE, 48) if narrow else SOURCE)
    gap = 1.15 * MARKER_PT * days_per_point(low, steps_start, end)
    _steps(low, arm_steps, y_of, gap, avoid=headings)
    return fig
