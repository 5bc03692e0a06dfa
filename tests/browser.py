"""What the browser tests share: Debian's Chromium, driven by Playwright, on the built site served
on 127.0.0.1 (the `site` and `browser` fixtures are in conftest.py), and the check of one page.

The page checks are in two test files, the notebooks' pages and every other page; under
`make test` each page is a unit of work of its own, spread over the test workers longest first
(the scheduler in conftest.py), each worker with one browser. Each page is checked at a desktop
width and then, on the same page load, at a phone's (375 px).
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import os
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_playwright_python
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from cstoreport.paths import ROOT
from tests.test_built_report import HTML, toc_files

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's, or a given one
# axe-core's script as shipped by the pinned axe-playwright-python package: no Node.js needed.
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
SCREENSHOTS = ROOT / "_build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# A phone (issue 29): no page scrolls sideways at this width, and the report figures that have a
# narrow layout (their sidecar, book/figures/NAME.json, names one) show no text under 9 px.
PHONE = {"width": 375, "height": 812}
MIN_PHONE_TEXT_PX = 9.0
FIGURES = ROOT / "book" / "figures"
# First-view budgets (bytes as a static host sends them), from issue 15.
PAGE_LIMIT = 1_000_000
PAGE_WITHOUT_FIGURES_LIMIT = 300_000
# The bibliography lists every source the data cite (about 900 in 0.4.0): its own text is most of
# its weight, so it has a budget of its own rather than the text pages' 300 KB.
PAGE_LIMITS = {"book/references": 400_000}
# Sent gzip-compressed by a typical static host; fonts and images are sent as they are.
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".map"}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def toc_pages(*, notebooks: bool) -> list[str]:
    """The table of contents' pages under notebooks/, or all the others: together, every page."""
    return [doc for doc in toc_files() if doc.startswith("notebooks/") == notebooks]


