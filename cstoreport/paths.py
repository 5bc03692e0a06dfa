"""Where things live, resolved from this file so notebooks work from any working directory."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DERIVED_DIR = DATA_DIR / "derived"
FIGURES_DIR = ROOT / "book" / "figures"
BIB_PATH = ROOT / "book" / "references.bib"
PACKAGE_PATH = DATA_DIR / "datapackage.json"


def relative(path: Path) -> str:
    """A path as a reader of the repository sees it (for error messages)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
