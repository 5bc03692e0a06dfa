"""One look for every figure: one colour per state, a title that states the finding,
units on the axes, a source line, and files that do not change from run to run."""

from __future__ import annotations

import io
import json
import math
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
    "ISR": "#999933",  # olive: told apart from Georgia's grey by hue, not only by lightness
    "WLD": "#555555",  # dark grey: Armenia's total trade
}
# Organisations are not states: neutral tones that no state uses.
ACTOR_COLOURS = {"CSTO": "#7F3C8D", "EU": "#332288", "EAEU": "#882255"}

FIGURE_DPI = 150
# The PDF's text width (A4 with one-inch margins): a figure placed at width 100% prints this wide.
PRINTED_WIDTH_IN = 6.27
# No text may print smaller than this once the figure is scaled to the text width.
MIN_PRINTED_PT = 7.0


def apply_style() -> None:
    """House defaults; call once at the top of a notebook."""
    mpl.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.axisbelow": True,  # gridlines behind the data
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


NARROW_TITLE_CHARS = 38  # a line of the title at 12 pt bold on a 4-in phone layout
NARROW_SOURCE_CHARS = 50  # a line of the source at 9 pt on 4 in, with room to spare


def finish_narrow(fig: plt.Figure, title: str, source: str) -> None:
    """`finish` for a phone layout (about 4 in wide): the title and the source line wrapped to
    the width, the panels laid out between them."""
    import textwrap

    fig.suptitle(
        textwrap.fill(title.replace("\n", " "), NARROW_TITLE_CHARS),
        x=0.02,
        ha="left",
        fontsize=12,
        fontweight="bold",
    )
    text = textwrap.fill(f"Source: {source}", NARROW_SOURCE_CHARS)
    fig.text(0.02, 0.005, text, ha="left", va="bottom", fontsize=9, color="#333333")
    foot_in = (text.count("\n") + 1) * 9 * 1.35 / 72 + 0.05
    fig.tight_layout(rect=(0, foot_in / fig.get_figheight(), 1, 1))


def finish(fig: plt.Figure, title: str, source: str) -> None:
    """Put the finding as the title and the source line at the foot of the figure."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.text(0.01, 0.005, f"Source: {source}", ha="left", va="bottom", fontsize=9, color="#333333")
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
    problems += _too_small_to_print(fig, [t for t, _ in boxes])
    problems += _piled_markers(fig)
    if problems:
        raise FigureCheckError(f"figure {name!r}: " + "; ".join(problems))


def printed_pt(size_pt: float, width_in: float) -> float:
    """A text's size once the figure is scaled to the PDF's text width."""
    return size_pt * PRINTED_WIDTH_IN / width_in


def smallest_text_pt(fig: plt.Figure) -> float:
    return min((t.get_fontsize() for t in _shown_texts(fig)), default=0.0)


def _too_small_to_print(fig: plt.Figure, texts: list[Text]) -> list[str]:
    width_in = fig.get_figwidth()
    small = sorted(
        {t.get_text() for t in texts if printed_pt(t.get_fontsize(), width_in) < MIN_PRINTED_PT}
    )
    if not small:
        return []
    floor = MIN_PRINTED_PT * width_in / PRINTED_WIDTH_IN
    return [
        f"texts {', '.join(map(repr, small[:5]))}{' and others' if len(small) > 5 else ''} "
        f"would print below {MIN_PRINTED_PT:g} pt (at {width_in:g} in wide every text needs "
        f"at least {floor:.1f} pt)"
    ]


# Markers that are strokes, not dots (error-bar caps, ticks): they may meet.
_STROKE_MARKERS = {"", "None", "none", " ", ",", "_", "|", "1", "2", "3", "4", "+", "x"}


def _marker_dots(fig: plt.Figure) -> list[tuple[str, bool, float, float, float]]:
    """(artist label, drawn as a connected line, x px, y px, radius px) for every marker dot
    inside its axes."""
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    px_per_pt = fig.dpi / 72
    dots = []
    for ax in fig.axes:
        frame = ax.bbox
        artists = [a for a in ax.get_children() if isinstance(a, (Line2D, PathCollection))]
        for index, artist in enumerate(artists):
            if not artist.get_visible():
                continue
            label = artist.get_label()
            name = f"{ax.get_title() or 'axes'}/{label if not label.startswith('_') else index}"
            if isinstance(artist, Line2D):
                if str(artist.get_marker()) in _STROKE_MARKERS:
                    continue
                points = artist.get_transform().transform(artist.get_xydata())
                radii = [artist.get_markersize() * px_per_pt / 2] * len(points)
                connected = artist.get_linestyle() not in ("None", "none", "", " ")
            else:
                points = artist.get_offset_transform().transform(artist.get_offsets())
                sizes = artist.get_sizes()
                radii = [
                    math.sqrt(sizes[i % len(sizes)]) * px_per_pt / 2 if len(sizes) else 0.0
                    for i in range(len(points))
                ]
                connected = False
            for (x, y), radius in zip(points, radii, strict=True):
                if radius > 0 and frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1:
                    dots.append((name, connected, float(x), float(y), radius))
    return dots


def _piled_markers(fig: plt.Figure) -> list[str]:
    """Two marker dots whose centres are closer than half their combined radius hide each
    other. A connected line's own consecutive points are left alone (the line shows them)."""
    dots = _marker_dots(fig)
    piles = set()
    for i, (name_a, connected_a, xa, ya, ra) in enumerate(dots):
        for name_b, _, xb, yb, rb in dots[i + 1 :]:
            if name_a == name_b and connected_a:
                continue
            if math.hypot(xa - xb, ya - yb) < (ra + rb) / 2:
                piles.add(tuple(sorted((name_a, name_b))))
    return [f"markers of {a!r} and {b!r} pile up" for a, b in sorted(piles)]


