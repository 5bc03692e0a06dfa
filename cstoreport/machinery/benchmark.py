"""Measure the build on this machine: median of several runs of each scenario.

    python -m cstoreport.machinery.benchmark [--runs 3] [--only SCENARIO ...]

Scenarios: a cold validation of the data package (no stamps), a cold build (build folder
removed, packages installed: it renders the committed outputs, as notebooks.lock says nothing
is stale), a rebuild with nothing changed, a rebuild after editing one notebook's prose (not
executed again) and one after editing its code (executed again), a rebuild after editing one
data file, the nbval run (as `make test` runs it), and a forced PDF build.
Two comparisons run in a fresh clone of the committed tree (HEAD) that uses this tree's
installed packages: stock `jupyter-book build` with its own execution cache (cold: it executes
every notebook) on the same tree, and the whole `make test`. The floor is what a cold build
cannot avoid: executing every notebook in parallel on its own plus Sphinx's fixed cost (a cold
HTML build with nothing to execute), both measured in the same run.

Each scenario records wall time and CPU time (user + system of every process it started): on
a shared machine the wall time depends on the others' load, the CPU time much less. Results go
to _build/benchmark.json and _build/benchmark.md and are printed. Files edited for a scenario
are restored afterwards.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cstoreport.paths import ROOT

BUILD = ROOT / "_build"
NBVAL_ARGS = ("-n", "auto", "--dist", "loadfile", "notebooks", "-q")  # as `make test` runs it
SCENARIOS = (
    "cold_validation",
    "cold_build",
    "notebooks_parallel",
    "sphinx_fixed_cost",
    "floor",
    "no_change_rebuild",
    "one_notebook_execution",
    "one_notebook_rebuild",
    "one_notebook_code_edit_rebuild",
    "data_edit_rebuild",
    "nbval",
    "pdf",
    "stock_jupyter_book_cold",
    "make_test_fresh_clone",
)
NOTEBOOK = ROOT / "notebooks" / "alternatives.ipynb"
DATA_FILE = ROOT / "data" / "alternatives.csv"


CPU_SECONDS: list[float] = []  # CPU time of each timed command, in the order they ran


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    *command: str, cwd: Path = ROOT, env: dict | None = None, log: Path | None = None
) -> float:
    """Wall seconds of a command; its CPU seconds are appended to CPU_SECONDS; its output
    goes to `log` if given."""
    cpu, started = children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    CPU_SECONDS.append(children_cpu() - cpu)
    if log is not None:
        log.parent.mkdir(exist_ok=True)
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
        )
    return wall


def python(*args: str) -> tuple[str, ...]:
    return (sys.executable, *args)


def pipeline() -> float:
    return timed(*python("-m", "cstoreport.machinery.pipeline", "html"))


def cold_validation() -> float:
    shutil.rmtree(BUILD / ".stamps", ignore_errors=True)
    return timed(*python("-m", "cstoreport.machinery.check_data", "--derived"))


def cold_build() -> float:
    shutil.rmtree(BUILD, ignore_errors=True)
    return pipeline()


def sphinx_fixed_cost() -> float:
    """A cold HTML build with every notebook already executed (nothing to execute)."""
    for path in (BUILD / "html", BUILD / ".doctrees", BUILD / "jupyter_execute"):
        shutil.rmtree(path, ignore_errors=True)
    return timed(*python("-m", "cstoreport.machinery.jupyterbook", "html", "--force"))


def fresh_clone(directory: Path) -> tuple[Path, dict]:
    """A clone of the committed tree that uses this tree's installed packages (.venv, and
    JupyterLab's .venv-lab); the clone's own module comes first on the path (for the kernels and
    subprocesses too)."""
    clone = directory / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    for venv in (".venv", ".venv-lab"):
        if (ROOT / venv).exists():
            (clone / venv).symlink_to(ROOT / venv)
    return clone, dict(os.environ, PYTHONPATH=str(clone))


def stock_jupyter_book() -> float:
    """Stock `jupyter-book build` on a fresh clone, with its execution cache switched on (cold:
    it executes every notebook, one after another) and a timeout as long as the runner's."""
    with tempfile.TemporaryDirectory() as directory:
        clone, env = fresh_clone(Path(directory))
        config = clone / "_config.yml"
        text = config.read_text(encoding="utf-8")
        assert 'execute_notebooks: "off"' in text
        config.write_text(
            text.replace('execute_notebooks: "off"', 'execute_notebooks: "cache"\n  timeout: 600'),
            encoding="utf-8",
        )
        return timed(
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(clone),
            "--builder",
            "html",
            cwd=clone,
            env=env,
        )