def open_page(browser, url):
    """Open a page and record console errors and failed requests."""
    page = browser.new_page(viewport=VIEWPORT)  # a fresh, empty cache
    problems: list[str] = []
    page.loaded = []  # URLs of every request that finished
    page.on("requestfinished", lambda r: page.loaded.append(r.url))
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    # The site must work offline: nothing may be requested from anywhere but the site itself.
    page.on(
        "request",
        lambda r: (
            problems.append(f"third-party request: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
            else None
        ),
    )
    # Not "load": the favicon, for one, is requested after the load event, and the page weight
    # must count it.
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


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per rule.

    Only violations are asked for: axe then skips describing every node of the passing and
    incomplete checks, which halves the audit; the violations it reports are the same (every
    page's full violation list compared equal with and without it, 2026-12-01)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# What sticks out of a page at its current width: elements and runs of text whose right edge is
# past the viewport, outside any box that scrolls or clips (a table's scrolling container, a
# <pre>), the outermost of each (its parent fits). Looked for only when the page scrolls sideways.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const boxed = e => {
    for (let a = e; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width && r.right > width + 0.5 && !boxed(n.parentElement))
      out.push(`text in ${name(n.parentElement)} to ${Math.round(r.right)} px: ` +
               JSON.stringify(n.textContent.trim().slice(0, 50)));
  }
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect(), p = e.parentElement.getBoundingClientRect();
    if (r.width && r.right > width + 0.5 && p.right <= width + 0.5 &&
        !boxed(e.parentElement) && getComputedStyle(e).position !== 'fixed')
      out.push(`${name(e)} to ${Math.round(r.right)} px`);
  }
  return out;
}"""


def sideways_scroll(page) -> list[str]:
    """[] if the page does not scroll sideways at its current width (the document is no wider
    than the viewport), else what sticks out."""
    scroll_width, width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll_width <= width:
        return []
    return [f"the page is {scroll_width} px wide at {width} px", *page.evaluate(STICKING_OUT)[:8]]


def sidecar(name: str, figures: Path = FIGURES) -> dict | None:
    path = figures / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def figure_text_px(
    current_src: str, rendered_width: float, natural_width: int, figures: Path = FIGURES
) -> dict | None:
    """For a report figure's <img> (the wide or the narrow layout of a figure with a sidecar):
    the size in CSS pixels its smallest text is drawn at, whether the figure has a narrow
    layout and whether the browser chose it. None for other images (notebook outputs)."""
    stem = Path(urlsplit(current_src).path).stem
    if (figure := sidecar(stem, figures)) is not None:
        points, chose_narrow = figure["min_text_pt"], False
    elif (
        stem.endswith("_narrow")
        and (figure := sidecar(stem.removesuffix("_narrow"), figures)) is not None
        and figure.get("narrow") == f"{stem}.png"
    ):
        points, chose_narrow = figure["narrow_min_text_pt"], True
    else:
        return None
    # The smallest text is min_text_pt / 72 inches tall in the PNG, at dpi pixels an inch; the
    # page scales the PNG by rendered / natural width.
    px = points * figure["dpi"] / 72 * rendered_width / natural_width
    return {
        "file": f"{stem}.png",
        "px": px,
        "narrow": bool(figure.get("narrow")),
        "chose_narrow": chose_narrow,
    }


class SmallFigureTextWarning(UserWarning):
    """A report figure without a narrow layout shows its smallest text under 9 px on a phone:
    reported, not failed (issue 29 asks the key figures for a narrow layout)."""


PICTURES_SETTLED = """() => [...document.querySelectorAll('main img')].every(i => {
  const s = i.parentElement.tagName === 'PICTURE' && i.parentElement.querySelector('source');
  const want = s && matchMedia(s.media).matches ? new URL(s.srcset, location.href).href : i.src;
  return i.complete && i.currentSrc === want;
})"""


def check_phone_width(page, doc: str, figures: Path = FIGURES) -> None:
    """At a phone's width: nothing makes the page scroll sideways, and a report figure with a
    narrow layout is served in it, its smallest text at 9 px or more. Figures without one are
    reported (SmallFigureTextWarning) where their text is smaller."""
    page.set_viewport_size(PHONE)
    # <picture> switches to the narrow source after the resize, in a later task: wait until each
    # image shows the file its <picture> now chooses (the narrow source where it matches, else
    # the image's own), and every image has (re)loaded. (If it
    # never switches, the assertion below names the figure.)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(PICTURES_SETTLED, timeout=10_000)
    assert sideways_scroll(page) == [], doc
    images = page.eval_on_selector_all(
        "main img",
        "els => els.map(e => [e.currentSrc, e.getBoundingClientRect().width, e.naturalWidth])",
    )
    small = []
    for src, rendered, natural in images:
        figure = figure_text_px(src, rendered, natural, figures) if natural else None
        if figure is None:
            continue
        if figure["narrow"]:
            assert figure["chose_narrow"], f"{doc}: {src} is not the narrow layout at 375 px"
            assert figure["px"] >= MIN_PHONE_TEXT_PX, (
                f"{doc}: {figure['file']}'s smallest text is {figure['px']:.1f} px at 375 px"
            )
        elif figure["px"] < MIN_PHONE_TEXT_PX:
            small.append(f"{figure['file']} {figure['px']:.1f} px")
    if small:
        warnings.warn(
            SmallFigureTextWarning(
                f"{doc} at 375 px, figures without a narrow layout: " + ", ".join(small)
            ),
            stacklevel=2,
        )


def check_page(site: str, browser, doc: str) -> None:
    """No console errors or failed requests, every image loads and has alt text, every internal
    link and anchor resolves, the first view is within its budget, and axe-core finds no serious
    or critical violations. Then, on the same page at a phone's width (check_phone_width), no
    sideways scroll and readable figures; still no errors or failed requests."""
    page, problems = open_page(browser, f"{site}/{doc}.html")
    try:
        weight, sizes = first_view_weight(page)  # before axe, which fetches stylesheets again
        assert problems == []
        images = page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth, e.alt])"
        )
        for src, width, alt in images:
            assert width > 0, f"image did not load: {src}"
            assert alt and alt.strip() and not alt.endswith(".png"), f"no alt text: {src}"
            assert not alt.startswith("<Figure"), f"alt text is matplotlib's repr: {src}"
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        broken = [r for r in (resolve_internal(HTML / f"{doc}.html", h) for h in hrefs) if r]
        assert broken == []
        limit = PAGE_LIMITS.get(doc, PAGE_LIMIT if images else PAGE_WITHOUT_FIGURES_LIMIT)
        heaviest = ", ".join(f"{urlsplit(u).path} {s / 1000:.0f} KB" for s, u in sizes[:4])
        assert weight <= limit, (
            f"{doc}: first view {weight / 1000:.0f} KB > "
            f"{limit / 1000:.0f} KB; heaviest: {heaviest}"
        )
        assert serious_axe_violations(page) == []
        # (axe-core fetches the stylesheets again, and asks for an imported basic.css at the
        # wrong place: a 404 of its own, not the page's. Problems are counted from here.)
        audited = len(problems)
        wide_figures = page.eval_on_selector_all("main img", "els => els.map(e => e.currentSrc)")
        assert not [s for s in wide_figures if s.endswith("_narrow.png")], "narrow at 1280 px"
        check_phone_width(page, doc)
        assert problems[audited:] == [], problems[audited:]
    finally:
        page.close()
