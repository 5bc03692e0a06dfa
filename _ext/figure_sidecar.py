"""A figure's sidecar, `figures/NAME.json` beside `figures/NAME.png` (written by
`cstoreport.style.save`), tells the page how to show it:

- `alt`: the figure's finding with its key numbers, computed from the data by the figure's
  module. When the sidecar has one, it is the image's alt text in every edition, and a page
  that types its own `:alt:` for that figure is refused (a warning, so the strict build fails):
  alt text is never typed where the data give it. When the sidecar's `alt` is null the page's
  `:alt:` stays.
- `narrow`: a second PNG, the same finding laid out for a phone (stacked panels). In HTML the
  image is then served as
  `<picture><source media="(max-width: 640px)" srcset=".../NAME_narrow.png"><img ...></picture>`
  and the narrow PNG is copied to `_images` beside the wide one. The PDF is unchanged: LaTeX
  sees the same image node, and only the images placed in a page are copied for it.

Only images under a folder named `figures` with a sidecar are touched; notebook outputs and
other images are left as they are.
"""

from __future__ import annotations

import json
import posixpath
import urllib.parse
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

NARROW_MEDIA = "(max-width: 640px)"  # phones, in CSS pixels (book/_static/narrow-screens.css)


def sidecar_path(image: Path) -> Path | None:
    """The sidecar of a report figure (`figures/NAME.png` -> `figures/NAME.json`), if any."""
    if image.suffix != ".png" or image.parent.name != "figures":
        return None
    path = image.with_suffix(".json")
    return path if path.is_file() else None


def read_sidecar(path: Path) -> dict:
    """The sidecar's `alt` and `narrow` (the other fields are the figure check's), checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable JSON sidecar ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the sidecar is not a JSON object")
    for field in ("alt", "narrow"):
        value = data.get(field)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise ValueError(f"{path}: field {field!r} must be a non-empty string or null")
    narrow = data.get("narrow")
    if narrow is not None and (Path(narrow).name != narrow or not narrow.endswith(".png")):
        raise ValueError(f"{path}: field 'narrow' must name a PNG file beside it, not {narrow!r}")
    return data


def apply_sidecars(app, doctree) -> None:
    """After Sphinx's image collector (which makes each image's uri relative to the source
    folder): alt text from the sidecar, and the narrow PNG registered as an image of the page."""
    env = app.env
    srcdir = Path(app.srcdir)
    for node in doctree.findall(nodes.image):
        uri = node.get("uri", "")
        if "://" in uri or uri.startswith("data:"):
            continue
        image = srcdir / uri
        path = sidecar_path(image)
        if path is None:
            continue
        env.note_dependency(str(path))
        try:
            sidecar = read_sidecar(path)
        except ValueError as exc:
            logger.warning(str(exc), location=node, type="figure_sidecar", subtype="invalid")
            continue
        if sidecar.get("alt"):
            if node.get("alt"):
                logger.warning(
                    f"{uri}: the page types an :alt: for this figure, but its sidecar "
                    f"{path.name} gives the alt text (computed from the data); remove the "
                    "page's :alt:",
                    location=node,
                    type="figure_sidecar",
                    subtype="typed_alt",
                )
            node["alt"] = sidecar["alt"]
        if sidecar.get("narrow"):
            narrow = image.parent / sidecar["narrow"]
            if not narrow.is_file():
                logger.warning(
                    f"{path}: names a narrow layout {sidecar['narrow']} that does not exist",
                    location=node,
                    type="figure_sidecar",
                    subtype="narrow",
                )
                continue
            narrow_uri = narrow.relative_to(srcdir).as_posix()
            env.images.add_file(env.docname, narrow_uri)
            env.note_dependency(str(narrow))
            node["narrow"] = narrow_uri


def copy_narrow_images(app, doctree, docname) -> None:
    """HTML only: the narrow PNGs of the page's figures are copied to _images with the others
    (the builder copies what its `images` map names)."""
    if app.builder.format != "html":
        return
    for node in doctree.findall(nodes.image):
        narrow = node.get("narrow")
        if narrow and narrow in app.env.images:
            app.builder.images[narrow] = app.env.images[narrow][1]


def _narrow_file(translator, node) -> str | None:
    narrow = node.get("narrow")
    return translator.builder.images.get(narrow) if narrow else None


def visit_image(self, node) -> None:
    narrow = _narrow_file(self, node)
    if narrow:
        src = posixpath.join(self.builder.imgpath, urllib.parse.quote(narrow))
        self.body.append(f'<picture><source media="{NARROW_MEDIA}" srcset="{self.attval(src)}">')
    type(self).visit_image(self, node)  # the translator's own <img>


def depart_image(self, node) -> None:
    type(self).depart_image(self, node)
    if _narrow_file(self, node):
        self.body.append("</picture>")


def setup(app):
    # After sphinx.environment.collectors.asset.ImageCollector (priority 500).
    app.connect("doctree-read", apply_sidecars, priority=600)
    app.connect("doctree-resolved", copy_narrow_images)
    app.add_node(nodes.image, override=True, html=(visit_image, depart_image))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
