"""The built site and PDF contain what the book promises (built first if out of date)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from cstoreport.paths import ROOT

pytestmark = pytest.mark.usefixtures("built_book")

HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "armenia-csto.pdf"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def figures_in_pages() -> list[tuple[str, str, str]]:
    """(page, image path, alt text) for every {figure} directive in book/: the alt text the
    figure's sidecar (figures/NAME.json) gives, else the page's :alt:."""
    found = []
    for page in sorted((ROOT / "book").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```\{figure\} (\S+)\n(.*?)```", text, re.S):
            typed = re.search(r"^:alt: (.+)$", block[1], re.M)
            sidecar = (ROOT / "book" / block[0]).with_suffix(".json")
            computed = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
            alt = computed.get("alt") or (typed.group(1) if typed else "")
            found.append((page.name, block[0], alt))
    return found


@pytest.fixture(scope="module")
def pdf_text(built_book) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_toc_page_was_built_without_unresolved_glue():
    for f in toc_files():
        page = HTML / f"{f}.html"
        assert page.exists(), page
        text = page.read_text(encoding="utf-8")
        assert "??" not in re.sub(r"<[^>]+>", "", text), f"unresolved reference in {f}"


def test_every_figure_has_alt_text_and_an_existing_file():
    figures = figures_in_pages()
    assert len(figures) >= 7
    for page, image, alt in figures:
        assert len(alt) > 40, f"{page}: {image} needs a real alt text"
        assert (ROOT / "book" / image).exists(), f"{page}: {image} missing"
        assert (HTML / "_images" / Path(image).name).exists()
        sidecar = (ROOT / "book" / image).with_suffix(".json")
        narrow = sidecar.is_file() and json.loads(sidecar.read_text(encoding="utf-8"))["narrow"]
        if narrow:  # the phone layout is served beside the wide one (_ext/figure_sidecar.py)
            assert (HTML / "_images" / narrow).exists(), f"{page}: {narrow} not in the site"


def page_title(doc: str) -> str:
    path = ROOT / f"{doc}.md"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        nb = json.loads((ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))
        text = "".join(nb["cells"][0]["source"])
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


def captions() -> list[str]:
    """The first line of every figure caption in book/."""
    found = []
    for page in sorted((ROOT / "book").glob("*.md")):
        for body in re.findall(
            r"```\{figure\} \S+\n(.*?)```", page.read_text(encoding="utf-8"), re.S
        ):
            lines = [line for line in body.splitlines() if line and not line.startswith(":")]
            found.append(lines[0])
    return found


def flatten(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("-\n", "-")
    return " ".join(text.split())


def pdf_documents() -> tuple[list[str], list[str]]:
    """The PDF's chapters (the part "The report" less the appendices) and its appendices, as
    _config.yml sets them for _ext/pdf_edition.py."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    part = next(p for p in toc["parts"] if p["caption"] == config["pdf_main_part"])
    appendices = config["latex_appendices"]
    return [c["file"] for c in part["chapters"] if c["file"] not in appendices], appendices


def test_pdf_has_contents_chapters_captions_and_bibliography(pdf_text):
    flat = flatten(pdf_text)
    # A table of contents: section titles followed by dot leaders and a page number.
    assert re.search(r"The Treaty and the Organization( \.)+ +\d+", pdf_text)
    assert re.search(r"Which import basis( \.)+ +\d+", pdf_text)
    chapters, appendices = pdf_documents()
    for doc in chapters + appendices:
        title = flatten(page_title(doc))
        assert title in flat, f"chapter title missing from the PDF: {title}"
    for caption in captions():
        words = flatten(re.sub(r"[`*]", "", caption))[:60]
        assert words in flat, f"figure caption missing from the PDF: {words}"
    assert len(captions()) >= 14
    assert "Statistical Committee of the Republic of Armenia" in flat  # bibliography entry


def test_pdf_is_the_report_then_its_appendices(pdf_text):
    """Chapters, then lettered appendices and the references; the notebooks, the data
    dictionary and the citation page are in the HTML edition only, and named as such."""
    references = re.search(r"^ *References +\d+ *$", pdf_text, re.M)  # the last contents line
    assert references
    contents = pdf_text[: references.end()]
    chapters, appendices = pdf_documents()
    for letter, doc in zip("ABCDEFGH", appendices, strict=False):
        title = flatten(page_title(doc))
        assert re.search(rf"^ *{letter} +{re.escape(title)} +\d+", contents, re.M), title
    flat = flatten(pdf_text)
    for doc in [
        f for f in toc_files()[1:] if f not in chapters + appendices and f != "book/references"
    ]:
        title = flatten(page_title(doc))
        assert not re.search(rf"^ *\d+ +{re.escape(title)}", contents, re.M), doc
        named = [flat[m.end() : m.end() + 25] for m in re.finditer(re.escape(title), flat)]
        assert not named or any(after.startswith(" (in the HTML edition)") for after in named), (
            f"{doc} is not named as HTML"
        )
    assert "What this showed" not in flat  # a notebook's closing section
    # the condensed ledger: every claim on one line, with its verdict
    summary = (ROOT / "book" / "generated" / "claims_summary.md").read_text(encoding="utf-8")
    ids = re.findall(r"`(C\d{3}) <claim-", summary)
    appendix = flat[flat.index(flatten(page_title(appendices[0])), flat.index("References")) :]
    assert len(ids) >= 140 and all(i in appendix for i in ids)


def test_pdf_embeds_its_fonts_and_images():
    fonts = subprocess.run(
        ["pdffonts", str(PDF)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    images = subprocess.run(
        ["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert sum(1 for line in images if " image " in line) >= len(figures_in_pages())


def test_pdf_references_list_exactly_the_sources_it_cites():
    """The notebooks and the ledger stay in the HTML, and so do the sources only they cite:
    the PDF's references are the entries its own text cites, numbered without gaps."""
    tex = (ROOT / "_build" / "latex" / "armenia-csto.tex").read_text(encoding="utf-8")
    body, _, bibliography = tex.partition(r"\begin{sphinxthebibliography}")
    cited = set(re.findall(r"\\hyperlink\{cite\.([^}]+)\}", body))
    listed = re.findall(r"\\bibitem\[(\d+)\]\{([^}]+)\}", bibliography)
    assert cited and {key for _, key in listed} == cited
    assert [int(n) for n, _ in listed] == list(range(1, len(listed) + 1))


def test_pdf_is_offered_for_download_from_the_site():
    assert (HTML / "_static" / "armenia-csto.pdf").exists()
