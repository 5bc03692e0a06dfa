"""The build, step by step, in one process: what `make html` and `make pdf` run.

1. validate the data package (stops here on bad data: nothing reaches the site);
2. execute the notebooks whose inputs changed, in parallel;
3. write the pages generated from metadata;
4. validate the tables the notebooks wrote, and the checks across tables;
5. build the HTML site or the PDF (skipped when none of its inputs changed).

Each step skips itself when its inputs are unchanged, so a build with nothing to do is quick.

    python -m cstoreport.build.pipeline html|pdf
"""
from __future__ import annotations

import sys
import time


def run(target: str) -> int:
    from cstoreport.build import check_data, jupyterbook, pages, run_notebooks
    steps = [("validating the data package", lambda: check_data.main([])),
             ("executing notebooks whose code or inputs changed", lambda: run_notebooks.main([])),
             ("writing generated pages", lambda: pages.main([])),
             ("validating the tables the notebooks wrote", lambda: check_data.main(["--derived"])),
             (f"building the {target.upper()} (strict: warnings are errors)",
              lambda: jupyterbook.build(target))]
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
    if len(args) != 1 or args[0] not in ("html", "pdf"):
        print("usage: python -m cstoreport.build.pipeline html|pdf", file=sys.stderr)
        return 2
    return run(args[0])


if __name__ == "__main__":
    sys.exit(main())
