"""What readers see carries no machine strings and prints no year with a thousands separator.

The reader's text names no table, field or file of the data (the data page of the HTML edition
does), no row identifier of a table (a claim's number, C001 to C149, is the reader's key to the
claims appendix and stays), no command to run (the how-to-verify boxes of the HTML edition carry
them), no "(date of report)" tag (a date taken from a report's day carries the mark
`REPORT_DATE_MARK` and one legend line says what it means), no percent sign apart from its
number, no small count (zero to nine) in digits before the word it counts, and no chapter opens
by naming its notebook (the methods appendix says so once).

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

from cstoreport.gluing import REPORT_DATE_LEGEND, REPORT_DATE_MARK, count_words
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


# A file or a path of the repository: data/events.csv, claims_verdicts.csv, trade_series.ipynb.
FILE_NAME = re.compile(
    r"(?<![\w/.-])(?:data|book|notebooks|cstoreport|scripts|tests)/[\w./-]+"
    r"|\b[\w-]+\.(?:csv|json|ipynb|py|bib|cff|yml|yaml|toml|md)\b"
)
# A row's identifier (E101, V079, K08, EV37, G01, A044), not a claim's number (C053).
ROW_ID = re.compile(r"\b(?!C\d{3}\b)(?:[A-Z]{1,2}\d{2,3}|[A-Z]{2}\d)\b")
# Known words of that shape: none yet. (HS 71 has a space; Article 2 is a word and a number.)
NOT_ROW_IDS: set[str] = set()
# A state's ISO code where a reader expects its name ("from RUS", "state-owned media (SAU)"); not
# a word of a heading set in capitals ("HOW ROBUST ARE THE FINDINGS").
STATE_CODE = re.compile(
    r"(?<![A-Z]\s)\b(?:"
    + "|".join(
        sorted(
            {
                line.split(",")[0]
                for line in (ROOT / "data" / "states.csv").read_text().splitlines()[1:]
            }
            | {"WLD"}
        )
    )
    + r")\b(?!\s[A-Z]{2})"
)
# A command to run.
COMMAND = re.compile(
    r"\bmake (?:verify|test|book|lab|html|pdf|release|venv|notebooks|validate|tex)\b"
    r"|\bpython3? -m\b|\bpip install\b|\bgit (?:clone|checkout)\b"
)
# The old tag of a date taken from the day of a report (now the mark and its legend).
REPORT_DATE_TAG = re.compile(r"\(date of report\)|\(date of the report\)", re.I)
# A percent sign apart from its number (the house style writes 43%).
SPLIT_PERCENT = re.compile(r"\d\s+%")
# A chapter that opens by naming the notebook it rests on.
NOTEBOOK_PREAMBLE = re.compile(r"\b(?:chapter|page) rests on the notebook\b", re.I)
# A small count in digits before the word it counts ("3 verdicts", "0 claims"): numbers from
# zero to nine are written in words. Not a date, a figure or table number, an article or a
# measure ("7 June", "Fig. 5.4", "Article 4", "3 km").
UNITS = (
    r"km|km²|m|million|billion|thousand|per|percent|days?|weeks?|months?|years?|hours?|"
    r"times|points?|tonnes?|t|kg|GW|MW|kWh|bcm|USD|US|EUR|euros?|dollars?|pp|and|or|to|of|"
    r"in|out|a|x|×"
)
SMALL_COUNT = re.compile(
    r"(?<![\w.,:/–-])(?<!Article )(?<!Art\. )(?<!paragraph )(?<!para\. )(?<!No\. )"
    r"(?<!rank )(?<!number )(?<!Chapter )(?<!Section )(?<!Table )(?<!Fig\. )(?<!Figure )"
    r"(?<!Part )(?<!Protocol )(?<!Annex )(?<!point )(?<!item )(?<!Round )(?<!round )(?<!wave )"
    rf"[0-9](?![\w.,:/%–-])\s+(?!(?:{UNITS})\b)[a-z][a-z-]*"
)


# Proper nouns that a bibliography style lowercases in titles unless told not to.
PROPER_NOUNS = [
    "CSTO",
    "Armenia",
    "Armenian",
    "Armenians",
    "Russia",
    "Russian",
    "Azerbaijan",
    "Azerbaijani",
    "Karabakh",
    "Kazakhstan",
    "Belarus",
    "Kyrgyzstan",
    "Tajikistan",
    "Pashinyan",
    "Lavrov",
    "Putin",
    "Aliyev",
    "Lukashenko",
    "Tokayev",
    "Yerevan",
    "Moscow",
    "Baku",
    "NATO",
    "EAEU",
    "EU",
    "Syunik",
    "Armstat",
    "SIPRI",
]
LOWERCASED_NOUN = re.compile(r"\b(?:" + "|".join(n.lower() for n in PROPER_NOUNS) + r")\b")


def reader_rules(text: str, prose: bool = True) -> list[str]:
    """What breaks a rule of the reader's text above, with a little context. `prose`: the text
    is prose only (no table cells run together), where small counts are checked too."""
    found = []
    patterns = [FILE_NAME, STATE_CODE, COMMAND, REPORT_DATE_TAG, SPLIT_PERCENT, NOTEBOOK_PREAMBLE]
    for pattern in patterns + ([SMALL_COUNT] if prose else []):
        for m in pattern.finditer(text):
            found.append(text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " "))
    for m in ROW_ID.finditer(text):
        if m.group(0) not in NOT_ROW_IDS:
            found.append(text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " "))
    return found


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


def page_text(page_html: str, tables: bool = True, ledger: bool = True) -> str:
    """The reader's text of a built page: its article, less scripts, code blocks and the
    how-to-verify box; less its tables unless `tables`, less the claims ledger's entries (the
    HTML edition's reference, left out of the PDF, which quotes the data's own notes) unless
    `ledger`."""
    article = re.search(r'<article class="bd-article".*?</article>', page_html, re.S)
    text = article.group(0) if article else page_html
    text = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r'<div class="[^"]*\bhow-to-verify\b[^"]*">.*?</div>', " ", text, flags=re.S)
    if not tables:
        text = re.sub(r"<table\b.*?</table>", " ", text, flags=re.S)
    if not ledger:
        text = re.sub(r'<div class="claim\b[^"]*">.*?</div>', " ", text, flags=re.S)
    # inline elements (a glued number, a link) run on with their neighbours: "43</span>%"
    text = re.sub(r"</?(?:span|a|em|strong|code|abbr|sup|sub|b|i)\b[^>]*>", "", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def pdf_text() -> tuple[str, str]:
    """The PDF's text: the report (chapters and appendices) and its bibliography."""
    text = subprocess.run(
        ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated at a line end
    report, _, bibliography = text.partition("\n[1]\n")
    assert bibliography, "the PDF's bibliography (its first entry, [1]) was not found"
    return report, bibliography


def lowercased_nouns(text: str) -> list[str]:
    """Proper nouns written in lower case in a bibliography, outside addresses."""
    text = re.sub(r"\bURL:.*?(?=\(visited on)", " ", text, flags=re.S)
    text = re.sub(
        r"https?://\S+|doi:\S+|\S*/\S*|\b[\w.-]+\.(?:am|ru|az|by|kz|kg|tj|com|org|net|info|"
        r"eu|ge|ua|uz|news|media|tv|io|de|fr|uk|gov|int)\b",
        " ",
        text,
    )
    return [
        text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " ")
        for m in LOWERCASED_NOUN.finditer(text)
    ]


