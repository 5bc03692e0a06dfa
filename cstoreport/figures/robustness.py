"""The robustness chapter's compact table and figure: each finding's preferred value and its
range under the alternatives the data hold, against the threshold its wording needs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from cstoreport import style

UNITS = {
    "times": " times",
    "percentage points": " points",
    "%": "%",
    "days": " days",
    "steps": " steps",
    "persons": "",
    "km": " km",
    "km²": " km²",
    "troops": "",
    "personnel": "",
}
# Each panel's axis names its unit (the figure check reads it).
AXIS_UNITS = {
    "times": "ratio (times)",
    "percentage points": "change (percentage points)",
    "%": "share (%)",
    "days": "days",
    "steps": "number of steps",
    "persons": "persons",
    "km": "km",
    "km²": "km²",
    "troops": "number of troops",
    "personnel": "number of personnel",
}
WHOLE_UNITS = {"days", "steps", "persons", "troops", "personnel"}
COLOURS = {
    "robust": style.VERDICT_COLOURS["supported"],
    "sensitive": style.VERDICT_COLOURS["contradicted"],
    "untested": "#666666",
}
HOLDS_SHADE = "#A6DBA0"  # where the wording holds
THRESHOLD_COLOUR = "#333333"
SYMBOLS = {"at_least": "≥", "at_most": "≤", "more_than": ">"}


def show(value: float, unit: str, figure: bool = False) -> str:
    """A value with its unit; the figure may use signs the PDF's LaTeX lacks (times, minus)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    suffix = " day" if value == 1 and unit == "days" else UNITS[unit]
    if figure:
        text, suffix = text.replace("-", "\u2212"), suffix.replace(" times", "\u00d7")
    return text + suffix


def findings_table(table: pd.DataFrame) -> pd.DataFrame:
    """The robustness table (data/derived/robustness.csv) as the chapter shows it."""
    return pd.DataFrame(
        {
            "Finding": table["wording"],
            # "at most 1 day", not "at most 1 days"
            "Condition": [
                r.condition
                + (" day" if r.unit == "days" and r.condition.endswith(" 1") else UNITS[r.unit])
                for r in table.itertuples()
            ],
            "Preferred": [show(r.preferred_value, r.unit) for r in table.itertuples()],
            "Range": [
                f"{show(r.minimum, r.unit)} to {show(r.maximum, r.unit)}"
                for r in table.itertuples()
            ],
            "Alternatives": table["alternatives_tested"],
            "Verdict": table["verdict"],
        }
    )


def number(value: float) -> str:
    """A threshold or tick in the house format, with no more decimals than it has (up to 2)."""
    for decimals in range(3):
        if abs(round(value, decimals) - value) < 1e-9:
            return style.fmt_number(value, decimals)
    return style.fmt_number(value, 2)


def condition_text(test: str, low: float, high: float) -> str:
    """The threshold in symbols: "≥ 3", "> 7,000", "= 100", "3.45 to 3.55"."""
    if test == "between":
        return f"= {number(low)}" if low == high else f"{number(low)} to {number(high)}"
    return f"{SYMBOLS[test]} {number(low)}"


def thresholds(r) -> list[float]:
    return [float(r.low)] + ([float(r.high)] if r.test == "between" and r.high != r.low else [])


def _limits(r, t) -> tuple[float, float]:
    values = [r.preferred_value, r.minimum, r.maximum, *thresholds(t)]
    lo, hi = min(values), max(values)
    if hi > lo:
        lower, upper = lo - 0.3 * (hi - lo), hi + 0.3 * (hi - lo)
    else:  # a single value on its threshold: show some room on each side
        span = max(abs(hi) * 0.5, 2.0)
        lower, upper = lo - span, hi + span
    if lo >= 0 and lower < 0:  # counts and lags that cannot fall below zero
        lower = -0.06 * upper
    return lower, upper


