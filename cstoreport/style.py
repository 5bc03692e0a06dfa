"""One look for every figure: one colour per state, a title that states the finding,
units on the axes, a source line, and files that do not change from run to run."""
from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

from cstoreport.paths import FIGURES_DIR

# Okabe-Ito (colour-blind safe), one colour per state in every chapter; yellow only with an edge.
STATE_COLOURS = {
    "ARM": "#000000",  # black
    "RUS": "#D55E00",  # vermillion
    "BLR": "#0072B2",  # blue
    "KAZ": "#56B4E9",  # sky blue
    "KGZ": "#009E73",  # bluish green
    "TJK": "#CC79A7",  # reddish purple
    "UZB": "#E69F00",  # orange
    "AZE": "#F0E442",  # yellow
    "GEO": "#999999",  # grey
    "WLD": "#555555",  # dark grey: Armenia's total trade
}
# Organisations are not states: neutral tones that no state uses.
ACTOR_COLOURS = {"CSTO": "#7F3C8D", "EU": "#332288", "EAEU": "#882255"}

STATE_NAMES = {
    "ARM": "Armenia", "RUS": "Russia", "BLR": "Belarus", "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan", "TJK": "Tajikistan", "UZB": "Uzbekistan", "AZE": "Azerbaijan",
    "GEO": "Georgia", "WLD": "World",
}

FIGURE_DPI = 150


def apply_style() -> None:
    """House defaults; call once at the top of a notebook."""
    mpl.rcParams.update({
        "figure.figsize": (8, 4.5),
        "figure.dpi": 100,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "savefig.facecolor": "white",  # readable on the theme's dark background too
        "svg.hashsalt": "cstoreport",
    })


def colour(code: str) -> str:
    if code in STATE_COLOURS:
        return STATE_COLOURS[code]
    if code in ACTOR_COLOURS:
        return ACTOR_COLOURS[code]
    raise KeyError(f"no house colour for {code!r}; add it to cstoreport.style")


def finish(fig: plt.Figure, title: str, source: str) -> None:
    """Put the finding as the title and the source line at the foot of the figure."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.text(0.01, 0.005, f"Source: {source}", ha="left", va="bottom", fontsize=8, color="#333333")
    fig.tight_layout(rect=(0, 0.04, 1, 1))


def save(fig: plt.Figure, name: str, directory: Path = FIGURES_DIR) -> Path:
    """Save a PNG without date or software metadata, so reruns give identical files."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    fig.savefig(path, dpi=FIGURE_DPI, metadata={"Software": None})
    return path


def year_axis(ax: plt.Axes) -> None:
    """Whole years on the x axis (never 2012.5)."""
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def date_axis(ax: plt.Axes) -> None:
    import matplotlib.dates as mdates
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def plain_log_axis(ax: plt.Axes, axis: str = "y") -> None:
    """Log scale labelled 0.1, 1, 10, 1,000 rather than 10^-1, 10^0."""
    from matplotlib.ticker import FuncFormatter
    getattr(ax, f"set_{axis}scale")("log")
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))


# Verdicts of the claims ledger: tones no state uses, told apart by lightness as well as hue.
VERDICT_COLOURS = {"supported": "#1B7837", "supported_with_nuance": "#A6DBA0",
                   "contradicted": "#8C510A", "not_checkable": "#BBBBBB"}
