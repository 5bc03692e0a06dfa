"""The pinned linter (ruff, settings in ruff.toml) finds nothing in the module, the tests, the
Sphinx extensions or the notebooks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cstoreport.paths import ROOT

RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["cstoreport", "tests", "_ext", "notebooks"]


def test_ruff_finds_nothing():
    result = subprocess.run([str(RUFF), "check", "--no-cache", *CHECKED], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_an_unused_import(tmp_path):
    (tmp_path / "ruff.toml").write_bytes((ROOT / "ruff.toml").read_bytes())
    (tmp_path / "bad.py").write_text("import os\n")
    result = subprocess.run([str(RUFF), "check", "--no-cache", "bad.py"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "F401" in result.stdout
