"""What moved Armenia's trade after 2021: goods by HS heading, and Russia's share without them.

Inputs are Armstat's monthly table by HS 4-digit heading (all partners together, thousand US
dollars; `export`, `import`) and the partner tables that `trade_series` writes. Armstat's
commodity table has no partner breakdown, so a partner's trade in one commodity group is never
computed here: it is either bounded (a partner cannot have imported more of a group than all
partners together) or taken from a published figure that names its source.

Annual and monthly outputs are in million US dollars.
"""

from __future__ import annotations

import pandas as pd

from cstoreport.tables import state_names

PRECIOUS_HS2 = 71  # natural or cultured pearls, precious stones and metals, jewellery
GOLD_HS4 = 7108  # gold, unwrought, semi-manufactured or powder
DIAMONDS_HS4 = 7102
JEWELLERY_HS4 = 7113
COMMODITY_SOURCE = "armstat_trade_commodity_monthly"

# Groups for the decomposition of the surge: the headings that moved most, then the rest.
SURGE_GROUPS = {
    "Precious stones and metals (HS 71)": [71],
    "Electrical equipment and phones (HS 85)": [85],
    "Machinery (HS 84)": [84],
    "Vehicles (HS 87)": [87],
}
OTHER_GROUP = "All other goods"


def _annual(commodity: pd.DataFrame, mask: pd.Series | None = None) -> pd.DataFrame:
    rows = commodity if mask is None else commodity[mask]
    return rows.groupby("year")[["export", "import"]].sum() / 1000


def annual_composition(commodity: pd.DataFrame) -> pd.DataFrame:
    """One row per year: total exports and imports, and how much of each was HS 71 (with its
    gold, diamond and jewellery headings), in million US dollars and per cent."""
    total = _annual(commodity)
    hs2 = commodity["hs4"] // 100
    parts = {
        "hs71": _annual(commodity, hs2 == PRECIOUS_HS2),
        "gold": _annual(commodity, commodity["hs4"] == GOLD_HS4),
        "diamonds": _annual(commodity, commodity["hs4"] == DIAMONDS_HS4),
        "jewellery": _annual(commodity, commodity["hs4"] == JEWELLERY_HS4),
    }
    out = pd.DataFrame(
        {
            "year": total.index.astype(int),
            "exports_usd_m": total["export"].values,
            "imports_usd_m": total["import"].values,
        }
    )
    for name, frame in parts.items():
        frame = frame.reindex(total.index, fill_value=0.0)
        out[f"{name}_exports_usd_m"] = frame["export"].values
        out[f"{name}_imports_usd_m"] = frame["import"].values
    out["exports_excl_hs71_usd_m"] = out["exports_usd_m"] - out["hs71_exports_usd_m"]
    out["imports_excl_hs71_usd_m"] = out["imports_usd_m"] - out["hs71_imports_usd_m"]
    out["hs71_share_of_exports_pct"] = 100 * out["hs71_exports_usd_m"] / out["exports_usd_m"]
    out["hs71_share_of_imports_pct"] = 100 * out["hs71_imports_usd_m"] / out["imports_usd_m"]
    numeric = [c for c in out.columns if c != "year"]
    out[numeric] = out[numeric].round(3)
    out["source_ids"] = COMMODITY_SOURCE
    return out.reset_index(drop=True)


def surge_contributions(
    commodity: pd.DataFrame,
    start_year: int,
    end_year: int,
    groups: dict[str, list[int]] = SURGE_GROUPS,
) -> pd.DataFrame:
    """How much each group of HS chapters added to exports and to imports between two years,
    in million US dollars and as a share of the whole change; the groups add up to the total."""
    chapter = commodity["hs4"] // 100
    named = {c: name for name, chapters in groups.items() for c in chapters}
    labelled = commodity.assign(group=chapter.map(named).fillna(OTHER_GROUP))
    years = labelled[labelled["year"].isin([start_year, end_year])]
    sums = years.groupby(["group", "year"])[["export", "import"]].sum().unstack("year") / 1000
    sums = sums.fillna(0.0)
    rows = []
    for flow, column in (("exports", "export"), ("imports", "import")):
        change = sums[(column, end_year)] - sums[(column, start_year)]
        whole = float(change.sum())
        for group in [*groups, OTHER_GROUP]:
            delta = float(change.get(group, 0.0))
            rows.append(
                {
                    "flow": flow,
                    "group": group,
                    "start_year": start_year,
                    "end_year": end_year,
                    "start_usd_m": round(float(sums[(column, start_year)].get(group, 0.0)), 3),
                    "end_usd_m": round(float(sums[(column, end_year)].get(group, 0.0)), 3),
                    "change_usd_m": round(delta, 3),
                    "share_of_change_pct": round(100 * delta / whole, 3),
                }
            )
    out = pd.DataFrame(rows)
    out["source_ids"] = COMMODITY_SOURCE
    return out


