"""The claims chapter's figures: the verdicts by section of the article, counted on the bars
(with a narrow layout for phones), and a strip with one mark per claim."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from cstoreport import style
from cstoreport.analysis import claims

SOURCE = "EVN Report (the article); the sources cited per claim in the claims ledger"
DARK = {"supported", "contradicted"}  # verdict colours that take a white count


def section_counts(verdicts: pd.DataFrame, sections: dict[str, str]) -> pd.DataFrame:
    """Claims by section (rows, in `sections`' order) and verdict (columns, in the ledger's
    order)."""
    return (
        verdicts.groupby(["section", "verdict"])
        .size()
        .unstack(fill_value=0)
        .reindex(
            index=[s for s in sections if s in set(verdicts["section"])],
            columns=list(claims.VERDICTS),
            fill_value=0,
        )
    )


def title(verdicts: pd.DataFrame, holding: frozenset, material: int) -> str:
    return (
        f"Of {len(verdicts)} checkable claims, "
        f"{int(verdicts['verdict'].isin(holding).sum())} hold; "
        f"{material} errors change the argument"
    )


def _spoken(label: str) -> str:
    return label.lower().replace(",", "")


def alt_text(
    verdicts: pd.DataFrame, sections: dict[str, str], labels: dict[str, str], material: int
) -> str:
    """The finding with its numbers: the totals by verdict, then each section's counts."""
    table = section_counts(verdicts, sections)
    totals = table.sum()
    parts = [
        f"{len(verdicts)} claims of the article: "
        + ", ".join(f"{int(totals[v])} {_spoken(labels[v])}" for v in claims.VERDICTS)
        + f"; {material} errors change the argument."
    ]
    for section, row in table.iterrows():
        counted = ", ".join(
            f"{int(row[v])} {_spoken(labels[v])}" for v in claims.VERDICTS if row[v]
        )
        parts.append(f"{sections[section]}: {int(row.sum())} claims ({counted}).")
    return " ".join(parts)


def _bars(
    ax: plt.Axes,
    table: pd.DataFrame,
    positions,
    labels: dict[str, str],
    size: float,
    smallest: int = 1,
):
    """Stacked bars, each verdict's count written in its segment (if it has at least
    `smallest` claims, so that the number fits) and the total after the bar."""
    left = pd.Series(0, index=table.index)
    for verdict in claims.VERDICTS:
        ax.barh(
            positions,
            table[verdict],
            left=left,
            height=0.62,
            color=style.VERDICT_COLOURS[verdict],
            label=labels[verdict],
            edgecolor="white",
        )
        for y, x0, n in zip(positions, left, table[verdict], strict=True):
            if n >= smallest:
                ax.text(
                    x0 + n / 2,
                    y,
                    str(int(n)),
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="white" if verdict in DARK else "#222222",
                )
        left += table[verdict]
    for y, total in zip(positions, left, strict=True):
        ax.text(total + 0.6, y, f"{int(total)}", va="center", fontsize=size, fontweight="bold")
    ax.set_xlim(0, left.max() * 1.1)
    ax.grid(axis="y", visible=False)
    return left


