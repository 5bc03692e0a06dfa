"""Build the HTML site or the PDF, skipping the build when none of its inputs changed.

Sphinx's own "nothing changed" path still formats the whole bibliography (several seconds for
this report), so an unchanged book is recognised here by a fingerprint of everything the build
reads: configuration, pages, figures, tables, notebooks, the bibliography, the data offered
for download, the Sphinx extensions and the code of the report's package they import (the
how-to-verify boxes are written by it). Any change rebuilds, and Sphinx then rebuilds
incrementally.

The PDF is reproducible: pdfTeX takes its dates from SOURCE_DATE_EPOCH, the time of the commit
built (FORCE_SOURCE_DATE=1 extends that to every date TeX knows), and _ext/pdf_edition.py fixes
its document ID, so one commit gives one PDF, byte for byte.

    python -m cstoreport.machinery.jupyterbook html|pdf [--force]
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cstoreport.paths import ROOT, files_digest

STAMPS = ROOT / "_build" / ".stamps"
INPUT_GLOBS = [
    "_config.yml",
    "_toc.yml",
    "requirements.txt",
    "book/**/*",
    "notebooks/*.ipynb",
    "_ext/*.py",
    "data/**/*.csv",
    "data/datapackage.json",
]
TARGETS = {
    "html": (["--builder", "html"], ROOT / "_build" / "html" / "index.html"),
    "pdf": (["--builder", "pdflatex"], ROOT / "_build" / "latex" / "armenia-csto.pdf"),
}
PDF_IN_SITE = ROOT / "_build" / "html" / "_static" / "armenia-csto.pdf"


def _package_files(module: str) -> list[Path]:
    """The files that importing `module` of the report's package runs: its own and those of
    the packages above it (`cstoreport/__init__.py`, ...)."""
    parts = module.split(".")
    files = [ROOT.joinpath(*parts[:n], "__init__.py") for n in range(1, len(parts) + 1)]
    files.append(ROOT.joinpath(*parts).with_suffix(".py"))
    return [f for f in files if f.is_file()]


def _imported(path: Path) -> set[str]:
    """The modules of the report's package a file imports, anywhere in it (at the top or in a
    function), as dotted names; `from package import name` counts `package.name` too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "cstoreport"}


def extension_code() -> set[Path]:
    """The Sphinx extensions and every file of the report's package they import, directly or
    through another (the code behind the how-to-verify boxes)."""
    todo = sorted((ROOT / "_ext").glob("*.py"))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += [f for module in _imported(path) for f in _package_files(module)]
    return seen


def inputs() -> set[Path]:
    """Every file the build reads."""
    return {
        p for pattern in INPUT_GLOBS for p in ROOT.glob(pattern) if p.is_file()
    } | extension_code()


def fingerprint() -> str:
    return files_digest(inputs())


def _jupyter_book(args: list[str]) -> int:
    """Run the Jupyter Book command in this process (saves starting another interpreter)."""
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book(args=args, standalone_mode=False)
    except SystemExit as exc:  # Jupyter Book exits non-zero when the build has problems
        return int(exc.code or 0)
    return 0


def source_date_epoch() -> str:
    """The time the PDF says it was made: SOURCE_DATE_EPOCH if set, else the time of the commit
    built (`git log -1 --format=%ct`), else (a tree that is not a git clone) midnight UTC of the
    release date in CITATION.cff."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        git = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if git.returncode == 0 and git.stdout.strip().isdigit():
            return git.stdout.strip()
    except OSError:
        pass
    import yaml

    released = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    released = datetime.date.fromisoformat(str(released))
    return str(
        int(
            datetime.datetime(
                released.year, released.month, released.day, tzinfo=datetime.UTC
            ).timestamp()
        )
    )


def _state(target: str, current: str) -> dict:
    # The PDF carries its date: a build for another commit is out of date.
    return {
        "inputs": current,
        **({"source_date_epoch": source_date_epoch()} if target == "pdf" else {}),
    }


def up_to_date(target: str, current: str | None = None) -> bool:
    """Whether the last build of `target` used exactly the inputs there are now."""
    stamp = STAMPS / f"{target}.json"
    return (
        TARGETS[target][1].exists()
        and stamp.exists()
        and json.loads(stamp.read_text()) == _state(target, current or fingerprint())
    )


def build(target: str, force: bool = False) -> int:
    args, output = TARGETS[target]
    stamp = STAMPS / f"{target}.json"
    current = fingerprint()
    if not force and up_to_date(target, current):
        print(f"{target}: up to date (no input changed since the last build)")
        result = 0
    else:
        stamp.unlink(missing_ok=True)
        if target == "pdf":
            os.environ.update(SOURCE_DATE_EPOCH=source_date_epoch(), FORCE_SOURCE_DATE="1")
        result = _jupyter_book(["build", str(ROOT), "-W", "-n", "--keep-going", *args])
        if result == 0:
            STAMPS.mkdir(parents=True, exist_ok=True)
            stamp.write_text(json.dumps(_state(target, current)))
    if result == 0 and target == "pdf" and PDF_IN_SITE.parent.exists():
        shutil.copyfile(output, PDF_IN_SITE)  # the site offers the PDF for download
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    return build(args.target, args.force)


if __name__ == "__main__":
    sys.exit(main())
