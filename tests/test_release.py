"""Releases a reader can verify: the PDF built again from the same commit is byte for byte the
same, and `make release` packs the artefacts into deterministic archives with checksums."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from cstoreport.machinery import jupyterbook, release
from cstoreport.paths import ROOT

PDF = jupyterbook.TARGETS["pdf"][1]


def test_the_pdf_built_again_from_the_same_commit_is_byte_identical(built_book, tmp_path):
    """The suite's PDF build, then its LaTeX step once more from scratch in a copy (no .aux,
    .toc or PDF: the runs a fresh clone makes), at a later time and in another directory."""
    epoch = jupyterbook.source_date_epoch()
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(PDF)], capture_output=True, text=True, check=True
    ).stdout
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    assert f"CreationDate:    {when:%Y-%m-%dT%H:%M:%S}" in info, info  # the commit's time
    copy = tmp_path / "latex"
    shutil.copytree(
        PDF.parent,
        copy,
        ignore=shutil.ignore_patterns(
            "*.pdf", "*.aux", "*.toc", "*.out", "*.log", "*.fls", "*.fdb_latexmk"
        ),
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, FORCE_SOURCE_DATE="1")
    result = subprocess.run(["make", "all-pdf"], cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    again = (copy / PDF.name).read_bytes()
    assert again == PDF.read_bytes(), "the PDF differs between two builds of one commit"


def test_the_release_archives_are_deterministic_and_checksummed(tmp_path):
    """Two releases made from trees whose files differ only in mtime and creation order have the
    same bytes; the archives hold sorted entries owned by 0 with the commit's time."""

    def tree(base: Path, order: list[str]) -> Path:
        for name in order:
            p = base / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"content of {name}\n")
        return base

    outs = []
    for i, order in enumerate(
        [
            ["html/index.html", "html/_static/a.css", "data/x.csv"],
            ["data/x.csv", "html/_static/a.css", "html/index.html"],
        ]
    ):
        base = tree(tmp_path / f"t{i}", order)
        for name in ("book/references.bib", "LICENSE", "CITATION.cff", "the.pdf"):
            (base / name).parent.mkdir(parents=True, exist_ok=True)
            (base / name).write_text(name)
        os.utime(base / "data" / "x.csv", (1e9 + i, 1e9 + i))
        out = base / "release"
        release.assemble(out, base / "the.pdf", base / "html", base, "9.9.9", 1_700_000_000)
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == [
        "CITATION.cff",
        "SHA256SUMS",
        "armenia-csto-9.9.9-data.tar.gz",
        "armenia-csto-9.9.9-site.tar.gz",
        "armenia-csto-9.9.9.pdf",
    ]
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    with tarfile.open(outs[0] / "armenia-csto-9.9.9-site.tar.gz") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert "armenia-csto-9.9.9-site/_static/a.css" in [m.name for m in members]
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {
        (0, 0, "", "", 1_700_000_000)
    }
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=outs[0], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout.count(": OK") == 4, checked.stdout


def test_the_data_archive_holds_the_data_package_and_what_it_points_to(tmp_path):
    out = tmp_path / "release"
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("site")
    release.assemble(out, ROOT / "CITATION.cff", tmp_path / "html", ROOT, "0", 0)
    with tarfile.open(out / "armenia-csto-0-data.tar.gz") as tar:
        names = set(tar.getnames())
    assert {
        "armenia-csto-0-data/data/datapackage.json",
        "armenia-csto-0-data/book/references.bib",
        "armenia-csto-0-data/LICENSE",
        "armenia-csto-0-data/CITATION.cff",
    } <= names
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "data"], capture_output=True, text=True
    ).stdout.split()
    assert {f"armenia-csto-0-data/{p}" for p in tracked} <= names
