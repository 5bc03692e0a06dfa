"""Build the HTML site or the PDF, skipping the build when none of its inputs changed.

Sphinx's own "nothing changed" path still formats the whole bibliography (several seconds for
this report), so an unchanged book is recognised here by a fingerprint of everything the build
reads: configuration, pages, figures, tables, notebooks, the bibliography and the data offered
for download. Any change rebuilds, and Sphinx then rebuilds incrementally.

    python -m cstoreport.machinery.jupyterbook html|pdf [--force]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys

from cstoreport.paths import ROOT, files_digest

STAMPS = ROOT / "_build" / ".stamps"
INPUT_GLOBS = ["_config.yml", "_toc.yml", "requirements.txt", "book/**/*", "notebooks/*.ipynb",
               "_ext/*.py", "data/**/*.csv", "data/datapackage.json"]
TARGETS = {
    "html": (["--builder", "html"], ROOT / "_build" / "html" / "index.html"),
    "pdf": (["--builder", "pdflatex"], ROOT / "_build" / "latex" / "armenia-csto.pdf"),
}
PDF_IN_SITE = ROOT / "_build" / "html" / "_static" / "armenia-csto.pdf"


def fingerprint() -> str:
    return files_digest({p for pattern in INPUT_GLOBS for p in ROOT.glob(pattern) if p.is_file()})


def _jupyter_book(args: list[str]) -> int:
    """Run the Jupyter Book command in this process (saves starting another interpreter)."""
    from jupyter_book.cli.main import main as jupyter_book
    try:
        jupyter_book(args=args, standalone_mode=False)
    except SystemExit as exc:  # Jupyter Book exits non-zero when the build has problems
        return int(exc.code or 0)
    return 0


def up_to_date(target: str, current: str | None = None) -> bool:
    """Whether the last build of `target` used exactly the inputs there are now."""
    stamp = STAMPS / f"{target}.json"
    return TARGETS[target][1].exists() and stamp.exists() \
        and json.loads(stamp.read_text()).get("inputs") == (current or fingerprint())


def build(target: str, force: bool = False) -> int:
    args, output = TARGETS[target]
    stamp = STAMPS / f"{target}.json"
    current = fingerprint()
    if not force and up_to_date(target, current):
        print(f"{target}: up to date (no input changed since the last build)")
        result = 0
    else:
        stamp.unlink(missing_ok=True)
        result = _jupyter_book(["build", str(ROOT), "-W", "-n", "--keep-going", *args])
        if result == 0:
            STAMPS.mkdir(parents=True, exist_ok=True)
            stamp.write_text(json.dumps({"inputs": current}))
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
