"""Notebooks that present: one owner per glued number, short cells, and thin notebooks.

Read from the committed notebooks (code and stored outputs), so no notebook is executed here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from cstoreport.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GLUE_MIME_PREFIX = "application/papermill.record/"
GLUE_ROLE = re.compile(r"\{glue:[a-z]+\}`([^`:]+\.ipynb)::([A-Za-z0-9_]+)")
MAX_CELL_LINES = 25
MAX_NOTEBOOK_TO_MODULE = 0.35
# The module code the notebooks call: the data API, style, gluing, paths, figures and the
# analysis. Not counted: the machinery (runner, pipeline, benchmark, lab), which no notebook
# calls, and the validator's internals behind the data API.
MODULE_PARTS = ["cstoreport/*.py", "cstoreport/analysis/*.py", "cstoreport/figures/*.py"]
NOT_CALLED = {"cstoreport/validation.py", "cstoreport/schema.py", "cstoreport/table_versions.py"}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_lines(text: str) -> int:
    """Lines that are neither blank nor only a comment."""
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def glued_keys(path) -> list[str]:
    """Every key a notebook glued, read from its stored outputs: keys glued in a loop count."""
    keys = []
    for cell in _cells(path):
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None or any(m.startswith(GLUE_MIME_PREFIX) for m in out.get("data", {})):
                keys.append(name)
    return keys


def test_glued_outputs_are_recognised():
    keys = glued_keys(ROOT / "notebooks" / "trade_series.ipynb")
    assert "rus_share_2024" in keys and None not in keys


def test_no_key_is_glued_in_two_notebooks():
    owners = defaultdict(set)
    for path in NOTEBOOKS:
        for key in glued_keys(path):
            owners[key].add(path.name)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, f"glued in more than one notebook: {shared}"


def glued_fractions(path) -> dict[str, str]:
    """Glued numbers that are not whole, as stored text, by key: two notebooks that glue the
    same one under different keys computed one number twice."""
    out = {}
    for cell in _cells(path):
        for out_ in cell.get("outputs", []):
            name = out_.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out_.get("data", {}).get(GLUE_MIME_PREFIX + "text/plain", "")
            try:
                value = float(text)
            except ValueError:
                continue
            if name is not None and not value.is_integer():
                out[name] = text
    return out


def test_no_fractional_number_is_glued_by_two_notebooks_under_different_keys():
    where = defaultdict(set)
    for path in NOTEBOOKS:
        for key, text in glued_fractions(path).items():
            where[text].add(f"{path.stem}::{key}")
    twice = {
        text: sorted(keys)
        for text, keys in where.items()
        if len({k.split("::")[0] for k in keys}) > 1
    }
    assert not twice, twice


def test_pages_glue_each_key_from_the_notebook_that_glues_it():
    glued = {path.name: set(glued_keys(path)) for path in NOTEBOOKS}
    wrong = []
    for page in sorted((ROOT / "book").rglob("*.md")):
        for notebook, key in GLUE_ROLE.findall(page.read_text(encoding="utf-8")):
            name = notebook.rsplit("/", 1)[-1]
            if key not in glued.get(name, set()):
                wrong.append(f"{page.relative_to(ROOT)}: {name}::{key}")
    assert not wrong, wrong


def test_no_code_cell_is_longer_than_25_lines():
    long = [
        f"{path.name} cell {i}: {code_lines(''.join(c['source']))} lines"
        for path in NOTEBOOKS
        for i, c in enumerate(_cells(path))
        if c["cell_type"] == "code" and code_lines("".join(c["source"])) > MAX_CELL_LINES
    ]
    assert not long, long


def notebook_to_module_ratio() -> tuple[int, int]:
    """The measure: non-blank, non-comment lines of all notebooks' code cells, against the same
    count over the module files the notebooks call (MODULE_PARTS; docstrings count as code)."""
    notebook = sum(
        code_lines("".join(c["source"]))
        for path in NOTEBOOKS
        for c in _cells(path)
        if c["cell_type"] == "code"
    )
    module = sum(
        code_lines(f.read_text(encoding="utf-8"))
        for part in MODULE_PARTS
        for f in ROOT.glob(part)
        if f.relative_to(ROOT).as_posix() not in NOT_CALLED
    )
    return notebook, module


def test_notebook_code_is_at_most_035_of_the_module_code_it_calls():
    notebook, module = notebook_to_module_ratio()
    assert notebook <= MAX_NOTEBOOK_TO_MODULE * module, (
        f"notebook code {notebook} lines, module code {module}: ratio {notebook / module:.2f}"
    )


def test_every_figure_file_is_declared_by_exactly_one_notebook():
    """A figure, its phone layout and its sidecar are each an output of one notebook, so that the
    runner, nbval's determinism check and `make verify` all cover them."""
    owners = defaultdict(list)
    for path in NOTEBOOKS:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["cstoreport"]
        for output in meta["outputs"]:
            owners[output].append(path.name)
    figure_files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "book/figures").iterdir()}
    assert sorted(figure_files - set(owners)) == []
    assert {o: n for o, n in owners.items() if len(n) > 1} == {}


def test_a_notebook_figure_has_the_alt_text_of_its_sidecar():
    """The notebook pages show the figure a cell saves; its alt text is the one the figure's
    sidecar carries (computed from the data), not a second, typed wording."""
    saved = re.compile(r"style\.save\(\s*(?:\w+,\s*)?\"(\w+)\"")
    problems = []
    for path in NOTEBOOKS:
        for number, cell in enumerate(_cells(path), start=1):
            source = "".join(cell["source"])
            names = saved.findall(source)
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            if not names or not images:
                continue
            sidecar = json.loads((ROOT / "book/figures" / f"{names[0]}.json").read_text())
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
            if len(images) != 1 or alt != sidecar["alt"]:
                problems.append(f"{path.name} cell {number} ({names[0]})")
    assert problems == []


def test_every_figure_has_an_alt_text_with_its_numbers():
    """Issue 29: each figure's finding in its alt text, with the key numbers (computed)."""
    sidecars = sorted((ROOT / "book/figures").glob("*.json"))
    figures = [p for p in (ROOT / "book/figures").glob("*.png") if not p.stem.endswith("_narrow")]
    assert sorted(p.stem for p in sidecars) == sorted(p.stem for p in figures)
    lacking = [
        p.stem for p in sidecars if not re.search(r"\d", json.loads(p.read_text())["alt"] or "")
    ]
    assert lacking == []
