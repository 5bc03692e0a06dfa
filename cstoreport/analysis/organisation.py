"""The Organization's texts and officers, as tables for the chapter."""

from __future__ import annotations

import pandas as pd

INSTRUMENTS = {
    "CST_1992": "Collective Security Treaty (1992)",
    "CSTO_CHARTER_2002": "CSTO Charter (2002)",
    "CSTO_RULES_2004": "Collective Security Council decision on rules and membership (2004)",
    "CSTO_RULES_OTHER": "CSTO rule cited by officials (instrument not named)",
    "PROTOCOL_2010": "Protocol amending the Treaty (2010)",
    "RUS_ARM_1992_BORDER": "Armenia-Russia treaty on border troops (1992)",
    "RUS_ARM_1995_BASE": "Armenia-Russia treaty on the military base (1995)",
    "RUS_ARM_1997": "Armenia-Russia treaty of friendship and mutual assistance (1997)",
}


def article_label(article: str, paragraph: str) -> str:
    """'Art. 4(2)', a named part such as 'Preamble', or 'not given'; empty values as ''."""
    label = "Art. " + article if article and article[0].isdigit() else (article or "not given")
    return label + (f"({paragraph})" if paragraph else "")


def provisions_table(provisions: pd.DataFrame) -> pd.DataFrame:
    """The treaty provisions the article relies on, with our paraphrase."""
    return pd.DataFrame(
        {
            "Instrument": provisions["instrument"].map(INSTRUMENTS),
            "Article": [
                article_label(a, p)
                for a, p in zip(
                    provisions["article"].fillna(""),
                    provisions["paragraph"].fillna(""),
                    strict=False,
                )
            ],
            "Wording of": provisions["version"],
            "What it says (our paraphrase)": provisions["paraphrase"],
        }
    )


def leadership_table(leadership: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Chair (state and person) and secretary general, year by year."""
    return pd.DataFrame(
        {
            "Year": leadership["year"],
            "Chair": [
                f"{names[c]} ({p})"
                for c, p in zip(
                    leadership["chair_state_iso3"], leadership["chair_person"], strict=False
                )
            ],
            "Secretary general": leadership["secretary_general"],
        }
    )
