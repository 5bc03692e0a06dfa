"""Figure style: one distinct colour per state, and figure files that do not change on rerun."""
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
        style.finish(fig, "A title", "A source")
        outputs.append(style.save(fig, f"f{run}", tmp_path).read_bytes())
        plt.close(fig)
    assert outputs[0] == outputs[1]
