"""Citation metadata: valid CITATION.cff whose version the book shows."""

from __future__ import annotations

import yaml

from cstoreport.paths import ROOT


def test_citation_cff_is_complete_and_matches_the_book():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for key in (
        "cff-version",
        "message",
        "title",
        "version",
        "authors",
        "license",
        "date-released",
    ):
        assert cff.get(key), key
    # The version is written in CITATION.cff only; _ext/citation_version.py feeds the book.
    assert "release:" not in (ROOT / "_config.yml").read_text()
    intro = (ROOT / "_build" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    assert f"Version {cff['version']}" in intro
    cite_page = (ROOT / "book" / "generated" / "citation.md").read_text()
    assert f"Version {cff['version']}" in cite_page and cff["title"] in cite_page
    assert "generated/citation.md" in (ROOT / "book" / "how-to-cite.md").read_text()


def test_licences_are_stated():
    text = (ROOT / "LICENSE").read_text()
    assert "MIT License" in text and "CC BY 4.0" in text


def test_citation_cff_validates_against_the_cff_schema():
    # The Citation File Format 1.2.0 JSON schema (CC BY 4.0, citation-file-format project),
    # copied from the cffconvert 2.0.0 wheel so the check runs offline and without cffconvert,
    # which would downgrade jsonschema under frictionless.
    import json

    import jsonschema

    schema = json.loads(
        (ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json").read_text()
    )
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    cff["date-released"] = str(cff["date-released"])  # YAML reads it as a date object
    jsonschema.validate(cff, schema)
