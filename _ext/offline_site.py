"""Keep the built site self-contained: drop the Thebe live-code scripts.

The report offers no live kernels, and sphinx-thebe (pulled in by Jupyter Book) adds its
configuration script twice under Sphinx 7.4, which is a JavaScript error on every page, and
points at a third-party script URL. Removing both leaves pages that load nothing from outside.
"""

from __future__ import annotations


def _is_thebe(asset) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