def make_test() -> float:
    """`make test` on a fresh clone with the packages installed; its output, with pytest's
    slowest tests, goes to _build/benchmark-make-test.log."""
    # The clone shares this tree's environments; if a requirements stamp were stale, the clone's
    # `make venv` or `make lab-env` would point them at the clone: they are put back afterwards.
    # (The package is installed editable: its .pth file, path finder and metadata name this tree.)
    originals = {
        pth: pth.read_bytes()
        for venv in (".venv", ".venv-lab")
        for pattern in ("__editable__*cstoreport*", "cstoreport-*.dist-info/*")
        for pth in (ROOT / venv / "lib").glob(f"python*/site-packages/{pattern}")
    }
    originals.update(
        {
            spec: spec.read_bytes()
            for spec in (ROOT / ".venv-lab" / "share" / "jupyter" / "kernels").glob("*/kernel.json")
        }
    )
    try:
        with tempfile.TemporaryDirectory() as directory:
            clone, env = fresh_clone(Path(directory))
            # The pins are this tree's, so its environments are up to date: a checkout's newer
            # file times must not make `make` install them again inside the timed run.
            for requirements in [*clone.glob("requirements*.txt"), clone / "pyproject.toml"]:
                os.utime(requirements, (0, 0))
            env["PYTEST_ADDOPTS"] = "--durations=25"
            return timed(
                "make",
                "--no-print-directory",
                "test",
                cwd=clone,
                env=env,
                log=BUILD / "benchmark-make-test.log",
            )
    finally:
        for pth, original in originals.items():
            pth.parent.mkdir(parents=True, exist_ok=True)
            pth.write_bytes(original)


def with_edit(path: Path, edit) -> float:
    original = path.read_bytes()
    try:
        path.write_bytes(edit(original))
        return pipeline()
    finally:
        path.write_bytes(original)
        pipeline()  # back to the committed state, not timed


def _append_to_first(data: bytes, cell_type: str, text: str) -> bytes:
    nb = json.loads(data)
    cell = next(c for c in nb["cells"] if c["cell_type"] == cell_type)
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    cell["source"] = source + text
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


def edit_notebook(data: bytes) -> bytes:
    """A space added to the first markdown cell: the page changes, the notebook is not run."""
    return _append_to_first(data, "markdown", " ")


def edit_notebook_code(data: bytes) -> bytes:
    """A comment added to the first code cell: the notebook is stale and is executed again."""
    return _append_to_first(data, "code", "\n# edited")


def edit_data(data: bytes) -> bytes:
    lines = data.decode("utf-8").split("\n")
    lines[1] = lines[1].replace("EU Monitoring Capacity", "EU Monitoring  Capacity", 1)
    return "\n".join(lines).encode("utf-8")


