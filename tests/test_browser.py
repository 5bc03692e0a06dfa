"""The built site as a whole in a real browser: Debian's Chromium, driven by Playwright, served on
127.0.0.1. The root redirect page loads cleanly with its favicon. The search page finds a known
term. Screenshots of the home page and one chapter go to _build/screenshots/. The claims ledger's
filter works, and without JavaScript the ledger shows every claim. The icon fonts hold every icon
the pages use. The axe-core audit the page checks use reports a planted violation.

Each page of the table of contents is checked in test_browser_pages.py and
test_browser_notebook_pages.py (see tests/browser.py).
"""

from __future__ import annotations

import re

from cstoreport.paths import ROOT
from tests.browser import HTML, SCREENSHOTS, VIEWPORT, open_page, serious_axe_violations, toc_pages
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