def _panel(ax: plt.Axes, r, t, label: str) -> None:
    """One finding on its own axis, in its own unit: the side of the threshold where the
    wording holds shaded, the threshold drawn, the range as a bar and the preferred value as a
    dot (hollow when no rival value was tested)."""
    colour = COLOURS[r.verdict]
    lower, upper = _limits(r, t)
    ax.set_xlim(lower, upper)
    ax.set_ylim(-1, 1)
    if t.test == "between":
        ax.axvspan(t.low, t.high, color=HOLDS_SHADE, alpha=0.5, lw=0)
    elif t.test == "at_most":
        ax.axvspan(lower, t.low, color=HOLDS_SHADE, alpha=0.5, lw=0)
    else:
        ax.axvspan(t.low, upper, color=HOLDS_SHADE, alpha=0.5, lw=0)
    for x in thresholds(t):
        ax.axvline(x, color=THRESHOLD_COLOUR, lw=1.2, ls="--", label="threshold")
    if r.maximum > r.minimum:
        ax.plot([r.minimum, r.maximum], [0, 0], color=colour, lw=7, solid_capstyle="butt")
    face = "white" if r.verdict == "untested" else colour
    ax.plot(r.preferred_value, 0, "o", ms=9, mfc=face, mec="#222222", mew=1.2)
    ax.set_title(label, loc="left", fontsize=9.5, fontweight="normal")
    ax.set_title(r.verdict, loc="right", fontsize=9.5, fontweight="bold", color=colour)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=r.unit in WHOLE_UNITS))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.tick_params(axis="x", labelsize=9)
    ax.set_xlabel(
        f"{AXIS_UNITS[r.unit]}; holds if {condition_text(t.test, t.low, t.high)}", fontsize=9
    )
    ax.set_yticks([])
    ax.grid(False)
    ax.spines["left"].set_visible(False)


def counts(table: pd.DataFrame) -> dict[str, int]:
    return {v: int((table["verdict"] == v).sum()) for v in COLOURS}


def title(table: pd.DataFrame) -> str:
    n = counts(table)
    return (
        f"{n['robust']} of {len(table)} findings hold whichever source is believed, "
        f"{n['sensitive']} do not, {n['untested']} are untested"
    )


ALT_UNITS = {"times": "×", "percentage points": " points", "%": "%", "days": " days"}


def _spoken(value: float, unit: str) -> str:
    """A value in the house format with its unit (43%, 3.56×, 22 days)."""
    if unit == "days" and value == 1:
        return "1 day"
    return number(round(value, 2)) + ALT_UNITS.get(unit, UNITS[unit])


def alt_text(table: pd.DataFrame, short: dict[str, str]) -> str:
    """The figure's finding with its key numbers, from the robustness table."""
    parts = [title(table) + "."]
    for verdict, what in (
        ("sensitive", "Depend on the source"),
        ("untested", "Untested, with no rival value in the data"),
        ("robust", "Hold at both ends of their range"),
    ):
        rows = table[table["verdict"] == verdict]
        if rows.empty:
            continue
        items = [
            f"{short.get(r.finding_id, r.finding_id)}: {_spoken(r.preferred_value, r.unit)}"
            + (
                f", range {_spoken(r.minimum, r.unit)} to {_spoken(r.maximum, r.unit)}"
                if r.maximum > r.minimum
                else ""
            )
            + f", needs {r.condition}"
            for r in rows.itertuples()
        ]
        parts.append(f"{what}: " + "; ".join(items) + ".")
    return " ".join(parts)


def _key(fig: plt.Figure) -> None:
    handles = [
        Line2D([], [], ls="", marker="o", ms=9, mfc=COLOURS["robust"], mec="#222222"),
        Line2D([], [], color=COLOURS["sensitive"], lw=7),
        Line2D([], [], color=THRESHOLD_COLOUR, lw=1.2, ls="--"),
        Patch(color=HOLDS_SHADE, alpha=0.5, lw=0),
        Line2D([], [], ls="", marker="o", ms=9, mfc="white", mec="#222222"),
    ]
    labels = [
        "value from the preferred sources",
        "range under the alternatives",
        "threshold of the wording",
        "where the wording holds",
        "untested: no rival value",
    ]
    fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.01, 0.955),
        ncol=3,
        fontsize=9,
        handlelength=2.2,
        columnspacing=1.5,
    )


def findings_ranges(
    table: pd.DataFrame, findings: pd.DataFrame, short: dict[str, str]
) -> plt.Figure:
    """One small panel per finding, each on its own axis in its own unit, with the threshold
    its wording needs (from `findings`, data/robustness_findings.csv) drawn and the side where
    it holds shaded; `short` names each finding in a few words. Read down the left column,
    then the right."""
    rows = -(-len(table) // 2)
    fig, axes = plt.subplots(rows, 2, figsize=(8, 1.0 * rows + 1.6), squeeze=False)
    by_id = findings.set_index("finding_id")
    cells = list(axes.T.flat)  # down the left column, then the right
    for ax, r in zip(cells, table.itertuples(), strict=False):
        _panel(ax, r, by_id.loc[r.finding_id], short.get(r.finding_id, r.finding_id))
    for ax in cells[len(table) :]:
        ax.set_axis_off()
    style.finish(
        fig,
        title(table),
        "Armstat; CSTO and government statements; news agencies (sources per finding in the "
        "robustness table)",
    )
    fig.subplots_adjust(top=1 - 1.25 / fig.get_figheight(), hspace=1.9, wspace=0.12)
    _key(fig)
    return fig
