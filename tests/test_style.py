"""Figure style: one distinct colour per state, figure files that do not change on rerun, and a
save step that refuses figures a reader could not read at a glance."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only; notebooks keep the inline backend
import matplotlib.pyplot as plt
import pytest

from cstoreport import style
from cstoreport.analysis.membership import CSTO_MEMBERS_2024


def test_each_state_has_its_own_colour():
    colours = list(style.STATE_COLOURS.values()) + list(style.ACTOR_COLOURS.values())
    assert len(colours) == len(set(colours))
    for code in CSTO_MEMBERS_2024 + ["ARM"]:
        assert style.colour(code).startswith("#")


def test_unknown_code_is_an_error():
    with pytest.raises(KeyError, match="no house colour"):
        style.colour("ZZZ")


def test_saved_figures_are_byte_identical(tmp_path):
    style.apply_style()
    outputs = []
    for run in range(2):
        fig, ax = plt.subplots()
        ax.plot([2019, 2023], [2.2, 7.9], color=style.colour("RUS"))
        ax.set(xlabel="Year", ylabel="Turnover (USD billion)")
        style.finish(fig, "A title", "A source")
        outputs.append(style.save(fig, f"f{run}", tmp_path).read_bytes())
        plt.close(fig)
    assert outputs[0] == outputs[1]


def test_saved_figures_are_quantised_without_a_visible_change(tmp_path):
    import io

    import numpy as np
    from PIL import Image

    fig, ax = readable_figure()
    style.finish(fig, "Trade with Russia more than tripled", "Armstat")
    full = io.BytesIO()
    fig.savefig(full, format="png", dpi=style.FIGURE_DPI, metadata={"Software": None})
    saved = style.save(fig, "quantised", tmp_path)
    plt.close(fig)
    assert Image.open(saved).mode == "P" and saved.stat().st_size < len(full.getvalue())
    before = np.asarray(Image.open(full).convert("RGB"), dtype=int)
    after = np.asarray(Image.open(saved).convert("RGB"), dtype=int)
    assert np.abs(before - after).mean() < 0.5  # a shade of anti-aliasing, not a new picture


def test_a_figure_with_transparency_is_kept_as_drawn():
    import io

    from PIL import Image

    image = Image.new("RGBA", (4, 4), (255, 0, 0, 128))
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert style.quantised_png(png.getvalue()) == png.getvalue()


def readable_figure():
    style.apply_style()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([2019, 2023], [2.2, 7.9], color=style.colour("RUS"))
    ax.set(xlabel="Year", ylabel="Turnover (USD billion)")
    return fig, ax


def test_a_readable_figure_is_saved(tmp_path):
    fig, ax = readable_figure()
    ax.annotate("EAEU", (2019, 2.2), xytext=(2020, 6))
    style.finish(fig, "Trade with Russia more than tripled", "Armstat")
    assert style.save(fig, "readable", tmp_path).exists()
    plt.close(fig)


def test_a_figure_built_to_fail_is_refused_naming_figure_and_texts(tmp_path):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 10], [0, 5])
    ax.set_xlabel("Turnover")  # a label without a unit; no y label at all
    ax.text(2, 3, "troops land")
    ax.text(2.1, 3.05, "decision")  # on top of the first
    ax.text(9.9, 1, "a label that runs far beyond the right edge of the figure")
    with pytest.raises(style.FigureCheckError) as refused:
        style.save(fig, "unreadable", tmp_path)
    message = str(refused.value)
    assert "figure 'unreadable'" in message
    assert "no title" in message and "no source line" in message
    assert "x axis of the axes has no label with a unit (label: 'Turnover')" in message
    assert "y axis of the axes has no label with a unit (label: '')" in message
    assert "texts 'troops land' and 'decision' overlap" in message
    assert "runs off the figure" in message
    assert not (tmp_path / "unreadable.png").exists()
    plt.close(fig)


@pytest.mark.parametrize("problem", ["overlap", "no_source", "no_unit"])
def test_each_rule_alone_refuses_a_figure(tmp_path, problem):
    fig, ax = readable_figure()
    if problem == "overlap":
        ax.set_title("Share of trade, %")
        ax.annotate("Share of trade, % (again)", (0, 1), xycoords=ax.title, va="top")
    if problem == "no_unit":
        ax.set_ylabel("Turnover")
    style.finish(fig, "A finding", "Armstat")
    if problem == "no_source":
        fig.texts[-1].set_text("")
    with pytest.raises(style.FigureCheckError):
        style.save(fig, problem, tmp_path)
    plt.close(fig)


def test_category_and_date_axes_need_no_unit_label(tmp_path):
    import pandas as pd

    style.apply_style()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(pd.to_datetime(["2021-05-12", "2022-09-13"]), [0, 1], "o")
    ax.set_yticks([0, 1], ["Armenia", "Kazakhstan"])
    style.date_axis(ax)
    style.finish(fig, "Two requests", "events.csv")
    style.save(fig, "dates", tmp_path)
    plt.close(fig)


def test_a_book_table_is_written_whole_and_as_pandas_writes_it(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"state": ["ARM", "RUS"], "share": [0.5, 35.25]})
    path = style.save_table(frame, "shares", directory=tmp_path)
    assert path == tmp_path / "shares.csv"
    assert path.read_text(encoding="utf-8") == "state,share\nARM,0.5\nRUS,35.25\n"
    assert [p.name for p in tmp_path.iterdir()] == ["shares.csv"]  # no temporary file left


@pytest.mark.parametrize("problem", ["small_text", "piled_markers"])
def test_text_too_small_to_print_and_piled_markers_are_refused(tmp_path, problem):
    fig, ax = readable_figure()
    if problem == "small_text":
        ax.text(2016, 3, "tiny note", fontsize=6)  # prints at about 6 * 6.27 / 6 pt < 7 pt
    else:
        ax.plot([2018], [2.0], "o", ms=8, label="Belarus")
        ax.plot([2018.02], [2.02], "s", ms=8, label="Kazakhstan")  # on top of Belarus
    style.finish(fig, "A finding", "Armstat")
    with pytest.raises(style.FigureCheckError) as refused:
        style.save(fig, problem, tmp_path)
    if problem == "small_text":
        assert "'tiny note' would print below 7 pt" in str(refused.value)
    else:
        assert "markers of 'axes/Belarus' and 'axes/Kazakhstan' pile up" in str(refused.value)
    plt.close(fig)


def test_markers_far_apart_and_a_lines_own_points_pass(tmp_path):
    fig, ax = readable_figure()
    ax.plot([2015, 2015.05, 2015.1], [1, 1.01, 1.02], "o-", ms=8)  # one connected line
    ax.plot([2020], [1.0], "o", ms=8)
    style.finish(fig, "A finding", "Armstat")
    style.save(fig, "apart", tmp_path)
    plt.close(fig)


def test_the_sidecar_carries_alt_text_sizes_and_the_narrow_layout(tmp_path):
    import json

    fig, _ = readable_figure()
    style.finish(fig, "A finding", "Armstat")
    narrow, _ = readable_figure()
    narrow.set_size_inches(4, 5)
    style.finish(narrow, "A finding", "Armstat")
    style.save(
        fig, "story", tmp_path, alt="Turnover rose from 1 to 3 million dollars.", narrow=narrow
    )
    sidecar = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    assert sidecar["alt"] == "Turnover rose from 1 to 3 million dollars."
    assert sidecar["narrow"] == "story_narrow.png" and (tmp_path / "story_narrow.png").exists()
    assert sidecar["width_in"] == 6 and sidecar["narrow_width_in"] == 4
    assert sidecar["min_text_pt"] == style.smallest_text_pt(fig) > 0
    plt.close(fig)
    plt.close(narrow)


@pytest.mark.parametrize(
    ("value", "decimals", "percent", "text"),
    [
        (1234.5, 1, False, "1,234.5"),
        (-3, 0, False, "\u22123"),
        (43, 0, True, "43%"),
        (-0.04, 1, False, "0.0"),
    ],
)
def test_one_number_format(value, decimals, percent, text):
    assert style.fmt_number(value, decimals, percent=percent) == text


def test_gold_and_the_eaeu_and_israel_and_georgia_have_distinct_colours():
    assert style.GOODS_COLOURS["hs71"] != style.colour("EAEU")
    assert style.colour("ISR") != style.colour("GEO")
