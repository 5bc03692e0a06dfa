"""Gather a release's artefacts in one folder, with their checksums: what `make release` runs
after `make book`.

    _build/release/
      armenia-csto-VERSION.pdf            the PDF (reproducible: see jupyterbook.py)
      armenia-csto-VERSION-site.tar.gz    the HTML site, as _build/html holds it
      armenia-csto-VERSION-data.tar.gz    the data package (data/), the bibliography its source
                                          ids point into, LICENSE and CITATION.cff
      CITATION.cff
      SHA256SUMS                          `sha256sum -c SHA256SUMS` checks the files above

The archives are deterministic: entries sorted by name, every mtime the commit's time
(SOURCE_DATE_EPOCH, as the PDF's dates), owner and group 0 with no names, modes 644/755, and a
gzip header without a file name and with the same time. One commit gives the same bytes.

    python -m cstoreport.machinery.release [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

from cstoreport.machinery.jupyterbook import PDF_IN_SITE, TARGETS, source_date_epoch
from cstoreport.paths import ROOT

NAME = "armenia-csto"
HTML = ROOT / "_build" / "html"
PDF = TARGETS["pdf"][1]
OUT = ROOT / "_build" / "release"


def version() -> str:
    return str(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["version"])


def _files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def deterministic_tar_gz(dest: Path, members: list[tuple[str, Path]], mtime: int) -> None:
    """Write (name in archive, file) pairs as a tar.gz whose bytes depend only on the names, the
    contents, whether a file is executable, and `mtime`."""
    names = {}
    for arcname, path in members:
        names[arcname] = path
        parts = arcname.split("/")
        for i in range(1, len(parts)):
            names.setdefault("/".join(parts[:i]) + "/", None)  # directories listed too
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for arcname in sorted(names):
            path = names[arcname]
            info = tarfile.TarInfo(arcname.rstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if path is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = path.read_bytes()
                info.size = len(data)
                info.mode = 0o755 if path.stat().st_mode & 0o100 else 0o644
                tar.addfile(info, io.BytesIO(data))
    with (
        open(dest, "wb") as out,
        gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=mtime, compresslevel=9) as gz,
    ):
        gz.write(raw.getvalue())


def sha256sums(folder: Path) -> str:
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "SHA256SUMS"
    ]
    text = "\n".join(lines) + "\n"
    (folder / "SHA256SUMS").write_text(text, encoding="utf-8")
    return text


def assemble(out: Path, pdf: Path, html: Path, root: Path, release: str, mtime: int) -> list[Path]:
    """The release folder `out`, made afresh; returns the files in it."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stem = f"{NAME}-{release}"
    shutil.copyfile(pdf, out / f"{stem}.pdf")
    site = [
        (f"{stem}-site/{p.relative_to(html).as_posix()}", p)
        for p in _files(html)
        if p.name != ".buildinfo"
    ]  # Sphinx's note to itself, not part of the site
    deterministic_tar_gz(out / f"{stem}-site.tar.gz", site, mtime)
    data = [(f"{stem}-data/{p.relative_to(root).as_posix()}", p) for p in _files(root / "data")]
    data += [
        (f"{stem}-data/{name}", root / name)
        for name in ("book/references.bib", "LICENSE", "CITATION.cff")
    ]
    deterministic_tar_gz(out / f"{stem}-data.tar.gz", data, mtime)
    shutil.copyfile(root / "CITATION.cff", out / "CITATION.cff")
    sha256sums(out)
    return sorted(out.iterdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    missing = [p for p in (PDF, HTML / "index.html") if not p.exists()]
    if missing:
        print(f"release: build the book first (make book); missing: {missing}", file=sys.stderr)
        return 1
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True
    ).stdout.strip()
    if dirty:
        print(
            "release: WARNING: the working tree has uncommitted changes; these artefacts "
            "cannot be rebuilt from a commit",
            file=sys.stderr,
        )
    if PDF_IN_SITE.exists() and PDF_IN_SITE.read_bytes() != PDF.read_bytes():
        print(
            "release: the site offers another PDF than _build/latex's; run make book again",
            file=sys.stderr,
        )
        return 1
    files = assemble(args.out, PDF, HTML, ROOT, version(), int(source_date_epoch()))
    print(f"==> Release {version()} in {args.out} (dates: SOURCE_DATE_EPOCH={source_date_epoch()})")
    for p in files:
        print(f"    {p.name} ({p.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
