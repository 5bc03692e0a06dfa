"""The built site as a whole in a real browser: Debian's Chromium, driven by Playwright, served on
127.0.0.1. The root redirect page loads cleanly with its favicon. The search page finds a known
term. Screenshots of the home page and one chapter go to _build/screenshots/. The claims ledger's
filter works, and without JavaScript the ledger shows every claim. The icon fonts hold every icon
the pages use. The axe-core audit the page checks use reports a planted violation, and their
phone checks (375 px) catch a planted page that scrolls sideways and a figure whose text would
be too small.

Each page of the table of contents is checked in test_browser_pages.py and
test_browser_notebook_pages.py (see tests/browser.py).
"""

from __future__ import annotations

import json
import re

import pytest

from cstoreport.paths import ROOT
from tests.browser import (
    HTML,
    PHONE,
    PICTURES_SETTLED,
    SCREENSHOTS,
    VIEWPORT,
    SmallFigureTextWarning,
    check_phone_width,
    figure_text_px,
    open_page,
    serious_axe_violations,
    sideways_scroll,
    toc_pages,
)
from tests.test_built_report import page_title, toc_files

MIN_SCREENSHOT_COLOURS = 100
PAGES = toc_files()


def test_the_two_page_files_check_every_page_once():
    notebooks, others = toc_pages(notebooks=True), toc_pages(notebooks=False)
    assert notebooks and others
    assert sorted(notebooks + others) == sorted(PAGES)


def test_axe_audit_reports_a_planted_serious_violation(site, browser):
    """Low-contrast text (serious) and an image without alt text (critical), added to a page."""
    page, _ = open_page(browser, f"{site}/book/how-to-cite.html")
    try:
        assert serious_axe_violations(page) == []
        page.evaluate("""() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('afterbegin',
              '<p style="color: #999; background: #aaa">Barely legible text</p>' +
              '<img src="../_static/favicon.png" width="16" height="16">');
        }""")
        found = serious_axe_violations(page)
        assert sorted(v.split()[0] for v in found) == ["color-contrast", "image-alt"], found
    finally:
        page.close()


def plant(page, html: str) -> None:
    """Add HTML at the start of the page's article (where a page's own content is)."""
    page.evaluate(
        "html => document.querySelector('main article').insertAdjacentHTML('afterbegin', "
        "'<div id=planted>' + html + '</div>')",
        html,
    )


def test_phone_check_catches_a_page_that_scrolls_sideways(site, browser):
    """At 375 px: a long word in running text, a long inline literal and a wide code block stay
    within the page (the site's CSS breaks the words; the code block scrolls in its own box); a
    wide table outside a scrolling box, or a code block that does not scroll, is caught."""
    page, _ = open_page(browser, f"{site}/book/how-to-cite.html")
    try:
        page.set_viewport_size(PHONE)
        assert sideways_scroll(page) == []
        word = "data/derived/" + "x" * 120 + ".csv"
        plant(
            page,
            f'<p>Read {word} here.</p><p><code class="docutils literal notranslate">'
            f'<span class="pre">{word}</span></code></p><pre>{"y" * 300}</pre>',
        )
        assert sideways_scroll(page) == []
        for wide, what in (
            (
                f'<table><tr><td style="white-space: nowrap">{"wide " * 80}</td></tr></table>',
                "table",
            ),
            (f'<pre style="overflow: visible">{"z" * 300}</pre>', "pre"),
        ):
            page.evaluate("() => document.getElementById('planted').remove()")
            plant(page, wide)
            found = sideways_scroll(page)
            assert found and found[0].startswith("the page is"), found
            assert any(line.startswith(what) or f"in {what}" in line for line in found), found
    finally:
        page.close()