def save(
    fig: plt.Figure,
    name: str,
    directory: Path = FIGURES_DIR,
    *,
    alt: str | None = None,
    narrow: plt.Figure | None = None,
) -> Path:
    """Check the figure (see check_figure), then save a PNG without date or software
    metadata, so reruns give identical files. `narrow` is the same finding laid out for a phone
    (saved as NAME_narrow.png, served to narrow screens); `alt` is the figure's finding with its
    key numbers, computed from the data. Both go into the sidecar NAME.json, with the sizes a
    reader's screen or printer needs to judge the smallest text."""
    check_figure(fig, name)
    if narrow is not None:
        check_figure(narrow, f"{name}_narrow")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    _write_png(fig, path)
    sidecar = {
        "alt": alt,
        "dpi": FIGURE_DPI,
        "min_text_pt": smallest_text_pt(fig),
        "width_in": round(fig.get_figwidth(), 3),
        "narrow": None,
        "narrow_min_text_pt": None,
        "narrow_width_in": None,
    }
    if narrow is not None:
        _write_png(narrow, directory / f"{name}_narrow.png")
        sidecar |= {
            "narrow": f"{name}_narrow.png",
            "narrow_min_text_pt": smallest_text_pt(narrow),
            "narrow_width_in": round(narrow.get_figwidth(), 3),
        }
    text = json.dumps(sidecar, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    with replaced_whole(directory / f"{name}.json") as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def _write_png(fig: plt.Figure, path: Path) -> None:
    rendered = io.BytesIO()
    fig.savefig(rendered, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    with replaced_whole(path) as temporary:
        temporary.write_bytes(quantised_png(rendered.getvalue()))


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


MINUS = "\u2212"


def fmt_number(value: float, decimals: int = 0, *, percent: bool = False) -> str:
    """The one number format of every figure: 1,234.5; a true minus sign; 43% with the sign
    joined to its number."""
    text = f"{abs(value):,.{decimals}f}"
    sign = MINUS if value < 0 and text.strip("0.,") else ""
    return f"{sign}{text}{'%' if percent else ''}"


def number_axis(ax: plt.Axes, axis: str = "y", decimals: int = 0, *, percent: bool = False):
    """Label an axis's ticks in the house number format."""
    from matplotlib.ticker import FuncFormatter

    getattr(ax, f"{axis}axis").set_major_formatter(
        FuncFormatter(lambda v, _: fmt_number(v, decimals, percent=percent))
    )


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
    "hs71": "#B59410",  # dark gold: precious stones and metals (the EAEU has wine)
    "other_goods": "#BBBBBB",
}
