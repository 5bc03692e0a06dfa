"""The cyclomatic complexity of functions, as ruff's mccabe check (C901) measures it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cstoreport.paths import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def too_complex(path: Path, names: set[str], limit: int = 10) -> list[str]:
    """Which of the functions `names` in `path` have a complexity above `limit`."""
    result = subprocess.run(
        [
            str(RUFF),
            "check",
            "--no-cache",
            "--select",
            "C901",
            "--config",
            f"lint.mccabe.max-complexity = {limit}",
            "--output-format",
            "json",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout)
    return sorted(f["message"] for f in found if f["message"].split("`")[1] in names)