def report_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [d for d in docs if d.startswith("book/") and d not in HTML_ONLY_REFERENCE_PAGES]


# The references list records where each source was read (a repository's path, a file); the
# reader's rules hold for the report's own text.
BIBLIOGRAPHY_PAGE = "book/references"


# Titles of sources that are a data object's own name, kept as published.
PUBLISHED_NAMES = {"arm_trade_commodity"}


def reader_pages() -> list[str]:
    return [d for d in report_pages() if d != BIBLIOGRAPHY_PAGE]


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


# --- the reader's rules catch what they should and pass what they should ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Source: data/events.csv.",
        "the comparison table is trade_mirror.csv",
        "Downloads: membership_spells.csv, events.csv",
        "It re-executes notebooks/claims_audit.ipynb from the data",
        "The newest dated record is from 22 May 2026 (bilateral_events EV37)",
        "records A044, A045, EV34 and K27",
        "Figure V064: servicemen killed",
        "the first release G01 (2022)",
        "imports of gold, from RUS; 84.6% to ARE",
        "Azerbaijani government, state-owned media (SAU)",
        "events.csv rows E101 and E111",
        "In a clone of the repository, make verify NB=trade_series re-executes it",
        "make test runs every check",
        "run python -m cstoreport.machinery.editions record",
        "On 13 May 2021 (date of report) the prime minister",
        "it fell by about 43 % in January-November",
        "a share of 43\u00a0% of imports",
        "This chapter rests on the notebook Trade series, which rebuilds",
        "Armenia has since taken 29 steps back, yet only 5 are formal acts",
        "Later 3 more states joined",
        "and 0 claims are graded misframings",
        "For 4 steps the form is open to doubt",
    ],
)
def test_the_reader_rules_catch_machine_names_commands_tags_and_digits(text):
    assert reader_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Only five are formal acts; the claims (C053, C141) are judged by the rule book",
        "On 13 May 2021\u2020 the prime minister told the Security Council",
        "it fell by about 43% in January-November, 2,036 killed in 2 days",
        "Article 4 of the Treaty; Fig. 5.4; Table 1.1; rank 5 among partners; on 7 June 2026",
        "imports of precious stones and metals (HS 71) grew 3.5 times; 3 km; 7 million",
        "the HTML edition's data page offers every table for download",
        "imports of gold, from Russia; state-owned media (Saudi Arabia); RFE/RL; the USSR",
        "Armenia sent 100 soldiers; 12 are robust and 5.2% sensitive",
    ],
)
def test_the_reader_rules_pass_ordinary_text(text):
    assert reader_rules(text) == []


