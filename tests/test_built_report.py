"""The built site and PDF contain what the book promises (run after `make book`)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cstoreport.paths import ROOT

HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "armenia-csto.pdf"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def figures_in_pages() -> list[tuple[str, str, str]]:
    """(page, image path, alt text) for every {figure} directive in book/."""
    found = []
    for page in sorted((ROOT / "book").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```\{figure\} (\S+)\n(.*?)```", text, re.S):
            alt = re.search(r"^:alt: (.+)$", block[1], re.M)
            found.append((page.name, block[0], alt.group(1) if alt else ""))
    return found


@pytest.fixture(scope="module")
def pdf_text() -> str:
    if not PDF.exists():
        pytest.fail("no PDF: run `make book` first")
    return subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True,
                          text=True, check=True).stdout


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


def test_pdf_has_contents_chapters_captions_and_bibliography(pdf_text):
    flat = " ".join(pdf_text.split())
    # A table of contents: section titles followed by dot leaders and a page number.
    assert re.search(r"The Treaty and the Organization( \.)+ +\d+", pdf_text)
    assert re.search(r"Which import basis( \.)+ +\d+", pdf_text)
    for title in ["Membership: from nine parties to six", "Trade: how much Armenia trades",
                  "References", "How to cite"]:
        assert title in flat, title
    for caption in ["Membership spells in the 1992 Collective Security Treaty",
                    "Russia’s share of Armenia’s total goods turnover",
                    "Armenia-reported against partner-reported trade"]:
        assert caption in flat, caption
    assert "Statistical Committee of the Republic of Armenia" in flat  # bibliography entry


def test_pdf_embeds_its_fonts_and_images():
    fonts = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    images = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert sum(1 for line in images if " image " in line) >= len(figures_in_pages())


def test_pdf_is_offered_for_download_from_the_site():
    assert (HTML / "_static" / "armenia-csto.pdf").exists()