def test_figure_text_on_a_phone_is_computed_from_the_sidecar(tmp_path):
    """min_text_pt * dpi / 72 * rendered / natural width, with the narrow file's numbers when
    the browser chose the narrow file; None for an image that is not a report figure."""
    sidecar = {"min_text_pt": 9.0, "dpi": 150, "narrow": "f_narrow.png", "narrow_min_text_pt": 10}
    (tmp_path / "f.json").write_text(json.dumps(sidecar))
    wide = figure_text_px("http://h/_images/f.png", 343, 1200, tmp_path)
    assert wide == {
        "file": "f.png",
        "px": pytest.approx(5.36, abs=0.01),
        "narrow": True,
        "chose_narrow": False,
    }
    narrow = figure_text_px("http://h/_images/f_narrow.png", 343, 600, tmp_path)
    assert narrow["px"] == pytest.approx(11.91, abs=0.01) and narrow["chose_narrow"]
    assert figure_text_px("http://h/_images/0a1b.png", 343, 600, tmp_path) is None
    assert figure_text_px("http://h/_images/g_narrow.png", 343, 600, tmp_path) is None


def test_phone_check_of_figures_fails_small_text_in_a_narrow_layout(site, browser, tmp_path):
    """A figure of the trade chapter served without a narrow layout, given a fixture sidecar
    and a planted <picture> whose narrow source is the same PNG: at 375 px the browser chooses
    the narrow source; its text is too small at 10 pt, readable at 20 pt; without the narrow
    source, small text is reported only."""
    page, problems = open_page(browser, f"{site}/book/trade.html")
    try:
        # The first figure not already in a <picture> (one without a narrow layout of its own).
        src = page.evaluate(r"""() => {
            const img = [...document.querySelectorAll('main figure img')]
                .find(i => i.parentElement.tagName !== 'PICTURE');
            const picture = document.createElement('picture');
            const source = document.createElement('source');
            picture.id = 'planted';
            source.media = '(max-width: 640px)';
            source.srcset = img.getAttribute('src').replace(/\.png$/, '_narrow.png');
            picture.append(source);
            img.replaceWith(picture);
            picture.append(img);
            return img.getAttribute('src');
        }""")
        stem = src.rsplit("/", 1)[-1].removesuffix(".png")
        page.route(
            f"**/_images/{stem}_narrow.png",
            lambda route: route.fulfill(path=str(HTML / "_images" / f"{stem}.png")),
        )
        fixture = {"min_text_pt": 20, "dpi": 150, "narrow": f"{stem}_narrow.png"}
        sidecar = tmp_path / f"{stem}.json"
        sidecar.write_text(json.dumps(fixture | {"narrow_min_text_pt": 10}))
        with pytest.raises(AssertionError, match=rf"{stem}_narrow.png's smallest text is"):
            check_phone_width(page, "book/trade", tmp_path)
        sidecar.write_text(json.dumps(fixture | {"narrow_min_text_pt": 20}))
        check_phone_width(page, "book/trade", tmp_path)
        sidecar.write_text(json.dumps({"min_text_pt": 10, "dpi": 150, "narrow": None}))
        page.set_viewport_size(VIEWPORT)  # back to the wide source, which has no narrow layout
        # Let the page's own pictures switch back to their wide files before the next resize,
        # which would otherwise abort those requests (a failed request).
        page.wait_for_function(PICTURES_SETTLED, timeout=10_000)
        page.evaluate("() => document.querySelector('#planted source').remove()")
        with pytest.warns(SmallFigureTextWarning, match=rf"book/trade at 375 px.*{stem}.png"):
            check_phone_width(page, "book/trade", tmp_path)
        assert problems == []
    finally:
        page.close()


