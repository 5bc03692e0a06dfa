"""The claims chapter's figure: the verdicts by section of the article."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cstoreport import style
from cstoreport.analysis import claims


def verdicts_by_section(
    verdicts: pd.DataFrame,
    sections: dict[str, str],
    labels: dict[str, str],
    holding: frozenset,
    material: int,
) -> plt.Figure:
    """One bar per section of the article (in `sections`' order, titled by it), split by
    verdict (named by `labels`); the claims that hold (`holding` verdicts) and the `material`
    errors are counted in the title."""
    table = (
        verdicts.groupby(["section", "verdict"])
        .size()
        .unstack(fill_value=0)
        .reindex(
            index=[s for s in sections if s in set(verdicts["section"])],
            columns=list(claims.VERDICTS),
            fill_value=0,
        )
    )
    fig, ax = plt.subplots(figsize=(8, 4.5))
    left = pd.Series(0, index=table.index)
    for verdict in claims.VERDICTS:
        ax.barh(
            [sections[s] for s in table.index],
            table[verdict],
            left=left,
            color=style.VERDICT_COLOURS[verdict],
            label=labels[verdict],
            edgecolor="white",
        )
        left += table[verdict]
    ax.invert_yaxis()
    ax.set_xlim(0, left.max() * 1.04)  # the longest bar ended on the frame and looked cut off
    ax.set_xlabel("Number of claims")
    ax.legend(loc="lower right", fontsize=8)
    style.finish(
        fig,
        f"Of {len(verdicts)} checkable claims, "
        f"{int(verdicts['verdict'].isin(holding).sum())} hold; "
        f"{material} errors change the argument",
        "claims_ledger.csv, claim_rules.csv and the report's data",
    )
    return fig