def partner_less_hs71_monthly(
    partner_monthly: pd.DataFrame, commodity: pd.DataFrame, partner: str, first_year: int
) -> pd.DataFrame:
    """Per month: imports from one partner, HS 71 imports from all partners, and the
    difference. A partner's imports of HS 71 cannot exceed everyone's, so the difference is a
    lower bound on the partner's imports of everything else (negative values mean no bound).

    `partner_monthly` is trade_series' members table (thousand US dollars, imports by origin).
    """
    mine = partner_monthly[
        (partner_monthly["partner_iso3"] == partner) & (partner_monthly["year"] >= first_year)
    ]
    mine = mine.set_index(["year", "month"])["imports_origin"] / 1000
    precious = commodity[
        (commodity["hs4"] // 100 == PRECIOUS_HS2) & (commodity["year"] >= first_year)
    ]
    precious = precious.groupby(["year", "month"])["import"].sum() / 1000
    gold = commodity[(commodity["hs4"] == GOLD_HS4) & (commodity["year"] >= first_year)]
    gold = gold.groupby(["year", "month"])["import"].sum() / 1000
    out = pd.DataFrame({"partner_imports_usd_m": mine})
    out["hs71_imports_all_partners_usd_m"] = precious.reindex(out.index, fill_value=0.0)
    out["gold_imports_all_partners_usd_m"] = gold.reindex(out.index, fill_value=0.0)
    out["partner_imports_less_all_hs71_usd_m"] = (
        out["partner_imports_usd_m"] - out["hs71_imports_all_partners_usd_m"]
    )
    out = out.round(3).reset_index()
    out.insert(0, "partner_iso3", partner)
    out["year"] = out["year"].astype(int)
    out["month"] = out["month"].astype(int)
    out["source_ids"] = f"armstat_trade_monthly;{COMMODITY_SOURCE}"
    return out.sort_values(["year", "month"]).reset_index(drop=True)


def import_share_without_hs71(
    partner_imports: float,
    total_imports: float,
    total_hs71_imports: float,
    partner_hs71_imports: float | None = None,
) -> dict[str, float]:
    """A partner's share of imports (per cent) with HS 71 and without it.

    Without a partner figure only bounds can be given: the partner imported at most all of
    HS 71 (the floor) and at least none of it (the ceiling). With a published partner figure
    the share itself follows.
    """
    if not 0 <= total_hs71_imports < total_imports:
        raise ValueError("HS 71 imports must be non-negative and below total imports")
    rest = total_imports - total_hs71_imports
    out = {
        "share_with_hs71_pct": 100 * partner_imports / total_imports,
        "share_without_hs71_floor_pct": 100 * max(partner_imports - total_hs71_imports, 0.0) / rest,
        "share_without_hs71_ceiling_pct": 100 * min(partner_imports, rest) / rest,
    }
    if partner_hs71_imports is not None:
        if not 0 <= partner_hs71_imports <= min(partner_imports, total_hs71_imports):
            raise ValueError(
                "a partner's HS 71 imports must lie between 0 and both its imports "
                "and all HS 71 imports"
            )
        out["share_without_hs71_pct"] = 100 * (partner_imports - partner_hs71_imports) / rest
    return out


def import_shares_by_year(
    by_partner: pd.DataFrame,
    composition: pd.DataFrame,
    partner: str,
    published_partner_hs71: dict[int, float],
) -> pd.DataFrame:
    """import_share_without_hs71 for every year of the commodity table: one row per year with
    the partner's share of imports with HS 71, the floor and ceiling of its share without it,
    and the share itself where a published figure gives the partner's HS 71 imports
    (`published_partner_hs71`: year to million US dollars; NaN in the other years).

    `by_partner`: trade_annual_by_partner; `composition`: annual_composition."""

    def imports(code: str, year: int) -> float:
        rows = by_partner[(by_partner["partner_iso3"] == code) & (by_partner["year"] == year)]
        if len(rows) != 1:
            raise ValueError(f"trade_annual_by_partner has no single row for {code} in {year}")
        return float(rows["imports_usd_m"].iloc[0])

    rows = []
    for c in composition.sort_values("year").itertuples():
        year = int(c.year)
        shares = import_share_without_hs71(
            imports(partner, year),
            imports("WLD", year),
            float(c.hs71_imports_usd_m),
            published_partner_hs71.get(year),
        )
        rows.append({"partner_iso3": partner, "year": year} | shares)
    out = pd.DataFrame(rows)
    if "share_without_hs71_pct" not in out:
        out["share_without_hs71_pct"] = float("nan")
    return out


GOODS_SELECTIONS = {
    "hs71": lambda c: c["hs4"] // 100 == PRECIOUS_HS2,
    "gold_7108": lambda c: c["hs4"] == GOLD_HS4,
    "diamonds_7102": lambda c: c["hs4"] == DIAMONDS_HS4,
    "all_excl_gold_7108": lambda c: c["hs4"] != GOLD_HS4,
}
FLOW_COLUMN = {"exports": "export", "imports": "import"}


def rebuilt_value(
    commodity: pd.DataFrame, goods: str, flow: str, start: pd.Timestamp, end: pd.Timestamp
) -> float:
    """The snapshot's value for a group of goods, all partners, months start..end inclusive."""
    months = pd.to_datetime(dict(year=commodity["year"], month=commodity["month"], day=1))
    rows = commodity[GOODS_SELECTIONS[goods](commodity) & (months >= start) & (months <= end)]
    return float(rows[FLOW_COLUMN[flow]].sum()) / 1000


def check_published(published: pd.DataFrame, commodity: pd.DataFrame) -> pd.DataFrame:
    """Each published figure beside the rebuilt one. A figure for all partners matches when it
    lies within half its rounding unit; a figure for one partner cannot be checked here."""
    rows = []
    for fig in published.itertuples():
        row = {
            "figure_id": fig.figure_id,
            "start": fig.start,
            "end": fig.end,
            "flow": fig.flow,
            "goods": fig.goods,
            "partner_iso3": fig.partner_iso3,
            "published_usd_m": float(fig.value_usd_m),
            "rebuilt_usd_m": None,
            "difference_usd_m": None,
            "outcome": "not_checkable",
            "source_ids": f"{fig.source_id};{COMMODITY_SOURCE}",
        }
        if fig.partner_iso3 == "WLD":
            rebuilt = rebuilt_value(commodity, fig.goods, fig.flow, fig.start, fig.end)
            gap = rebuilt - float(fig.value_usd_m)
            row.update(
                rebuilt_usd_m=round(rebuilt, 3),
                difference_usd_m=round(gap, 3),
                outcome="match" if abs(gap) <= fig.rounding_usd_m / 2 + 1e-9 else "differs",
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    for column in ("rebuilt_usd_m", "difference_usd_m"):
        out[column] = out[column].astype("float64")
    return out


GOODS_LABELS = {
    "hs71": "precious stones and metals (HS 71)",
    "gold_7108": "gold (HS 7108)",
    "diamonds_7102": "diamonds (HS 7102)",
    "all_excl_gold_7108": "all goods except gold (HS 7108)",
}
OUTCOME_LABELS = {
    "match": "matches",
    "differs": "differs",
    "not_checkable": "cannot be checked (one partner)",
}


def _period(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.month == 1 and end.month == 12 and start.year == end.year:
        return str(start.year)
    return (
        f"{start:%b}–{end:%b} {end.year}"
        if start.year == end.year
        else f"{start:%b %Y}–{end:%b %Y}"
    )


def reader_table(
    published: pd.DataFrame, checks: pd.DataFrame, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The published figures and their checks as a reader's table (for the PDF too); partners
    by name (`names`: code to name, data/states.csv by default)."""
    names = state_names() if names is None else names
    merged = published.merge(checks[["figure_id", "rebuilt_usd_m", "outcome"]], on="figure_id")
    rows = []
    for r in merged.itertuples():
        partner = (
            "all partners"
            if r.partner_iso3 == "WLD"
            else f"from {names.get(r.partner_iso3, r.partner_iso3)}"
        )
        share = (
            ""
            if pd.isna(r.share_pct)
            else f"; {r.share_pct:g}% {'to' if r.flow == 'exports' else 'from'} "
            f"{names.get(r.share_partner_iso3, r.share_partner_iso3)}"
        )
        rows.append(
            {
                "Period": _period(r.start, r.end),
                "What": f"{r.flow} of {GOODS_LABELS[r.goods]}, {partner}{share}",
                "Published (million USD)": f"{r.value_usd_m:,.1f}",
                "Snapshot (million USD)": ""
                if pd.isna(r.rebuilt_usd_m)
                else f"{r.rebuilt_usd_m:,.1f}",
                "Outcome": OUTCOME_LABELS[r.outcome],
                "Reported by": r.reported_by,
            }
        )
    return pd.DataFrame(rows)
