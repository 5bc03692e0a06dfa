"""The pipeline as a whole: bad data stop it before anything is executed or reaches the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstoreport.paths import ROOT

TREE = ["cstoreport", "notebooks", "data", "book", "_ext"]
FILES = ["requirements.txt", "_config.yml", "_toc.yml", "CITATION.cff", "notebooks.lock"]


def copy_tree(dest: Path) -> Path:
    for name in TREE:
        shutil.copytree(
            ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "_build")
        )
    for name in FILES:
        shutil.copy(ROOT / name, dest / name)
    return dest


def run_in(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=copy, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "relative, old, new, where",
    [
        ("data/states.csv", "ARM,Armenia", "ARM,", "states.csv, row 3, field 'name'"),
        (
            "data/events.csv",
            "E014,may_2021,2021-05-12,",
            "E014,may_2021,2021-05-32,",
            "events.csv, row 15, field 'date'",
        ),
        (
            "data/raw/armstat_trade_by_country_monthly.csv",
            '"Afghanistan",2024,2,0,0.26,',
            '"Afghanistan",2024,2,0,-0.26,',
            "armstat_trade_by_country_monthly.csv, row 2, field 'import_origin'",
        ),
    ],
)
def test_bad_data_stop_the_build_before_the_site_is_written(tmp_path, relative, old, new, where):
    copy = copy_tree(tmp_path)
    # What this tree's last check passed: the tables the test leaves alone are not checked
    # again, so the corrupted one (a new version) is what the run must catch.
    stamps = ROOT / "_build" / ".stamps" / "check_data.json"
    if stamps.exists():
        (copy / "_build" / ".stamps").mkdir(parents=True)
        shutil.copy(stamps, copy / "_build" / ".stamps" / stamps.name)
    path = copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_in(copy, "cstoreport.machinery.pipeline", "html")
    assert result.returncode != 0
    assert where in result.stderr
    assert not (copy / "_build" / "html").exists()
    assert "executing" not in result.stdout
    assert (copy / "notebooks.lock").read_bytes() == (ROOT / "notebooks.lock").read_bytes()


def test_the_graph_shows_every_figure_and_table_a_page_places_as_a_notebook_output():
    from cstoreport.machinery import pipeline, run_notebooks

    written = {
        o for p in (ROOT / "notebooks").glob("*.ipynb") for o in run_notebooks.declared(p)[1]
    }
    placed = {
        f
        for page in (ROOT / "book").glob("*.md")
        for f in pipeline.page_references(page)
        if f.startswith(("book/figures/", "book/tables/"))
    }
    assert len(placed) >= 20
    assert placed - written == set(), "a page places a file that no notebook declares"
    graph = pipeline.graph()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{path.name}\n" in graph
    assert "-> book/figures/trade_mirror.png  => book/trade.md" in graph


def test_generated_pages_are_written_again_only_when_a_page_or_what_it_is_written_from_changed(
    tmp_path,
):
    copy = copy_tree(tmp_path)
    page = copy / "book" / "generated" / "citation.md"
    stamp = copy / "_build" / ".stamps" / "pages.json"
    assert run_in(copy, "cstoreport.machinery.pages").returncode == 0
    assert stamp.exists()
    written = page.read_text(encoding="utf-8")

    page.write_text("edited by hand\n", encoding="utf-8")
    assert run_in(copy, "cstoreport.machinery.pages").returncode == 0
    assert page.read_text(encoding="utf-8") == written

    cff = copy / "CITATION.cff"
    cff.write_text(
        cff.read_text(encoding="utf-8").replace("reproducible report", "reproducible study"),
        encoding="utf-8",
    )
    assert run_in(copy, "cstoreport.machinery.pages").returncode == 0
    assert "reproducible study" in page.read_text(encoding="utf-8")

    stamped = stamp.read_text()
    (copy / "book" / "generated" / "claims_summary.md").unlink()
    assert run_in(copy, "cstoreport.machinery.pages").returncode == 0
    assert (copy / "book" / "generated" / "claims_summary.md").exists()
    assert stamp.read_text() == stamped


def test_the_code_behind_the_how_to_verify_boxes_is_watched_by_the_book_build():
    """The book is built again when the extensions change or the code of the report's package
    they import (the how-to-verify boxes are written by cstoreport.machinery.verify), not
    when only the analysis code changes (the notebooks' stored outputs are what the book shows).
    """
    from cstoreport.machinery import jupyterbook

    watched = {p.relative_to(ROOT).as_posix() for p in jupyterbook.inputs()}
    assert {
        "_ext/verify_box.py",
        "cstoreport/machinery/verify.py",
        "cstoreport/machinery/run_notebooks.py",
        "cstoreport/paths.py",
        "cstoreport/__init__.py",
    } <= watched
    assert "cstoreport/analysis/trade.py" not in watched


def test_an_edit_to_the_verify_box_code_rebuilds_the_book(tmp_path, monkeypatch):
    from cstoreport.machinery import jupyterbook

    copy = copy_tree(tmp_path)
    monkeypatch.setattr(jupyterbook, "ROOT", copy)
    before = jupyterbook.fingerprint()
    module = copy / "cstoreport" / "machinery" / "verify.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert jupyterbook.fingerprint() != before


def test_the_page_generators_are_watched_by_the_generated_pages():
    from cstoreport.machinery import pages

    watched = {p.relative_to(ROOT).as_posix() for p in pages.input_files()}
    assert {"cstoreport/machinery/pages.py", "cstoreport/analysis/claims.py"} <= watched