def verdicts_by_section(
    verdicts: pd.DataFrame,
    sections: dict[str, str],
    labels: dict[str, str],
    holding: frozenset,
    material: int,
) -> plt.Figure:
    """One bar per section of the article (in `sections`' order, titled by it), split by
    verdict (named by `labels`), each count written on its segment and the section's total
    after the bar; the claims that hold (`holding` verdicts) and the `material` errors are
    counted in the title."""
    table = section_counts(verdicts, sections)
    fig, ax = plt.subplots(figsize=(8, 4.8))
    positions = list(range(len(table)))
    _bars(ax, table, positions, labels, 9.5)
    ax.set_yticks(positions, [sections[s] for s in table.index], fontsize=10)
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims (bold: the section's total)")
    ax.legend(loc="lower right", fontsize=9.5)
    style.finish(fig, title(verdicts, holding, material), SOURCE)
    return fig


def verdicts_by_section_narrow(
    verdicts: pd.DataFrame,
    sections: dict[str, str],
    labels: dict[str, str],
    holding: frozenset,
    material: int,
) -> plt.Figure:
    """The same finding for a phone (4 in wide): each section's name above its bar, the
    legend above the bars, every text at least 9 pt."""
    table = section_counts(verdicts, sections)
    fig, ax = plt.subplots(figsize=(4, 0.62 * len(table) + 2.6))
    positions = [1.0 * i for i in range(len(table))]
    _bars(ax, table, positions, labels, 9, smallest=3)
    for y, section in zip(positions, table.index, strict=True):
        ax.text(0, y - 0.36, sections[section], fontsize=9, va="bottom", ha="left")
    ax.set_yticks([])
    ax.set_ylim(len(table) - 0.5, -1.0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(
        "Number of claims (bold: the section's total;\ncounts under 3 not written)", fontsize=9
    )
    ax.tick_params(axis="x", labelsize=9)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9, frameon=False)
    held = int(verdicts["verdict"].isin(holding).sum())
    fig.suptitle(
        f"Of {len(verdicts)} checkable claims,\n{held} hold; {material} errors\n"
        "change the argument",
        x=0.02,
        ha="left",
        fontsize=11,
        fontweight="bold",
    )
    fig.text(
        0.02,
        0.005,
        "Source: EVN Report (the article);\nthe sources cited per claim",
        fontsize=9,
        va="bottom",
    )
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def strip(verdicts: pd.DataFrame, sections: dict[str, str], labels: dict[str, str]) -> plt.Figure:
    """One square per claim, coloured by verdict: a row per section of the article (in
    `sections`' order, its count after it), claims in the order of their numbers; the
    contradicted claims named."""
    table = section_counts(verdicts, sections)
    widest = int(table.sum(axis=1).max())
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.7))
    for y, section in enumerate(table.index):
        rows = verdicts[verdicts["section"] == section].sort_values("claim_id")
        xs = list(range(len(rows)))
        ax.scatter(
            xs,
            [y] * len(xs),
            s=60,
            marker="s",
            c=[style.VERDICT_COLOURS[v] for v in rows["verdict"]],
            edgecolors="white",
            linewidths=0.4,
        )
        for x, r in zip(xs, rows.itertuples(), strict=True):
            if r.verdict == "contradicted":
                ax.text(x, y + 0.22, r.claim_id, ha="center", va="top", fontsize=9)
        ax.text(len(rows) + 0.3, y, f"{len(rows)}", va="center", fontsize=9.5, fontweight="bold")
    ax.set_yticks(range(len(table)), [sections[s] for s in table.index], fontsize=10)
    ax.set_ylim(len(table) - 0.4, -0.6)
    ax.set_xlim(-1, widest + 2)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    totals = table.sum()
    handles = [
        Line2D([], [], ls="", marker="s", ms=8, color=style.VERDICT_COLOURS[v])
        for v in claims.VERDICTS
    ]
    ax.legend(
        handles,
        [f"{labels[v]} ({int(totals[v])})" for v in claims.VERDICTS],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=2,
        fontsize=9.5,
        handletextpad=0.3,
    )
    style.finish(
        fig,
        f"Of {len(verdicts)} claims, {int(totals['contradicted'])} are contradicted, in "
        f"{int((table['contradicted'] > 0).sum())} of the article's {len(table)} sections",
        SOURCE,
    )
    return fig


def strip_alt_text(verdicts: pd.DataFrame, sections: dict[str, str]) -> str:
    table = section_counts(verdicts, sections)
    contradicted = verdicts[verdicts["verdict"] == "contradicted"].sort_values("claim_id")
    where = [f"{r.claim_id} ({sections[r.section]})" for r in contradicted.itertuples()]
    return (
        f"One square per claim, {len(verdicts)} in all, in rows by section of the article: "
        + ", ".join(f"{sections[s]} {int(n)}" for s, n in table.sum(axis=1).items())
        + f". The {len(contradicted)} contradicted claims are "
        + ", ".join(where)
        + f"; {int(table['not_checkable'].sum())} could not be checked."
    )
