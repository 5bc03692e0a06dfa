"""Armenia and each CSTO member side by side: trade, democracy ratings, economic integration.

A profile row joins, for one state and year, Armenia's trade with that state (Armstat, from the
trade notebook's table), the Freedom House total of the edition that covers that year (the 2024
edition covers 2023) and whether the state was in the Eurasian Economic Union at the end of the
year. Where sources disagree, only the preferred rows are used.
"""

from __future__ import annotations

import pandas as pd

from cstoreport.analysis.membership import CSTO_MEMBERS_2024
from cstoreport.analysis.sources import merge_source_ids

ARMENIA = "ARM"
PROFILE_STATES = [ARMENIA, *CSTO_MEMBERS_2024]
PROFILE_YEARS = range(2017, 2025)
TRADE_SOURCE = "armstat_trade_monthly"
FREEDOM_STATUS = {"free": "Free", "partly_free": "Partly Free", "not_free": "Not Free"}


def eaeu_memberships(memberships: pd.DataFrame) -> pd.DataFrame:
    return memberships[(memberships["organisation"] == "EAEU") & memberships["preferred"]]


def member_profiles(
    trade_by_partner: pd.DataFrame,
    freedom_house: pd.DataFrame,
    memberships: pd.DataFrame,
    states=PROFILE_STATES,
    years=PROFILE_YEARS,
) -> pd.DataFrame:
    """One row per state and year (the `member_profiles` table). Armenia has no trade with
    itself, so its trade columns are empty."""
    ratings = freedom_house[freedom_house["preferred"]]
    eaeu = eaeu_memberships(memberships)
    rows = []
    for state in states:
        joined = eaeu.loc[eaeu["state_iso3"] == state, "joined"]
        eaeu_sources = eaeu.loc[eaeu["state_iso3"] == state, "source_ids"]
        for year in years:
            trade = trade_by_partner[
                (trade_by_partner["partner_iso3"] == state) & (trade_by_partner["year"] == year)
            ]
            has_trade = len(trade) and state != ARMENIA
            rating = ratings[
                (ratings["state_iso3"] == state) & (ratings["edition_year"] == year + 1)
            ]
            rows.append(
                {
                    "state_iso3": state,
                    "year": year,
                    "turnover_usd_m": float(trade["turnover_usd_m"].iloc[0]) if has_trade else None,
                    "share_of_total_pct": (
                        float(trade["share_of_total_pct"].iloc[0]) if has_trade else None
                    ),
                    "rank_among_partners": (
                        int(trade["rank_among_partners"].iloc[0]) if has_trade else None
                    ),
                    "freedom_house_score": int(rating["total_score"].iloc[0])
                    if len(rating)
                    else None,
                    "freedom_house_status": rating["status"].iloc[0] if len(rating) else None,
                    "eaeu_member": bool(len(joined))
                    and joined.iloc[0] <= pd.Timestamp(year=year, month=12, day=31),
                    "source_ids": merge_source_ids(
                        [
                            TRADE_SOURCE if state != ARMENIA else None,
                            rating["source_id"].iloc[0] if len(rating) else None,
                            eaeu_sources.iloc[0] if len(joined) else None,
                        ]
                    ),
                }
            )
    profiles = pd.DataFrame(rows)
    profiles["rank_among_partners"] = profiles["rank_among_partners"].astype("Int64")
    profiles["freedom_house_score"] = profiles["freedom_house_score"].astype("Int64")
    return profiles


def latest_ratings(freedom_house: pd.DataFrame) -> pd.DataFrame:
    """Each state's latest preferred Freedom House rating, indexed by state."""
    ratings = freedom_house[freedom_house["preferred"]]
    return ratings.sort_values("edition_year").groupby("state_iso3").tail(1).set_index("state_iso3")