def test_root_redirect_page_loads_cleanly_with_its_favicon(site, browser):
    """`/` is a redirect page written after the build. Without an icon of its own, browsers ask
    it for /favicon.ico; it carries the favicon inline (a file would be requested and then cut
    off by the redirect, a failed request)."""
    html = (HTML / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="icon" href="data:image/png;base64,', html), "no favicon"
    page, problems = open_page(browser, f"{site}/")
    try:
        assert problems == []
        assert page.url.endswith(f"/{PAGES[0]}.html")
    finally:
        page.close()


def test_search_finds_a_known_term(site, browser):
    page, problems = open_page(browser, f"{site}/search.html?q=Gyumri")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = page.eval_on_selector_all("#search-results ul.search li", "els => els.length")
        assert hits >= 1
        assert problems == []
    finally:
        page.close()


def test_screenshots_of_home_and_a_chapter_show_the_page(site, browser):
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, doc in (("home", PAGES[0]), ("chapter", "book/trade")):
        page, _ = open_page(browser, f"{site}/{doc}.html")
        try:
            # The reader sees the page's own title in the first screen, styled by the theme.
            heading = page.locator("main h1:visible").first
            assert page_title(doc) in heading.inner_text()
            box = heading.bounding_box()
            assert box is not None and 0 <= box["y"] < VIEWPORT["height"] - box["height"]
            assert heading.evaluate("e => getComputedStyle(e).fontWeight") != "400"
            path = SCREENSHOTS / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
        finally:
            page.close()
        with Image.open(path) as image:
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
            colours = image.convert("RGB").getcolors(
                maxcolors=VIEWPORT["width"] * VIEWPORT["height"]
            )
        # A blank or unstyled page has a few colours; anti-aliased text and the theme, hundreds.
        assert len(colours) > MIN_SCREENSHOT_COLOURS, f"{name}: {len(colours)} colours"
        text_pixels = sum(n for n, rgb in colours if sum(rgb) < 200)
        assert text_pixels > 0.005 * VIEWPORT["width"] * VIEWPORT["height"], f"{name}: no text"


def test_claims_ledger_filters_by_verdict_and_section_and_searches(site, browser):
    """The filter appears only with JavaScript; choosing a verdict, a section or words shows
    exactly the matching claims, and clearing the choices shows them all again."""
    page, problems = open_page(browser, f"{site}/book/claims.html")
    total = page.locator("div.claim").count()
    assert total >= 140 and page.locator("#claims-filter").is_visible()
    contradicted = page.locator("div.claim.verdict-contradicted").count()
    page.select_option("#claims-filter select[name=verdict]", "contradicted")
    assert page.locator("div.claim:visible").count() == contradicted > 0
    page.select_option("#claims-filter select[name=section]", "inaction")
    both = page.locator("div.claim.verdict-contradicted.section-inaction").count()
    assert page.locator("div.claim:visible").count() == both
    page.select_option("#claims-filter select[name=verdict]", "")
    page.select_option("#claims-filter select[name=section]", "")
    page.fill("#claims-filter input[name=text]", "Tleuberdi")
    assert 1 <= page.locator("div.claim:visible").count() < total
    page.fill("#claims-filter input[name=text]", "")
    assert page.locator("div.claim:visible").count() == total
    page.close()
    assert problems == []


def test_claims_ledger_without_javascript_shows_every_claim(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/book/claims.html")
    assert page.locator("div.claim:visible").count() == page.locator("div.claim").count() >= 140
    assert not page.locator("#claims-filter").is_visible()
    context.close()


def test_icon_fonts_hold_every_icon_the_pages_use():
    """The theme's icons come from the small fonts _ext/light_pages.py builds, not its 1.5 MB
    script: each icon class on a page and each icon the stylesheets draw has its glyph there."""
    import importlib.util

    from fontTools.ttLib import TTFont

    spec = importlib.util.spec_from_file_location("light_pages", ROOT / "_ext" / "light_pages.py")
    light_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(light_pages)
    static = HTML / "_static"
    assert not (static / "scripts" / "fontawesome.js").exists()
    pages = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)
    assert all("fontawesome.js" not in p.read_text(encoding="utf-8") for p in pages)
    script = light_pages.FONTAWESOME_JS.read_text(encoding="utf-8")
    outlines = {s: light_pages.icon_outlines(script, s) for s in light_pages.FONTS}
    css = [p.read_text(encoding="utf-8") for p in sorted(static.rglob("*.css"))]
    used = light_pages.icons_in_use(pages, css, outlines)
    assert len(used["solid"]) >= 10  # menu, search, previous/next, colour modes, download, ...
    for style, (filename, _family, _weight) in light_pages.FONTS.items():
        font = TTFont(static / filename)
        assert used[style] <= set(font.getBestCmap()), f"{filename} lacks icons"
