"""The PDF edition is the report itself: the opening page and the chapters of one part of the
table of contents (`pdf_main_part`, "The report"), then the appendices (`latex_appendices`)
and the bibliography of the sources it cites. The notebooks and the data and citation pages
stay in the HTML edition, and so do elements with a class of `pdf_html_only_classes` (the
claims ledger's full entries, which the first appendix condenses to one line each; `{only}
html` cannot hold the headings between them).

HTML and PDF share one table of contents and one Sphinx environment (so the PDF build rereads
nothing the HTML build read); the PDF's shape is decided only when the LaTeX builder assembles
its single document. A reference to a page the PDF leaves out keeps its text and says "in the
HTML edition"; a reference to an anchor inside content that only the HTML shows (`{only} html`)
keeps its text, and an anchor named in `pdf_anchor_fallbacks` (a claim of the ledger) points
to the page that lists it in the PDF instead. A reference to `pdf_bibliography_page` stays plain
text: the PDF ends with the bibliography itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinxcontrib.bibtex.nodes import raw_latex

logger = logging.getLogger(__name__)

HTML_EDITION = " (in the HTML edition)"

# Added to the latexmkrc Sphinx writes, to spare LaTeX runs whose output nobody sees (each full
# run is about 2.6 s, most of it spent on the figures):
# - latexmk runs LaTeX again while the .aux file changes. LaTeX also records the page count there
#   (\gdef \@abspage@last{N}), which only places material of the kernel's shipout/lastpage hook;
#   nothing this document loads uses that hook. On a first build the contents pages add a page
#   after the first run, so that line alone cost a third run that changed nothing.
# - The first run of a fresh build has no contents file (.toc) yet and writes one, so latexmk
#   always runs LaTeX again and that run's PDF replaces the first one: the first run is a draft
#   (-draftmode: the same .aux, .toc and .out files, no PDF, figures not read; about 0.6 s).
LATEXMK_SETTINGS = r"""
# added by _ext/pdf_edition.py: a changed page count alone is no reason to run LaTeX again
$hash_calc_ignore_pattern{'aux'} = '^\\\\gdef \\\\\@abspage\@last\{';
# and a run without a contents file to read writes no PDF (the next run writes it)
$pdflatex = 'internal first_run_as_draft %O %S';
sub first_run_as_draft {
    my @draft = -e "$aux_dir1$root_filename.toc" ? () : ('-draftmode');
    return system('pdflatex', @draft, split(' ', $ENV{'LATEXOPTS'} // ''), @_);
}
"""


def _labels(tree: nodes.Element) -> set[tuple[str, str]]:
    """(document, id) of every anchor the LaTeX writer can label in the assembled tree."""
    found: set[tuple[str, str]] = set()

    def walk(node: nodes.Node, doc: str) -> None:
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        elif isinstance(node, nodes.document) and "docname" in node:
            doc = node["docname"]
            found.add((doc, ":doc"))
        if isinstance(node, nodes.Element):
            # a bibliography entry is labelled with the page it was written on
            own = node.get("docname", doc) if isinstance(node, nodes.citation) else doc
            found.update((own, i) for i in node.get("ids", []))
            for child in node.children:
                walk(child, doc)

    walk(tree, tree["docname"])
    return found


def _references(tree: nodes.Element):
    """(reference node, document it stands in) for every internal reference."""

    def walk(node: nodes.Node, doc: str):
        if (
            isinstance(node, addnodes.start_of_file)
            or isinstance(node, nodes.document)
            and "docname" in node
        ):
            doc = node["docname"]
        if isinstance(node, nodes.reference) and (
            node.get("refuri", "").startswith("%") or node.get("refid")
        ):
            yield node, doc
        if isinstance(node, nodes.Element):
            for child in list(node.children):
                yield from walk(child, doc)

    yield from walk(tree, tree["docname"])


def _target(reference: nodes.reference, doc: str) -> tuple[str, str]:
    """The label the LaTeX writer would link to (see LaTeXTranslator.visit_reference)."""
    uri = reference.get("refuri", "")
    if not uri:
        return doc, reference["refid"]
    target_doc, _, anchor = uri[1:].partition("#")
    return target_doc, anchor or ":doc"


def _remove_html_only(tree: nodes.Element, classes: set[str]) -> None:
    """Drop the elements the PDF leaves out, then the sections they leave with a title only."""
    for node in list(tree.findall(nodes.Element)):
        if classes & set(node.get("classes", [])) and node.parent is not None:
            node.parent.remove(node)
    for section in reversed(list(tree.findall(nodes.section))):
        if all(isinstance(child, nodes.title) for child in section.children):
            section.parent.remove(section)


CITE_TARGET = re.compile(r"\\hyperlink\{cite\.([^}]+)\}")


def _keep_cited_entries_only(tree: nodes.Element) -> None:
    """Drop the bibliography entries that nothing left in the PDF cites (the notebooks and the
    claims ledger, which stay in the HTML, cite hundreds of sources the chapters do not), and
    number the rest 1, 2, 3 ... sphinxcontrib-bibtex writes a citation in LaTeX as raw
    \\hyperlink{cite.<page>:<id>}."""
    cited = {key for raw in tree.findall(raw_latex) for key in CITE_TARGET.findall(raw.rawsource)}
    kept = 0
    for entry in list(tree.findall(nodes.citation)):
        if any(f"{entry.get('docname')}:{i}" in cited for i in entry["ids"]):
            kept += 1  # the list keeps its order; its numbers run on without gaps
            entry[0].replace_self(nodes.label("", str(kept)))
        else:
            entry.parent.remove(entry)
    logger.info(f"pdf_edition: the references list the {kept} entries the PDF cites")


class PdfEditionBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder, keeping only the report's chapters in the main matter."""

    def copy_support_files(self) -> None:
        super().copy_support_files()
        with open(Path(self.outdir, "latexmkrc"), "a", encoding="utf-8") as settings:
            settings.write(LATEXMK_SETTINGS)

    def get_contentsname(self, indexfile: str) -> str:
        return "Contents"  # not the first part's caption: the PDF has appendices too

    def main_matter(self, indexfile: str) -> set[str]:
        part = self.config.pdf_main_part
        chapters = [
            toctree["includefiles"]
            for toctree in self.env.get_doctree(indexfile).findall(addnodes.toctree)
            if toctree.get("caption") == part
        ]
        if not chapters:
            raise ValueError(f"pdf_main_part: no part {part!r} in the table of contents")
        return {indexfile, *chapters[0]} - set(self.config.latex_appendices)

    def assemble_doctree(self, indexfile, toctree_only, appendices):
        keep = self.main_matter(indexfile)
        # Sphinx inlines every page of the table of contents and resolves references in all of
        # them; the pages the PDF drops below (the notebooks above all) were most of that work.
        # They are inlined empty: still known to Sphinx as documents of this build, so a
        # reference to one still resolves (and is then marked as in the HTML edition). The
        # bibliography page is read in full: Sphinx gathers its entries at the end.
        needed = keep | set(appendices) | {self.config.pdf_bibliography_page}
        read_page = self.env.get_doctree
        self.env.get_doctree = lambda docname: (
            read_page(docname) if docname in needed else new_document(docname)
        )
        try:
            tree = super().assemble_doctree(indexfile, toctree_only, appendices)
        finally:
            del self.env.get_doctree
        for page in list(tree.findall(addnodes.start_of_file)):
            if page["docname"] not in keep:
                page.parent.remove(page)
        self.docnames = keep | set(appendices)
        _remove_html_only(tree, set(self.config.pdf_html_only_classes))
        labels = _labels(tree)
        in_pdf = {doc for doc, anchor in labels if anchor == ":doc"}
        fallbacks = self.config.pdf_anchor_fallbacks
        for reference, doc in list(_references(tree)):
            target_doc, anchor = _target(reference, doc)
            if (target_doc, anchor) in labels:
                continue
            fallback = next(
                (page for prefix, page in fallbacks.items() if anchor.startswith(prefix)), None
            )
            if fallback in in_pdf and fallback != doc:
                reference["refuri"] = "%" + fallback
                reference.attributes.pop("refid", None)
                continue
            text = nodes.inline("", "", *reference.children)
            if target_doc not in in_pdf | {self.config.pdf_bibliography_page}:
                text += nodes.Text(HTML_EDITION)
            reference.replace_self(text)
        _keep_cited_entries_only(tree)
        return tree


def fixed_document_id(app, config) -> None:
    """The PDF's document ID (the trailer's /ID, otherwise new on every run) names the edition:
    the version and the date it was built from (SOURCE_DATE_EPOCH, set by the build)."""
    ident = f"armenia-csto-{config.version}-{os.environ.get('SOURCE_DATE_EPOCH', '0')}"
    elements = dict(config.latex_elements or {})
    elements["preamble"] = (
        elements.get("preamble", "") + r"\ifdefined\pdftrailerid\pdftrailerid{" + ident + r"}\fi"
    )
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", fixed_document_id, priority=600)  # after citation_version
    app.add_config_value("pdf_main_part", "The report", "")
    app.add_config_value("pdf_anchor_fallbacks", {}, "")
    app.add_config_value("pdf_html_only_classes", [], "")
    app.add_config_value("pdf_bibliography_page", "", "")
    app.add_builder(PdfEditionBuilder, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