def test_small_counts_are_written_in_words_and_larger_ones_in_digits():
    assert [count_words(n) for n in (0, 1, 9, 10, 2036)] == ["zero", "one", "nine", "10", "2036"]
    assert count_words(3.0, "W") == "Three"
    with pytest.raises(ValueError):
        count_words(2.5)


def test_the_bibliography_style_keeps_the_capitals_of_titles():
    """pybtex's plain style would print "Armenia and CSTO" as "Armenia and csto"."""
    import sys

    from pybtex.database import parse_file

    sys.path.insert(0, str(ROOT / "_ext"))
    try:
        from reader_text import PlainAsPublished
    finally:
        sys.path.remove(str(ROOT / "_ext"))
    entry = parse_file(str(ROOT / "book" / "references.bib")).entries["evnreport2024csto"]
    assert "CSTO" in entry.fields["title"]
    text = PlainAsPublished().format_entry("1", entry).text.render_as("text")
    assert entry.fields["title"].replace("{", "").replace("}", "") in text, text
    assert lowercased_nouns("[Lavrov: when they say the csto cannot define it]. URL: x (visited on")


# --- the built report ---------------------------------------------------------------------------


@pytest.mark.usefixtures("built_book")
@pytest.mark.parametrize("doc", reader_pages())
def test_report_pages_follow_the_reader_rules(doc):
    built = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    assert reader_rules(page_text(built, ledger=False), prose=False) == []
    assert reader_rules(page_text(built, tables=False, ledger=False)) == []
    assert machine_strings(page_text(built, ledger=False), set(), bib_keys()) == []


@pytest.mark.usefixtures("built_book")
@pytest.mark.parametrize("doc", reader_pages())
def test_a_page_with_report_dates_says_once_what_the_mark_means(doc):
    text = page_text((HTML / f"{doc}.html").read_text(encoding="utf-8"), ledger=False)
    legends = text.count(REPORT_DATE_LEGEND)
    marks = text.count(REPORT_DATE_MARK) - legends * REPORT_DATE_LEGEND.count(REPORT_DATE_MARK)
    assert legends == 1 if marks else legends <= 1, (marks, legends)


@pytest.mark.usefixtures("built_book")
def test_the_methods_appendix_says_where_the_numbers_are_computed():
    """One line there, instead of a paragraph opening each chapter (NOTEBOOK_PREAMBLE)."""
    text = page_text((HTML / "book/methods.html").read_text(encoding="utf-8"))
    assert "Each chapter rests on one notebook of the HTML edition" in text


@pytest.mark.usefixtures("built_book")
def test_the_pdf_follows_the_reader_rules():
    report, _ = pdf_text()
    assert reader_rules(report, prose=False) == []
    assert REPORT_DATE_MARK not in report or REPORT_DATE_LEGEND.split(":")[0] in report


@pytest.mark.usefixtures("built_book")
def test_reference_titles_keep_their_capitals():
    _, bibliography = pdf_text()
    assert lowercased_nouns(bibliography) == []
    page = page_text((HTML / f"{BIBLIOGRAPHY_PAGE}.html").read_text(encoding="utf-8"))
    assert lowercased_nouns(page) == []


@pytest.mark.usefixtures("built_book")
def test_the_references_page_carries_no_machine_strings():
    text = page_text((HTML / f"{BIBLIOGRAPHY_PAGE}.html").read_text(encoding="utf-8"))
    assert machine_strings(text, data_names() | PUBLISHED_NAMES, bib_keys()) == []


@pytest.mark.usefixtures("built_book")
def test_the_pdf_carries_no_machine_strings():
    report, bibliography = pdf_text()
    assert machine_strings(report, set(), bib_keys()) == []
    assert machine_strings(bibliography, data_names() | PUBLISHED_NAMES, bib_keys()) == []
