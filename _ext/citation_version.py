"""One place for the report's version: CITATION.cff.

The book's title page, the PDF and the "How to cite" page all take the version and release
date from CITATION.cff, so a new version is one edit there (and a CHANGELOG.md entry).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml


def read_citation(root: Path) -> tuple[str, str]:
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    released = cff["date-released"]
    if isinstance(released, str):
        released = datetime.date.fromisoformat(released)
    return str(cff["version"]), f"{released.day} {released:%B %Y}"


def apply_version(app, config):
    version, today = read_citation(Path(app.confdir))
    config.version = config.release = version
    config.today = today
    config.myst_substitutions = {**(config.myst_substitutions or {}), "version": version}


def setup(app):
    app.connect("config-inited", apply_version, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
