"""Execute exactly the notebooks whose inputs changed, in parallel, and store their outputs.

Jupyter Book's own cache hashes code cells only, so an edited CSV would leave a stale figure.
Here each notebook declares what it reads and writes in its metadata:

    "cstoreport": {"inputs": ["data/x.csv", ...], "outputs": ["data/derived/y.csv", ...]}

A notebook is re-executed when its fingerprint changes: the notebook's code cells (with their
stored outputs) and metadata, but not its prose, the declared inputs, the files of the shared
module it imported (the data API and the analysis code, not the validator's internals: see
NOT_FINGERPRINTED), the data package description, the bibliography, the pinned requirements,
or a declared output that is missing or was edited since the last run. The fingerprints of the
last run are committed in `notebooks.lock` (as DVC commits `dvc.lock`), so a fresh clone
renders the committed outputs and executes only what is stale. After executing, the runner
checks that the notebook read no data file it did not declare and wrote every declared output,
so the declarations cannot drift from the code.

Usage: python -m cstoreport.machinery.run_notebooks [--force] [--list-stale] [notebooks ...]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import sys
import time
from pathlib import Path

from cstoreport.paths import FIGURES_DIR, ROOT, file_digest, relative

NOTEBOOK_DIR = ROOT / "notebooks"
LOCK_PATH = ROOT / "notebooks.lock"
SHARED_INPUTS = ["data/datapackage.json", "book/references.bib", "requirements.txt"]
MODULE_DIR = ROOT / "cstoreport"
# The validator's internals: what it checks and how its messages read decide whether a load is
# refused, not what a table that passes looks like (its reading and typing are in
# `cstoreport/schema.py`, which is fingerprinted). A notebook reaches them through the data API
# (`cstoreport/tables.py`) but is not re-executed when they change; `make test` and
# `make verify` still run every notebook.
NOT_FINGERPRINTED = frozenset({"cstoreport/validation.py", "cstoreport/table_versions.py"})
READ_CHECK_TAG = "cstoreport-read-check"
KERNEL_TIMEOUT_S = 600


def declared(nb) -> tuple[list[str], list[str]]:
    """What a notebook (a parsed notebook or a path to one) declares it reads and writes."""
    if isinstance(nb, Path):
        nb = json.loads(nb.read_text(encoding="utf-8"))
    meta = nb["metadata"].get("cstoreport", {})
    return list(meta.get("inputs", [])), list(meta.get("outputs", []))


def notebook_digest(path: Path) -> str:
    """sha256 of what a notebook computes: its metadata and its code cells with their stored
    outputs (a notebook whose outputs were stripped or edited by hand is stale too), not its
    Markdown cells. Editing the prose does not re-execute it; the book still renders the edit,
    as Jupyter Book's own fingerprint covers the whole file."""
    import hashlib

    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if c["cell_type"] != "markdown"]
    return hashlib.sha256(json.dumps(nb, sort_keys=True).encode()).hexdigest()


def fingerprint(path: Path, module_files: list[str] | None = None) -> dict:
    """What a notebook's outputs depend on. `module_files` are the parts of the shared module
    it imported when last run (all of them before its first run)."""
    inputs, outputs = declared(path)
    if module_files is None:
        module_files = [relative(p) for p in sorted(MODULE_DIR.rglob("*.py"))]
    module_files = [p for p in module_files if p not in NOT_FINGERPRINTED]
    return {
        "notebook": notebook_digest(path),
        "inputs": {p: file_digest(ROOT / p) for p in sorted(set(inputs + SHARED_INPUTS))},
        "module": {p: file_digest(ROOT / p) for p in sorted(module_files)},
        "outputs": {p: file_digest(ROOT / p) for p in sorted(outputs)},
    }


def read_lock() -> dict[str, dict]:
    """The fingerprint of each notebook's last run, by repository-relative path."""
    return json.loads(LOCK_PATH.read_text(encoding="utf-8")) if LOCK_PATH.exists() else {}


def write_lock(lock: dict[str, dict]) -> None:
    LOCK_PATH.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def is_stale(path: Path, lock: dict[str, dict] | None = None) -> bool:
    state = (read_lock() if lock is None else lock).get(relative(path))
    return state is None or state != fingerprint(path, list(state.get("module", {})))


def _read_check_source() -> str:
    # Runs as a last, temporary cell: which data files did the notebook read through the module?
    return (
        "import json as _json, sys as _sys, cstoreport.tables as _v\n"
        "print(_json.dumps({'read': sorted(_v.FILES_READ), 'modules': sorted(\n"
        "    getattr(m, '__file__', None) or '' for n, m in list(_sys.modules.items())\n"
        "    if n == 'cstoreport' or n.startswith('cstoreport.'))}))"
    )


def _quote(text: str, limit: int = 400) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + " ...")


def cell_problem(nb) -> str | None:
    """The first cell that left an error or wrote to stderr, named by its number (counting every
    cell from 1, as a reader counts them in the notebook) and first source line, with the text
    it printed quoted; None when every cell ran cleanly."""
    for number, cell in enumerate(nb.cells, start=1):
        first = next((line for line in cell.get("source", "").splitlines() if line.strip()), "")
        where = f"cell {number} (`{first.strip()[:80]}`)"
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return (
                    f"{where} raised {out.get('ename', 'an error')}: "
                    f"{_quote(str(out.get('evalue', '')))}"
                )
            if out.get("name") == "stderr":
                return f"{where} wrote to stderr: {_quote(out.get('text', ''))}"
    return None


