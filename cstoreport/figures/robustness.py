"""The robustness chapter's compact table and figure: each finding's preferred value and its
range under the alternatives the data hold."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

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
COLOURS = {
    "robust": style.VERDICT_COLOURS["supported"],
    "sensitive": style.VERDICT_COLOURS["contradicted"],
}


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
            "Alternatives": [
                0 if v == "none recorded" else len(v.split(";"))
                for v in table["variants_considered"]
            ],
            "Verdict": table["verdict"],
        }
    )


def relative(value: float, preferred: float) -> float:
    # Per cent of the preferred value; a preferred value of 0 that never moves sits at 100.
    return 100.0 if preferred == 0 else 100 * value / preferred


def findings_ranges(table: pd.DataFrame, short: dict[str, str]) -> plt.Figure:
    """One line per finding: its range under the alternatives, in % of the preferred value;
    `short` names each finding in a few words."""
    fig, ax = plt.subplots(figsize=(8, 6.5))
    for y, r in enumerate(table.itertuples()):
        low, high = relative(r.minimum, r.preferred_value), relative(r.maximum, r.preferred_value)
        ax.plot([low, high], [y, y], color=COLOURS[r.verdict], lw=3, solid_capstyle="round")
        ax.plot(100, y, "o", color=COLOURS[r.verdict], mec="#222222", ms=7)
        bare = [show(v, "persons", True) for v in (r.minimum, r.maximum)]  # numbers only
        ax.text(
            1.03,
            y,
            f"{show(r.preferred_value, r.unit, True)}  ({bare[0]} to {bare[1]});  "
            f"needs {r.condition}",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7,
        )
    ax.set_yticks(range(len(table)), [short.get(f, f) for f in table["finding_id"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-160, 160)
    ax.axvline(100, color="#999999", lw=0.6, ls=":")
    ax.set_xlabel(
        "% of the preferred value\n(dot: preferred value; line: range under the "
        "alternatives; right: the values, lowest to highest)",
        fontsize=8,
    )
    for verdict, c in COLOURS.items():
        ax.plot(
            [],
            [],
            color=c,
            lw=3,
            label=f"{verdict}: the wording holds "
            + ("at both ends" if verdict == "robust" else "at one end only"),
        )
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    n_robust = int(table["holds_at_both_ends"].sum())
    style.finish(
        fig,
        f"{n_robust} of {len(table)} findings hold whichever source is believed; "
        f"{len(table) - n_robust} do not",
        "data/derived/robustness.csv (alternatives from the report's tables, sources per row)",
    )
    fig.subplots_adjust(left=0.3, right=0.6)
    return fig
