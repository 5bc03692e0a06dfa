"""`make verify` re-executes notebooks from the data and says, in plain words, what moved.

Each test executes one small notebook once (nbval executes every notebook anyway)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from cstoreport.machinery import verify
from cstoreport.paths import ROOT


def test_the_committed_tree_verifies():
    result = subprocess.run(
        ["make", "--no-print-directory", "verify", "NB=alternatives"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(
        r"notebooks/alternatives.ipynb: \d+ cells, \d+ glued values, \d+ figures?, "
        r"\d+ figure sidecars?: all identical",
        result.stdout,
    ), result.stdout
    assert result.stdout.rstrip().endswith("table in the repository.")


def test_a_changed_data_value_fails_and_names_the_number_and_figure_that_moved(tmp_path):
    copy = verify.copy_tree(tmp_path)
    (copy / "tests").mkdir()
    shutil.copy(verify.SANITIZE_RULES, copy / "tests" / verify.SANITIZE_RULES.name)
    forces = copy / "data" / "collective_forces.csv"
    old = "F11,CRRF,whole,Collective Rapid Reaction Force (CRRF/KSOR),22000,"
    assert old in forces.read_text(encoding="utf-8")
    forces.write_text(
        forces.read_text(encoding="utf-8").replace(old, old.replace("22000", "23000")),
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(copy))
    result = subprocess.run(
        [sys.executable, "-m", "cstoreport.machinery.verify", "organisation"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(
        r"glued value 'crrf_whole_max' \(cell \d+\): committed 22000, rerun 23000", result.stdout
    ), result.stdout
    assert "figure book/figures/organisation_forces.png differs: pixels changed" in result.stdout
    assert "NOT VERIFIED" in result.stdout
    assert "22000.0" in result.stdout and "23000.0" in result.stdout  # the displayed table cell


def test_a_table_difference_names_row_key_and_field():
    old = b"mirror_id,partner,value\nM01,RUS,47.2\nM02,KAZ,3.1\n"
    new = b"mirror_id,partner,value\nM01,RUS,47.3\nM02,KAZ,3.1\n"
    assert (
        verify.table_difference(old, new, ["mirror_id"])
        == "row 2 (mirror_id=M01), field 'value': committed '47.2', rerun '47.3'"
        " (1 of 2 rows differ)"
    )


def test_added_rows_are_named_by_key_not_as_a_cascade_of_changes():
    old = b"source_id,kind\nb,news\nc,news\n"
    new = b"source_id,kind\na,news\nb,news\nc,news\n"
    assert (
        verify.table_difference(old, new, ["source_id"])
        == "committed 2 rows, rerun 3: 1 row only in the rerun (first: source_id=a)"
    )


def test_a_figure_difference_names_the_region_that_changed(tmp_path):
    from PIL import Image

    a, b = Image.new("RGB", (40, 30), "white"), Image.new("RGB", (40, 30), "white")
    b.putpixel((10, 5), (0, 0, 0))
    a.save(tmp_path / "a.png")
    b.save(tmp_path / "b.png")
    assert (
        verify.figure_difference(tmp_path / "a.png", tmp_path / "b.png")
        == "pixels changed in the region x 10–11, y 5–6 of 40×30"
    )


def test_a_notebook_is_verified_with_the_notebooks_whose_tables_it_reads():
    from cstoreport.machinery.run_notebooks import declared

    overview = verify.notebook_path("overview")
    chronology = verify.notebook_path("incident_chronology")
    written_by = verify.producers()
    upstream = {written_by[i] for i in declared(overview)[0] if i in written_by}
    assert chronology in upstream  # the overview reads the response lags
    found = set(verify.with_upstream([overview]))
    assert upstream | {overview} <= found
    reads = {i for nb in found for i in declared(nb)[0]}
    for nb in found - {overview}:  # each one writes something another of them reads
        assert set(declared(nb)[1]) & reads, nb.name
    assert verify.with_upstream([chronology]) == [chronology]  # reads source data only


def test_each_page_names_the_notebooks_whose_results_it_shows():
    def on(page: str) -> list[str]:
        return [p.stem for p in verify.page_notebooks(ROOT / page)]

    assert on("book/trade.md") == ["trade_series"]
    # The first page places the overview's figure and glues each finding from the notebook that
    # owns it, and beside them their robustness, the trade decomposition, the context (cut-off,
    # exodus) and the claims' materiality.
    assert sorted(on("book/intro.md")) == [
        "claims_audit",
        "context",
        "incident_chronology",
        "membership_history",
        "overview",
        "robustness",
        "trade_composition",
        "trade_series",
    ]
    assert "organisation" in on("book/organisation.md")
    # the methods glue the second review's agreement from the claims audit
    assert on("book/methods.md") == ["claims_audit"]
    assert on("book/analysis.md") == ["context", "drift"]  # the cut-off date comes from context
    assert on("notebooks/alternatives.ipynb") == ["alternatives"]


def test_every_page_that_shows_notebook_results_says_how_to_verify_it():
    """In the built site (run after `make book`): the box names the command and the data read."""
    import yaml

    from cstoreport.machinery.run_notebooks import declared

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    boxed = 0
    for page in pages:
        source = next(ROOT.glob(f"{page}.*"))
        html = ROOT / "_build" / "html" / f"{page}.html"
        assert html.exists(), f"{html} missing: run `make book` first"
        box = re.search(
            r'<div class="[^"]*how-to-verify[^"]*">(.*?)</div>',
            html.read_text(encoding="utf-8"),
            re.S,
        )
        notebooks = verify.page_notebooks(source)
        if not notebooks:
            assert box is None, page
            continue
        assert box, f"{page} shows results of {[nb.stem for nb in notebooks]} but has no box"
        text = re.sub(r"<[^>]+>", "", box.group(1)).replace("&quot;", '"')
        assert verify.verify_command(notebooks) in text, page
        for data in {i for nb in notebooks for i in declared(nb)[0]}:
            assert data in text, f"{page}: {data} not named"
        boxed += 1
    assert boxed >= 16  # the first page, seven chapters and eight notebooks


def test_a_file_the_run_changes_without_declaring_it_is_reported(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "stray.csv").write_text("a\n1\n")
    shutil.copy(ROOT / "data" / "states.csv", tmp_path / "data" / "states.csv")
    (tmp_path / "data" / "events.csv").write_text("changed\n")
    assert verify.other_changes(tmp_path, []) == [
        "data/events.csv: changed by the run, though no notebook declares it as an output",
        "data/stray.csv: written by the run, not in the repository",
    ]
