"""Put a short "How to verify this page" box at the end of every page that shows a notebook's
results: the command that re-executes its notebook(s) from the data and compares everything
with what is published, and the data files they read (their declared inputs).

Which notebooks a page shows is read from the page itself (the notebooks it glues from, the
figures and tables they write that it places; `cstoreport.machinery.verify.page_notebooks`), so the
box follows the pages and the notebook metadata without a list to keep up to date. HTML only:
the PDF leaves it out.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from cstoreport.machinery.run_notebooks import declared
from cstoreport.machinery.verify import page_notebooks, producers, verify_command
from cstoreport.paths import ROOT


def _literal_list(paths: list[str], notes: dict[str, str]) -> list[nodes.Node]:
    items: list[nodes.Node] = []
    for number, path in enumerate(paths):
        if number:
            items.append(nodes.Text(", " if number < len(paths) - 1 else " and "))
        items.append(nodes.literal("", path))
        if path in notes:
            items.append(nodes.Text(f" ({notes[path]})"))
    return items


def verify_box(notebooks: list[Path]) -> nodes.Node:
    inputs = sorted({i for nb in notebooks for i in declared(nb)[0]})
    written_by = producers()
    notes = {
        i: f"written by {written_by[i].stem}, re-executed first"
        for i in inputs
        if i in written_by and written_by[i] not in notebooks
    }
    text = nodes.paragraph()
    text += nodes.Text("In a clone of the repository, run ")
    text += nodes.literal("", verify_command(notebooks))
    text += nodes.Text(". It re-executes ")
    text += _literal_list([nb.relative_to(ROOT).as_posix() for nb in notebooks], {})
    text += nodes.Text(
        " from the data in a scratch copy and says whether every cell output, "
        "glued number, figure and table matches what is published here. "
        "Data read: "
    )
    text += _literal_list(inputs, notes)
    text += nodes.Text(".")
    box = nodes.admonition(
        "", nodes.title("", "How to verify this page"), text, classes=["tip", "how-to-verify"]
    )
    only = addnodes.only(expr="html")
    only += box
    return only


def add_verify_box(app, doctree):
    source = Path(app.env.doc2path(app.env.docname))
    notebooks = page_notebooks(source) if source.suffix in (".md", ".ipynb") else []
    if not notebooks:
        return
    for nb in notebooks:  # the box changes when a notebook's declarations do
        app.env.note_dependency(str(nb))
    sections = list(doctree.findall(nodes.section))
    (sections[0] if sections else doctree).append(verify_box(notebooks))


def setup(app):
    app.connect("doctree-read", add_verify_box)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
