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


@pytest.fixture(scope="session")
def site(built_book):
    """The built site, served on 127.0.0.1 (one server for each test worker)."""
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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless (one for each test worker, which the pages spread over: see
    the scheduler below)."""
    from tests.browser import CHROMIUM, LAUNCH_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


# --- scheduling over the test workers (pytest-xdist) -----------------------------------------
# `make test` runs `--dist loadfile`: a file's tests stay together on one worker, in order. The
# browser checks of the pages are the exception: each page is a unit of its own, so that the
# pages spread over the workers (each worker keeps its one browser and server: the session
# fixtures above). Units are handed out longest first, so that no worker is left with a long
# one at the end while the other idles. Expected seconds: a page's from its size in HTML
# elements (the axe-core audit's time follows it), the slow files' as measured (issue 30; only
# the order depends on them), any other file's from its number of tests.
PAGE_TEST_FILES = ("tests/test_browser_pages.py", "tests/test_browser_notebook_pages.py")
SLOW_FILES = {  # seconds on an idle 2-CPU machine, 2026-12-07
    "tests/test_verify.py": 18,
    "tests/test_data_package.py": 17,
    "tests/test_reader_text.py": 16,
    "tests/test_browser.py": 25,
    "tests/test_release.py": 8,
}
SECONDS_PER_ELEMENT = 1 / 400  # the data page: about 12,000 elements, 23 s idle
SECONDS_PER_TEST = 0.2


def expected_seconds(scope: str, tests: int) -> float:
    """How long a unit of work (one page's check, or one file) is expected to take."""
    from tests.browser import HTML

    path = scope.split("::", 1)[0]
    if path in PAGE_TEST_FILES:
        page = HTML / f"{scope.rsplit('[', 1)[-1].rstrip(']')}.html"
        elements = page.read_text(encoding="utf-8").count("<") if page.is_file() else 0
        return 2.0 + elements * SECONDS_PER_ELEMENT
    return SLOW_FILES.get(path, tests * SECONDS_PER_TEST)


def _scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class LongestFirst(LoadFileScheduling):
        """--dist loadfile, with each browser page check a unit of its own, handed out
        longest first."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.split("::", 1)[0] in PAGE_TEST_FILES:
                return nodeid
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not hasattr(self, "expected"):
                self.expected = {s: expected_seconds(s, len(t)) for s, t in self.workqueue.items()}
            longest = max(self.workqueue, key=self.expected.__getitem__)
            self.workqueue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    return _scheduler(config, log) if config.getvalue("dist") == "loadfile" else None
