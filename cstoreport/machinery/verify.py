"""Re-execute notebooks from the data in a scratch copy of the repository and say, in plain
words, whether they reproduce what the repository publishes.

    python -m cstoreport.machinery.verify [NAME ...]     (make verify NB="trade_series ...")

Without names every notebook is verified. A notebook that reads another's output (the overview
reads the trade, chronology and claims tables) is verified together with the notebooks that
write those tables, so everything is rebuilt from the data files.

The scratch copy is executed by the report's own runner (`run_notebooks --force`, which also
checks that each notebook read only what it declares), after the source tables those notebooks
declare they read are validated (with the tables these refer to).
Then, for each notebook:
- each code cell's outputs are compared as nbval compares them (same sanitising rules,
  tests/nbval_sanitize.cfg; images are compared through the figure files instead);
- each glued value (the numbers and phrases the pages insert) is compared by name;
- each declared output (figures, tables, generated pages) is compared byte for byte, and a
  difference is described: the first differing row and field of a table, the region of a figure
  whose pixels changed;
- any other file the run changed or added is reported, since nothing else may change.
Exit status 0 only when everything is identical.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cstoreport.machinery.run_notebooks import NOTEBOOK_DIR, declared
from cstoreport.paths import PACKAGE_PATH, ROOT

SANITIZE_RULES = ROOT / "tests" / "nbval_sanitize.cfg"
# What the runner needs to execute the notebooks (their data, module, outputs and shared inputs).
COPIED_DIRS = ["cstoreport", "notebooks", "data", "book"]
COPIED_FILES = ["requirements.txt"]
GLUE_MIME_PREFIX = "application/papermill.record/"
# nbval's keys that are not compared (nbval.plugin.IPyNbFile.skip_compare without --nbdime).
NBVAL_NOT_COMPARED = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}
SHOWN_PER_NOTEBOOK = 8


def notebook_path(name: str) -> Path:
    """`trade_series`, `trade_series.ipynb` or `notebooks/trade_series.ipynb`."""
    path = NOTEBOOK_DIR / f"{Path(name).stem}.ipynb"
    if not path.exists():
        known = ", ".join(p.stem for p in sorted(NOTEBOOK_DIR.glob("*.ipynb")))
        raise SystemExit(f"no notebook called {name!r}; the notebooks are: {known}")
    return path


def producers() -> dict[str, Path]:
    """Each declared output and the notebook that writes it."""
    return {out: nb for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb")) for out in declared(nb)[1]}


def with_upstream(paths: list[Path]) -> list[Path]:
    """The notebooks and, transitively, those that write the files they read."""
    written_by = producers()
    todo, found = list(paths), []
    while todo:
        nb = todo.pop()
        if nb in found:
            continue
        found.append(nb)
        todo += [written_by[i] for i in declared(nb)[0] if i in written_by]
    return sorted(found)


def page_notebooks(page: Path) -> list[Path]:
    """The notebooks whose results a book page shows: it glues from them or places a figure,
    table or page they write (paths as the page writes them, relative to the page)."""
    text = page.read_text(encoding="utf-8")
    here = page.parent
    found = []
    for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        if nb.resolve() == page.resolve():
            found.append(nb)
            continue
        refs = [nb, *(ROOT / out for out in declared(nb)[1])]
        if any(os.path.relpath(ref, here) in text for ref in refs):
            found.append(nb)
    return found


def verify_command(notebooks: list[Path]) -> str:
    names = " ".join(nb.stem for nb in notebooks)
    return f'make verify NB="{names}"' if len(notebooks) > 1 else f"make verify NB={names}"


# --- comparing --------------------------------------------------------------------------------


def sanitize_patterns() -> list[tuple[str, str]]:
    from nbval.plugin import get_sanitize_patterns

    return get_sanitize_patterns(SANITIZE_RULES.read_text(encoding="utf-8"))


def _sanitize(value, patterns):
    if not isinstance(value, str):
        return value
    for regex, replace in patterns:
        value = re.sub(regex, replace, value)
    return value


def comparable_outputs(outputs, patterns) -> dict[str, list]:
    """A cell's outputs as nbval compares them: streams merged, values sanitised, flattened by
    key (MIME type or stream name); glued values are compared separately, by name."""
    from nbval.plugin import coalesce_streams, transform_streams_for_comparison

    flat = defaultdict(list)
    for out in transform_streams_for_comparison(coalesce_streams(copy.deepcopy(outputs))):
        for key, value in out.items():
            if key in NBVAL_NOT_COMPARED:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in NBVAL_NOT_COMPARED and not mime.startswith(GLUE_MIME_PREFIX):
                        flat[mime].append(_sanitize(data, patterns))
            else:
                flat[key].append(_sanitize(value, patterns))
    return dict(flat)


def _short(text, limit: int = 90) -> str:
    text = str(text).strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _first_line_difference(old: str, new: str) -> str:
    old_lines, new_lines = str(old).splitlines(), str(new).splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return f"line {number}: committed {_short(a)}, rerun {_short(b)}"
    return f"committed {len(old_lines)} lines, rerun {len(new_lines)} lines"


def cell_difference(committed, rerun, patterns) -> str | None:
    old, new = comparable_outputs(committed, patterns), comparable_outputs(rerun, patterns)
    if old.keys() != new.keys():
        return f"output kinds differ: committed {sorted(old)}, rerun {sorted(new)}"
    # Plain text first: it names the value most readably.
    for key in sorted(old, key=lambda k: (k != "text/plain", k != "stdout", k)):
        if len(old[key]) != len(new[key]):
            return f"{key}: committed {len(old[key])} outputs, rerun {len(new[key])}"
        for a, b in zip(old[key], new[key], strict=False):
            if a != b:
                return f"{key}, {_first_line_difference(a, b)}"
    return None


def glued_values(nb) -> dict[str, tuple[int, str]]:
    """Glued name -> (cell number, value as text)."""
    values = {}
    for number, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            data = out.get("data", {})
            values[name] = (
                number,
                data.get(GLUE_MIME_PREFIX + "text/plain", json.dumps(data, sort_keys=True)),
            )
    return values


def _row_label(header: list[str], row: list[str], key: list[str]) -> str:
    fields = [f for f in key if f in header] or header[:1]
    return ", ".join(f"{f}={row[header.index(f)]}" for f in fields if header.index(f) < len(row))


def table_keys() -> dict[str, list[str]]:
    """Primary keys of the tables the data package describes, by path from the repository root."""
    package = json.loads(PACKAGE_PATH.read_text(encoding="utf-8"))
    keys = {}
    for res in package["resources"]:
        key = res.get("schema", {}).get("primaryKey") or []
        keys[f"data/{res['path']}"] = [key] if isinstance(key, str) else list(key)
    return keys


def table_difference(old: bytes, new: bytes, key: list[str]) -> str:
    old_rows = list(csv.reader(io.StringIO(old.decode("utf-8"))))
    new_rows = list(csv.reader(io.StringIO(new.decode("utf-8"))))
    if not old_rows or not new_rows or old_rows[0] != new_rows[0]:
        return (
            f"columns differ: committed {old_rows[0] if old_rows else []}, "
            f"rerun {new_rows[0] if new_rows else []}"
        )
    header = old_rows[0]
    if len(old_rows) != len(new_rows):
        # Rows added or removed: compare as sets, so one insertion is not a cascade of changes.
        old_set, new_set = set(map(tuple, old_rows[1:])), set(map(tuple, new_rows[1:]))
        parts = []
        for rows, other, where in (
            (new_rows, old_set, "only in the rerun"),
            (old_rows, new_set, "only in the committed table"),
        ):
            only = [r for r in rows[1:] if tuple(r) not in other]
            if only:
                parts.append(
                    f"{_count(len(only), 'rows')} {where} "
                    f"(first: {_row_label(header, only[0], key)})"
                )
        return f"committed {len(old_rows) - 1} rows, rerun {len(new_rows) - 1}: " + "; ".join(parts)
    changed = [n for n, (a, b) in enumerate(zip(old_rows, new_rows, strict=False)) if a != b]
    if not changed:
        return "same cells, different file bytes (line endings or quoting)"
    n = changed[0]
    a, b = old_rows[n], new_rows[n]
    column = next(
        (
            i
            for i in range(max(len(a), len(b)))
            if (a[i] if i < len(a) else None) != (b[i] if i < len(b) else None)
        ),
        0,
    )
    where = f"row {n + 1} ({_row_label(header, a, key)})" if n else "row 1"
    name = header[column] if column < len(header) else f"column {column + 1}"
    count = f"{len(changed)} of {len(old_rows) - 1} rows differ"
    return (
        f"{where}, field '{name}': committed {_short(a[column] if column < len(a) else '')},"
        f" rerun {_short(b[column] if column < len(b) else '')} ({count})"
    )


def figure_difference(old: Path, new: Path) -> str:
    from PIL import Image, ImageChops

    with Image.open(old) as a, Image.open(new) as b:
        if a.size != b.size:
            return f"image size changed from {a.size[0]}×{a.size[1]} to {b.size[0]}×{b.size[1]}"
        box = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
        if box is None:
            return "same pixels, different file bytes (metadata)"
        return (
            f"pixels changed in the region x {box[0]}–{box[2]}, y {box[1]}–{box[3]} "
            f"of {a.size[0]}×{a.size[1]}"
        )


def text_difference(old: bytes, new: bytes) -> str:
    try:
        return _first_line_difference(old.decode("utf-8"), new.decode("utf-8"))
    except UnicodeDecodeError:
        return "file bytes differ"


def kind_of(output: str) -> str:
    path = Path(output)
    if path.parent.name == "figures" and path.suffix == ".json":
        return "figure sidecars"  # a figure's alt text and text sizes, compared as text
    return {".png": "figures", ".csv": "tables"}.get(path.suffix, "pages")


def _count(n: int, plural: str) -> str:
    """'1 figure', '5 figures', '1 glued value'."""
    words = plural.split()
    if n == 1:
        words[-1] = words[-1][:-1]
    return f"{n} {' '.join(words)}"


@dataclass
class Report:
    notebook: str
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "cells": 0,
            "glued values": 0,
            "figures": 0,
            "tables": 0,
            "pages": 0,
        }
    )
    differences: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counted = ", ".join(_count(n, k) for k, n in self.counts.items() if n)
        if not self.differences:
            return f"{self.notebook}: {counted}: all identical"
        lines = [f"{self.notebook}: {counted}: {_count(len(self.differences), 'differences')}"]
        lines += [f"  - {d}" for d in self.differences[:SHOWN_PER_NOTEBOOK]]
        if len(self.differences) > SHOWN_PER_NOTEBOOK:
            lines.append(f"  … and {len(self.differences) - SHOWN_PER_NOTEBOOK} more")
        return "\n".join(lines)


def compare_notebook(nb_path: Path, scratch: Path, patterns, keys) -> Report:
    import nbformat

    rel = nb_path.relative_to(ROOT).as_posix()
    committed = nbformat.read(nb_path, as_version=4)
    rerun = nbformat.read(scratch / rel, as_version=4)
    report = Report(rel)
    diffs = report.differences
    if len(committed.cells) != len(rerun.cells):
        diffs.append(f"{rel}: committed {len(committed.cells)} cells, rerun {len(rerun.cells)}")
    for number, (old, new) in enumerate(zip(committed.cells, rerun.cells, strict=False), start=1):
        if old.cell_type != "code":
            continue
        report.counts["cells"] += 1
        difference = cell_difference(old.outputs, new.outputs, patterns)
        if difference:
            first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
            diffs.append(f"{rel}, cell {number} ({_short(first_line, 50)}): {difference}")
    old_glue, new_glue = glued_values(committed), glued_values(rerun)
    report.counts["glued values"] = len(old_glue)
    for name in sorted(set(old_glue) | set(new_glue)):
        if name not in new_glue:
            diffs.append(f"glued value '{name}' (cell {old_glue[name][0]}) is no longer glued")
        elif name not in old_glue:
            diffs.append(
                f"glued value '{name}' (cell {new_glue[name][0]}) is new: {new_glue[name][1]}"
            )
        elif old_glue[name][1] != new_glue[name][1]:
            diffs.append(
                f"glued value '{name}' (cell {old_glue[name][0]}): committed "
                f"{old_glue[name][1]}, rerun {new_glue[name][1]}"
            )
    for out in declared(nb_path)[1]:
        kind = kind_of(out)
        report.counts[kind] = report.counts.get(kind, 0) + 1
        old_file, new_file = ROOT / out, scratch / out
        if not old_file.exists():
            diffs.append(f"{kind[:-1]} {out}: not in the repository, but the notebook writes it")
            continue
        old_bytes, new_bytes = old_file.read_bytes(), new_file.read_bytes()
        if old_bytes == new_bytes:
            continue
        if kind == "figures":
            detail = figure_difference(old_file, new_file)
        elif kind == "tables":
            detail = table_difference(old_bytes, new_bytes, keys.get(out, []))
        else:
            detail = text_difference(old_bytes, new_bytes)
        diffs.append(f"{kind[:-1]} {out} differs: {detail}")
    return report


def other_changes(scratch: Path, executed: list[Path]) -> list[str]:
    """Files the run changed or added that no executed notebook declares as its output."""
    expected = {nb.relative_to(ROOT).as_posix() for nb in executed}
    expected |= {out for nb in executed for out in declared(nb)[1]}
    found = []
    for folder in COPIED_DIRS:
        for new in sorted((scratch / folder).rglob("*")):
            rel = new.relative_to(scratch).as_posix()
            if not new.is_file() or "__pycache__" in new.parts or rel in expected:
                continue
            old = ROOT / rel
            if not old.exists():
                found.append(f"{rel}: written by the run, not in the repository")
            elif old.read_bytes() != new.read_bytes():
                found.append(
                    f"{rel}: changed by the run, though no notebook declares it as an output"
                )
    return found


# --- running ----------------------------------------------------------------------------------


def copy_tree(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "_build", ".ipynb_checkpoints")
    for name in COPIED_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in COPIED_FILES:
        shutil.copy(ROOT / name, dest / name)
    return dest


def run_in(scratch: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a module of the scratch copy's own `cstoreport` (its ROOT is the scratch copy; the
    kernels it starts inherit PYTHONPATH and so import the copy too)."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            p for p in [str(scratch), os.environ.get("PYTHONPATH", "")] if p
        ),
    )
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=scratch, env=env, capture_output=True, text=True
    )


def source_tables(notebooks: list[Path]) -> list[str]:
    """The source tables (not derived ones, which the run itself writes and checks) that the
    notebooks declare they read."""
    read = {i for nb in notebooks for i in declared(nb)[0]}
    package = json.loads(PACKAGE_PATH.read_text(encoding="utf-8"))
    return sorted(
        r["name"]
        for r in package["resources"]
        if f"data/{r['path']}" in read and not r["path"].startswith("derived/")
    )


def verify(paths: list[Path], out=sys.stdout) -> int:
    """Re-execute the notebooks (and those they read from) in a scratch copy and compare."""
    executed = with_upstream(paths)
    extra = [nb.stem for nb in executed if nb not in paths]
    print(
        f"Re-executing {', '.join(nb.stem for nb in executed)} from the data in a scratch "
        "copy of the repository"
        + (f" ({', '.join(extra)}: their tables are read)" if extra else "")
        + " …",
        file=out,
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="cstoreport-verify-") as tmp:
        scratch = copy_tree(Path(tmp))
        steps = [
            (
                "validating the data the notebooks read",
                ["cstoreport.machinery.check_data", "--tables", *source_tables(executed)],
            ),
            (
                "executing the notebooks",
                [
                    "cstoreport.machinery.run_notebooks",
                    "--force",
                    *(nb.relative_to(ROOT).as_posix() for nb in executed),
                ],
            ),
        ]
        for title, args in steps:
            result = run_in(scratch, *args)
            if result.returncode != 0:
                print(
                    f"NOT VERIFIED: {title} failed in the scratch copy:\n"
                    + (result.stderr or result.stdout).strip()[-3000:],
                    file=out,
                )
                return 1
        patterns, keys = sanitize_patterns(), table_keys()
        reports = [compare_notebook(nb, scratch, patterns, keys) for nb in executed]
        others = other_changes(scratch, executed)
    for report in reports:
        print(report.summary(), file=out)
    for line in others:
        print(f"  - {line}", file=out)
    different = [r.notebook for r in reports if r.differences]
    if different or others:
        print(
            f"NOT VERIFIED: re-executing from the data does not reproduce "
            f"{', '.join(different) or 'the repository'}"
            + (f"; {len(others)} other file(s) changed" if others else "")
            + ".",
            file=out,
        )
        return 1
    print(
        f"Verified: re-executed from the data, {_count(len(reports), 'notebooks')} "
        "reproduce every cell output, glued value, figure and table in the repository.",
        file=out,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NAME",
        help="notebook names (e.g. trade_series); all when none given",
    )
    args = parser.parse_args(argv)
    names = [n for arg in args.notebooks for n in arg.split()]
    paths = [notebook_path(n) for n in names] or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    return verify(paths)


if __name__ == "__main__":
    sys.exit(main())
