"""One look for every figure: one colour per state, a title that states the finding,
units on the axes, a source line, and files that do not change from run to run."""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.text import Text

from cstoreport.paths import BOOK_TABLES_DIR, FIGURES_DIR, replaced_whole

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

FIGURE_DPI = 150


def apply_style() -> None:
    """House defaults; call once at the top of a notebook."""
    mpl.rcParams.update(
        {
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
        }
    )


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


class FigureCheckError(ValueError):
    """A figure that a reader could not read at a glance; the message names figure and texts."""


# A unit in an axis label (or, for a small panel, in its title): "(days)", ", %", "km²", "Year".
UNIT = re.compile(
    r"\([^)]+\)|,\s*\S|%|per cent|km|USD|US\$|\b(?:years?|months?|days?|date|"
    r"million|thousand|number of|count|persons|people|score|index|share|ratio)\b",
    re.IGNORECASE,
)
OVERLAP_TOLERANCE_PX = 1.0  # boxes that only touch are fine


def _shown_texts(fig: plt.Figure) -> list[Text]:
    """Every text the figure draws: titles, labels, tick labels in view, legends, annotations."""
    tick_labels, shown_tick_labels = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                tick_labels.update(map(id, labels))
                if low - span <= tick.get_loc() <= high + span:
                    shown_tick_labels.update(map(id, labels))
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and (id(t) not in tick_labels or id(t) in shown_tick_labels)
    ]


NUMBER = re.compile(r"[−+-]?[\d,.]+(?:e[−+-]?\d+)?\s*%?")


def _numeric(axis) -> bool:
    """An axis whose tick labels (as drawn) are quantities, not names or calendar dates."""
    import matplotlib.dates as mdates

    formatter = axis.get_major_formatter()
    if isinstance(
        formatter, (mdates.DateFormatter, mdates.AutoDateFormatter, mdates.ConciseDateFormatter)
    ):
        return False
    low, high = sorted(axis.get_view_interval())
    labels = [
        t.label1.get_text()
        for t in axis.get_major_ticks()
        if t.label1.get_visible() and low <= t.get_loc() <= high
    ]
    labels = [text.strip() for text in labels if text.strip()]
    return axis.get_visible() and bool(labels) and all(NUMBER.fullmatch(t) for t in labels)


def check_figure(fig: plt.Figure, name: str) -> None:
    """Refuse a figure without a title, a source line, units on its quantity axes, or with
    texts that overlap each other or run off the figure (boxes from matplotlib's renderer)."""
    problems = []
    if not fig.get_suptitle().strip():
        problems.append("no title (use style.finish)")
    if not any(t.get_text().startswith("Source") for t in fig.texts):
        problems.append("no source line (use style.finish)")
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)  # lay out as saved: tight_layout, tick labels, text positions
    for ax in fig.axes:
        if not ax.axison:
            continue
        for letter, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            label = axis.get_label_text().strip()
            if _numeric(axis) and not (UNIT.search(label) or UNIT.search(ax.get_title())):
                where = f"panel {ax.get_title()!r}" if ax.get_title() else "the axes"
                problems.append(
                    f"{letter} axis of {where} has no label with a unit (label: {label!r})"
                )
    frame = fig.bbox
    # The text's own box: an annotation's extent would include its arrow.
    boxes = [(t, Text.get_window_extent(t, renderer)) for t in _shown_texts(fig)]
    for t, box in boxes:
        if (
            box.x0 < frame.x0 - OVERLAP_TOLERANCE_PX
            or box.y0 < frame.y0 - OVERLAP_TOLERANCE_PX
            or box.x1 > frame.x1 + OVERLAP_TOLERANCE_PX
            or box.y1 > frame.y1 + OVERLAP_TOLERANCE_PX
        ):
            problems.append(f"text {t.get_text()!r} runs off the figure")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if overlap_x > OVERLAP_TOLERANCE_PX and overlap_y > OVERLAP_TOLERANCE_PX:
                problems.append(f"texts {a.get_text()!r} and {b.get_text()!r} overlap")
    if problems:
        raise FigureCheckError(f"figure {name!r}: " + "; ".join(problems))


def save(fig: plt.Figure, name: str, directory: Path = FIGURES_DIR) -> Path:
    """Check the figure (see check_figure), then save a PNG without date or software
    metadata, so reruns give identical files."""
    check_figure(fig, name)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    rendered = io.BytesIO()
    fig.savefig(rendered, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    with replaced_whole(path) as temporary:
        temporary.write_bytes(quantised_png(rendered.getvalue()))
    return path


def quantised_png(png: bytes) -> bytes:
    """The same picture in a 256-colour palette (about a third of the bytes; the largest change
    of any pixel is a shade of anti-aliasing). A figure with transparency is left as it is.
    Median cut without dithering is deterministic, so reruns still give identical files."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
        return png
    palette = image.convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def save_table(frame, name: str, directory: Path = BOOK_TABLES_DIR) -> Path:
    """Save a table a page places (csv-table, so that it reaches the PDF too), written in one
    step: a build running beside the notebooks never reads half a table."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.csv"
    with replaced_whole(path) as temporary:
        frame.to_csv(temporary, index=False, lineterminator="\n")
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
VERDICT_COLOURS = {
    "supported": "#1B7837",
    "supported_with_nuance": "#A6DBA0",
    "contradicted": "#8C510A",
    "not_checkable": "#BBBBBB",
}

# Groups of goods are not states either: tones that no state or organisation uses.
GOODS_COLOURS = {
    "hs71": "#882255",  # wine: precious stones and metals
    "other_goods": "#BBBBBB",
}
