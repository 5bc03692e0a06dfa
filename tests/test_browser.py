"""The built site in a real browser: Debian's Chromium, driven by Playwright, served on 127.0.0.1.

For every page in the table of contents: no console errors and no failed requests, every image
loads and has alt text, every internal link and anchor resolves, and an axe-core audit finds no
serious or critical violations. The search page finds a known term. Screenshots of the home page
and one chapter go to _build/screenshots/.
"""
from __future__ import annotations

import functools
import http.server
import os
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
    page = browser.new_page(viewport=VIEWPORT)
    problems: list[str] = []
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


PAGES = toc_files()


@pytest.mark.parametrize("doc", PAGES)
def test_page_loads_cleanly_with_images_links_and_no_serious_axe_violations(site, browser, doc):
    page, problems = open_page(browser, f"{site}/{doc}.html")
    try:
        assert problems == []
        images = page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth, e.alt])")
        for src, width, alt in images:
            assert width > 0, f"image did not load: {src}"
            assert alt and alt.strip() and not alt.endswith(".png"), f"no alt text: {src}"
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        broken = [r for r in (resolve_internal(HTML / f"{doc}.html", h) for h in hrefs) if r]
        assert broken == []
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
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
