"""The bilateral chapter's figures: Freedom House scores of the six members, and the arms
suppliers' shares of Azerbaijan's imports."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import bilateral

ARMS_PANELS = [(["RUS"], "Russia"), (["ISR", "BLR"], "Israel and Belarus")]
LABEL_GAP = 5.5  # score points between two end labels of the Freedom House chart (9 pt text)


def dodge(values: dict[str, float], gap: float) -> dict[str, float]:
    """Label heights at least `gap` apart, each as near its value as the others allow."""
    placed: dict[str, float] = {}
    for key, value in sorted(values.items(), key=lambda item: item[1]):
        below = max(placed.values(), default=None)
        placed[key] = value if below is None else max(value, below + gap)
    return placed


def latest_scores(fh_preferred: pd.DataFrame) -> pd.DataFrame:
    """Each member's latest edition: score and status."""
    latest = fh_preferred.sort_values("edition_year").groupby("state_iso3").tail(1)
    return latest.set_index("state_iso3").loc[bilateral.PROFILE_STATES]


def freedom_alt_text(fh_preferred: pd.DataFrame, names: dict[str, str]) -> str:
    """The figure's finding with each member's first and latest score."""
    first = fh_preferred.sort_values("edition_year").groupby("state_iso3").head(1)
    first = first.set_index("state_iso3")
    latest = latest_scores(fh_preferred)
    items = [
        f"{names[s]} {int(first.loc[s, 'total_score'])} to {int(latest.loc[s, 'total_score'])} "
        f"({bilateral.FREEDOM_STATUS[latest.loc[s, 'status']]})"
        for s in bilateral.PROFILE_STATES
    ]
    return (
        f"Line chart of Freedom House total scores (0 to 100) of the six members, editions "
        f"{int(fh_preferred['edition_year'].min())} to {int(fh_preferred['edition_year'].max())}: "
        + "; ".join(items)
        + "."
    )


