"""The drift explained: the Organization's own rules, cases compared, arguments weighed,
the costs of leaving and the outlook, as tables for the analysis chapter (issue 28)."""

from __future__ import annotations

import pandas as pd

from cstoreport.analysis.organisation import INSTRUMENTS, article_label

# The rules of the Organization itself, in the order the chapter takes them.
RULE_TOPICS = {
    "decision_rule": "How the councils decide",
    "decision_rule_limited_format": "Deciding without a member: the limited format",
    "withdrawal": "How a member leaves",
    "suspension_exclusion": "Suspension and exclusion",
    "arrears": "Unpaid contributions",
    "budget_shares": "Who pays the budget",
    "foreign_military_presence": "Foreign troops on a member's soil",
    "collective_defence_assistance": "Assistance to a member attacked",
}

TEXT_READ = {
    "official_text": "official text",
    "unofficial_translation": "unofficial translation",
    "quoted_by_secondary": "wording quoted by a secondary source",
    "described_by_official": "described by an official",
    "described_by_secondary": "described by a secondary source",
}

LEGAL_BASIS = {
    "cst_art2": "Treaty, Art. 2 (consultations)",
    "cst_art4": "Treaty, Art. 4 (collective defence)",
    "rus_arm_1997": "Armenia-Russia treaty of 1997",
    "none_stated": "none stated",
    "no_request": "no request",
}

RESPONSE_KIND = {
    "deployment": "forces deployed",
    "fact_finding_mission": "fact-finding mission",
    "consultations": "consultations",
    "mediation": "ceasefire mediated, no assistance",
    "conditional_pledge": "help promised on a condition",
    "statement": "statement only",
    "declined": "troops declined",
}

EXPLANATIONS = {
    "treaty_design": "The treaty's design",
    "russia_choices": "Russia's choices",
    "armenia_choices": "Armenia's own choices",
    "costs_of_leaving": "The costs of leaving",
}


def rules_table(provisions: pd.DataFrame) -> pd.DataFrame:
    """The Organization's rules on deciding, leaving, suspension and arrears, with how each
    wording was read."""
    rows = provisions[
        provisions["topic"].isin(RULE_TOPICS)
        & ((provisions["instrument"] != "CST_1992") | (provisions["version"] == 2010))
    ]
    rows = rows.assign(order=rows["topic"].map(list(RULE_TOPICS).index)).sort_values(
        ["order", "version", "provision_id"]
    )
    return pd.DataFrame(
        {
            "Rule": rows["topic"].map(RULE_TOPICS),
            "Instrument": rows["instrument"].map(INSTRUMENTS),
            "Article": [
                article_label(a, p)
                for a, p in zip(
                    rows["article"].fillna(""), rows["paragraph"].fillna(""), strict=True
                )
            ],
            "Wording of": rows["version"],
            "What it says (our paraphrase)": rows["paraphrase"],
            "How the wording was read": rows["text_read"].map(TEXT_READ),
        }
    ).reset_index(drop=True)


def response_days(cases: pd.DataFrame) -> pd.Series:
    """Days from the request (or, where none was made, the start of the crisis) to the first
    answer; missing where the answer is dated only to the month."""
    start = cases["request_date"].fillna(cases["crisis_start"])
    days = (cases["response_date"] - start).dt.days
    return days.where(cases["response_date_precision"] == "day")


