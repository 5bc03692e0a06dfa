"""What a verdict must carry to be trusted, and how it is published.

- The grade of a computed claim follows from the rule's outcome and the structured nuance kind
  (`grade`), and the note that explains it carries no typed numbers: `{value}` stands for the
  computed value and `{V123}` for a figure of data/event_figures.csv (`render_note`).
- Guards a reviewer cannot satisfy by editing one cell: the quote must contain the decisive
  tokens; a misframing names the fact omitted and the paragraphs checked; a not-checkable claim
  documents its search; a verdict that differs from the blind second review names the pair kept
  (`guard_problems`).
- Agreement with the second review, in per cent and as Cohen's kappa (`agreement`).
- A chapter sentence that judges a claim links it and agrees with its verdict
  (`chapter_disagreements`).
- schema.org ClaimReview for each claim (`claim_review`), the markup fact-checking search tools
  read.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable

import pandas as pd

NUANCE_KINDS = (
    "rounding",
    "another_period",
    "another_basis",
    "other_instrument",
    "wording",
    "misframing",
)
VERDICT_ORDER = ("supported", "supported_with_nuance", "contradicted", "not_checkable")

# --- the grade and the note ----------------------------------------------------------------


def grade(outcome: str, nuance_kind) -> str:
    """The verdict of a computed claim: the rule's outcome, and a nuance only where the ledger
    names its kind (a filled-in note never decides)."""
    if outcome == "fails":
        return "contradicted"
    if outcome == "holds_with_nuance" or (isinstance(nuance_kind, str) and nuance_kind):
        return "supported_with_nuance"
    return "supported"


_PLACEHOLDER = re.compile(r"\{(value|V\d{3})\}")


def render_note(text, value_shown: str, figures: dict[str, str]) -> str:
    """Fill a note's `{value}` and `{Vnnn}` with the computed value and the figures' values."""
    if not isinstance(text, str) or not text:
        return ""

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "value":
            return value_shown
        # a figure missing (a variant of the figures table) leaves the placeholder, which the
        # tests refuse in the report's own judgement
        return figures.get(name, match.group(0))

    return _PLACEHOLDER.sub(fill, text)


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_ALLOWED = [
    re.compile(p)
    for p in (
        r"\{(?:value|V\d{3})\}",  # filled in on each build
        rf"\b\d{{1,2}}(?:-\d{{1,2}})?\s+{_MONTH}",  # 6-7 March, 22 Feb
        rf"{_MONTH}\s+\d{{1,2}}\b",  # May 17
        r"\b(?:19|20)\d\d(?:-(?:19|20)?\d\d)?\b",  # 2023, 2010-2014, 2020-21
    )
]
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def typed_numbers(text, allowed: Iterable[float] = ()) -> list[str]:
    """Numbers typed into a note that are neither placeholders, years nor days of a month, nor
    one of `allowed` (the article's own value): in a computed row's note they would go stale."""
    if not isinstance(text, str):
        return []
    for pattern in _ALLOWED:
        text = pattern.sub(" ", text)
    allowed = {float(a) for a in allowed}
    found = []
    for number in _DIGITS.findall(text):
        try:
            if float(number.replace(",", "")) in allowed:
                continue
        except ValueError:
            pass
        found.append(number)
    return found


# --- guards ------------------------------------------------------------------------------------

_RESOLUTION = re.compile(r"^(?P<verdict>[a-z_]+)/(?P<materiality>[a-z]+): .+")


def _blank(value) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and pd.isna(value))
        or str(value).strip() == ""
    )


def _get(c, field):
    """A row's value, or None where it is missing (NaN, pd.NA or empty)."""
    value = getattr(c, field, None)
    return None if _blank(value) else value


def tokens_missing(tokens, says) -> list[str]:
    """The decisive tokens (separated by '|') the quote lacks (case-insensitive)."""
    if _blank(tokens):
        return []
    text = "" if _blank(says) else str(says).lower()
    return [t for t in str(tokens).split("|") if t.strip().lower() not in text]


def _quote_carries_tokens(c) -> list[tuple[str, str]]:
    says = _get(c, "source_says")
    if says is None or _get(c, "recorded_verdict") == "not_checkable":
        return []
    tokens = _get(c, "decisive_tokens")
    if tokens is None:
        return [
            (
                "decisive_tokens",
                "a verdict that quotes its source lists the decisive tokens the quote must contain",
            )
        ]
    missing = tokens_missing(tokens, says)
    return (
        [
            (
                "source_says",
                "the quote lacks the decisive token(s) " + ", ".join(repr(t) for t in missing),
            )
        ]
        if missing
        else []
    )


def _note_numbers_are_the_sources(c) -> list[tuple[str, str]]:
    """A note on a figure a source gives takes its numbers from what the source says."""
    nuance, figure = _get(c, "nuance"), _get(c, "source_figure")
    if figure is None or nuance is None:
        return []
    allowed = [float(figure)]
    with contextlib.suppress(TypeError, ValueError):
        allowed.append(float(_get(c, "article_value")))
    said = {n.replace(",", "") for n in _DIGITS.findall(_get(c, "source_says") or "")}
    stray = [n for n in typed_numbers(nuance, allowed) if n.replace(",", "") not in said]
    return (
        [
            (
                "nuance",
                "the note's number(s) " + ", ".join(stray) + " are not in what the source says",
            )
        ]
        if stray
        else []
    )


def _nuance_has_a_kind(c) -> list[tuple[str, str]]:
    verdict, kind = _get(c, "recorded_verdict"), _get(c, "nuance_kind")
    if verdict == "supported_with_nuance" and kind is None:
        return [("nuance_kind", "a verdict 'supported with a nuance' names the nuance's kind")]
    if verdict != "supported_with_nuance" and kind is not None:
        return [
            (
                "nuance_kind",
                f"only a verdict 'supported with a nuance' has a nuance kind "
                f"(the verdict is {verdict})",
            )
        ]
    return []


def _misframing_names_its_ground(c) -> list[tuple[str, str]]:
    kind, paragraphs = _get(c, "nuance_kind"), _get(c, "paragraphs_checked")
    out = []
    if "misframing" in (_get(c, "materiality"), kind):
        if _get(c, "omitted_fact") is None:
            out.append(
                ("omitted_fact", "a misframing names the fact the article omits or distorts")
            )
        if paragraphs is None:
            out.append(
                ("paragraphs_checked", "a misframing names the article's paragraphs checked")
            )
    if kind == "wording" and paragraphs is None:
        out.append(
            ("paragraphs_checked", "a nuance of wording names the article's paragraphs checked")
        )
    return out


def _search_is_documented(c) -> list[tuple[str, str]]:
    if _get(c, "recorded_verdict") == "not_checkable" and _get(c, "search_note") is None:
        return [("search_note", "a claim is not checkable only after a documented search")]
    return []


def _change_says_why(c) -> list[tuple[str, str]]:
    before = (_get(c, "previous_verdict"), _get(c, "previous_materiality"))
    if before == (None, None):
        return []
    out = []
    if _get(c, "change_reason") is None:
        out.append(("change_reason", "a changed verdict says why it changed"))
    if before == (_get(c, "recorded_verdict"), _get(c, "materiality")):
        out.append(
            (
                "previous_verdict",
                "the previous verdict and materiality are the recorded ones: nothing changed",
            )
        )
    return out


def _second_review_is_resolved(c) -> list[tuple[str, str]]:
    """A verdict or materiality that differs from the blind second review needs a note naming
    the pair recorded; a note naming another pair than the recorded one is a flipped verdict."""
    second = (_get(c, "second_verdict"), _get(c, "second_materiality"))
    if second[0] is None:
        return []
    recorded = (_get(c, "recorded_verdict"), _get(c, "materiality"))
    resolution = _get(c, "review_resolution")
    if resolution is None:
        if second == recorded:
            return []
        return [
            (
                "review_resolution",
                f"the recorded {recorded[0]}/{recorded[1]} differs from the "
                f"second review's {second[0]}/{second[1]} without a "
                "resolution note",
            )
        ]
    m = _RESOLUTION.match(str(resolution))
    if m and (m["verdict"], m["materiality"]) == recorded:
        return []
    return [
        (
            "review_resolution",
            f"the resolution note does not name the recorded pair {recorded[0]}/{recorded[1]}",
        )
    ]


# Each guard takes a ledger row and returns (field, message) for what it finds wrong.
GUARDS = (
    _quote_carries_tokens,
    _note_numbers_are_the_sources,
    _nuance_has_a_kind,
    _misframing_names_its_ground,
    _search_is_documented,
    _change_says_why,
    _second_review_is_resolved,
)


def guard_problems(c) -> list[tuple[str, str]]:
    """(field, message) for one ledger row (a namedtuple of claims_ledger), from every guard."""
    return [problem for guard in GUARDS for problem in guard(c)]


# --- agreement with the second review --------------------------------------------------------


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two raters' labels for the same items."""
    if len(first) != len(second) or not first:
        raise ValueError("two non-empty lists of the same length are needed")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((first.count(k) / n) * (second.count(k) / n) for k in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(ledger: pd.DataFrame) -> dict:
    """Our independent verdicts (before any resolution) against the second review's, on the rows
    the second review judged."""
    reviewed = ledger[ledger["second_verdict"].notna() & (ledger["second_verdict"] != "")]
    ours = (
        reviewed["verdict_before_review"]
        .where(
            reviewed["verdict_before_review"].notna() & (reviewed["verdict_before_review"] != ""),
            reviewed["recorded_verdict"],
        )
        .tolist()
    )
    theirs = reviewed["second_verdict"].tolist()
    agree = sum(a == b for a, b in zip(ours, theirs, strict=True))
    differs = [a != b for a, b in zip(ours, theirs, strict=True)]
    disagree = reviewed.loc[differs, "claim_id"].tolist()
    return {
        "reviewed": len(reviewed),
        "agree": agree,
        "agree_pct": 100 * agree / len(reviewed) if len(reviewed) else float("nan"),
        "kappa": cohen_kappa(ours, theirs),
        "disagree": disagree,
        "changed_by_review": int(
            (
                (reviewed["verdict_before_review"].notna())
                & (reviewed["verdict_before_review"] != "")
            ).sum()
        ),
    }


# --- chapters agree with the ledger ------------------------------------------------------------

_CLAIM_LINK = re.compile(r"\{ref\}`(C\d{3}) <claim-c\d{3}>`")
# Words with which a sentence judges a claim, and the verdicts they allow.
_JUDGING = [
    (
        re.compile(
            r"\b(?:does|do) not hold\b|\bis contradicted\b|\bcontradicts?\b|\bis wrong\b|"
            r"\bis false\b|\bwrongly\b",
            re.I,
        ),
        {"contradicted"},
    ),
    (
        re.compile(r"\bcannot be checked\b|\bnot checkable\b|\bcould not be checked\b", re.I),
        {"not_checkable"},
    ),
    (re.compile(r"\bwith a nuance\b|\bloose(?:ly)?\b", re.I), {"supported_with_nuance"}),
    (
        re.compile(r"\b(?:holds|hold up|bears? out|borne out|is right|is supported)\b", re.I),
        {"supported", "supported_with_nuance"},
    ),
]
# A sentence about one claim of the article must link it.
_ONE_CLAIM = re.compile(r"\b(?:the article's|its|this|that) claim\b(?!s)", re.I)


def sentences(markdown: str) -> list[str]:
    """Prose sentences of a chapter (code blocks, directives and headings left out), joined
    across the lines of a paragraph."""
    text = re.sub(r"```.*?```", "\n\n", markdown, flags=re.S)
    out = []
    for block in re.split(r"\n\s*\n|\n(?=#)", text):
        if block.lstrip().startswith(("#", ":", "(")) and "\n" not in block.strip():
            continue
        block = re.sub(r"\s+", " ", block)
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*(])", block) if s.strip()]
    return out


def chapter_disagreements(markdown: str, verdicts: dict[str, str]) -> list[str]:
    """Sentences that judge a claim of the article without linking it, or whose words do not
    agree with the linked claim's verdict. `verdicts`: claim id -> recorded verdict."""
    problems = []
    for sentence in sentences(markdown):
        judged = [allowed for pattern, allowed in _JUDGING if pattern.search(sentence)]
        if not judged:
            continue
        linked = _CLAIM_LINK.findall(sentence)
        if not linked:
            if _ONE_CLAIM.search(sentence):
                problems.append(f"judges a claim of the article without linking it: {sentence}")
            continue
        # The most specific words decide: a negation or 'cannot be checked' outranks 'holds'.
        allowed = judged[0]
        for claim_id in linked:
            verdict = verdicts.get(claim_id)
            if verdict is None:
                problems.append(f"links {claim_id}, which the ledger lacks: {sentence}")
            elif verdict not in allowed:
                problems.append(
                    f"says of {claim_id} what its verdict ({verdict}) does not: {sentence}"
                )
    return problems


# --- schema.org ClaimReview ----------------------------------------------------------------------

RATING = {"supported": 4, "supported_with_nuance": 3, "contradicted": 1}
RATING_WORST, RATING_BEST = 1, 4


def claim_review(v, label: str, article: dict, review: dict) -> dict:
    """The ClaimReview for one verdict row. `label`: the verdict as the reader sees it;
    `article`: the reviewed article (title, url, publisher, published); `review`: the report
    (name, url of the claims page, date)."""
    rating = {"@type": "Rating", "alternateName": label}
    if v.verdict in RATING:
        rating.update(
            ratingValue=RATING[v.verdict], bestRating=RATING_BEST, worstRating=RATING_WORST
        )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{review['url']}#claim-{v.claim_id.lower()}",
        "claimReviewed": v.claim,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article["publisher"]},
            "datePublished": article["published"],
            "appearance": {
                "@type": "CreativeWork",
                "headline": article["title"],
                "url": article["url"],
            },
        },
        "author": {"@type": "Organization", "name": review["name"]},
        "datePublished": review["date"],
        "reviewRating": rating,
    }
