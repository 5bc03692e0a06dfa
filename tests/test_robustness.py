"""Robustness of the findings: ranges under alternative sources, and every alternative placed."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from cstoreport import load_table
from cstoreport.analysis import robustness
from cstoreport.machinery.validate import read_package

TABLES = [
    "trade_annual_by_partner",
    "armstat_published_totals",
    "events",
    "event_figures",
    "armenia_disengagement",
    "membership_events",
    "collective_forces",
    "claims_ledger",
    "freedom_house",
    "organisation_memberships",
    "bilateral_events",
    "bilateral_agreements",
    "trade_mirror_reported",
]


KEYS = robustness.alternative_tables(read_package())


def load_all(**where) -> dict[str, pd.DataFrame]:
    return {name: load_table(name, **where) for name in sorted(set(TABLES) | set(KEYS))}


def inputs_from(tables: dict[str, pd.DataFrame], **where) -> robustness.Inputs:
    return robustness.Inputs(
        annual=tables["trade_annual_by_partner"],
        fixtures=tables["armstat_published_totals"],
        events=tables["events"],
        figures=tables["event_figures"],
        steps=tables["armenia_disengagement"],
        membership_events=tables["membership_events"],
        forces=tables["collective_forces"],
        ledger=tables["claims_ledger"],
        extra={
            field: load_table(name, **where)
            for field, name in robustness.claims_extra_tables().items()
        },
        judgements=robustness.judgements_from(
            {name: load_table(name) for name in robustness.JUDGEMENT_TABLES}
        ),
    )


@pytest.fixture(scope="module")
def real():
    tables = load_all()
    return tables, inputs_from(tables)


def assess_one(inputs, finding_id):
    finding = next(f for f in robustness.findings(inputs) if f.finding_id == finding_id)
    return robustness.assess(finding, inputs, robustness.all_variants(inputs))


# --- the search over combinations, on a toy finding ---------------------------------------


def toy_variant(variant_id, choice, key, value):
    def apply(inputs):
        return replace(inputs, extra={**inputs.extra, key: value})

    return robustness.Variant(variant_id, "toy", choice, variant_id, apply)


def test_each_alternative_alone_and_the_extreme_combinations():
    empty = pd.DataFrame()
    inputs = robustness.Inputs(*[empty] * 8, extra={"a": 1.0, "b": 10.0})
    variants = [
        toy_variant("a2", "a", "a", 2.0),
        toy_variant("a0", "a", "a", 0.0),
        toy_variant("b5", "b", "b", 5.0),
        toy_variant("b20", "b", "b", 20.0),
    ]
    finding = robustness.Finding(
        "sum",
        "toy",
        "a plus b is at least 10",
        "a + b",
        "units",
        "≥ 10",
        lambda x: x >= 10,
        lambda i: i.extra["a"] + i.extra["b"],
        lambda v: True,
    )
    result = robustness.assess(finding, inputs, variants)
    assert result["preferred_value"] == 11
    assert result["values_alone"] == {"a2": 12, "a0": 10, "b5": 6, "b20": 21}
    # one choice per item: the lowest is a0 with b5, the highest a2 with b20
    assert (result["minimum"], result["maximum"]) == (5, 22)
    assert result["holds_preferred"] and not result["holds_at_both_ends"]


def test_greedy_search_beyond_the_exhaustive_limit(monkeypatch):
    monkeypatch.setattr(robustness, "MAX_COMBINATIONS", 2)
    empty = pd.DataFrame()
    inputs = robustness.Inputs(*[empty] * 8, extra={"a": 1.0, "b": 10.0})
    variants = [
        toy_variant("a2", "a", "a", 2.0),
        toy_variant("a0", "a", "a", 0.0),
        toy_variant("b5", "b", "b", 5.0),
        toy_variant("b20", "b", "b", 20.0),
    ]
    finding = robustness.Finding(
        "sum",
        "toy",
        "",
        "",
        "",
        "",
        lambda x: True,
        lambda i: i.extra["a"] + i.extra["b"],
        lambda v: True,
    )
    result = robustness.assess(finding, inputs, variants)
    assert (result["minimum"], result["maximum"]) == (5, 22)


# --- the findings on the real data ---------------------------------------------------------


def test_consignment_basis_and_vintages_move_the_trade_multiple(real):
    _, inputs = real
    result = assess_one(inputs, "rus_multiple_2019_2023")
    assert result["preferred_value"] == pytest.approx(3.5607, abs=1e-4)
    assert "import_basis:consignment" in result["variants_considered"]
    assert result["minimum"] < result["preferred_value"]
    assert result["holds_at_both_ends"]


def test_duplicate_steps_are_found_and_lower_the_count(real):
    _, inputs = real
    assert ("A008", "A009") in robustness.duplicate_steps(inputs.steps)
    result = assess_one(inputs, "arm_steps")
    assert result["maximum"] == result["preferred_value"]
    assert result["minimum"] == result["preferred_value"] - len(
        robustness.duplicate_steps(inputs.steps)
    )


def test_an_earlier_date_for_the_first_step_breaks_since_november_2022(real):
    _, inputs = real
    result = assess_one(inputs, "arm_steps_since_nov_2022")
    assert result["holds_preferred"]
    assert result["values_alone"]["A001"] < 0  # Mayak's October 2022 dating
    assert not result["holds_at_both_ends"]


def test_verdicts_flip_under_a_rival_figure_and_a_disputed_date(real):
    _, inputs = real
    chosen = [v for v in robustness.all_variants(inputs) if v.variant_id in ("V060", "A019")]
    flips = robustness.verdict_flips(inputs, chosen)
    flipped = set(zip(flips["claim_id"], flips["variant_id"], strict=False))
    assert {("C042", "V060"), ("C002", "A019"), ("C003", "A019")} <= flipped
    assert set(flips["verdict_under_variant"]) == {"contradicted"}


def edit_variant(table: str, field: str, match: dict, column: str, value) -> robustness.Variant:
    """A variant of `table` that sets one cell of the Inputs field (or extra table) `field`."""

    def apply(inputs):
        extra = field in inputs.extra
        frame = (inputs.extra[field] if extra else getattr(inputs, field)).copy()
        at = pd.Series(True, index=frame.index)
        for key, wanted in match.items():
            at &= frame[key] == wanted
        frame.loc[at, column] = value
        if extra:
            return replace(inputs, extra={**inputs.extra, field: frame})
        return replace(inputs, **{field: frame})

    return robustness.Variant(f"edit:{column}", table, f"edit:{column}", "a test edit", apply)


@pytest.mark.parametrize(
    "claim_id, table, field, match, column, value",
    [
        ("C001", "events", "events", {"event_id": "E101"}, "date", pd.Timestamp("2022-10-13")),
        (
            "C006",
            "membership_events",
            "membership_events",
            {"event_id": "M001"},
            "date",
            pd.Timestamp("1993-05-15"),
        ),
        (
            "C078",
            "trade_annual_by_partner",
            "annual",
            {"partner_iso3": "RUS", "year": 2019},
            "turnover_usd_m",
            2400.0,
        ),
        ("C114", "public_indicators", "indicators", {"indicator_id": "PI09"}, "value", 10.0),
    ],
)
def test_a_claim_is_judged_again_under_a_variant_of_a_table_it_reads(
    real, claim_id, table, field, match, column, value
):
    """Verdicts are judged once and kept for the variants that leave a claim's tables alone;
    a variant of a table the claim reads must still flip it."""
    _, inputs = real
    before = robustness.verdicts(inputs)
    varied = robustness.with_variants(inputs, (edit_variant(table, field, match, column, value),))
    assert robustness.verdicts(varied)[claim_id] != before[claim_id]


# --- a scratch copy with an extreme alternative --------------------------------------------


def test_an_extreme_vintage_moves_the_range_and_flips_the_wording(scratch):
    # Russia's 2023 turnover "as published" at a tenth of its value: no longer tripled.
    scratch.edit(
        "armstat_published_totals.csv",  # F19 (the same text with or without to_month)
        ",RUS,turnover,7300,50,exact,",
        ",RUS,turnover,730,50,exact,",
    )
    where = {"package_path": scratch.package, "bib_path": scratch.bib}
    inputs = inputs_from(load_all(**where), **where)
    result = assess_one(inputs, "rus_multiple_2019_2023")
    assert result["values_alone"]["F19"] < 1
    assert result["minimum"] == pytest.approx(result["values_alone"]["F19"], rel=0.2)
    assert result["holds_preferred"] and not result["holds_at_both_ends"]


def test_an_extreme_rival_figure_moves_the_range_and_flips_the_wording(scratch):
    # A rival report of the rapid reaction force at 9,000: no longer "about 20,000".
    scratch.edit(
        "collective_forces.csv", "(CRRF/KSOR),18000,personnel", "(CRRF/KSOR),9000,personnel"
    )
    where = {"package_path": scratch.package, "bib_path": scratch.bib}
    before = assess_one(inputs_from(load_all()), "crrf_size")
    result = assess_one(inputs_from(load_all(**where), **where), "crrf_size")
    assert (before["minimum"], result["minimum"]) == (18000, 9000)
    assert before["holds_at_both_ends"] and not result["holds_at_both_ends"]
    assert result["holds_preferred"]


def test_a_new_alternative_row_is_picked_up_at_run_time(scratch):
    # A source dating the Yerevan refusal to sign to 2023: the start date moves, the count not.
    scratch.append(
        "armenia_disengagement.csv",
        "A099,2023-02-01,month,event,ARM,declined_signature,false,A002,"
        "Test row: a later dating of the refusal to sign.,mayak2023nov,formal_act,",
    )
    where = {"package_path": scratch.package, "bib_path": scratch.bib}
    inputs = inputs_from(load_all(**where), **where)
    result = assess_one(inputs, "arm_steps_since_nov_2022")
    assert "A099" in result["variants_considered"].split(";")
    assert result["values_alone"]["A099"] > result["preferred_value"]


# --- every alternative row is used or explained --------------------------------------------


def test_every_alternative_row_is_used_or_explained(real):
    tables, inputs = real
    cover = robustness.coverage(tables, inputs, keys=KEYS)
    unexplained = cover[(cover["used_by"] == "") & (cover["reason_not_used"] == "")]
    assert unexplained.empty, unexplained.to_string()
    assert (cover["used_by"] != "").sum() >= 30
    assert {
        "armenia_disengagement",
        "membership_events",
        "event_figures",
        "collective_forces",
        "armstat_published_totals",
        "trade_mirror_reported",
    } <= set(cover["table"])
    assert set(KEYS) <= set(cover["table"]) | {
        n for n in KEYS if tables[n]["preferred"].astype(bool).all()
    }


def test_an_alternative_for_an_unplaced_quantity_is_caught(real):
    tables, inputs = real
    extra = tables["event_figures"].iloc[[0, 0]].copy()
    extra["figure_id"] = ["V998", "V999"]
    extra["measure"] = "wounded_civilian"
    tables = {**tables, "event_figures": pd.concat([tables["event_figures"], extra])}
    cover = robustness.coverage(tables, replace(inputs, figures=tables["event_figures"]), keys=KEYS)
    unexplained = cover[(cover["used_by"] == "") & (cover["reason_not_used"] == "")]
    assert set(unexplained["row_id"]) == {"V998", "V999"}


def test_every_superseded_and_listed_item_exists(real):
    tables, _ = real
    figures = tables["event_figures"]
    judged = robustness.judgements_from(
        {name: load_table(name) for name in robustness.JUDGEMENT_TABLES}
    )
    assert set(judged.superseded) <= set(figures["figure_id"])
    items = robustness.alternative_rows(tables, KEYS, judged.superseded)
    listed = set(judged.not_used)
    present = set(zip(items["table"], items["item"], strict=False))
    assert listed <= present, sorted(listed - present)


def test_every_finding_in_the_table_has_a_computation_and_no_other(real):
    _, inputs = real
    table = inputs.judgements.findings
    assert list(table["finding_id"]) == [f.finding_id for f in robustness.findings(inputs)]
    assert set(table["finding_id"]) == set(robustness.computations(inputs))
    assert set(table["test"]) <= set(robustness.TESTS)


# --- untested findings: no rival value, never called robust -----------------------------------


def toy_sum_finding():
    return robustness.Finding(
        "sum",
        "toy",
        "",
        "",
        "",
        "",
        lambda x: x >= 10,
        lambda i: i.extra["a"] + i.extra["b"],
        lambda v: True,
    )


def test_a_finding_with_no_rival_value_is_untested_not_robust():
    empty = pd.DataFrame()
    inputs = robustness.Inputs(*[empty] * 8, extra={"a": 1.0, "b": 10.0})
    # Believing the only report of a quantity is considered, but offers no rival value.
    only = replace(toy_variant("a1", "a", "a", 1.0), rival=False)
    result = robustness.assess(toy_sum_finding(), inputs, [only])
    assert result["variants_considered"] == "a1" and result["alternatives_tested"] == 0
    assert result["holds_at_both_ends"]
    assert robustness.verdict(result["holds_at_both_ends"], result["alternatives_tested"]) == (
        "untested"
    )
    none = robustness.assess(toy_sum_finding(), inputs, [])
    assert none["variants_considered"] == "none recorded" and none["alternatives_tested"] == 0
    tested = robustness.assess(toy_sum_finding(), inputs, [toy_variant("b20", "b", "b", 20.0)])
    assert tested["alternatives_tested"] == 1
    assert robustness.verdict(tested["holds_at_both_ends"], 1) == "robust"


def test_a_group_is_robust_only_if_every_finding_in_it_is():
    assert robustness.group_verdict(["robust", "robust"]) == "robust"
    assert robustness.group_verdict(["robust", "untested"]) == "untested"
    assert robustness.group_verdict(["untested", "sensitive"]) == "sensitive"
    assert robustness.group_verdict(["untested"]) == "untested"


@pytest.mark.parametrize(
    "finding_id", ["kaz_days_to_deployment", "sept2022_days_to_decision", "sept2022_armenian_dead"]
)
def test_findings_without_a_rival_value_are_untested(real, finding_id):
    _, inputs = real
    result = assess_one(inputs, finding_id)
    assert result["alternatives_tested"] == 0
    assert robustness.verdict(result["holds_at_both_ends"], 0) == "untested"


def test_the_stored_table_and_the_notebook_never_call_an_untested_finding_robust():
    """The derived table, the glued verdicts (per finding and per key finding of the overview)
    and the chapter's counts agree: no finding without a tested alternative is robust."""
    import json

    from cstoreport.paths import ROOT

    table = load_table("robustness")
    untested = table[table["alternatives_tested"] == 0]
    assert not untested.empty and set(untested["verdict"]) == {"untested"}
    assert (table.loc[table["alternatives_tested"] > 0, "verdict"] != "untested").all()
    glued = {}
    notebook = json.loads((ROOT / "notebooks" / "robustness.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get("application/papermill.record/text/plain")
            if name:
                glued[name] = text.strip("'\"") if text else text
    for r in table.itertuples():
        assert glued[f"robust_{r.finding_id}"] == r.verdict
    for group, rows in table.groupby("group"):
        if f"robust_{group}" in glued and (rows["verdict"] != "robust").any():
            assert glued[f"robust_{group}"] != "robust", group
    assert int(glued["robust_findings_untested"]) == len(untested)
    assert int(glued["robust_findings_robust"]) == int((table["verdict"] == "robust").sum())


def test_the_chapter_counts_and_names_the_untested_findings_apart():
    """The robustness chapter places the untested count beside the robust and sensitive ones
    and keeps the response times out of what holds whichever source is believed."""
    from cstoreport.paths import ROOT

    text = (ROOT / "book" / "robustness.md").read_text(encoding="utf-8")
    assert "robustness.ipynb::robust_findings_untested" in text
    holds = text.split("## What holds whichever source is believed")[1].split("\n## ")[0]
    assert "response times" not in holds
    untested = text.split("## What no alternative tests")[1].split("\n## ")[0]
    assert "response times" in untested and "untested" in untested