def case_date_mismatches(cases: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """Cases whose request or answer is a row of the chronology must carry that row's date."""
    dates = dict(zip(events["event_id"], events["date"], strict=True))
    problems = []
    for case in cases.itertuples():
        for column, date_column in (
            ("request_event", "request_date"),
            ("response_event", "response_date"),
        ):
            event = getattr(case, column)
            if isinstance(event, str) and event and dates[event] != getattr(case, date_column):
                problems.append(f"{case.case_id}: {date_column} differs from {event}")
    return problems


def cases_table(cases: pd.DataFrame) -> pd.DataFrame:
    """One line per crisis: who asked whom, under what, what came back and how fast."""

    def day(value, precision="day"):
        if pd.isna(value):
            return ""
        return f"{value:%B %Y}" if precision == "month" else f"{value.day} {value:%B %Y}"

    return pd.DataFrame(
        {
            "Case": cases["case"],
            "Request": [
                f"{day(d)}: {who}" if isinstance(who, str) and who else "none"
                for d, who in zip(cases["request_date"], cases["requested_by"], strict=True)
            ],
            "To": cases["addressee"]
            .fillna("")
            .str.replace("RUS", "Russia")
            .str.replace(";", " and "),
            "Under": cases["legal_basis"].map(LEGAL_BASIS),
            "Answer": [
                f"{RESPONSE_KIND[k]} ({day(d, p)})"
                for k, d, p in zip(
                    cases["response_kind"],
                    cases["response_date"],
                    cases["response_date_precision"],
                    strict=True,
                )
            ],
            "What was done": cases["response_summary"],
        }
    )


def arguments_tally(arguments: pd.DataFrame) -> pd.DataFrame:
    """How many published arguments support or weaken each explanation."""
    tally = (
        arguments.groupby(["explanation", "stance"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=list(EXPLANATIONS), columns=["supports", "weakens"], fill_value=0)
    )
    return tally


def arguments_table(arguments: pd.DataFrame) -> pd.DataFrame:
    """The arguments by explanation, supporting ones first, with who made them and when."""
    rows = arguments.assign(
        order=arguments["explanation"].map(list(EXPLANATIONS).index),
        side=arguments["stance"].map({"supports": 0, "weakens": 1}),
    )
    rows = rows.sort_values(["order", "side", "date", "argument_id"], na_position="last")
    when = [
        (
            ""
            if pd.isna(d)
            else (
                str(d.year)
                if p == "year"
                else (f"{d:%B %Y}" if p == "month" else f"{d.day} {d:%B %Y}")
            )
        )
        for d, p in zip(rows["date"], rows["date_precision"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Explanation": rows["explanation"].map(EXPLANATIONS),
            "Stance": rows["stance"],
            "Who": rows["claimant"],
            "When": when,
            "Argument (our paraphrase)": rows["argument"],
            "Sources": rows["source_ids"].str.replace(";", "; "),
        }
    ).reset_index(drop=True)


def eaeu_partners(memberships: pd.DataFrame, state: str = "ARM") -> list[str]:
    """The other members of the Eurasian Economic Union, from the membership table."""
    rows = memberships[
        (memberships["organisation"] == "EAEU")
        & memberships["preferred"]
        & memberships["left"].isna()
        & (memberships["state_iso3"] != state)
    ]
    return sorted(rows["state_iso3"].unique())


def export_shares(annual: pd.DataFrame, partners: list[str]) -> pd.DataFrame:
    """Per year: per cent of Armenia's exports (and imports) going to (coming from) the partners
    together, and to Russia alone."""
    world = annual[annual["partner_iso3"] == "WLD"].set_index("year")
    group = (
        annual[annual["partner_iso3"].isin(partners)]
        .groupby("year")[["exports_usd_m", "imports_usd_m"]]
        .sum()
    )
    russia = annual[annual["partner_iso3"] == "RUS"].set_index("year")
    out = pd.DataFrame(
        {
            "exports_usd_m": world["exports_usd_m"],
            "partners_exports_usd_m": group["exports_usd_m"],
            "partners_export_share_pct": 100 * group["exports_usd_m"] / world["exports_usd_m"],
            "russia_export_share_pct": 100 * russia["exports_usd_m"] / world["exports_usd_m"],
            "partners_import_share_pct": 100 * group["imports_usd_m"] / world["imports_usd_m"],
        }
    ).dropna()
    return out.reset_index().rename(columns={"index": "year"})


def scenarios_table(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The outlook as a table: the rule, the signals, and what each scenario would mean."""
    status = {
        "prevailing": "prevailing",
        "not_started": "no step taken",
        "not_observed": "legally open, no measure recorded",
    }
    return pd.DataFrame(
        {
            "Scenario": scenarios["scenario"],
            "At the cut-off": scenarios["status_at_cutoff"].map(status),
            "What the rules require": scenarios["legal_path"],
            "Signals": scenarios["indicators"],
            "1997 treaty": scenarios["treaty_1997"],
            "Gyumri base": scenarios["military_base"],
            "EAEU": scenarios["eaeu"],
            "Gas": scenarios["gas"],
        }
    )


def unknown_provisions(scenarios: pd.DataFrame, provisions: pd.DataFrame) -> list[str]:
    """Provision ids named by a scenario that are not rows of the provisions table."""
    known = set(provisions["provision_id"])
    return sorted({p for ids in scenarios["provision_ids"] for p in ids.split(";")} - known)