SAVED_FIGURE = re.compile(r"style\.save\(\s*(?:\w+,\s*)?\"(\w+)\"")


def set_figure_alt_texts(nb, path: Path) -> None:
    """The notebook page shows the figure a cell saves: its alt text is the one the figure's
    sidecar carries (computed from the data), so the page and the chapter describe it alike."""
    for number, cell in enumerate(nb.cells, start=1):
        names = SAVED_FIGURE.findall(cell.get("source", "")) if cell.cell_type == "code" else []
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not names or not images:
            continue
        if len(images) != 1:
            raise RuntimeError(
                f"{relative(path)}: cell {number} saves {names[0]!r} and shows {len(images)} "
                "images; show the figure once (close a phone layout after saving it)"
            )
        sidecar = FIGURES_DIR / f"{names[0]}.json"
        alt = json.loads(sidecar.read_text(encoding="utf-8"))["alt"] if sidecar.exists() else None
        if alt:
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt


def warm_caches() -> None:
    """Build what libraries cache on first use before any kernel starts: matplotlib builds its
    font cache on first import and says so on stderr when that takes a few seconds (a loaded
    machine), which would fail the notebook that happened to import it first."""
    import matplotlib.font_manager  # noqa: F401


def execute(path: Path) -> tuple[str, float, dict]:
    """Execute one notebook in place; raise if it fails or its declarations are wrong.

    Returns its path, the seconds it took and its new fingerprint (for the lock file)."""
    import nbformat
    from nbclient import NotebookClient

    started = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    inputs, outputs = declared(nb)
    check = nbformat.v4.new_code_cell(_read_check_source(), metadata={"tags": [READ_CHECK_TAG]})
    nb.cells.append(check)
    # The kernel's own log (a warning that local TCP traffic is unencrypted) is not ours to show.
    client = NotebookClient(
        nb,
        timeout=KERNEL_TIMEOUT_S,
        kernel_name="python3",
        record_timing=False,
        extra_arguments=["--log-level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    from nbclient.exceptions import CellExecutionError

    try:
        client.execute()
    except CellExecutionError:
        problem = cell_problem(nb)
        if problem is None:
            raise
        raise RuntimeError(f"{relative(path)}: {problem}") from None
    nb.cells.pop()
    report = json.loads(check.outputs[0]["text"]) if check.outputs else {"read": [], "modules": []}
    read = report["read"]
    modules = sorted({relative(Path(m)) for m in report["modules"] if m})
    undeclared = sorted(set(read) - set(inputs) - set(outputs) - set(SHARED_INPUTS))
    if undeclared:
        raise RuntimeError(
            f"{relative(path)} read {undeclared} without declaring them in its "
            "metadata (cstoreport.inputs)"
        )
    missing = [p for p in outputs if not (ROOT / p).exists()]
    if missing:
        raise RuntimeError(f"{relative(path)} declares outputs it did not write: {missing}")
    problem = cell_problem(nb)
    if problem:
        raise RuntimeError(f"{relative(path)}: {problem}; notebooks must run cleanly")
    set_figure_alt_texts(nb, path)
    text = nbformat.writes(nb) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return relative(path), time.perf_counter() - started, fingerprint(path, modules)


def waves(paths: list[Path]) -> list[list[Path]]:
    """Order notebooks so that one reading another's output runs after it; parallel within a
    wave."""
    produced_by = {}
    needs = {}
    for p in paths:
        inputs, outputs = declared(p)
        needs[p] = set(inputs)
        for o in outputs:
            produced_by[o] = p
    deps = {
        p: {produced_by[i] for i in needs[p] if i in produced_by and produced_by[i] != p}
        for p in paths
    }
    order, done = [], set()
    while len(done) < len(paths):
        wave = [p for p in paths if p not in done and deps[p] <= done]
        if not wave:
            raise RuntimeError(
                f"notebooks depend on each other in a cycle: {sorted(set(paths) - done)}"
            )
        order.append(wave)
        done |= set(wave)
    return order


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--force", action="store_true", help="execute even if up to date")
    parser.add_argument("--list-stale", action="store_true", help="only print stale notebooks")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    lock = read_lock()
    if args.list_stale:
        for p in paths:
            if is_stale(p, lock):
                print(relative(p))
        return 0
    workers = max(1, os.cpu_count() or 1)
    executed_any = False
    for wave in waves(paths):
        # Staleness is decided wave by wave: a rerun upstream notebook may change its outputs.
        todo = [p for p in wave if args.force or is_stale(p, lock)]
        for p in wave:
            if p not in todo:
                print(f"up to date: {relative(p)}")
        if not todo:
            continue
        if not executed_any:
            warm_caches()
        executed_any = True
        print(
            f"executing {len(todo)} notebook(s) on {min(workers, len(todo))} worker(s): "
            + ", ".join(relative(p) for p in todo),
            flush=True,
        )
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            futures = {pool.submit(execute, p): p for p in todo}
            failed = []
            for fut in concurrent.futures.as_completed(futures):
                try:
                    name, seconds, state = fut.result()
                    print(f"executed: {name} ({seconds:.1f} s)", flush=True)
                    lock[name] = state
                    write_lock(lock)
                except Exception as exc:  # report every failing notebook, then stop
                    name = relative(futures[fut])
                    failed.append(str(exc) if str(exc).startswith(name) else f"{name}: {exc}")
            if failed:
                print("notebook execution failed:\n" + "\n".join(failed), file=sys.stderr)
                return 1
    if not executed_any:
        print("all notebooks up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