def measure(runs: int, only: set[str] | None = None) -> dict:
    """Median wall and CPU time of each scenario (of `only`, with what they are compared to)."""
    wanted = set(only or SCENARIOS)
    groups = [
        {"notebooks_parallel", "sphinx_fixed_cost", "floor"},
        {"one_notebook_execution", "one_notebook_rebuild", "one_notebook_code_edit_rebuild"},
    ]
    for group in groups:
        if wanted & group:
            wanted |= group
    samples: dict[str, list[float]] = {k: [] for k in SCENARIOS if k in wanted}
    cpu: dict[str, list[float]] = {k: [] for k in SCENARIOS if k in wanted}

    def record(name: str, wall: float, cpu_seconds: float | None = None) -> float:
        samples[name].append(wall)
        cpu[name].append(CPU_SECONDS[-1] if cpu_seconds is None else cpu_seconds)
        print(f"{name}: {wall:.2f} s wall, {cpu[name][-1]:.2f} s CPU", flush=True)
        return wall

    for _ in range(runs):
        if "cold_validation" in wanted:
            record("cold_validation", cold_validation())
        if "cold_build" in wanted:
            record("cold_build", cold_build())
        if "floor" in wanted:
            notebooks = record(
                "notebooks_parallel",
                timed(*python("-m", "cstoreport.machinery.run_notebooks", "--force")),
            )
            sphinx = record("sphinx_fixed_cost", sphinx_fixed_cost())
            record("floor", notebooks + sphinx, cpu["notebooks_parallel"][-1] + CPU_SECONDS[-1])
        if wanted & {"no_change_rebuild", "one_notebook_execution", "data_edit_rebuild"}:
            pipeline()  # built and up to date before the rebuilds are timed
        if "no_change_rebuild" in wanted:
            record("no_change_rebuild", pipeline())
        if "one_notebook_execution" in wanted:
            record(
                "one_notebook_execution",
                timed(
                    *python("-m", "cstoreport.machinery.run_notebooks", "--force", str(NOTEBOOK))
                ),
            )
            pipeline()
            record("one_notebook_rebuild", with_edit(NOTEBOOK, edit_notebook), CPU_SECONDS[-2])
            record(
                "one_notebook_code_edit_rebuild",
                with_edit(NOTEBOOK, edit_notebook_code),
                CPU_SECONDS[-2],
            )
        if "data_edit_rebuild" in wanted:
            record("data_edit_rebuild", with_edit(DATA_FILE, edit_data), CPU_SECONDS[-2])
        for name, scenario in (
            ("nbval", lambda: timed(*python("-m", "pytest", *NBVAL_ARGS))),
            (
                "pdf",
                lambda: timed(*python("-m", "cstoreport.machinery.jupyterbook", "pdf", "--force")),
            ),
            ("stock_jupyter_book_cold", stock_jupyter_book),
            ("make_test_fresh_clone", make_test),
        ):
            if name not in wanted:
                continue
            try:
                record(name, scenario())
            except RuntimeError as failure:  # keep the other results; say what failed
                print(f"{name} failed:\n{failure}", file=sys.stderr)
                record(name, math.nan, math.nan)
    medians = {k: round(statistics.median(v), 2) for k, v in samples.items()}
    cpu_medians = {k: round(statistics.median(v), 2) for k, v in cpu.items()}
    m = medians
    # Each target: the scenarios it needs, and whether it is met.
    targets = {
        "cold_validation <= 3 s": (("cold_validation",), lambda: m["cold_validation"] <= 3),
        "no_change_rebuild <= 2 s": (("no_change_rebuild",), lambda: m["no_change_rebuild"] <= 2),
        "one_notebook_rebuild (prose edited) <= its execution + 2 s": (
            ("one_notebook_rebuild",),
            lambda: m["one_notebook_rebuild"] <= m["one_notebook_execution"] + 2,
        ),
        "one_notebook_code_edit_rebuild <= its execution + 2 s": (
            ("one_notebook_code_edit_rebuild",),
            lambda: m["one_notebook_code_edit_rebuild"] <= m["one_notebook_execution"] + 2,
        ),
        "cold_build <= 1.3 x floor": (
            ("cold_build", "floor"),
            lambda: m["cold_build"] <= 1.3 * m["floor"],
        ),
        "cold_build <= 0.5 x stock jupyter-book (its execution cache)": (
            ("cold_build", "stock_jupyter_book_cold"),
            lambda: m["cold_build"] <= 0.5 * m["stock_jupyter_book_cold"],
        ),
        "make test (fresh clone) <= 90 s": (
            ("make_test_fresh_clone",),
            lambda: m["make_test_fresh_clone"] <= 90,
        ),
    }
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        },
        "runs": runs,
        "median_seconds": medians,
        "median_cpu_seconds": cpu_medians,
        "ratio_to_floor": (
            {k: round(v / m["floor"], 2) for k, v in medians.items()} if "floor" in m else {}
        ),
        "targets": {
            name: met() for name, (needs, met) in targets.items() if all(n in m for n in needs)
        },
    }


def markdown(report: dict) -> str:
    m, c, r = report["median_seconds"], report["median_cpu_seconds"], report["ratio_to_floor"]
    machine = report["machine"]
    lines = [
        f"Machine: {machine['cpus']} CPUs, {machine['platform']}, "
        f"Python {machine['python']}; median of {report['runs']} runs; load average at "
        f"the end {', '.join(map(str, machine['load_average_at_end']))}.",
        "",
        "| Scenario | Median wall (s) | Median CPU (s) | Wall ratio to floor |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {k.replace('_', ' ')} | {m[k]:.2f} | {c[k]:.2f} | {f'{r[k]:.2f}' if k in r else '–'} |"
        for k in m
    ]
    lines += ["", "| Target | Met |", "|---|---|"]
    lines += [f"| {k} | {'yes' if v else 'no'} |" for k, v in report["targets"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SCENARIOS,
        metavar="SCENARIO",
        help=f"only these scenarios (and what they are compared to): {', '.join(SCENARIOS)}",
    )
    args = parser.parse_args(argv)
    report = measure(args.runs, set(args.only) if args.only else None)
    BUILD.mkdir(exist_ok=True)
    (BUILD / "benchmark.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (BUILD / "benchmark.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
