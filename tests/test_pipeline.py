"""The pipeline as a whole: bad data stop it before anything reaches the site, and a forced
re-execution of every notebook reproduces the committed outputs byte for byte."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstoreport.paths import ROOT

TREE = ["cstoreport", "notebooks", "data", "book", "_ext"]
FILES = ["requirements.txt", "_config.yml", "_toc.yml", "CITATION.cff"]


def copy_tree(dest: Path) -> Path:
    for name in TREE:
        shutil.copytree(ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "_build"))
    for name in FILES:
        shutil.copy(ROOT / name, dest / name)
    return dest


def run_in(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run([sys.executable, "-m", *args], cwd=copy, env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("relative, old, new, where", [
    ("data/states.csv", "ARM,Armenia", "ARM,", "states.csv, row 3, field 'name'"),
    ("data/events.csv", "E014,may_2021,2021-05-12,", "E014,may_2021,2021-05-32,",
     "events.csv, row 15, field 'date'"),
    ("data/raw/armstat_trade_by_country_monthly.csv", '"Afghanistan",2024,2,0,0.26,',
     '"Afghanistan",2024,2,0,-0.26,', "armstat_trade_by_country_monthly.csv, row 2, "
                                       "field 'import_origin'"),
])
def test_bad_data_stop_the_build_before_the_site_is_written(tmp_path, relative, old, new, where):
    copy = copy_tree(tmp_path)
    path = copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_in(copy, "cstoreport.build.pipeline", "html")
    assert result.returncode != 0
    assert where in result.stderr
    assert not (copy / "_build" / "html").exists()
    assert not any((copy / "_build").glob(".nbstate/*.json")) if (copy / "_build").exists() else True


def test_forced_re_execution_reproduces_committed_outputs(tmp_path):
    copy = copy_tree(tmp_path)
    result = run_in(copy, "cstoreport.build.run_notebooks", "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    compared = 0
    for pattern in ("notebooks/*.ipynb", "book/figures/*.png", "book/tables/*.csv",
                    "book/generated/*.md", "data/derived/*.csv"):
        for original in sorted(ROOT.glob(pattern)):
            rerun = copy / original.relative_to(ROOT)
            assert rerun.read_bytes() == original.read_bytes(), \
                f"{original.relative_to(ROOT)} changed on re-execution"
            compared += 1
    assert compared > 30
