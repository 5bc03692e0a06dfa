"""Guards that can fail (issue 26): a verdict cannot drift from its evidence, from the second
review or from the chapters without a test failing. Each guard is proven by a mutation in a
scratch copy: a flipped verdict (with its materiality), a quote that says the opposite, and a
chapter that disagrees with its ledger must each be caught."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from cstoreport import ROOT
from cstoreport.analysis import claim_review, claims
from cstoreport.tables import load_table
from tests.test_claims import _data  # the tables a claim check reads, defined once

CHAPTERS = sorted((ROOT / "book").glob("*.md"))


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return load_table("claims_ledger")


def _problems(frame: pd.DataFrame, claim_id: str) -> list:
    row = int(frame.index[frame["claim_id"] == claim_id][0]) + 2
    return [p for p in claims.ledger_problems(frame) if p.row == row]


def test_the_ledger_passes_every_guard(ledger):
    assert claims.ledger_problems(ledger) == []


# --- the quote contains what the verdict relies on --------------------------------------------


def test_every_quoting_verdict_lists_its_decisive_tokens_and_the_quote_has_them(ledger):
    quoting = ledger[
        ledger["source_says"].notna() & (ledger["recorded_verdict"] != "not_checkable")
    ]
    assert len(quoting) >= 70
    for c in quoting.itertuples():
        assert isinstance(c.decisive_tokens, str) and c.decisive_tokens, c.claim_id
        assert claim_review.tokens_missing(c.decisive_tokens, c.source_says) == [], c.claim_id


@pytest.mark.parametrize(
    "claim_id, quote",
    [
        # the members "effectively declined" becomes a quote that says they sent help at once
        ("C137", '"the allies sent troops to Armenia within a day"'),
        # the treaty article Pashinyan cited is gone
        ("C031", '"the situation requires consultations" (13 May 2021)'),
        # Belarus's words reversed
        ("C113", '"we will reconsider these relations" (13 June 2024)'),
        # SIPRI's share for 2015-2019 replaced
        ("C088", '"about 85% of the weapon supply to Azerbaijan falls to the share of Russia"'),
    ],
)
def test_a_contradicting_quote_fails(ledger, claim_id, quote):
    scratch = ledger.copy()
    scratch.loc[scratch["claim_id"] == claim_id, "source_says"] = quote
    fields = {p.field for p in _problems(scratch, claim_id)}
    assert "source_says" in fields


# --- a flipped verdict cannot pass unnoticed -----------------------------------------------------

FLIPS = [
    ("C102", "contradicted", "minor"),  # agreed by both reviews
    ("C137", "supported", "none"),  # a nuance of wording dropped
    ("C023", "supported_with_nuance", "minor"),  # a kept disagreement turned around
    ("C018", "supported_with_nuance", "minor"),  # an adopted second verdict undone
    ("C084", "supported_with_nuance", "material"),
]  # materiality alone


@pytest.mark.parametrize("claim_id, verdict, materiality", FLIPS)
def test_a_flipped_verdict_and_materiality_fail(ledger, claim_id, verdict, materiality):
    scratch = ledger.copy()
    mask = scratch["claim_id"] == claim_id
    scratch.loc[mask, ["recorded_verdict", "external_verdict", "materiality"]] = [
        verdict,
        verdict,
        materiality,
    ]
    assert _problems(scratch, claim_id), (claim_id, verdict, materiality)


def test_every_verdict_read_from_sources_at_the_review_has_a_second_verdict(ledger):
    reviewed = ledger[ledger["second_verdict"].notna()]
    # the 78 read from sources, C053 (a computed verdict in dispute) and the seven computed
    # verdicts that changed in 0.4.0 (reviewed blind in a third pass)
    assert len(reviewed) == 86
    computed_changed = {"C005", "C014", "C030", "C050", "C052", "C099", "C115"}
    assert computed_changed <= set(reviewed["claim_id"])
    # every verdict read from sources has one (C141 was reviewed in a second blind pass)
    assert ledger.loc[ledger["check_method"] == "external", "second_verdict"].notna().all()
    differs = reviewed[
        (reviewed["second_verdict"] != reviewed["recorded_verdict"])
        | (reviewed["second_materiality"] != reviewed["materiality"])
    ]
    assert differs["review_resolution"].notna().all()


def test_agreement_is_computed_on_the_independent_verdicts(ledger):
    stats = claim_review.agreement(ledger)
    assert stats["reviewed"] == 86
    assert stats["agree"] == 79 and sorted(stats["disagree"]) == [
        "C018",
        "C023",
        "C024",
        "C026",
        "C051",
        "C094",
        "C115",
    ]
    assert 0.7 < stats["kappa"] < 0.85


@pytest.mark.parametrize(
    "first, second, kappa",
    [
        (["a", "b", "a", "b"], ["a", "b", "a", "b"], 1.0),
        (["a", "a", "b", "b"], ["a", "b", "a", "b"], 0.0),
        (["a", "a", "a", "b"], ["a", "a", "b", "b"], 0.5),
    ],
)
def test_cohens_kappa(first, second, kappa):
    assert claim_review.cohen_kappa(first, second) == pytest.approx(kappa)


# --- structured nuances, misframings, searches -------------------------------------------------


def test_a_misframing_names_the_omitted_fact_and_the_paragraphs(ledger):
    scratch = ledger.copy()
    mask = scratch["claim_id"] == "C063"
    scratch.loc[mask, "materiality"] = "misframing"
    scratch.loc[mask, ["paragraphs_checked", "omitted_fact"]] = [None, None]
    fields = {p.field for p in _problems(scratch, "C063")}
    assert {"omitted_fact", "paragraphs_checked"} <= fields


def test_a_nuance_names_its_kind_and_only_a_nuance_does(ledger):
    scratch = ledger.copy()
    scratch.loc[scratch["claim_id"] == "C054", "nuance_kind"] = None
    scratch.loc[scratch["claim_id"] == "C102", "nuance_kind"] = "wording"
    assert {p.field for p in _problems(scratch, "C054")} == {"nuance_kind"}
    assert {p.field for p in _problems(scratch, "C102")} == {"nuance_kind"}


def test_not_checkable_only_after_a_documented_search(ledger):
    scratch = ledger.copy()
    scratch.loc[scratch["claim_id"] == "C146", "search_note"] = None
    assert {p.field for p in _problems(scratch, "C146")} == {"search_note"}


def test_a_changed_verdict_says_why(ledger):
    changed = ledger[ledger["previous_verdict"].notna() | ledger["previous_materiality"].notna()]
    assert len(changed) >= 20 and changed["change_reason"].notna().all()
    scratch = ledger.copy()
    scratch.loc[scratch["claim_id"] == "C063", "change_reason"] = None
    assert {p.field for p in _problems(scratch, "C063")} == {"change_reason"}


def test_no_claim_is_dated_from_the_reports_own_chronology(ledger):
    """A claim that states no date is not given one from the report's tables: 'immediately' is
    judged on the lag, 'early 2023' on the year."""
    row = ledger.set_index("claim_id")
    assert row.loc["C041", "check_key"].startswith("lag:") and row.loc["C041", "rule"] == "at_most"
    assert row.loc["C074", "rule"] == "same_year"


# --- the grade of a computed claim follows from the rule and the nuance kind -------------------


@pytest.mark.parametrize(
    "outcome, kind, verdict",
    [
        ("holds", None, "supported"),
        ("holds", "wording", "supported_with_nuance"),
        ("holds_with_nuance", "rounding", "supported_with_nuance"),
        ("fails", "another_period", "contradicted"),
    ],
)
def test_the_grade_follows_from_the_outcome_and_the_kind(outcome, kind, verdict):
    assert claim_review.grade(outcome, kind) == verdict


def test_a_note_never_decides_the_grade(ledger):
    """C099 holds under its rule and names no nuance kind: a note filled in leaves it supported."""
    row = ledger[ledger["claim_id"] == "C099"].copy()
    assert isinstance(row["nuance"].iloc[0], str) and row["nuance"].iloc[0]
    verdicts = claims.judge(row, _data())
    assert verdicts["verdict"].iloc[0] == "supported"


def test_computed_notes_carry_no_typed_numbers(ledger):
    computed = ledger[ledger["check_method"].isin(claims.DATA_METHODS)]
    for c in computed.itertuples():
        number = re.fullmatch(r"-?\d+(\.\d+)?", c.article_value)
        allowed = [float(c.article_value)] if number else []
        assert claim_review.typed_numbers(c.nuance, allowed) == [], c.claim_id


def test_notes_are_filled_from_the_data(ledger):
    data = _data()
    verdicts = claims.judge(ledger, data).set_index("claim_id")
    figures = data.figures.set_index("figure_id")["value"]
    assert claims.show(float(figures["V070"])) in verdicts.loc["C050", "note"]
    assert verdicts.loc["C046", "reconstructed_value"] in verdicts.loc["C046", "note"]
    assert "{" not in "".join(verdicts["note"])


def test_a_typed_number_in_a_computed_note_is_caught():
    assert claim_review.typed_numbers("254 days from the start") == ["254"]
    assert claim_review.typed_numbers("{value} months from 2 January 2022; 'nine' rounds up") == []
    assert claim_review.typed_numbers("around 40 % in 2008", allowed=[40]) == []


# --- chapters agree with the ledger --------------------------------------------------------------


def _verdicts() -> dict[str, str]:
    ledger = load_table("claims_ledger")
    return dict(zip(ledger["claim_id"], ledger["recorded_verdict"], strict=True))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_a_chapter_agrees_with_the_ledger(path):
    assert claim_review.chapter_disagreements(path.read_text(encoding="utf-8"), _verdicts()) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # the sentence the bilateral chapter carried before this edition
        "The article's claim of no visits by Armenian officials in five years does not hold: the "
        "speaker of parliament was in Bishkek in 2025 ({ref}`C125 <claim-c125>`).",
        "The ledger marks that claim as not checkable ({ref}`C021 <claim-c021>`).",
        "The article's claim that Belarus ranked seventeenth holds ({ref}`C112 <claim-c112>`).",
        "The article's claim of no visits does not hold.",  # judges a claim without linking it
    ],
)
def test_a_chapter_that_disagrees_with_its_ledger_fails(sentence):
    assert claim_review.chapter_disagreements(sentence, _verdicts())


# --- schema.org ClaimReview on the claims page -------------------------------------------------


def _claim_reviews() -> dict[str, dict]:
    page = (ROOT / "book" / "generated" / "claims_ledger.md").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = [json.loads(b) for b in blocks]
    return {r["url"].rpartition("#claim-")[2].upper(): r for r in reviews}


def test_every_claim_carries_a_claim_review_that_matches_the_ledger():
    from cstoreport.machinery.pages import VERDICT_LABELS

    ledger = load_table("claims_ledger").set_index("claim_id")
    reviews = _claim_reviews()
    assert set(reviews) == set(ledger.index)
    article = load_table("article_under_review").iloc[0]
    for claim_id, r in reviews.items():
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["claimReviewed"] == ledger.loc[claim_id, "claim"]
        assert r["itemReviewed"]["@type"] == "Claim"
        assert r["itemReviewed"]["author"]["name"] == "EVN Report"
        assert r["itemReviewed"]["appearance"]["url"] == article["url"]
        assert r["itemReviewed"]["datePublished"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["datePublished"])
        assert r["url"].endswith(f"#claim-{claim_id.lower()}")
        verdict = ledger.loc[claim_id, "recorded_verdict"]
        assert r["reviewRating"]["alternateName"] == VERDICT_LABELS[verdict], claim_id
        if verdict in claim_review.RATING:
            assert r["reviewRating"]["ratingValue"] == claim_review.RATING[verdict]


def test_a_claim_review_follows_a_flipped_verdict():
    from cstoreport.machinery.pages import VERDICT_LABELS

    v = pd.Series({"claim_id": "C102", "claim": "x", "verdict": "contradicted"})
    r = claim_review.claim_review(
        v,
        VERDICT_LABELS["contradicted"],
        {"publisher": "EVN Report", "published": "2024", "title": "t", "url": "https://e"},
        {"name": "n", "url": "claims.html", "date": "2026-12-01"},
    )
    assert r["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Contradicted",
        "ratingValue": 1,
        "bestRating": 4,
        "worstRating": 1,
    }
