"""Open JupyterLab on the report's notebooks: what `make lab` runs.

JupyterLab runs from its own environment, `.venv-lab` (requirements.txt and the pinned
requirements-lab.txt, installed by `make lab-env` on first use), so that the report's `.venv`
stays exactly requirements.txt. Its one kernel (`python3`, which `make lab-env` installs into
`.venv-lab`) runs `.venv`'s Python: the report's own environment, with the pinned packages and
the working tree's `cstoreport`. The server listens on 127.0.0.1 only and asks
for a token (Jupyter's default; the address printed at start-up carries it). It fetches
nothing at run time: no news feed and no update check (on the server, and the front end does
not offer them), and a read-only extension manager (it lists what is installed and searches no
package index).

    python -m cstoreport.machinery.lab [--port N] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cstoreport.paths import ROOT

# JupyterLab's environment (made by `make lab-env`).
LAB_PYTHON = ROOT / ".venv-lab" / "bin" / "python"

# Default settings of the JupyterLab front end: never ask to fetch news or check for updates.
SETTINGS_DIR = Path(__file__).resolve().parent / "lab-settings"

SETTINGS = {
    "ServerApp.ip": "127.0.0.1",
    "ServerApp.root_dir": str(ROOT),
    "LabApp.default_url": "/lab/tree/notebooks",
    "LabApp.news_url": "None",
    "LabApp.check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
    "LabApp.extension_manager": "readonly",
    "LabApp.app_settings_dir": str(SETTINGS_DIR),
    "KernelSpecManager.allowed_kernelspecs": "python3",
    "MultiKernelManager.default_kernel_name": "python3",
}


def command(port: int | None = None, open_browser: bool = True) -> list[str]:
    args = [str(LAB_PYTHON), "-m", "jupyterlab", *(f"--{k}={v}" for k, v in SETTINGS.items())]
    if port is not None:
        args += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not open_browser:
        args.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI machines often run as root; Jupyter refuses that unless told.
        args.append("--allow-root")
    return args


def environment() -> dict[str, str]:
    # Kernels of JupyterLab's environment (its python3 runs .venv's Python) before any the user
    # installed elsewhere.
    return dict(os.environ, JUPYTER_PREFER_ENV_PATH="1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="only print the address")
    args = parser.parse_args(argv)
    if not LAB_PYTHON.exists():
        print(
            f"JupyterLab's environment {LAB_PYTHON.parent.parent} is missing: run `make lab`, "
            "which makes it on first use",
            file=sys.stderr,
        )
        return 1
    cmd = command(args.port, open_browser=not args.no_browser)
    os.execve(cmd[0], cmd, environment())
    return 0  # not reached: the server replaces this process


if __name__ == "__main__":
    sys.exit(main())
