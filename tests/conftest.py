"""Shared test helpers: a scratch copy of the data package that a test may corrupt, the built
book, and the served site with a browser for the browser tests."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstoreport.paths import ROOT


@pytest.fixture
def scratch(tmp_path: Path):
    """A copy of data/ and book/references.bib; returns helpers to corrupt and validate it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", tmp_path / "book" / "references.bib")

    class Scratch:
        root = tmp_path
        package = tmp_path / "data" / "datapackage.json"
        bib = tmp_path / "book" / "references.bib"

        def path(self, relative: str) -> Path:
            return tmp_path / "data" / relative

        def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
            p = self.path(relative)
            text = p.read_text(encoding="utf-8")
            assert old in text, f"test setup: {old!r} not in {relative}"
            p.write_text(text.replace(old, new, count), encoding="utf-8")

        def append(self, relative: str, line: str) -> None:
            with open(self.path(relative), "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    return Scratch()


BUILD_LOCK = ROOT / "_build" / ".build.lock"


def build(*targets: str) -> None:
    """Build `targets` with the same pipeline as `make book`, unless the build is up to date
    (no notebook is stale and nothing the build reads changed since). Test workers running in
    parallel (pytest-xdist) take turns: one builds, the others wait, then find it up to date."""
    from cstoreport.machinery import jupyterbook, run_notebooks

    def up_to_date() -> bool:
        lock = run_notebooks.read_lock()
        current = jupyterbook.fingerprint()
        return all(jupyterbook.up_to_date(t, current) for t in targets) and not any(
            run_notebooks.is_stale(p, lock) for p in run_notebooks.NOTEBOOK_DIR.glob("*.ipynb")
        )

    if up_to_date():
        return
    BUILD_LOCK.parent.mkdir(exist_ok=True)
    with open(BUILD_LOCK, "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        for target in targets:
            result = subprocess.run(
                [sys.executable, "-m", "cstoreport.machinery.pipeline", target],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                pytest.fail(
                    f"building the {target} failed:\n{result.stdout[-2000:]}"
                    f"\n{result.stderr[-2000:]}"
                )


@pytest.fixture(scope="session")
def built_book():
    """The HTML site and the PDF (which the site offers for download)."""
    build("html", "pdf")


@pytest.fixture(scope="module")
def site(built_book):
    """The built site, served on 127.0.0.1 (one server for each browser test file)."""
    import functools
    import http.server
    import threading

    from tests.browser import HTML, QuietHandler

    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (one for each browser test file, so that pytest-xdist can run
    the files on different workers)."""
    from tests.browser import CHROMIUM, LAUNCH_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()
