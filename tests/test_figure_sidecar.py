"""The figure sidecar in the book (_ext/figure_sidecar.py): a figure's `figures/NAME.json` gives
its alt text, and a narrow layout that HTML serves to phones in a <picture>; the PDF does not
change. Tested on a tiny scratch book built with Sphinx and MyST (a second or two each), and on
the report's own pages: no page types an :alt: for a figure whose sidecar gives one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cstoreport.paths import ROOT

FIGURES = ROOT / "book" / "figures"
# A small PNG of the report's own (any will do: the scratch book only copies it).
PNG = ROOT / "book" / "_static" / "favicon.png"
# A {figure} directive on a page: its image and its options, up to the caption.
FIGURE = re.compile(r"^```\{figure\}\s+(\S+)\n((?::[\w-]+:.*\n)*)", re.M)


def figure_alt_typed(page_text: str) -> list[tuple[str, bool]]:
    """Each {figure} of a MyST page: its image path and whether the page types an :alt:."""
    return [
        (image, bool(re.search(r"^:alt:", options, re.M)))
        for image, options in FIGURE.findall(page_text)
    ]


def typed_alt_over_sidecar(page: Path) -> list[str]:
    """The figures of a page that type an :alt: although their sidecar gives the alt text."""
    found = []
    for image, typed in figure_alt_typed(page.read_text(encoding="utf-8")):
        sidecar = (page.parent / image).with_suffix(".json")
        if typed and sidecar.is_file() and json.loads(sidecar.read_text(encoding="utf-8"))["alt"]:
            found.append(f"{page.name}: {image}")
    return found


def test_no_page_types_an_alt_the_sidecar_gives():
    pages = sorted((ROOT / "book").glob("*.md"))
    assert sum(len(figure_alt_typed(p.read_text(encoding="utf-8"))) for p in pages) >= 20
    assert [f for p in pages for f in typed_alt_over_sidecar(p)] == []


def test_the_page_check_finds_a_typed_alt_over_a_sidecar(tmp_path):
    (tmp_path / "figures").mkdir()
    page = tmp_path / "page.md"
    page.write_text(
        "```{figure} figures/a.png\n:name: fig-a\n:alt: Typed.\n:width: 100%\n\nCaption.\n```\n\n"
        "```{figure} figures/b.png\n:alt: Typed, and the sidecar has none.\n\nCaption.\n```\n"
    )
    for name, alt in (("a", "From the data."), ("b", None)):
        (tmp_path / "figures" / f"{name}.json").write_text(json.dumps({"alt": alt}))
    assert typed_alt_over_sidecar(page) == ["page.md: figures/a.png"]


# --- the extension, on a scratch book -----------------------------------------------------------


def scratch_book(tmp_path: Path, pages: dict[str, str], sidecars: dict[str, dict]) -> Path:
    """A tiny MyST book: index.md with a toctree of `pages`, figures/NAME.png for every figure
    the pages place (and NAME_narrow.png where a sidecar names one), and the sidecars."""
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_parser', 'figure_sidecar']\n"
        "project = 'scratch'\n"
        "numfig = True\n"
        "latex_documents = [('index', 'scratch.tex', 'Scratch', 'Nobody', 'howto')]\n"
    )
    toctree = "\n".join(pages)
    (src / "index.md").write_text(f"# Scratch\n\n```{{toctree}}\n{toctree}\n```\n")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text)
        for image in re.findall(r"\{figure\}\s+(\S+)", text):
            shutil.copyfile(PNG, src / image)
    for name, sidecar in sidecars.items():
        (src / "figures" / f"{name}.json").write_text(json.dumps(sidecar))
        if sidecar.get("narrow"):
            shutil.copyfile(PNG, src / "figures" / sidecar["narrow"])
    return src


def sphinx_build(src: Path, builder: str, *, extension: bool = True) -> Path:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    out = src.parent / f"out-{builder}-{extension}"
    overrides = {} if extension else {"extensions": ["myst_parser"]}
    with docutils_namespace():  # as sphinx-build: nodes and directives registered for this build
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(out / ".doctrees"),
            builder,
            confoverrides=overrides,
            status=None,
            warning=None,
            freshenv=True,
            warningiserror=True,  # as the book is built: -W
        )
        app.build()
    return out


def figure_page(name: str, *, alt: str | None) -> str:
    typed = f":alt: {alt}\n" if alt else ""
    return (
        f"# Page {name}\n\n```{{figure}} figures/{name}.png\n:name: fig-{name}\n{typed}"
        f":width: 100%\n\nThe caption of {name}.\n```\n"
    )


SIDECAR = {"min_text_pt": 9.0, "width_in": 8.0, "dpi": 150}


def test_sidecar_gives_alt_text_and_a_narrow_source_in_html(tmp_path):
    src = scratch_book(
        tmp_path,
        {
            "wide": figure_page("wide", alt=None),
            "plain": figure_page("plain", alt="Typed, as the sidecar has no alt."),
            "other": figure_page("other", alt="A figure without a sidecar."),
        },
        {
            "wide": SIDECAR | {"alt": "Computed from the data: 43%.", "narrow": "wide_narrow.png"},
            "plain": SIDECAR | {"alt": None, "narrow": None},
        },
    )
    out = sphinx_build(src, "html")
    wide = (out / "wide.html").read_text(encoding="utf-8")
    picture = re.search(r"<picture>(.*?)</picture>", wide, re.S)
    assert picture, "no <picture> for a figure with a narrow layout"
    assert re.match(
        r'<source media="\(max-width: 640px\)" srcset="_images/wide_narrow.png">\s*<img ',
        picture[1],
    )
    assert 'alt="Computed from the data: 43%."' in picture[1]
    assert 'src="_images/wide.png"' in picture[1]
    # The link to the full-size image holds the whole picture, which holds the <img>.
    assert re.search(r'<a [^>]*href="_images/wide.png"[^>]*><picture>', wide)
    assert (out / "_images" / "wide_narrow.png").read_bytes() == PNG.read_bytes()
    plain = (out / "plain.html").read_text(encoding="utf-8")
    assert "<picture>" not in plain and 'alt="Typed, as the sidecar has no alt."' in plain
    other = (out / "other.html").read_text(encoding="utf-8")
    assert "<picture>" not in other and 'alt="A figure without a sidecar."' in other


def test_a_typed_alt_where_the_sidecar_gives_one_fails_the_build(tmp_path):
    from sphinx.errors import SphinxWarning

    src = scratch_book(
        tmp_path,
        {"wide": figure_page("wide", alt="Typed by hand.")},
        {"wide": SIDECAR | {"alt": "Computed from the data.", "narrow": None}},
    )
    with pytest.raises(SphinxWarning, match=r"figures/wide.png: the page types an :alt:"):
        sphinx_build(src, "html")


def test_a_sidecar_naming_a_missing_narrow_file_fails_the_build(tmp_path):
    from sphinx.errors import SphinxWarning

    src = scratch_book(
        tmp_path,
        {"wide": figure_page("wide", alt=None)},
        {"wide": SIDECAR | {"alt": "Computed.", "narrow": "wide_narrow.png"}},
    )
    (src / "figures" / "wide_narrow.png").unlink()
    with pytest.raises(SphinxWarning, match="names a narrow layout wide_narrow.png"):
        sphinx_build(src, "html")


def test_the_latex_edition_is_the_same_with_the_extension(tmp_path):
    """The PDF's source: the same .tex with and without the extension (alt text is not in a
    PDF's image, and the narrow PNG is not copied for it)."""
    src = scratch_book(
        tmp_path,
        {"wide": figure_page("wide", alt=None), "plain": figure_page("plain", alt="Typed.")},
        {
            "wide": SIDECAR | {"alt": "Computed.", "narrow": "wide_narrow.png"},
            "plain": SIDECAR | {"alt": None, "narrow": None},
        },
    )
    # Without the extension the page needs an alt of its own, as before sidecars.
    with_ext = sphinx_build(src, "latex")
    without = sphinx_build(src, "latex", extension=False)
    assert (with_ext / "scratch.tex").read_text() == (without / "scratch.tex").read_text()
    assert sorted(p.name for p in with_ext.glob("*.png")) == ["plain.png", "wide.png"]