def freedom_scores(fh_preferred: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Each member's Freedom in the World total score by edition, each line named at its end
    with its latest score and status (no markers: equal scores would pile up)."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for state in bilateral.PROFILE_STATES:
        s = fh_preferred[fh_preferred["state_iso3"] == state].sort_values("edition_year")
        ax.plot(s["edition_year"], s["total_score"], lw=2, color=style.colour(state))
    latest = latest_scores(fh_preferred)
    heights = dodge(latest["total_score"].astype(float).to_dict(), LABEL_GAP)
    last = int(fh_preferred["edition_year"].max())
    for state, r in latest.iterrows():
        ax.annotate(
            f"{names[state]} {int(r.total_score)}, {bilateral.FREEDOM_STATUS[r.status]}",
            (r.edition_year, r.total_score),
            xytext=(last + 0.25, heights[state]),
            textcoords="data",
            va="center",
            fontsize=9,
            color="#222222",
            arrowprops=dict(arrowstyle="-", color="#999999", lw=0.6),
        )
    ax.set_ylim(0, 100)
    ax.set_xlim(int(fh_preferred["edition_year"].min()) - 0.3, last + 2.6)
    style.year_axis(ax)
    ax.spines["right"].set_visible(False)
    ax.set_ylabel("Freedom in the World total score (0–100)")
    ax.set_xlabel("Edition (each covers the previous calendar year)")
    ax.set_xticks(range(int(fh_preferred["edition_year"].min()), last + 1))
    style.finish(
        fig,
        "Armenia is the only member not rated Not Free",
        "Freedom House, Freedom in the World (2024 and 2025 data workbooks)",
    )
    return fig


def _supplier_spans(ax, s, colour, panel_spans) -> None:
    """One supplier's shares, each a span over the years its SIPRI period covers, labelled."""
    for (start, end), window in s.groupby(["period_start", "period_end"]):
        ten_years = end - start + 1 >= 10
        for share in window["share_pct"]:
            ax.plot(
                [start - 0.5, end + 0.5],
                [share, share],
                color=colour,
                lw=3,
                ls=(0, (2, 1)) if ten_years else "-",
                solid_capstyle="butt",
            )
            # End caps show where each period starts and stops where spans run together.
            ax.plot([start - 0.5, end + 0.5], [share, share], "|", color="#222222", ms=7)
        # Two reports of one release that disagree share one label: "64 or 69".
        shares = sorted(window["share_pct"])
        label = " or ".join(f"{v:g}" for v in shares) + (" (ten years)" if ten_years else "")
        y = sum(shares) / len(shares)
        if len(shares) > 1:  # two reports of one release: named above their pair of bars
            ax.annotate(
                label,
                ((start + end) / 2, max(shares)),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                color="#222222",
            )
            continue
        # The label goes after the span, or before it where another span of the panel runs
        # through that spot (Israel's 2015-19 share would sit on the 2017-21 bar).
        covered = any(
            s0 - 0.5 < end + 1.5 and end + 0.5 < s1 + 0.5 and abs(v - y) < 4
            for s0, s1, v in panel_spans
            if (s0, s1) != (start, end)
        )
        ax.annotate(
            label,
            (start - 0.5 if covered else end + 0.5, y),
            xytext=(-3 if covered else 3, 0),
            textcoords="offset points",
            ha="right" if covered else "left",
            va="center",
            fontsize=9,
            color="#222222",
            bbox=dict(fc="white", ec="none", pad=0.5),
            zorder=4,
        )


def _percent(value: float) -> str:
    return style.fmt_number(value, 0 if float(value).is_integer() else 1, percent=True)


def arms_alt_text(imports: pd.DataFrame, names: dict[str, str]) -> str:
    """Each supplier's shares by SIPRI period, from the table (two reports of one release
    that disagree are both given)."""
    parts = []
    for suppliers, _ in ARMS_PANELS:
        for supplier in suppliers:
            s = imports[(imports["supplier_iso3"] == supplier) & imports["share_pct"].notna()]
            windows = s.groupby(["period_start", "period_end"])["share_pct"].apply(sorted)
            order = sorted(windows.index, key=lambda w: (w[1], w[0]))
            periods = [
                f"{start}–{end}: " + " or ".join(_percent(v) for v in windows[(start, end)])
                for start, end in order
            ]
            parts.append(f"{names[supplier]}: " + ", ".join(periods))
    return (
        "Two panels, each SIPRI share of Azerbaijan's arms imports drawn over the years its "
        "period covers. " + "; ".join(parts) + "."
    )


def arms_shares(imports: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Suppliers' shares of Azerbaijan's arms imports. A SIPRI share describes a window of five
    or ten years, so each is drawn as a span over the years it covers (ends at the years'
    edges), never as a point in one year."""
    fig, axes = plt.subplots(2, 1, figsize=(8, 6.2), sharex=True)
    for ax, (suppliers, title) in zip(axes, ARMS_PANELS, strict=False):
        in_panel = imports[imports["supplier_iso3"].isin(suppliers) & imports["share_pct"].notna()]
        panel_spans = list(
            zip(
                in_panel["period_start"],
                in_panel["period_end"],
                in_panel["share_pct"],
                strict=False,
            )
        )
        for supplier in suppliers:
            s = imports[(imports["supplier_iso3"] == supplier) & imports["share_pct"].notna()]
            _supplier_spans(ax, s, style.colour(supplier), panel_spans)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylim(0, 100)
        ax.set_ylabel("Share of imports, %")
    ax.set_xlim(2009.3, 2023.2)
    style.year_axis(ax)
    ax.set_xlabel("Years covered by each SIPRI period (solid: five years; dashed: ten years)")
    axes[1].plot([], [], color=style.colour("ISR"), lw=3, label=names["ISR"])
    axes[1].plot([], [], color=style.colour("BLR"), lw=3, label=names["BLR"])
    axes[1].legend(fontsize=9, loc="upper left")
    style.finish(
        fig,
        "Russia's share of Azerbaijan's arms imports fell period by period; Israel's rose",
        "SIPRI, as quoted by news agencies and SIPRI's own releases (sources per row)",
    )
    return fig
