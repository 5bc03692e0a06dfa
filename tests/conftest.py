"""Shared test helpers: a scratch copy of the data package that a test may corrupt."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstoreport.paths import ROOT


@pytest.fixture
def scratch(tmp_path: Path):
    """A copy of data/ and book/references.bib; returns helpers to corrupt and validate it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", tmp_path / "book" / "references.bib")

    class Scratch:
        root = tmp_path
        package = tmp_path / "data" / "datapackage.json"
        bib = tmp_path / "book" / "references.bib"

        def path(self, relative: str) -> Path:
            return tmp_path / "data" / relative

        def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
            p = self.path(relative)
            text = p.read_text(encoding="utf-8")
            assert old in text, f"test setup: {old!r} not in {relative}"
            p.write_text(text.replace(old, new, count), encoding="utf-8")

        def append(self, relative: str, line: str) -> None:
            with open(self.path(relative), "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    return Scratch()


@pytest.fixture(scope="session")
def built_book():
    """The HTML site and the PDF, built by the same pipeline as `make book` (quick when a
    build is up to date, as it is inside `make test`)."""
    for target in ("html", "pdf"):
        result = subprocess.run([sys.executable, "-m", "cstoreport.build.pipeline", target],
                                cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"building the {target} failed:\n{result.stdout[-2000:]}"
                        f"\n{result.stderr[-2000:]}")


def pytest_collection_modifyitems(items):
    """Checks of what the notebooks wrote run after nbval has executed them."""
    items.sort(key=lambda item: item.get_closest_marker("after_notebooks") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "after_notebooks: runs after the notebooks (nbval)")
