"""Where things live, resolved from this file so notebooks work from any working directory."""

import os
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DERIVED_DIR = DATA_DIR / "derived"
FIGURES_DIR = ROOT / "book" / "figures"
BOOK_TABLES_DIR = ROOT / "book" / "tables"
BIB_PATH = ROOT / "book" / "references.bib"
PACKAGE_PATH = DATA_DIR / "datapackage.json"


def relative(path: Path) -> str:
    """A path as a reader of the repository sees it (for error messages)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def replaced_whole(path: Path):
    """Yield a temporary path beside `path` to write to, then move it over `path` in one step:
    a notebook executed in parallel that reads the file sees the old or the new one, never a
    half-written one."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_whole(path: Path, text: str) -> None:
    """Write a text file in one step (see replaced_whole)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with replaced_whole(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or "missing"; the unit of every build fingerprint."""
    import hashlib

    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def files_digest(paths) -> str:
    """One digest for a set of files, their names included."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(relative(path).encode() + b"\0" + file_digest(path).encode())
    return digest.hexdigest()
