"""Keep every page light: the theme's icons without the 1.5 MB Font Awesome bundle.

The theme (pydata-sphinx-theme) puts `fontawesome.js` (1.49 MB; about 540 KB gzip-compressed)
on every page, and its stylesheet loads the 156 KB solid icon font (and the 118 KB brands font
where a link shows GitHub's logo), for about a dozen icons: menu, search, previous/next, colour
mode, download. The stylesheet already maps every icon class to a code point of those fonts, so
the script is not needed, and fonts holding only the icons the site uses weigh a few KB. After
each HTML build this extension

- removes the script tag from every page, and the script and the full fonts from the site;
- builds the small fonts (`_static/icons-solid.woff`, `_static/icons-brands.woff`; family and
  weight as the theme's, so `book/_static/icons.css` points the theme's icon classes at them)
  from the icon outlines that ship in the theme's own script: the icon classes found in the
  pages plus the icons the stylesheets draw with `content:` (download links, GitHub links, ...);
- writes the root redirect page as a small HTML page with the site's favicon inline (the
  one-line redirect of sphinx-external-toc made browsers request a missing /favicon.ico).

WOFF rather than WOFF2: fontTools writes WOFF2 only with the brotli package, and at this size
the difference is a few hundred bytes.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.svgLib.path import parse_path

THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
)
FONTAWESOME_JS = THEME_STATIC / "scripts" / "fontawesome.js"
# The two icon styles the theme uses: file written to _static/ (book/_static/icons.css points
# the theme's font families at them), family and weight as the theme's stylesheet names them.
FONTS = {
    "solid": ("icons-solid.woff", "Font Awesome 6 Free", 900),
    "brands": ("icons-brands.woff", "Font Awesome 6 Brands", 400),
}
PACKS = {"brands": "fab", "regular": "far", "solid": "fas"}  # as fontawesome.js registers them
STYLE_CLASSES = {"brands": {"fa-brands", "fab"}, "regular": {"fa-regular", "far"}}
ICON_CSS = "icons.css"
REMOVED = [
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.map",
    "scripts/fontawesome.js.LICENSE.txt",
] + [
    f"vendor/fontawesome/webfonts/{name}"
    for name in (
        "fa-solid-900.woff2",
        "fa-solid-900.ttf",
        "fa-brands-400.woff2",
        "fa-brands-400.ttf",
    )
]

SCRIPT_TAG = re.compile(
    r'[ \t]*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"'
    r"[^>]*></script>\n?"
)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
# `.fa-bars:before,.fa-navicon:before{content:"\f0c9"}` in the theme's stylesheet.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4,5})"\}')
# `content:"\f107"`, or a literal private-use character, in a rule or a custom property.
DRAWN = re.compile(r'(?:content|--pst-[a-z-]+):\s*"([^"]*)"')
PRIVATE_USE = re.compile(r"\\(f[0-9a-f]{3})|([\ue000-\uf8ff])")
# One icon of the script's solid pack: `bars:[448,512,["navicon"],"f0c9","M0 96C..."]`.
ICON_DEF = re.compile(
    r'(?:"[a-z0-9-]+"|[a-z0-9]+):\[(\d+),(\d+),\[[^\]]*\],"([0-9a-f]+)","([^"]+)"\]'
)

# Metrics of Font Awesome 6's own fonts, so icons sit where the theme's CSS expects them.
UNITS_PER_EM, ASCENT, DESCENT = 512, 448, -64


def icon_outlines(script: str, style: str) -> dict[int, tuple[int, str]]:
    """code point -> (advance width, SVG path) for one style's icons defined in fontawesome.js
    (its packs are defined in the order brands, regular, solid)."""
    ends = {name: script.index(f'd("{prefix}",p)') for name, prefix in PACKS.items()}
    order = sorted(ends, key=ends.get)
    start = ends[order[order.index(style) - 1]] if order.index(style) else 0
    return {
        int(code, 16): (int(width), path)
        for width, _height, code, path in ICON_DEF.findall(script[start : ends[style]])
    }


def icons_in_use(
    pages: list[Path], css_texts: list[str], outlines: dict[str, dict[int, tuple[int, str]]]
) -> dict[str, set[int]]:
    """Per style, the code points of the icon classes the pages use and of the icons the
    stylesheets draw themselves (the theme's CSS, e.g. GitHub's logo before a link to it)."""
    table: dict[str, int] = {}
    drawn: set[int] = set()
    for css in css_texts:
        for selectors, code in ICON_RULE.findall(css):
            for name in re.findall(r"\.(fa-[a-z0-9-]+):before", selectors):
                table[name] = int(code, 16)
        for content in DRAWN.findall(ICON_RULE.sub("", css)):
            drawn |= {int(e, 16) if e else ord(c) for e, c in PRIVATE_USE.findall(content)}
    used = {style: drawn & set(outlines[style]) for style in FONTS}
    for page in pages:
        for classes in CLASS_ATTR.findall(page.read_text(encoding="utf-8")):
            names = set(classes.split())
            style = next((s for s, prefixes in STYLE_CLASSES.items() if names & prefixes), "solid")
            if style in used:
                used[style] |= {table[c] for c in names if c in table}
    return used


def build_icon_font(
    outlines: dict[int, tuple[int, str]], codepoints: set[int], family: str, weight: int
) -> FontBuilder:
    missing = sorted(f"{c:x}" for c in codepoints if c not in outlines)
    if missing:
        raise ValueError(f"light_pages: no outline in {FONTAWESOME_JS} for {family} {missing}")
    names = [".notdef"] + [f"u{c:04X}" for c in sorted(codepoints)]
    fb = FontBuilder(UNITS_PER_EM, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({c: f"u{c:04X}" for c in codepoints})
    charstrings, widths = {}, {".notdef": (UNITS_PER_EM, 0)}
    charstrings[".notdef"] = T2CharStringPen(UNITS_PER_EM, None).getCharString()
    for c in sorted(codepoints):
        width, path = outlines[c]
        pen = T2CharStringPen(width, None)
        parse_path(path, TransformPen(pen, (1, 0, 0, -1, 0, ASCENT)))  # SVG y runs down
        charstrings[f"u{c:04X}"] = pen.getCharString()
        widths[f"u{c:04X}"] = (width, 0)
    fb.setupCFF(family.replace(" ", "") + "-Subset", {"FullName": family}, charstrings, {})
    fb.setupHorizontalMetrics(widths)
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(
        sTypoAscender=ASCENT,
        sTypoDescender=DESCENT,
        usWinAscent=ASCENT,
        usWinDescent=-DESCENT,
        usWeightClass=weight,
    )
    fb.setupPost()
    fb.font["head"].created = fb.font["head"].modified = 0  # same bytes on every build
    fb.font.recalcTimestamp = False
    return fb


def _write_root_redirect(app) -> None:
    """A real page for `/`: title, favicon, meta refresh and a link (sphinx-external-toc, which
    runs after this, then leaves the existing file alone)."""
    if app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    # The favicon inline: a link to a file would be requested and then cut off by the redirect.
    favicon = Path(app.srcdir, app.config.html_favicon or "")
    icon = ""
    if favicon.is_file():
        data = base64.b64encode(favicon.read_bytes()).decode("ascii")
        kind = mimetypes.guess_type(favicon.name)[0]
        icon = f'<link rel="icon" href="data:{kind};base64,{data}">\n'
    title = html.escape(app.config.html_title or app.config.project)
    (Path(app.outdir) / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n{icon}"
        f'<meta http-equiv="Refresh" content="0; url={target}">\n</head>\n'
        f'<body><p><a href="{target}">{title}</a></p></body>\n</html>\n',
        encoding="utf-8",
    )


def lighten_site(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lighter = SCRIPT_TAG.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
    css_texts = [p.read_text(encoding="utf-8") for p in sorted(static.rglob("*.css"))]
    script = FONTAWESOME_JS.read_text(encoding="utf-8")
    outlines = {style: icon_outlines(script, style) for style in FONTS}
    used = icons_in_use(pages, css_texts, outlines)
    for style, (filename, family, weight) in FONTS.items():
        font = build_icon_font(outlines[style], used[style], family, weight).font
        font.flavor = "woff"
        font.save(static / filename)
    for name in REMOVED:
        (static / name).unlink(missing_ok=True)
    _write_root_redirect(app)


def setup(app):
    app.add_css_file(ICON_CSS, priority=900)  # after the theme's stylesheets: its @font-face wins
    # Before sphinx-external-toc's redirect writer (priority 500), which skips an existing file.
    app.connect("build-finished", lighten_site, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
