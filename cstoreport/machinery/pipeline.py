"""The build, step by step, in one process: what `make html` and `make pdf` run.

1. validate the data package (stops here on bad data: nothing reaches the site);
2. execute the notebooks whose inputs changed, in parallel;
3. write the pages generated from metadata;
4. validate the tables the notebooks wrote, and the checks across tables;
5. build the HTML site or the PDF (skipped when none of its inputs changed).

Each step skips itself when its inputs are unchanged, so a build with nothing to do is quick.

    python -m cstoreport.machinery.pipeline html|pdf
    python -m cstoreport.machinery.pipeline outputs   steps 1-4 only: everything the book shows, up
                                                  to date and valid (what `make test` runs first)
    python -m cstoreport.machinery.pipeline --graph   what depends on what: data files -> notebooks
                                                  -> derived tables and figures -> pages
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from cstoreport.paths import ROOT, relative

# How a book page refers to a file: glue from a notebook, a figure, a CSV table, a download,
# an included page.
PAGE_REFERENCES = [
    re.compile(p)
    for p in (
        r"((?:\.\./)*notebooks/\w+\.ipynb)",
        r"```\{figure\} (\S+)",
        r":file: (\S+)",
        r"\{download\}`[^`<]*<([^>]+)>`",
        r"```\{include\} (\S+)",
    )
]


def page_references(page: Path) -> set[str]:
    """Repository paths of the files a book page shows or glues from."""
    text = page.read_text(encoding="utf-8")
    found = {m for pattern in PAGE_REFERENCES for m in pattern.findall(text)}
    return {relative((page.parent / f).resolve()) for f in found}


def graph() -> str:
    """The dependency graph, from the notebooks' declarations and the pages' references."""
    from cstoreport.machinery import pages, run_notebooks

    notebooks = [
        p
        for wave in run_notebooks.waves(sorted(run_notebooks.NOTEBOOK_DIR.glob("*.ipynb")))
        for p in wave
    ]
    shown_on: dict[str, set[str]] = {}
    for page in sorted((ROOT / "book").glob("**/*.md")):
        for used in page_references(page):
            shown_on.setdefault(used, set()).add(relative(page))
    lines = [
        "Data files -> notebooks (in run order) -> derived tables and figures -> pages",
        "(from each notebook's metadata `cstoreport.inputs/outputs` and the pages' references)",
        "",
    ]
    for path in notebooks:
        name = relative(path)
        inputs, outputs = run_notebooks.declared(path)
        lines.append(name)
        lines += [f"  <- {i}" for i in inputs]
        for out in outputs:
            pages_of = sorted(shown_on.get(out, ()))
            lines.append(f"  -> {out}" + (f"  => {', '.join(pages_of)}" if pages_of else ""))
        glued = sorted(shown_on.get(name, ()))
        if glued:
            lines.append(f"  => glued numbers on {', '.join(glued)}")
        lines.append("")
    lines.append("Pages written from metadata (python -m cstoreport.machinery.pages)")
    for page, sources in pages.SOURCES.items():
        lines.append(
            f"{page}  <- {', '.join(sources)}  => {', '.join(sorted(shown_on.get(page, ())))}"
        )
    written = {o for path in notebooks for o in run_notebooks.declared(path)[1]}
    own = sorted(p for p in shown_on if p.startswith("data/") and p not in written)
    if own:
        lines += ["", "Source data offered for download on pages"]
        lines += [f"{p}  => {', '.join(sorted(shown_on[p]))}" for p in own]
    return "\n".join(lines)


def run(target: str) -> int:
    from cstoreport.machinery import check_data, jupyterbook, pages, run_notebooks

    steps = [
        ("validating the data package", lambda: check_data.main([])),
        ("executing notebooks whose code or inputs changed", lambda: run_notebooks.main([])),
        ("writing generated pages", lambda: pages.main([])),
        ("validating the tables the notebooks wrote", lambda: check_data.main(["--derived"])),
    ]
    if target != "outputs":
        steps.append(
            (
                f"building the {target.upper()} (strict: warnings are errors)",
                lambda: jupyterbook.build(target),
            )
        )
    for title, step in steps:
        print(f"==> {title}", flush=True)
        started = time.perf_counter()
        code = step()
        print(f"    ({time.perf_counter() - started:.1f} s)", flush=True)
        if code:
            print(f"==> stopped: {title} failed", file=sys.stderr)
            return code
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--graph"]:
        print(graph())
        return 0
    if len(args) != 1 or args[0] not in ("html", "pdf", "outputs"):
        print(
            "usage: python -m cstoreport.machinery.pipeline html|pdf|outputs|--graph",
            file=sys.stderr,
        )
        return 2
    return run(args[0])


if __name__ == "__main__":
    sys.exit(main())
