"""Keep a virtual environment exactly what its requirements files pin: `make venv` runs this
in `.venv` (requirements.txt) and `make lab-env` in `.venv-lab` (requirements.txt and
requirements-lab.txt) after `pip install`; tests/test_environment.py checks `.venv` with it.

`pip install --requirement` adds and upgrades but never removes. Without this, a `.venv` made
by an older Makefile, which installed JupyterLab into it, would keep JupyterLab's packages; one
of them (rfc3987-syntax) makes every `import jsonschema`, hence every validation, notebook
kernel and Sphinx run, compile lark grammars for about a second.

    python -m cstoreport.machinery.environment [--remove-unpinned] REQUIREMENTS_FILE...
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

# What `python -m venv` installs besides the pins (setuptools, which Python 3.11's venv also
# installs, is pinned in requirements.txt).
INSTALLER = {"pip"}
# The report's own package (pyproject.toml), installed editable by `make venv`.
OWN = {"cstoreport"}


def normalise(name: str) -> str:
    """A distribution's name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(*paths: Path) -> dict[str, str]:
    """Name -> version of every `name==version` line of the requirements files."""
    pins = {}
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, exact, version = line.partition("==")
            if not exact:
                raise ValueError(
                    f"{path}, line {number}: {line!r} is not an exact pin (name==version)"
                )
            pins[normalise(name)] = version.strip()
    return pins


def installed(path: list[str] | None = None) -> dict[str, str]:
    """Name -> version of every distribution on `path` (default: the running interpreter's
    sys.path); where one is found twice, the first, which imports get."""
    found = {}
    for dist in metadata.distributions(**({} if path is None else {"path": path})):
        name = dist.metadata["Name"]
        if name:
            found.setdefault(normalise(name), dist.version)
    return found


def unpinned(pins: dict[str, str], found: dict[str, str]) -> list[str]:
    return sorted(name for name in found if name not in pins and name not in INSTALLER | OWN)


def differences(pins: dict[str, str], found: dict[str, str]) -> list[str]:
    """Every way `found` is not exactly `pins` (an extra package, a missing one, another
    version), one line each; empty if it is."""
    problems = [
        f"{name}=={found[name]} is installed but not pinned" for name in unpinned(pins, found)
    ]
    problems += [
        f"{name}=={found[name]} is installed but {name}=={version} is pinned"
        for name, version in sorted(pins.items())
        if name in found and found[name] != version
    ]
    problems += [
        f"{name}=={version} is pinned but not installed"
        for name, version in sorted(pins.items())
        if name not in found
    ]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="+", type=Path, help="requirements files")
    parser.add_argument(
        "--remove-unpinned",
        action="store_true",
        help="first uninstall every package that no file pins (pip stays)",
    )
    args = parser.parse_args(argv)
    files = " + ".join(str(path) for path in args.requirements)
    pins = pinned(*args.requirements)
    extra = unpinned(pins, installed())
    if args.remove_unpinned and extra:
        print(f"==> Removing from {sys.prefix} what {files} does not pin: {', '.join(extra)}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "uninstall",
                "--yes",
                "--quiet",
                "--disable-pip-version-check",
                *extra,
            ],
            check=True,
        )
        importlib.invalidate_caches()
    problems = differences(pins, installed())
    if problems:
        print(
            f"error: {sys.prefix} is not exactly {files}:\n  "
            + "\n  ".join(problems)
            + f"\n  Recreate it: rm -rf {sys.prefix} and run make again.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
