"""The Organization chapter's tables: article labels, instruments, chairs."""

from __future__ import annotations

import pandas as pd

from cstoreport import load_table
from cstoreport.analysis import organisation


def test_article_labels():
    assert organisation.article_label("4", "2") == "Art. 4(2)"
    assert organisation.article_label("4", "") == "Art. 4"
    assert organisation.article_label("Preamble", "") == "Preamble"
    assert organisation.article_label("", "") == "not given"


def test_every_instrument_in_the_data_has_a_name():
    table = organisation.provisions_table(load_table("treaty_provisions"))
    assert table["Instrument"].notna().all()
    assert (table["What it says (our paraphrase)"].str.len() > 20).all()


def test_leadership_names_the_chair_state_and_person():
    leadership = pd.DataFrame(
        {
            "year": [2022],
            "chair_state_iso3": ["ARM"],
            "chair_person": ["Nikol Pashinyan"],
            "secretary_general": ["Stanislav Zas"],
        }
    )
    table = organisation.leadership_table(leadership, {"ARM": "Armenia"})
    assert table.to_dict("records") == [
        {"Year": 2022, "Chair": "Armenia (Nikol Pashinyan)", "Secretary general": "Stanislav Zas"}
    ]
