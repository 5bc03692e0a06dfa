"""What the reader reads, in both editions:

- A count glued with the format `w` (`{glue:text}`nb.ipynb::key:w``) is written as prose writes
  it: zero to nine in words, larger numbers in digits; `W` capitalises it at a sentence's start
  (`cstoreport.gluing.count_words`). myst-nb's {glue:text} applies Python's format() to the value,
  which knows no such format, so the function that formats glued text learns it here.
- The bibliography keeps each title's capitals as written in book/references.bib, which records
  them as published (pybtex's "plain" style lowercases every title word but the first, so that
  "CSTO" would read "csto"): the style `plain_as_published`, set as bibtex_default_style.

Sphinx formats glued text and bibliography entries when it reads a page, and rereads a page only
when the page changed: `reader_text_stamp` (this file and the bibliography style) tells it to
reread every page when either changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import myst_nb.core.variables
import myst_nb.ext.glue.crossref
import myst_nb.ext.glue.roles
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence

from cstoreport.gluing import COUNT_FORMATS, count_words

_FORMAT_PLAIN_TEXT = myst_nb.core.variables.format_plain_text


def format_plain_text(text: str, fmt_spec: str) -> str:
    if fmt_spec in COUNT_FORMATS:
        return count_words(float(text), fmt_spec)
    return _FORMAT_PLAIN_TEXT(text, fmt_spec)


class PlainAsPublished(PlainStyle):
    """pybtex's plain style, less the change of case of titles."""

    def format_title(self, e, which_field, as_sentence=True):
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title


def stamp(app, config) -> None:
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    config.reader_text_stamp = f"{digest}:{config.bibtex_default_style}"


def setup(app):
    app.add_config_value("reader_text_stamp", "", "env")
    app.connect("config-inited", stamp)
    for module in (myst_nb.core.variables, myst_nb.ext.glue.roles, myst_nb.ext.glue.crossref):
        module.format_plain_text = format_plain_text
    register_plugin("pybtex.style.formatting", "plain_as_published", PlainAsPublished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
