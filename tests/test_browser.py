"""The built site in a real browser: Debian's Chromium, driven by Playwright, served on 127.0.0.1.

For every page in the table of contents: no console errors and no failed requests, every image
loads and has alt text, every internal link and anchor resolves, an axe-core audit finds no
serious or critical violations, and the first view is light: everything the page loaded (HTML,
CSS, JavaScript, fonts, images), counted as a static host sends it (text gzip-compressed), is at
most 1 MB, and at most 300 KB on a page without figures. The root redirect page loads cleanly
with its favicon. The search page finds a known term. Screenshots of the home page and one
chapter go to _build/screenshots/.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_playwright_python
import pytest

from cstoreport.paths import ROOT
from tests.test_built_report import HTML, page_title, toc_files

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's, or a given one
# axe-core's script as shipped by the pinned axe-playwright-python package: no Node.js needed.
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
SCREENSHOTS = ROOT / "_build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
MIN_SCREENSHOT_COLOURS = 100
# First-view budgets (bytes as a static host sends them), from issue 15.
PAGE_LIMIT = 1_000_000
PAGE_WITHOUT_FIGURES_LIMIT = 300_000
# Sent gzip-compressed by a typical static host; fonts and images are sent as they are.
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map"}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def open_page(browser, url):
    """Open a page and record console errors and failed requests."""
    page = browser.new_page(viewport=VIEWPORT)  # a fresh, empty cache
    problems: list[str] = []
    page.loaded = []  # URLs of every request that finished
    page.on("requestfinished", lambda r: page.loaded.append(r.url))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)
    # The site must work offline: nothing may be requested from anywhere but the site itself.
    page.on("request", lambda r: problems.append(f"third-party request: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    page.goto(url, wait_until="networkidle")
    return page, problems


def resolve_internal(page_file: Path, href: str) -> str | None:
    """None if an internal link resolves, else why not."""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https", "mailto") and "127.0.0.1" not in parts.netloc:
        return None  # external: not fetched (the site must work offline), not checked here
    path = unquote(parts.path)
    target = page_file if not path else (page_file.parent / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return f"{href}: no file {target}"
    if parts.fragment and target.suffix == ".html":
        html = target.read_text(encoding="utf-8")
        if f'id="{parts.fragment}"' not in html and f'name="{parts.fragment}"' not in html:
            return f"{href}: no anchor #{parts.fragment}"
    return None


def sent_bytes(url: str) -> int:
    """What a static host serving _build/html sends for a URL of the site: the file, text
    gzip-compressed (level 6, the usual default)."""
    path = HTML / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    body = path.read_bytes()
    return len(gzip.compress(body, 6, mtime=0)) if path.suffix in COMPRESSED_SUFFIXES else len(body)


def first_view_weight(page) -> tuple[int, list[tuple[int, str]]]:
    own = {u for u in page.loaded if u.startswith("http://127.0.0.1")}
    sizes = sorted(((sent_bytes(u), u) for u in own), reverse=True)
    return sum(s for s, _ in sizes), sizes


PAGES = toc_files()


@pytest.mark.parametrize("doc", PAGES)
def test_page_loads_cleanly_with_images_links_and_no_serious_axe_violations(site, browser, doc):
    page, problems = open_page(browser, f"{site}/{doc}.html")
    try:
        weight, sizes = first_view_weight(page)  # before axe, which fetches stylesheets again
        assert problems == []
        images = page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth, e.alt])")
        for src, width, alt in images:
            assert width > 0, f"image did not load: {src}"
            assert alt and alt.strip() and not alt.endswith(".png"), f"no alt text: {src}"
            assert not alt.startswith("<Figure"), f"alt text is matplotlib's repr: {src}"
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        broken = [r for r in (resolve_internal(HTML / f"{doc}.html", h) for h in hrefs) if r]
        assert broken == []
        limit = PAGE_LIMIT if images else PAGE_WITHOUT_FIGURES_LIMIT
        heaviest = ", ".join(f"{urlsplit(u).path} {s / 1000:.0f} KB" for s, u in sizes[:4])
        assert weight <= limit, (f"{doc}: first view {weight / 1000:.0f} KB > "
                                 f"{limit / 1000:.0f} KB; heaviest: {heaviest}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
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
            colours = image.convert("RGB").getcolors(maxcolors=VIEWPORT["width"] * VIEWPORT["height"])
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
