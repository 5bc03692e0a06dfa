"""Armenia's goods trade by partner, rebuilt from Armstat's monthly table.

Units: the raw table is in thousand US dollars; annual tables are in million US dollars.
Headline turnover follows Armstat: exports + imports by country of origin. Imports by country
of consignment are kept alongside so the effect of the basis can be shown.
"""
from __future__ import annotations

import pandas as pd

from cstoreport.analysis.membership import CSTO_MEMBERS_2024

WORLD = "WLD"
MEMBERS = CSTO_MEMBERS_2024
ARMSTAT_SOURCE = "armstat_trade_monthly"
# Codes that stand for no single country (unknown, unspecified EU, Channel Islands, Karabakh)
# count in Armenia's total but not in partner ranks.
NON_COUNTRY_KINDS = {"user_assigned"}


def monthly_by_partner(raw: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows per ISO partner code, thousand US dollars (Armstat renamed some partners
    over time, e.g. 'United States' became 'USA' in 2024; their rows never overlap)."""
    mapping = dict(zip(codes["armstat_name"], codes["partner_iso3"]))
    frame = raw.assign(partner_iso3=raw["country"].map(mapping))
    grouped = (frame.groupby(["partner_iso3", "year", "month"], as_index=False)
               [["export", "import_origin", "import_consignment"]].sum())
    grouped = grouped.rename(columns={"export": "exports", "import_origin": "imports_origin",
                                      "import_consignment": "imports_consignment"})
    return grouped.sort_values(["partner_iso3", "year", "month"]).reset_index(drop=True)


def members_monthly_table(monthly: pd.DataFrame) -> pd.DataFrame:
    """The five members' monthly flows, every month present (a month with no trade is 0)."""
    years = range(int(monthly["year"].min()), int(monthly["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([MEMBERS, years, range(1, 13)],
                                      names=["partner_iso3", "year", "month"])
    table = (monthly.set_index(["partner_iso3", "year", "month"])
             .reindex(grid, fill_value=0.0).reset_index())
    for col in ("exports", "imports_origin", "imports_consignment"):
        table[col] = table[col].astype(float).round(5)
    table["unit"] = "usd_thousand"
    table["source_ids"] = ARMSTAT_SOURCE
    table["year"] = table["year"].astype(int)
    table["month"] = table["month"].astype(int)
    return table


def annual_by_partner(monthly: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Annual flows per partner in million US dollars, with Armenia's total as partner WLD,
    each partner's share of the total and its rank among partner countries by turnover."""
    annual = (monthly.groupby(["partner_iso3", "year"], as_index=False)
              [["exports", "imports_origin", "imports_consignment"]].sum())
    world = annual.groupby("year", as_index=False)[["exports", "imports_origin",
                                                    "imports_consignment"]].sum()
    world["partner_iso3"] = WORLD
    annual = pd.concat([annual, world], ignore_index=True)
    out = pd.DataFrame({
        "partner_iso3": annual["partner_iso3"],
        "year": annual["year"].astype(int),
        "exports_usd_m": annual["exports"] / 1000,
        "imports_usd_m": annual["imports_origin"] / 1000,
        "imports_consignment_usd_m": annual["imports_consignment"] / 1000,
    })
    out["turnover_usd_m"] = out["exports_usd_m"] + out["imports_usd_m"]
    out["turnover_consignment_usd_m"] = out["exports_usd_m"] + out["imports_consignment_usd_m"]
    out["balance_usd_m"] = out["exports_usd_m"] - out["imports_usd_m"]
    totals = out[out["partner_iso3"] == WORLD].set_index("year")["turnover_usd_m"]
    out["share_of_total_pct"] = 100 * out["turnover_usd_m"] / out["year"].map(totals)
    non_country = set(codes.loc[codes["code_kind"].isin(NON_COUNTRY_KINDS), "partner_iso3"])
    ranked = ~out["partner_iso3"].isin(non_country | {WORLD})
    out["rank_among_partners"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[ranked, "rank_among_partners"] = (
        out[ranked].groupby("year")["turnover_usd_m"].rank(ascending=False, method="min")
        .astype("Int64"))
    money = [c for c in out.columns if c.endswith("_usd_m")]
    out[money] = out[money].round(3)
    out["share_of_total_pct"] = out["share_of_total_pct"].round(3)
    out["source_ids"] = ARMSTAT_SOURCE
    return out.sort_values(["partner_iso3", "year"]).reset_index(drop=True)


def growth_multiple(annual: pd.DataFrame, partner: str, start: int, end: int,
                    column: str = "turnover_usd_m") -> float:
    values = annual[annual["partner_iso3"] == partner].set_index("year")[column]
    return float(values.loc[end] / values.loc[start])


def value(annual: pd.DataFrame, partner: str, year: int, column: str) -> float:
    rows = annual[(annual["partner_iso3"] == partner) & (annual["year"] == year)]
    if len(rows) != 1:
        raise KeyError(f"expected one row for {partner} {year}, found {len(rows)}")
    return float(rows[column].iloc[0])


def annual_matches_months(annual: pd.DataFrame, monthly: pd.DataFrame,
                          tolerance_usd_m: float = 0.002) -> list[tuple[int, str, str]]:
    """Rows of the annual members table whose value differs from the sum of its months.

    Returns (index into `annual`, field, message) for each disagreement.
    """
    sums = monthly.groupby(["partner_iso3", "year"])[["exports", "imports_origin",
                                                      "imports_consignment"]].sum() / 1000
    pairs = {"exports_usd_m": "exports", "imports_usd_m": "imports_origin",
             "imports_consignment_usd_m": "imports_consignment"}
    problems = []
    for idx, row in annual.iterrows():
        key = (row["partner_iso3"], int(row["year"]))
        if key not in sums.index:
            continue
        for annual_col, month_col in pairs.items():
            expected = float(sums.loc[key, month_col])
            if abs(float(row[annual_col]) - expected) > tolerance_usd_m:
                problems.append((idx, annual_col,
                                 f"{row[annual_col]} disagrees with the sum of its months "
                                 f"({expected:.3f})"))
    return problems


FLOW_COLUMNS = {"exports": "exports_usd_m", "imports": "imports_usd_m",
                "turnover": "turnover_usd_m"}


def _agrees(published: float, reconstructed: float, tolerance: float, qualifier: str) -> bool:
    if qualifier == "lower_bound":  # "over X": the true value must exceed X
        return reconstructed >= published
    return abs(reconstructed - published) <= tolerance + 1e-9


def check_published(fixtures: pd.DataFrame, annual_all: pd.DataFrame,
                    monthly_all: pd.DataFrame) -> pd.DataFrame:
    """Compare each published figure with the rebuilt series: match or differs.

    An exact or approximate figure matches when it is within its rounding tolerance; a lower
    bound ("over X") matches when the series is at least X.
    """
    monthly = monthly_all.assign(imports=monthly_all["imports_origin"],
                                 turnover=monthly_all["exports"] + monthly_all["imports_origin"])
    rows = []
    for fx in fixtures.itertuples():
        if pd.isna(fx.month):
            rebuilt = value(annual_all, fx.partner_iso3, int(fx.year), FLOW_COLUMNS[fx.flow])
        else:
            sel = monthly[(monthly["partner_iso3"] == fx.partner_iso3)
                          & (monthly["year"] == fx.year) & (monthly["month"] == fx.month)]
            rebuilt = float(sel[fx.flow].sum()) / 1000
        outcome = "match" if _agrees(fx.value_usd_m, rebuilt, fx.tolerance_usd_m,
                                     fx.qualifier) else "differs"
        rows.append({"fixture_id": fx.fixture_id, "year": int(fx.year),
                     "month": None if pd.isna(fx.month) else int(fx.month),
                     "partner_iso3": fx.partner_iso3, "flow": fx.flow,
                     "published_usd_m": float(fx.value_usd_m),
                     "reconstructed_usd_m": round(rebuilt, 3),
                     "difference_usd_m": round(rebuilt - float(fx.value_usd_m), 3),
                     "qualifier": fx.qualifier, "outcome": outcome,
                     "source_ids": f"{fx.source_id};{ARMSTAT_SOURCE}"})
    out = pd.DataFrame(rows)
    out["month"] = out["month"].astype("Int64")
    return out


MIRROR_COLUMNS = {"armenia_exports": "exports_usd_m", "armenia_imports": "imports_usd_m",
                  "turnover": "turnover_usd_m"}


def mirror_table(mirror: pd.DataFrame, annual_all: pd.DataFrame) -> pd.DataFrame:
    """Each partner-reported figure beside Armstat's figure for the same flow."""
    rows = []
    for m in mirror.itertuples():
        armenia = value(annual_all, m.partner_iso3, int(m.year), MIRROR_COLUMNS[m.flow])
        rows.append({"mirror_id": m.mirror_id, "partner_iso3": m.partner_iso3,
                     "year": int(m.year), "flow": m.flow,
                     "armenia_value_usd_m": round(armenia, 3),
                     "partner_value_usd_m": float(m.value_usd_m),
                     "qualifier": m.qualifier,
                     "gap_pct": round(100 * (float(m.value_usd_m) - armenia) / armenia, 1) + 0.0,
                     "source_ids": f"{m.source_id};{ARMSTAT_SOURCE}"})
    return pd.DataFrame(rows).sort_values(["partner_iso3", "year", "flow", "mirror_id"])


def rank_among_all_lines(annual_all: pd.DataFrame, partner: str, year: int) -> int:
    """Rank by turnover counting every line of Armstat's table as a partner, including lines
    such as 'Unknown country' that name no country (the way a reader of the raw table would)."""
    lines = annual_all[(annual_all["year"] == year) & (annual_all["partner_iso3"] != WORLD)]
    ranks = lines.set_index("partner_iso3")["turnover_usd_m"].rank(ascending=False, method="min")
    return int(ranks.loc[partner])
