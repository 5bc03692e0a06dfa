"""The notebook runner re-executes exactly what a change affects (decided by the fingerprints
committed in notebooks.lock), and a run reproduces the outputs the lock records."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstoreport.machinery import run_notebooks
from cstoreport.paths import ROOT


def stale_in(copy: Path) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(copy))
    out = subprocess.run(
        [sys.executable, "-m", "cstoreport.machinery.run_notebooks", "--list-stale"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


@pytest.fixture
def built_copy(tmp_path: Path) -> Path:
    """A copy of the committed tree, as a fresh clone has it (no _build)."""
    for name in ("cstoreport", "notebooks", "data", "book"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "_build")
        )
    for name in ("requirements.txt", "notebooks.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_fresh_clone_has_nothing_to_execute(built_copy):
    assert stale_in(built_copy) == set()


def test_without_the_lock_every_notebook_is_stale(built_copy):
    (built_copy / "notebooks.lock").unlink()
    notebooks = {f"notebooks/{p.name}" for p in (built_copy / "notebooks").glob("*.ipynb")}
    assert stale_in(built_copy) == notebooks


def test_a_data_edit_makes_only_its_notebook_stale(built_copy):
    mirror = built_copy / "data" / "trade_mirror_reported.csv"
    mirror.write_text(mirror.read_text().replace(",47.2,", ",47.3,"), encoding="utf-8")
    # robustness.ipynb accounts for every alternative row, the partner-reported ones included
    assert stale_in(built_copy) == {"notebooks/trade_series.ipynb", "notebooks/robustness.ipynb"}


def test_a_prose_edit_executes_nothing_but_a_code_or_output_edit_does(built_copy):
    import nbformat

    path = built_copy / "notebooks" / "alternatives.ipynb"
    nb = nbformat.read(path, as_version=4)
    markdown = next(c for c in nb.cells if c.cell_type == "markdown")
    markdown.source += " Edited."
    nbformat.write(nb, path)
    assert stale_in(built_copy) == set()
    code = next(c for c in nb.cells if c.cell_type == "code" and c.outputs)
    code.outputs = []  # outputs stripped by hand
    nbformat.write(nb, path)
    assert stale_in(built_copy) == {"notebooks/alternatives.ipynb"}


def test_a_deleted_output_makes_its_notebook_stale(built_copy):
    (built_copy / "book" / "figures" / "trade_mirror.png").unlink()
    assert stale_in(built_copy) == {"notebooks/trade_series.ipynb"}


def test_a_module_edit_makes_every_notebook_stale(built_copy):
    module = built_copy / "cstoreport" / "style.py"
    module.write_text(module.read_text() + "\n# edited\n", encoding="utf-8")
    notebooks = {f"notebooks/{p.name}" for p in (built_copy / "notebooks").glob("*.ipynb")}
    assert stale_in(built_copy) == notebooks


def test_notebooks_declare_their_inputs_and_outputs():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        inputs, outputs = run_notebooks.declared(nbformat.read(path, as_version=4))
        assert inputs and outputs, path.name
        for p in inputs:
            assert (ROOT / p).exists(), f"{path.name} declares a missing input {p}"


def test_a_module_edit_makes_only_the_notebooks_that_import_it_stale(built_copy):
    module = built_copy / "cstoreport" / "analysis" / "trade.py"
    module.write_text(module.read_text() + "\n# edited\n", encoding="utf-8")
    assert stale_in(built_copy) == {
        "notebooks/trade_series.ipynb",
        "notebooks/claims_audit.ipynb",
        "notebooks/robustness.ipynb",
        # its 2025 figure checks first releases (analysis.first_releases uses analysis.trade)
        "notebooks/trade_composition.ipynb",
    }


def test_an_edit_to_build_tooling_makes_nothing_stale(built_copy):
    tool = built_copy / "cstoreport" / "machinery" / "benchmark.py"
    tool.write_text(tool.read_text() + "\n# edited\n", encoding="utf-8")
    assert stale_in(built_copy) == set()


def test_an_edit_to_the_validator_s_internals_makes_nothing_stale(built_copy):
    """A notebook's fingerprint covers the data API it reads tables through, not how the
    validator checks them and words its messages."""
    for name in sorted(run_notebooks.NOT_FINGERPRINTED):
        tool = built_copy / name
        tool.write_text(tool.read_text() + "\n# edited\n", encoding="utf-8")
    assert stale_in(built_copy) == set()


def test_an_edit_to_the_data_api_makes_every_notebook_stale(built_copy):
    for name in ("tables.py", "schema.py"):
        module = built_copy / "cstoreport" / name
        module.write_text(module.read_text() + "\n# edited\n", encoding="utf-8")
        notebooks = {f"notebooks/{p.name}" for p in (built_copy / "notebooks").glob("*.ipynb")}
        assert stale_in(built_copy) == notebooks
        module.write_text(module.read_text().removesuffix("\n# edited\n"), encoding="utf-8")


def test_the_lock_records_every_notebook_and_its_outputs():
    """Each notebook's outputs are compared with these records right after nbval executes it
    (the item `outputs match notebooks.lock` that tests/conftest.py adds to every notebook)."""
    lock = run_notebooks.read_lock()
    assert set(lock) == {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert sum(len(state["outputs"]) for state in lock.values()) > 30


def test_a_notebook_that_writes_to_stderr_fails_naming_the_cell_and_quoting_the_text(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A notebook"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import sys\nsys.stderr.write('building the font cache\\n')"),
    ]
    path = tmp_path / "noisy.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RuntimeError) as failure:
        run_notebooks.execute(path)
    message = str(failure.value)
    assert "cell 3 (`import sys`) wrote to stderr: 'building the font cache'" in message, message


def test_an_error_names_the_cell_and_quotes_the_exception():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n  total = load()\nshow(total)")]
    nb.cells[0].outputs = [
        nbformat.v4.new_output("error", ename="KeyError", evalue="'year'", traceback=[])
    ]
    assert run_notebooks.cell_problem(nb) == "cell 1 (`total = load()`) raised KeyError: \"'year'\""
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine")]
    assert run_notebooks.cell_problem(nb) is None
