"""What readers see carries no machine strings and prints no year with a thousands separator.

Scanned: the text of the report's pages in the built site (the opening page, the chapters and
the appendices; not the notebooks, which show the computation on purpose, nor the data
dictionary and the citation page, which document identifiers) and the whole PDF. Code blocks
and the how-to-verify boxes (commands to run) are left out.
"""

from __future__ import annotations

import html
import json
import re
import subprocess

import pytest
import yaml

from cstoreport.paths import PACKAGE_PATH, ROOT

HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "armenia-csto.pdf"
# The "What changed" page names what changed: glued values, tables, claims.
HTML_ONLY_REFERENCE_PAGES = {"book/data", "book/how-to-cite", "book/what_changed"}

# A check key or rule with its parameter: figure_range:E101:killed:ARM, rounded:0.1.
CHECK_KEY = re.compile(r"\b[a-z][a-z_]*:[A-Za-z0-9][\w.:|]*")
# snake_case, unless it is a file name or part of a path (claims_verdicts.csv, data/derived/x).
SNAKE_CASE = re.compile(r"(?<![/\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?![/-]|\.[a-z]{2,5}\b)")
# Notes meant for the project, not for readers.
INTERNAL_NOTE = re.compile(
    r"\bsee gaps\b|\bproject (?:events?|tables?|rows?|records?)\b|"
    r"\bTODO\b|\bFIXME\b",
    re.I,
)
# A year printed with a thousands separator, known by its context: a preposition or a month
# before it, a unit "year" or a year range after it. A count such as "2,036 killed" or "a toll
# of 2,036" is not a year.
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]
YEAR_BEFORE = (
    r"(?:in|since|until|till|by|from|during|year|years|early|late|mid|end|"
    + "|".join(MONTHS)
    + r")"
)
SEPARATED_YEAR = r"(?:1,[89]\d\d|2,0\d\d)\b"
YEAR_WITH_SEPARATOR = re.compile(
    rf"\b{YEAR_BEFORE}\s+{SEPARATED_YEAR}(?!\s+(?:persons|people|troops|killed|dead))"
    rf"|\b{SEPARATED_YEAR}(?=\s*(?:years?\b|[-–]\s*(?:1,?[89]\d\d|2,?0\d\d)\b))",
    re.I,
)


def data_names() -> set[str]:
    """Table and field names of the data package, which the text may name to point at a
    column (the data dictionary explains each), and the notebooks' file stems."""
    package = json.loads(PACKAGE_PATH.read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    names |= {f["name"] for r in package["resources"] for f in r["schema"]["fields"]}
    return names | {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}


def bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))


def machine_strings(text: str, allowed: set[str], keys: set[str]) -> list[str]:
    """Every machine string in a reader's text, with a little context."""
    # addresses are not prose (a bibliography entry's address may run over several lines)
    text = re.sub(r"\bURL:.*?(?=\(visited on)", " ", text, flags=re.S)
    text = re.sub(r"https?://\S+|doi:\S+", " ", text)
    found = []

    def note(match: re.Match) -> None:
        found.append(text[max(0, match.start() - 40) : match.end() + 30].replace("\n", " "))

    for pattern in (CHECK_KEY, INTERNAL_NOTE, YEAR_WITH_SEPARATOR):
        for m in pattern.finditer(text):
            note(m)
    for m in SNAKE_CASE.finditer(text):
        if m.group(0) not in allowed:
            note(m)
    for m in re.finditer(r"\b[a-z][\w-]*\d[\w-]*\b", text):  # a bibliography key, not a citation
        if m.group(0) in keys:
            note(m)
    return found


def page_text(page_html: str) -> str:
    """The reader's text of a built page: its article, less scripts, code blocks and the
    how-to-verify box."""
    article = re.search(r'<article class="bd-article".*?</article>', page_html, re.S)
    text = article.group(0) if article else page_html
    text = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(
        r'<div class="admonition tip how-to-verify">.*?</div>\s*</div>', " ", text, flags=re.S
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def report_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [d for d in docs if d.startswith("book/") and d not in HTML_ONLY_REFERENCE_PAGES]


# --- the scanner catches what it should and passes what it should ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "evidence: figure_range:E101:killed:ARM (range_exceeds)",
        "judged by rounded:0.1",
        "the verdict is supported_with_nuance",
        "Full text of para 2 as amended not read - see gaps.",
        "as the 2022 report states (project event E020)",
        "sources: azatutyun2022nov_lukashenko; sbby2022oct28csc",
        "licensed operating horizon 2,036 year 2023",
        "the treaty runs until 2,036",
        "in September 2,022 the attack began",
        "trade grew from 2,021–2,024",
    ],
)
def test_the_scanner_catches_machine_strings_and_separated_years(text):
    assert machine_strings(text, data_names(), bib_keys() | {"sbby2022oct28csc"})


@pytest.mark.parametrize(
    "text",
    [
        "Sources put the death toll at 2,036 killed and the displaced at 7,600",
        "a toll of 2,036, later revised",
        "placed 1,960 Russian peacekeepers along the line of contact",
        "casualties rose to 2,036 persons by 20 September",
        "in 2,036 killed and missing",
        "the table claims_verdicts.csv and the column source_ids",
        "Article 4: the collective-defence clause; at 13:00 on 20 September 2023",
        "In 2023 Armenia's trade with Russia was 7,923.9 million US dollars",
        "the re-executed notebook trade_series",
    ],
)
def test_the_scanner_passes_ordinary_text(text):
    assert machine_strings(text, data_names(), bib_keys()) == []


# --- the built report ---------------------------------------------------------------------------


@pytest.mark.usefixtures("built_book")
@pytest.mark.parametrize("doc", report_pages())
def test_report_pages_carry_no_machine_strings(doc):
    text = page_text((HTML / f"{doc}.html").read_text(encoding="utf-8"))
    assert machine_strings(text, data_names(), bib_keys()) == []


@pytest.mark.usefixtures("built_book")
def test_the_pdf_carries_no_machine_strings():
    text = subprocess.run(
        ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated at a line end
    assert machine_strings(text, data_names(), bib_keys()) == []
