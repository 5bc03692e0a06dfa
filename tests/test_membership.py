"""Membership spells: coding rules on tiny tables, and facts the chapter states."""

from __future__ import annotations

import pandas as pd

from cstoreport import load_table
from cstoreport.analysis import membership


def ev(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "event_id",
            "state_iso3",
            "date",
            "instrument",
            "event_type",
            "preferred",
            "source_ids",
        ],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


NO_STEPS = pd.DataFrame(
    {
        "step_id": [],
        "date": pd.to_datetime([]),
        "actor": [],
        "step_type": [],
        "preferred": pd.Series([], dtype=bool),
        "source_ids": [],
    }
)


def test_spell_runs_from_signature_to_lapse_and_ignores_disputed_rows():
    events = ev(
        [
            ("M1", "GEO", "1993-12-09", "CST_1992", "accession", True, "a"),
            ("M2", "GEO", "1993-09-09", "CST_1992", "accession", False, "b"),
            ("M3", "GEO", "1999-04-20", "CST_1992", "lapse", True, "c"),
            ("M4", "RUS", "1992-05-15", "CST_1992", "signature", True, "d"),
        ]
    )
    spells = membership.spells(events, NO_STEPS).set_index("state_iso3")
    assert spells.loc["GEO", "start_date"] == pd.Timestamp("1993-12-09")
    assert spells.loc["GEO", "end_date"] == pd.Timestamp("1999-04-20")
    assert spells.loc["GEO", "source_ids"] == "a;c"
    assert pd.isna(spells.loc["RUS", "end_date"])


def test_freeze_splits_armenias_spell_without_ending_membership():
    events = ev(
        [("M1", "ARM", "2003-09-18", "CSTO_CHARTER_2002", "charter_entry_into_force", True, "a")]
    )
    steps = pd.DataFrame(
        {
            "step_id": ["A1"],
            "date": pd.to_datetime(["2024-02-22"]),
            "actor": ["ARM"],
            "step_type": ["freeze"],
            "preferred": [True],
            "source_ids": ["f"],
        }
    )
    spells = membership.spells(events, steps)
    assert list(spells["status"]) == ["member", "member_participation_frozen"]
    assert spells.iloc[0]["end_date"] == pd.Timestamp("2024-02-21")
    per_year = membership.members_per_year(spells, 2023, 2024).set_index("year")
    assert per_year.loc[2024, "csto_members"] == 1
    assert per_year.loc[2024, "csto_members_participating"] == 0


def test_the_recorded_history():
    events, steps = load_table("membership_events"), load_table("armenia_disengagement")
    spells = membership.spells(events, steps)
    assert spells["state_iso3"].nunique() == 9
    per_year = membership.members_per_year(spells, 1992, 2026).set_index("year")
    assert per_year.loc[1992, "cst_parties"] == 6
    assert per_year.loc[1994, "cst_parties"] == 9
    assert per_year.loc[1999, "cst_parties"] == 6
    assert per_year.loc[2003, "csto_members"] == 6
    assert per_year.loc[2008, "csto_members"] == 7  # Uzbekistan back, 2006-2012
    assert per_year.loc[2013, "csto_members"] == 6
    assert per_year.loc[2025, "csto_members_participating"] == 5


def test_armenian_steps_leave_out_assessments_and_other_actors():
    steps = load_table("armenia_disengagement")
    chosen = membership.armenian_steps(steps)
    assert len(chosen) > 0
    assert set(chosen["actor"]) == {"ARM"}
    assert not chosen["step_type"].isin(["assessment", "reaction"]).any()
    assessments = steps[(steps["actor"] == "ARM") & (steps["step_type"] == "assessment")]
    assert len(assessments) > 0, "the data record intelligence assessments; they are not steps"


def test_steps_by_form_counts_only_armenias_preferred_steps():
    steps = pd.DataFrame(
        {
            "step_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
            "actor": ["ARM", "ARM", "ARM", "ARM", "RUS", "ARM"],
            "step_type": [
                "recalled_envoy",
                "freeze",
                "absence_from_meeting",
                "declined_signature",
                "reaction",
                "declined_signature",
            ],
            "preferred": [True, True, True, True, True, False],
            "step_form": [
                "formal_act",
                "statement",
                "absence",
                "formal_act",
                "statement",
                "formal_act",
            ],
            "step_form_note": [None, None, None, "Unclear: form not given", None, None],
        }
    )
    assert membership.steps_by_form(steps) == {
        "formal_act": 2,
        "statement": 1,
        "absence": 1,
        "unclear": 1,
    }


def test_recorded_steps_by_form():
    steps = load_table("armenia_disengagement")
    counts = membership.steps_by_form(steps)
    arm = membership.armenian_steps(steps)
    assert counts["formal_act"] + counts["statement"] + counts["absence"] == len(arm)
    # The freeze was announced in an interview (no formal notice is recorded): a statement.
    assert set(arm.loc[arm["step_type"] == "freeze", "step_form"]) == {"statement"}
    # Kinds whose form is plain from the kind itself.
    plain = {
        "absence_from_meeting": "absence",
        "statement_on_leaving": "statement",
        "recalled_envoy": "formal_act",
        "declined_signature": "formal_act",
    }
    for step_type, form in plain.items():
        assert set(steps.loc[steps["step_type"] == step_type, "step_form"]) == {form}, step_type
    assert counts == {"formal_act": 5, "statement": 13, "absence": 11, "unclear": 4}


def test_formal_acts_are_the_same_under_every_source_choice_for_the_steps():
    """The first page says the robustness checks leave the number of formal acts unchanged:
    their alternatives and possible double counts concern dates, statements and absences."""
    from cstoreport.analysis import robustness

    steps = load_table("armenia_disengagement")
    base = robustness.Inputs(
        annual=None,
        fixtures=None,
        events=None,
        figures=None,
        steps=steps,
        membership_events=None,
        forces=None,
        ledger=None,
    )
    variants = robustness.swap_variants(
        steps, "armenia_disengagement", "steps"
    ) + robustness.duplicate_variants(steps)
    assert len(variants) >= 3
    formal = membership.steps_by_form(steps)["formal_act"]
    for variant in variants:
        assert membership.steps_by_form(variant.apply(base).steps)["formal_act"] == formal, (
            variant.variant_id
        )


def test_name_list_orders_names_and_joins_the_last_with_and():
    names = {"RUS": "Russia", "ARM": "Armenia", "BLR": "Belarus"}
    assert membership.name_list(["RUS", "BLR", "ARM"], names) == "Armenia, Belarus and Russia"


def test_milestones_pick_the_1992_signatures_and_the_2012_suspension():
    events = pd.DataFrame(
        {
            "state_iso3": ["ARM", "UZB", "UZB"],
            "instrument": ["CST_1992", "CSTO_CHARTER", "CSTO_CHARTER"],
            "event_type": ["signature", "suspension", "suspension"],
            "date": pd.to_datetime(["1992-05-15", "2012-06-28", "1999-04-02"]),
        }
    )
    m = membership.milestones(events)
    assert m["signed_1992"]["state_iso3"].tolist() == ["ARM"]
    assert m["uzb_out"]["date"].dt.year.tolist() == [2012]
