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
    mapping = dict(zip(codes["armstat_name"], codes["partner_iso3"], strict=False))
    frame = raw.assign(partner_iso3=raw["country"].map(mapping))
    grouped = frame.groupby(["partner_iso3", "year", "month"], as_index=False)[
        ["export", "import_origin", "import_consignment"]
    ].sum()
    grouped = grouped.rename(
        columns={
            "export": "exports",
            "import_origin": "imports_origin",
            "import_consignment": "imports_consignment",
        }
    )
    return grouped.sort_values(["partner_iso3", "year", "month"]).reset_index(drop=True)


def members_monthly_table(monthly: pd.DataFrame) -> pd.DataFrame:
    """The five members' monthly flows, every month present (a month with no trade is 0)."""
    years = range(int(monthly["year"].min()), int(monthly["year"].max()) + 1)
    grid = pd.MultiIndex.from_product(
        [MEMBERS, years, range(1, 13)], names=["partner_iso3", "year", "month"]
    )
    table = (
        monthly.set_index(["partner_iso3", "year", "month"])
        .reindex(grid, fill_value=0.0)
        .reset_index()
    )
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
    annual = monthly.groupby(["partner_iso3", "year"], as_index=False)[
        ["exports", "imports_origin", "imports_consignment"]
    ].sum()
    world = annual.groupby("year", as_index=False)[
        ["exports", "imports_origin", "imports_consignment"]
    ].sum()
    world["partner_iso3"] = WORLD
    annual = pd.concat([annual, world], ignore_index=True)
    out = pd.DataFrame(
        {
            "partner_iso3": annual["partner_iso3"],
            "year": annual["year"].astype(int),
            "exports_usd_m": annual["exports"] / 1000,
            "imports_usd_m": annual["imports_origin"] / 1000,
            "imports_consignment_usd_m": annual["imports_consignment"] / 1000,
        }
    )
    out["turnover_usd_m"] = out["exports_usd_m"] + out["imports_usd_m"]
    out["turnover_consignment_usd_m"] = out["exports_usd_m"] + out["imports_consignment_usd_m"]
    out["balance_usd_m"] = out["exports_usd_m"] - out["imports_usd_m"]
    totals = out[out["partner_iso3"] == WORLD].set_index("year")["turnover_usd_m"]
    out["share_of_total_pct"] = 100 * out["turnover_usd_m"] / out["year"].map(totals)
    non_country = set(codes.loc[codes["code_kind"].isin(NON_COUNTRY_KINDS), "partner_iso3"])
    ranked = ~out["partner_iso3"].isin(non_country | {WORLD})
    out["rank_among_partners"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[ranked, "rank_among_partners"] = (
        out[ranked]
        .groupby("year")["turnover_usd_m"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    money = [c for c in out.columns if c.endswith("_usd_m")]
    out[money] = out[money].round(3)
    out["share_of_total_pct"] = out["share_of_total_pct"].round(3)
    out["source_ids"] = ARMSTAT_SOURCE
    return out.sort_values(["partner_iso3", "year"]).reset_index(drop=True)


def growth_multiple(
    annual: pd.DataFrame, partner: str, start: int, end: int, column: str = "turnover_usd_m"
) -> float:
    values = annual[annual["partner_iso3"] == partner].set_index("year")[column]
    return float(values.loc[end] / values.loc[start])


def value(annual: pd.DataFrame, partner: str, year: int, column: str) -> float:
    rows = annual[(annual["partner_iso3"] == partner) & (annual["year"] == year)]
    if len(rows) != 1:
        raise KeyError(f"expected one row for {partner} {year}, found {len(rows)}")
    return float(rows[column].iloc[0])


def annual_matches_months(
    annual: pd.DataFrame, monthly: pd.DataFrame, tolerance_usd_m: float = 0.002
) -> list[tuple[int, str, str]]:
    """Rows of the annual members table whose value differs from the sum of its months.

    Returns (index into `annual`, field, message) for each disagreement.
    """
    sums = (
        monthly.groupby(["partner_iso3", "year"])[
            ["exports", "imports_origin", "imports_consignment"]
        ].sum()
        / 1000
    )
    pairs = {
        "exports_usd_m": "exports",
        "imports_usd_m": "imports_origin",
        "imports_consignment_usd_m": "imports_consignment",
    }
    problems = []
    for idx, row in annual.iterrows():
        key = (row["partner_iso3"], int(row["year"]))
        if key not in sums.index:
            continue
        for annual_col, month_col in pairs.items():
            expected = float(sums.loc[key, month_col])
            if abs(float(row[annual_col]) - expected) > tolerance_usd_m:
                problems.append(
                    (
                        idx,
                        annual_col,
                        f"{row[annual_col]} disagrees with the sum of its months ({expected:.3f})",
                    )
                )
    return problems


MONTHLY_FLOWS = {"exports": "exports", "imports": "imports_origin", "turnover": "turnover"}
# Armenia's partners in the Eurasian Economic Union: a published "EAEU" figure is their sum.
EAEU_PARTNERS = ["RUS", "BLR", "KAZ", "KGZ"]


def _agrees(published: float, reconstructed: float, tolerance: float, qualifier: str) -> bool:
    if qualifier == "lower_bound":  # "over X": the true value must exceed X
        return reconstructed >= published
    return abs(reconstructed - published) <= tolerance + 1e-9


def period_value(
    monthly_all: pd.DataFrame,
    partner: str,
    year: int,
    flow: str,
    first_month: int = 1,
    last_month: int = 12,
) -> float:
    """One flow summed over months first..last of a year, million US dollars.

    `partner` is an ISO code, WLD (every partner) or EAEU (Armenia's four EAEU partners).
    """
    frame = monthly_all[
        (monthly_all["year"] == year)
        & (monthly_all["month"] >= first_month)
        & (monthly_all["month"] <= last_month)
    ]
    if partner == "EAEU":
        frame = frame[frame["partner_iso3"].isin(EAEU_PARTNERS)]
    elif partner != WORLD:
        frame = frame[frame["partner_iso3"] == partner]
    if flow == "turnover":
        return float(frame["exports"].sum() + frame["imports_origin"].sum()) / 1000
    return float(frame[MONTHLY_FLOWS[flow]].sum()) / 1000


def implied_prior(
    published: float, tolerance: float, growth_pct: float, growth_tolerance_pct: float
) -> tuple[float, float, float]:
    """The release's own figure for the same period a year earlier: value / (1 + growth).

    Returns (central, low, high); low and high carry the rounding of both the value and the
    growth rate, so a prior-year figure inside them is what the release itself implies.
    """
    central = published / (1 + growth_pct / 100)
    low = (published - tolerance) / (1 + (growth_pct + growth_tolerance_pct) / 100)
    high = (published + tolerance) / (1 + (growth_pct - growth_tolerance_pct) / 100)
    return central, low, high


def _releases_containing(fixtures: pd.DataFrame, fx, year: int, amount: float) -> list[str]:
    """Quoted figures for the same partner, flow and period of `year` whose rounding admits
    `amount`: the earlier vintage a later release may have built its growth rate on."""
    same = fixtures[
        (fixtures["year"] == year)
        & (fixtures["partner_iso3"] == fx.partner_iso3)
        & (fixtures["flow"] == fx.flow)
        & (fixtures["qualifier"] != "lower_bound")
        & (fixtures["month"].isna() == pd.isna(fx.month))
        & (fixtures["to_month"].isna() == pd.isna(fx.to_month))
    ]
    return [
        r.fixture_id
        for r in same.itertuples()
        if abs(float(r.value_usd_m) - amount) <= float(r.tolerance_usd_m)
    ]


def check_published(fixtures: pd.DataFrame, monthly_all: pd.DataFrame) -> pd.DataFrame:
    """Compare each published figure (one vintage of Armstat's data) with the current series.

    - match: within the figure's own rounding (a lower bound "over X": the series is at least X);
    - revision: it differs, but the release's own growth rate puts its figure for the year
      before where the current series has it, so the release sat on today's base and the figure
      itself was revised later;
    - differs: it differs and the release's numbers do not explain it (or give no growth rate).
    `direction` says which way the current series lies from the published figure;
    `prior_release_ids` names quoted figures for the year before that match the release's own
    base (a release can build on an earlier vintage of the year before, itself revised since).
    """
    rows = []
    for fx in fixtures.itertuples():
        if pd.notna(fx.month) and pd.notna(fx.to_month):
            raise ValueError(
                f"{fx.fixture_id}: give month (one month) or to_month "
                "(January to that month), not both"
            )
        first, last = (
            (int(fx.month), int(fx.month))
            if pd.notna(fx.month)
            else (1, int(fx.to_month) if pd.notna(fx.to_month) else 12)
        )
        current = period_value(monthly_all, fx.partner_iso3, int(fx.year), fx.flow, first, last)
        published, tolerance = float(fx.value_usd_m), float(fx.tolerance_usd_m)
        agrees = _agrees(published, current, tolerance, fx.qualifier)
        prior = implied = low = high = None
        if pd.notna(fx.growth_pct) and fx.qualifier != "lower_bound":
            prior = period_value(
                monthly_all, fx.partner_iso3, int(fx.year) - 1, fx.flow, first, last
            )
            implied, low, high = implied_prior(
                published, tolerance, float(fx.growth_pct), float(fx.growth_tolerance_pct)
            )
        if agrees:
            outcome = "match"
        elif prior is not None and low <= prior <= high:
            outcome = "revision"
        else:
            outcome = "differs"
        direction = None if agrees else ("up" if current > published else "down")
        earlier = (
            [] if implied is None else _releases_containing(fixtures, fx, int(fx.year) - 1, implied)
        )
        rows.append(
            {
                "fixture_id": fx.fixture_id,
                "year": int(fx.year),
                "month": None if pd.isna(fx.month) else int(fx.month),
                "to_month": None if pd.isna(fx.to_month) else int(fx.to_month),
                "partner_iso3": fx.partner_iso3,
                "flow": fx.flow,
                "published_usd_m": published,
                "reconstructed_usd_m": round(current, 3),
                "difference_usd_m": round(current - published, 3),
                "difference_pct": round(100 * (current - published) / published, 1) + 0.0,
                "qualifier": fx.qualifier,
                "growth_pct": None if pd.isna(fx.growth_pct) else float(fx.growth_pct),
                "implied_prior_usd_m": None if implied is None else round(implied, 1),
                "implied_prior_low_usd_m": None if low is None else round(low, 1),
                "implied_prior_high_usd_m": None if high is None else round(high, 1),
                "series_prior_usd_m": None if prior is None else round(prior, 1),
                "prior_release_ids": ";".join(earlier) or None,
                "outcome": outcome,
                "direction": direction,
                "source_ids": f"{fx.source_id};{ARMSTAT_SOURCE}",
            }
        )
    out = pd.DataFrame(rows)
    for col in ("month", "to_month"):
        out[col] = out[col].astype("Int64")
    return out


MIRROR_COLUMNS = {
    "armenia_exports": "exports_usd_m",
    "armenia_imports": "imports_usd_m",
    "turnover": "turnover_usd_m",
}


def mirror_table(mirror: pd.DataFrame, annual_all: pd.DataFrame) -> pd.DataFrame:
    """Each partner-reported figure beside Armstat's figure for the same flow."""
    rows = []
    for m in mirror.itertuples():
        armenia = value(annual_all, m.partner_iso3, int(m.year), MIRROR_COLUMNS[m.flow])
        rows.append(
            {
                "mirror_id": m.mirror_id,
                "partner_iso3": m.partner_iso3,
                "year": int(m.year),
                "flow": m.flow,
                "armenia_value_usd_m": round(armenia, 3),
                "partner_value_usd_m": float(m.value_usd_m),
                "qualifier": m.qualifier,
                "gap_pct": round(100 * (float(m.value_usd_m) - armenia) / armenia, 1) + 0.0,
                "source_ids": f"{m.source_id};{ARMSTAT_SOURCE}",
            }
        )
    return pd.DataFrame(rows).sort_values(["partner_iso3", "year", "flow", "mirror_id"])


def mirror_gaps(mirror_rows: pd.DataFrame, near_pct: float = 10.0) -> dict:
    """What the mirror comparison says in numbers (gap_pct: partner-reported minus Armstat, per
    cent of Armstat's figure): how many partner figures are lower, how many lie within
    near_pct of Armstat's, and the widest gap below and above (the first row on a tie)."""
    ordered = mirror_rows.sort_values(["gap_pct", "partner_iso3", "year", "mirror_id"])
    below, above = ordered.iloc[0], ordered.iloc[-1]
    return {
        "rows": len(mirror_rows),
        "partner_lower": int((mirror_rows["gap_pct"] < 0).sum()),
        "within_near": int((mirror_rows["gap_pct"].abs() <= near_pct).sum()),
        "widest_below": below if below["gap_pct"] < 0 else None,
        "widest_above": above if above["gap_pct"] > 0 else None,
    }


def rank_among_all_lines(annual_all: pd.DataFrame, partner: str, year: int) -> int:
    """Rank by turnover counting every line of Armstat's table as a partner, including lines
    such as 'Unknown country' that name no country (the way a reader of the raw table would)."""
    lines = annual_all[(annual_all["year"] == year) & (annual_all["partner_iso3"] != WORLD)]
    ranks = lines.set_index("partner_iso3")["turnover_usd_m"].rank(ascending=False, method="min")
    return int(ranks.loc[partner])