def member_comparison(
    profiles: pd.DataFrame,
    freedom_house: pd.DataFrame,
    memberships: pd.DataFrame,
    names: dict[str, str],
    year: int = 2024,
    states=PROFILE_STATES,
) -> pd.DataFrame:
    """The chapter's comparison table, as text (placed with csv-table, so it reaches the PDF)."""
    latest = latest_ratings(freedom_house)
    in_cis = set(memberships.loc[memberships["organisation"] == "CIS", "state_iso3"])
    in_eaeu = set(eaeu_memberships(memberships)["state_iso3"])
    of_year = profiles[profiles["year"] == year].set_index("state_iso3")
    return pd.DataFrame(
        {
            "Member": [names[s] for s in states],
            f"Trade with Armenia {year}, USD m": [
                "" if s == ARMENIA else f"{of_year.loc[s, 'turnover_usd_m']:,.1f}" for s in states
            ],
            f"Rank as partner {year}": [
                "" if s == ARMENIA else str(int(of_year.loc[s, "rank_among_partners"]))
                for s in states
            ],
            "Freedom House (edition)": [
                f"{int(latest.loc[s, 'total_score'])}, {FREEDOM_STATUS[latest.loc[s, 'status']]} "
                f"({int(latest.loc[s, 'edition_year'])})"
                for s in states
            ],
            "EAEU": ["yes" if s in in_eaeu else "no" for s in states],
            "CIS": ["yes" if s in in_cis else "no" for s in states],
        }
    )


def energy_dependence(energy: pd.DataFrame) -> pd.DataFrame:
    """The energy and railway indicators that have a value, as text for the chapter's table."""
    shown = energy[energy["value"].notna()]
    return pd.DataFrame(
        {
            "Topic": shown["topic"],
            "Indicator": shown["indicator"],
            # a calendar year is printed as a year (2036), other values with thousands separators
            "Value": [
                f"{v:.0f}" if unit == "year" else f"{v:,.10g}"
                for v, unit in zip(shown["value"], shown["unit"], strict=False)
            ],
            "Unit": shown["unit_as_reported"].fillna(shown["unit"]),
            "Year": shown["year"].astype("string").fillna(""),
        }
    )


# The energy and railway figures the chapter quotes, by what they are: (indicator, year) of
# data/energy_infrastructure.csv. Several indicators recur with other years or sources.
ENERGY_FIGURES_QUOTED = {
    "gazprom_share_of_gas_distributor": ("Gazprom share in Gazprom Armenia after transfer", 2014),
    "gas_imports_total_2022": ("Natural gas imports, total", 2022),
    "gas_imports_from_russia_2022": ("Natural gas imports from Russia", 2022),
    "gas_imports_from_iran_2022": ("Natural gas imports from Iran", 2022),
    "nuclear_share_of_electricity_2008": ("ANPP share of Armenia's electricity output", 2008),
    "nuclear_share_of_electricity_2018": ("Nuclear share of electricity generation", 2018),
    "nuclear_share_of_electricity_2021_iaea": ("Nuclear share of domestic electricity", 2021),
    "nuclear_share_of_electricity_2021_operator": ("ANPP share of all electricity produced", 2021),
    "russian_railways_share_of_railway_operator": ("South Caucasus Railway ownership", 2008),
    "railway_concession_years": ("Armenian Railways concession term", 2008),
}
GAS_SHARE_FROM_RUSSIA_RANGE = ("Share of imported gas coming from Russia", 2023)


def energy_row(energy: pd.DataFrame, indicator: str, year: int) -> pd.Series:
    """The one row of the energy table with this indicator and year."""
    found = energy[(energy["indicator"] == indicator) & (energy["year"] == year)]
    if len(found) != 1:
        raise ValueError(
            f"energy_infrastructure.csv has {len(found)} rows for "
            f"{indicator!r} in {year}, expected one"
        )
    return found.iloc[0]


def energy_figures_quoted(energy: pd.DataFrame) -> dict[str, int | float]:
    """The numbers the chapter quotes on gas, nuclear power and the railway, by glue name:
    each figure (a whole number as int) and `<name>_year`; the range of the share of gas from
    Russia as text; and Russia's share of 2022 gas imports, computed (per cent, rounded)."""
    figures: dict[str, int | float | str] = {}
    for name, (indicator, year) in ENERGY_FIGURES_QUOTED.items():
        row = energy_row(energy, indicator, year)
        value = float(row["value"])
        figures[name] = int(value) if value.is_integer() else value
        figures[f"{name}_year"] = int(row["year"])
    figures["gas_share_from_russia_range"] = energy_row(energy, *GAS_SHARE_FROM_RUSSIA_RANGE)[
        "value_text"
    ].replace("-", " to ")
    figures["gas_russia_share_2022"] = round(
        100 * figures["gas_imports_from_russia_2022"] / figures["gas_imports_total_2022"]
    )
    return figures
