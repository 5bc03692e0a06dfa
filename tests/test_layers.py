"""The rooms of the package import one way (pyproject.toml, [tool.importlinter]): the
machinery (`cstoreport.machinery`) uses the analysis, the analysis uses the data API
(`cstoreport.tables`), the figure style and gluing, and none of them reaches back up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from cstoreport.paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package in `tree`, with the contracts of its pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True
    )


def test_the_rooms_import_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def planted(tmp_path: Path, module: str, line: str) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "cstoreport", tree / "cstoreport", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    path = tree / "cstoreport" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tree


def test_an_analysis_module_that_imports_the_machinery_is_caught(tmp_path):
    result = lint_imports(
        planted(tmp_path, "analysis/trade.py", "from cstoreport.machinery import validate  # noqa")
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cstoreport.analysis.trade -> cstoreport.machinery.validate" in result.stdout


def test_the_data_api_that_imports_the_analysis_is_caught(tmp_path):
    result = lint_imports(
        planted(tmp_path, "tables.py", "from cstoreport.analysis import trade  # noqa")
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cstoreport.tables -> cstoreport.analysis.trade" in result.stdout


def test_the_analysis_reaching_past_the_data_api_is_caught(tmp_path):
    result = lint_imports(
        planted(
            tmp_path, "analysis/context.py", "from cstoreport.validation import bib_keys  # noqa"
        )
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cstoreport.analysis.context -> cstoreport.validation" in result.stdout
