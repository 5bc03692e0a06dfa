"""Measure the build on this machine: median of several runs of each scenario.

    python -m cstoreport.build.benchmark [--runs 3]

Scenarios: a cold validation of the data package (no stamps), a cold build (build folder
removed, packages installed: it renders the committed outputs, as notebooks.lock says nothing
is stale), a rebuild with nothing changed, a rebuild after editing one notebook, a rebuild after editing one data file, the nbval
run, and a forced PDF build. The floor is what a cold build cannot avoid: executing every
notebook in parallel on its own plus Sphinx's fixed cost (a cold HTML build with nothing to
execute), both measured in the same run. Results go to _build/benchmark.json and
_build/benchmark.md and are printed. Files edited for a scenario are restored afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from cstoreport.paths import ROOT

BUILD = ROOT / "_build"
NOTEBOOK = ROOT / "notebooks" / "alternatives.ipynb"
DATA_FILE = ROOT / "data" / "alternatives.csv"


def timed(*command: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-1500:]}"
                           f"\n{result.stderr[-1500:]}")
    return time.perf_counter() - started


def python(*args: str) -> tuple[str, ...]:
    return (sys.executable, *args)


def pipeline() -> float:
    return timed(*python("-m", "cstoreport.build.pipeline", "html"))


def cold_validation() -> float:
    shutil.rmtree(BUILD / ".stamps", ignore_errors=True)
    return timed(*python("-m", "cstoreport.build.check_data", "--derived"))


def cold_build() -> float:
    shutil.rmtree(BUILD, ignore_errors=True)
    return pipeline()


def sphinx_fixed_cost() -> float:
    """A cold HTML build with every notebook already executed (nothing to execute)."""
    for path in (BUILD / "html", BUILD / ".doctrees", BUILD / "jupyter_execute"):
        shutil.rmtree(path, ignore_errors=True)
    return timed(*python("-m", "cstoreport.build.jupyterbook", "html", "--force"))


def with_edit(path: Path, edit) -> float:
    original = path.read_bytes()
    try:
        path.write_bytes(edit(original))
        return pipeline()
    finally:
        path.write_bytes(original)
        pipeline()  # back to the committed state, not timed


def edit_notebook(data: bytes) -> bytes:
    nb = json.loads(data)
    markdown = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    markdown["source"] = (markdown["source"] if isinstance(markdown["source"], str)
                          else "".join(markdown["source"])) + " "
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


def edit_data(data: bytes) -> bytes:
    lines = data.decode("utf-8").split("\n")
    lines[1] = lines[1].replace("EU Monitoring Capacity", "EU Monitoring  Capacity", 1)
    return "\n".join(lines).encode("utf-8")


def measure(runs: int) -> dict:
    samples: dict[str, list[float]] = {k: [] for k in (
        "cold_validation", "cold_build", "notebooks_parallel", "sphinx_fixed_cost", "floor", "no_change_rebuild",
        "one_notebook_rebuild", "one_notebook_execution", "data_edit_rebuild", "nbval", "pdf")}
    for _ in range(runs):
        samples["cold_validation"].append(cold_validation())
        samples["cold_build"].append(cold_build())
        notebooks = timed(*python("-m", "cstoreport.build.run_notebooks", "--force"))
        sphinx = sphinx_fixed_cost()
        samples["notebooks_parallel"].append(notebooks)
        samples["sphinx_fixed_cost"].append(sphinx)
        samples["floor"].append(notebooks + sphinx)
        pipeline()
        samples["no_change_rebuild"].append(pipeline())
        samples["one_notebook_execution"].append(
            timed(*python("-m", "cstoreport.build.run_notebooks", "--force", str(NOTEBOOK))))
        pipeline()
        samples["one_notebook_rebuild"].append(with_edit(NOTEBOOK, edit_notebook))
        samples["data_edit_rebuild"].append(with_edit(DATA_FILE, edit_data))
        samples["nbval"].append(timed(*python("-m", "pytest", "notebooks", "-q")))
        samples["pdf"].append(timed(*python("-m", "cstoreport.build.jupyterbook", "pdf", "--force")))
    medians = {k: round(statistics.median(v), 2) for k, v in samples.items()}
    floor = medians["floor"]
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "runs": runs,
        "median_seconds": medians,
        "ratio_to_floor": {k: round(v / floor, 2) for k, v in medians.items()},
        "targets": {
            "cold_validation <= 3 s": medians["cold_validation"] <= 3,
            "no_change_rebuild <= 2 s": medians["no_change_rebuild"] <= 2,
            "one_notebook_rebuild <= its execution + 2 s":
                medians["one_notebook_rebuild"] <= medians["one_notebook_execution"] + 2,
            "cold_build <= 1.3 x floor": medians["cold_build"] <= 1.3 * floor,
        },
    }


def markdown(report: dict) -> str:
    m, r = report["median_seconds"], report["ratio_to_floor"]
    lines = [f"Machine: {report['machine']['cpus']} CPUs, {report['machine']['platform']}, "
             f"Python {report['machine']['python']}; median of {report['runs']} runs.", "",
             "| Scenario | Median (s) | Ratio to floor |", "|---|---:|---:|"]
    lines += [f"| {k.replace('_', ' ')} | {m[k]:.2f} | {r[k]:.2f} |" for k in m]
    lines += ["", "| Target | Met |", "|---|---|"]
    lines += [f"| {k} | {'yes' if v else 'no'} |" for k, v in report["targets"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    report = measure(args.runs)
    BUILD.mkdir(exist_ok=True)
    (BUILD / "benchmark.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (BUILD / "benchmark.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
