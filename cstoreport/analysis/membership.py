"""Membership spells in the 1992 Collective Security Treaty and the 2002 Organization.

Coding follows alliance datasets (ATOP, COW): a state's spell in an instrument starts when it
signs or accedes and ends when the instrument stops applying to it (the 1999 lapse for states
that did not sign the extension protocol; Uzbekistan's 2012 suspension). Only rows marked
preferred are used; disputed dates stay in the events table for readers to see.
"""

from __future__ import annotations

import pandas as pd

from cstoreport.analysis.sources import merge_source_ids

START_TYPES = {
    "CST_1992": {"signature", "accession"},
    "CSTO_CHARTER_2002": {"charter_entry_into_force"},
}
END_TYPES = {"CST_1992": {"lapse"}, "CSTO_CHARTER_2002": set()}
FREEZE_STEP = "freeze"
CSTO_MEMBERS_2024 = ["RUS", "BLR", "KAZ", "KGZ", "TJK"]  # Armenia's partners in the bloc
# The date the data were last checked against sources; figures run to the end of this year.
DATA_AS_OF = pd.Timestamp("2026-11-27")


# Step types that are recorded beside Armenia's steps but are not steps themselves: an
# intelligence service's published assessment, or another party's reaction.
NOT_A_STEP = ("assessment", "reaction")


def armenian_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """Armenia's own preferred steps away from the Organization (assessments left out)."""
    return steps[
        steps["preferred"].astype(bool)
        & (steps["actor"] == "ARM")
        & ~steps["step_type"].isin(NOT_A_STEP)
    ]


# How each step was taken (the step_form column, read from the row's own description): only a
# formal act changes what the Organization has on record; statements and absences signal intent.
STEP_FORMS = ("formal_act", "statement", "absence")


def steps_by_form(steps: pd.DataFrame) -> dict[str, int]:
    """Armenia's steps counted by form, plus how many of them the data mark as unclear."""
    arm = armenian_steps(steps)
    counts = {form: int((arm["step_form"] == form).sum()) for form in STEP_FORMS}
    counts["unclear"] = int(arm["step_form_note"].fillna("").str.strip().ne("").sum())
    return counts


def spells(events: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """One row per state, instrument and spell."""
    ev = events[events["preferred"]].sort_values(["date", "event_id"])
    out = []
    for instrument in ("CST_1992", "CSTO_CHARTER_2002"):
        inst = ev[ev["instrument"] == instrument]
        for state, rows in inst.groupby("state_iso3", sort=True):
            starts = rows[rows["event_type"].isin(START_TYPES[instrument])]
            if starts.empty:
                continue
            start = starts.iloc[0]
            ends = rows[
                rows["event_type"].isin(END_TYPES[instrument]) & (rows["date"] > start["date"])
            ]
            end = ends.iloc[0] if not ends.empty else None
            used = pd.concat([starts.head(1), ends.head(1)])
            out.append(
                {
                    "state_iso3": state,
                    "instrument": instrument,
                    "start_date": start["date"],
                    "end_date": end["date"] if end is not None else pd.NaT,
                    "status": "party" if instrument == "CST_1992" else "member",
                    "source_ids": merge_source_ids(used["source_ids"]),
                }
            )
    # Uzbekistan's second spell: restored in 2006, suspended in 2012. Rejoining the Organization
    # made it a party to the Treaty again, so the spell is coded for both instruments.
    uzb = ev[(ev["state_iso3"] == "UZB") & (ev["instrument"] == "CSTO_2006_RETURN")]
    restored = uzb[uzb["event_type"] == "membership_restored"]
    if not restored.empty:
        suspended = uzb[
            (uzb["event_type"] == "suspension") & (uzb["date"] > restored.iloc[0]["date"])
        ]
        # The Council's decision, not the note announcing it, ends the spell.
        end = suspended.iloc[-1] if not suspended.empty else None
        used = pd.concat([restored.head(1)] + ([suspended.tail(1)] if end is not None else []))
        for instrument, status in (("CST_1992", "party"), ("CSTO_CHARTER_2002", "member")):
            out.append(
                {
                    "state_iso3": "UZB",
                    "instrument": instrument,
                    "start_date": restored.iloc[0]["date"],
                    "end_date": end["date"] if end is not None else pd.NaT,
                    "status": status,
                    "source_ids": merge_source_ids(used["source_ids"]),
                }
            )
    table = pd.DataFrame(out)
    # Armenia froze its participation but has not left: split its spell at the freeze.
    freeze = steps[
        steps["preferred"] & (steps["step_type"] == FREEZE_STEP) & (steps["actor"] == "ARM")
    ].sort_values("date")
    if not freeze.empty:
        f = freeze.iloc[0]
        arm = (table["state_iso3"] == "ARM") & (table["instrument"] == "CSTO_CHARTER_2002")
        if arm.sum() == 1 and pd.isna(table.loc[arm, "end_date"].iloc[0]):
            table.loc[arm, "end_date"] = f["date"] - pd.Timedelta(days=1)
            frozen = table[arm].iloc[0].to_dict()
            frozen.update(
                start_date=f["date"],
                end_date=pd.NaT,
                status="member_participation_frozen",
                source_ids=f["source_ids"],
            )
            table = pd.concat([table, pd.DataFrame([frozen])], ignore_index=True)
    return table.sort_values(["instrument", "state_iso3", "start_date"]).reset_index(drop=True)


def members_per_year(spell_table: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """States whose spell covers 31 December of each year."""
    rows = []
    for year in range(first, last + 1):
        day = pd.Timestamp(year=year, month=12, day=31)
        active = spell_table[
            (spell_table["start_date"] <= day)
            & (spell_table["end_date"].isna() | (spell_table["end_date"] >= day))
        ]
        csto = active[active["instrument"] == "CSTO_CHARTER_2002"]
        rows.append(
            {
                "year": year,
                "cst_parties": int((active["instrument"] == "CST_1992").sum()),
                "csto_members": int(csto["state_iso3"].nunique()),
                "csto_members_participating": int(
                    csto.loc[csto["status"] == "member", "state_iso3"].nunique()
                ),
                "source_ids": merge_source_ids(active["source_ids"]),
            }
        )
    return pd.DataFrame(rows)


def name_list(codes, names: dict[str, str]) -> str:
    """'Armenia, Belarus and Russia': the states' names in alphabetical order."""
    codes = [names[c] for c in sorted(codes, key=lambda c: names[c])]
    return ", ".join(codes[:-1]) + " and " + codes[-1]


def milestones(preferred: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The preferred membership events the chapter dates and counts, by milestone."""
    kind = preferred["event_type"]
    cst = preferred["instrument"] == "CST_1992"
    return {
        "signed_1992": preferred[cst & (kind == "signature")],
        "acceded": preferred[cst & (kind == "accession")],
        "in_force": preferred[kind == "entry_into_force"],
        "renewed": preferred[kind == "renewal_signed"],
        "lapsed": preferred[kind == "lapse"],
        "charter": preferred[kind == "charter_signature"],
        "charter_force": preferred[kind == "charter_entry_into_force"],
        "uzb_back": preferred[kind == "membership_restored"],
        "uzb_out": preferred[(kind == "suspension") & (preferred["date"].dt.year == 2012)],
    }
