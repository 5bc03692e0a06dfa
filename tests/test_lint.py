"""The pinned linter (ruff, settings in pyproject.toml: pyflakes, pycodestyle, bugbear,
pyupgrade, simplify, import order) finds nothing in the module, the tests, the Sphinx
extensions, the scripts or the notebooks; the files in FORMATTED are as its formatter writes
them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cstoreport.paths import ROOT

RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["cstoreport", "tests", "_ext", "scripts", "notebooks"]
# The whole tree, notebooks included, is as `ruff format` writes it.
FORMATTED = CHECKED


def test_ruff_finds_nothing():
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_as_the_formatter_writes_it():
    result = subprocess.run(
        [str(RUFF), "format", "--check", "--no-cache", *FORMATTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def checked_in_scratch(tmp_path: Path, name: str, code: str, *command: str):
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    (tmp_path / name).write_text(code)
    return subprocess.run(
        [str(RUFF), *command, "--no-cache", name], cwd=tmp_path, capture_output=True, text=True
    )


def test_ruff_reports_an_unused_import(tmp_path):
    result = checked_in_scratch(tmp_path, "bad.py", "import os\n", "check")
    assert result.returncode == 1 and "F401" in result.stdout


def test_ruff_reports_imports_out_of_order_and_a_bugbear(tmp_path):
    code = "import sys\nimport os\n\n\ndef f(x=[]):\n    return x, os, sys\n"
    result = checked_in_scratch(tmp_path, "bad.py", code, "check")
    assert result.returncode == 1 and "I001" in result.stdout and "B006" in result.stdout


def test_the_formatter_check_reports_unformatted_code(tmp_path):
    result = checked_in_scratch(tmp_path, "bad.py", "x = {  'a':1 }\n", "format", "--check")
    assert result.returncode == 1
