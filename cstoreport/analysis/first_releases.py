"""Armstat's first releases after the monthly series ends (press-relayed), checked by the
vintage rules of trade.check_published: against the series where it covers the period, and
through the release's own growth rate (or prior-year share) against the year before."""

from __future__ import annotations

import pandas as pd

from cstoreport.analysis import trade
from cstoreport.analysis.trade_composition import rebuilt_value

COMMODITY_SOURCE = "armstat_trade_commodity_monthly"


def series_end(monthly_all: pd.DataFrame) -> tuple[int, int]:
    """(year, month) of the last month the monthly series covers."""
    last = monthly_all[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
    return int(last["year"]), int(last["month"])


def _months(r) -> tuple[int, int]:
    if pd.notna(r.month):
        return int(r.month), int(r.month)
    return 1, int(r.to_month) if pd.notna(r.to_month) else 12


def _covers(end: tuple[int, int], year: int, last_month: int) -> bool:
    return (year, last_month) <= end


def _amount(r, year: int, first: int, last: int, monthly_all, commodity) -> float:
    """The series' value for the release's partner, flow and goods over months first..last."""
    if r.goods == "hs71":
        if r.partner_iso3 != trade.WORLD:
            raise ValueError(f"{r.release_id}: HS 71 figures can be checked for WLD only")
        return rebuilt_value(
            commodity, "hs71", r.flow, pd.Timestamp(year, first, 1), pd.Timestamp(year, last, 1)
        )
    return trade.period_value(monthly_all, r.partner_iso3, year, r.flow, first, last)


def _share(r, year, first, last, monthly_all) -> float:
    part = trade.period_value(monthly_all, r.partner_iso3, year, r.flow, first, last)
    whole = trade.period_value(monthly_all, trade.WORLD, year, r.flow, first, last)
    return 100 * part / whole


def check_first_releases(
    releases: pd.DataFrame, monthly_all: pd.DataFrame, commodity: pd.DataFrame
) -> pd.DataFrame:
    """Each first release against the series.

    outcome: pending while the series ends before the period (the figure awaits Armstat's
    file); then match / revision / differs as for armstat_published_totals (a share or a
    growth rate: match within its rounding, else differs).
    base_outcome: the release's own figure for the same period a year earlier (value / (1 +
    growth), or the prior-year share it gave) against the series: match or differs; pending
    while the series does not reach that period; empty when the release gives no base.
    """
    end = series_end(monthly_all)
    rows = []
    for r in releases.itertuples():
        if pd.notna(r.month) and pd.notna(r.to_month):
            raise ValueError(f"{r.release_id}: give month or to_month, not both")
        first, last = _months(r)
        year = int(r.year)
        published, tol = float(r.value), float(r.tolerance)
        series = base_series = low = high = None
        outcome, base = "pending", None
        has_base = (
            r.measure == "value" and pd.notna(r.growth_pct) and r.qualifier != "lower_bound"
        ) or (r.measure == "share" and pd.notna(r.prior_share_pct))
        if has_base:
            if not _covers(end, year - 1, last):
                base = "pending"
            elif r.measure == "value":
                base_series = _amount(r, year - 1, first, last, monthly_all, commodity)
                _, low, high = trade.implied_prior(
                    published, tol, float(r.growth_pct), float(r.growth_tolerance_pct)
                )
                base = "match" if low <= base_series <= high else "differs"
            else:
                base_series = _share(r, year - 1, first, last, monthly_all)
                low = float(r.prior_share_pct) - float(r.prior_share_tolerance_pct)
                high = float(r.prior_share_pct) + float(r.prior_share_tolerance_pct)
                base = "match" if low - 1e-9 <= base_series <= high + 1e-9 else "differs"
        before = change = None
        if r.measure == "value" and _covers(end, year - 1, last):
            before = _amount(r, year - 1, first, last, monthly_all, commodity)
            change = 100 * (published / before - 1) if before else None
        if _covers(end, year, last):
            if r.measure == "value":
                series = _amount(r, year, first, last, monthly_all, commodity)
                agrees = trade._agrees(published, series, tol, r.qualifier)
                outcome = "match" if agrees else "revision" if base == "match" else "differs"
            elif r.measure == "share":
                series = _share(r, year, first, last, monthly_all)
                outcome = "match" if abs(series - published) <= tol + 1e-9 else "differs"
            else:  # growth over the same months a year earlier
                now = _amount(r, year, first, last, monthly_all, commodity)
                before = _amount(r, year - 1, first, last, monthly_all, commodity)
                series = 100 * (now / before - 1)
                outcome = "match" if abs(series - published) <= tol + 1e-9 else "differs"
        table_source = COMMODITY_SOURCE if r.goods == "hs71" else trade.ARMSTAT_SOURCE
        rows.append(
            {
                "release_id": r.release_id,
                "released": r.released,
                "year": year,
                "month": None if pd.isna(r.month) else int(r.month),
                "to_month": None if pd.isna(r.to_month) else int(r.to_month),
                "partner_iso3": r.partner_iso3,
                "flow": r.flow,
                "goods": r.goods,
                "measure": r.measure,
                "published": published,
                "series": None if series is None else round(series, 3),
                "outcome": outcome,
                "base_series": None if base_series is None else round(base_series, 1),
                "base_low": None if low is None else round(low, 1),
                "base_high": None if high is None else round(high, 1),
                "base_outcome": base,
                "series_year_before": None if before is None else round(before, 1),
                "change_on_series_pct": None if change is None else round(change, 1),
                "source_ids": f"{r.source_id};{table_source}",
            }
        )
    out = pd.DataFrame(rows)
    for col in ("month", "to_month"):
        out[col] = out[col].astype("Int64")
    return out


def period_to_date(monthly_all: pd.DataFrame, partner: str, flow: str, year: int) -> pd.Series:
    """January-to-month totals of one year from the series (index: months 1-12 that the
    series covers), million US dollars."""
    end = series_end(monthly_all)
    months = [m for m in range(1, 13) if _covers(end, year, m)]
    return pd.Series(
        [trade.period_value(monthly_all, partner, year, flow, 1, m) for m in months],
        index=months,
        dtype=float,
    )


def period_to_date_hs71(commodity: pd.DataFrame, flow: str, year: int) -> pd.Series:
    """The same for precious stones and metals (HS 71), all partners."""
    covered = commodity[commodity["year"] == year]["month"].unique()
    months = [m for m in range(1, 13) if m in covered]
    return pd.Series(
        [
            rebuilt_value(
                commodity, "hs71", flow, pd.Timestamp(year, 1, 1), pd.Timestamp(year, m, 1)
            )
            for m in months
        ],
        index=months,
        dtype=float,
    )


def unexpected(checked: pd.DataFrame, releases: pd.DataFrame) -> list[str]:
    """Rows whose check or base is not what armstat_first_releases expects (a test of the
    recorded outcomes, as for the quoted figures)."""
    both = checked.merge(releases[["release_id", "expected_check", "expected_base"]])
    differ = (both["outcome"] != both["expected_check"]) | (
        both["base_outcome"].fillna("") != both["expected_base"].fillna("")
    )
    return list(both.loc[differ, "release_id"])


def newest_period(checked: pd.DataFrame) -> pd.Timestamp:
    """The last month the newest first release covers."""
    months = checked["month"].fillna(checked["to_month"])
    return pd.to_datetime(dict(year=checked["year"], month=months, day=1)).max()
